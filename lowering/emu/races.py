"""Race detection inside the JIT code (`check_races`): shadow memory for the accesses of kernel
tasks, with no callback per access. The same per-access helper also appends each access to the
footprint log (footprints.py) when the dependency models are recorded.

Shadow table: `@__pl_emu_race_table : memref<N x 5 x i64>`, direct-mapped by element address
(slot = (address >> 2) mod N), zero-initialized. An entry is (tag = the full element address,
epoch, last writer, reader 1, reader 2); writer and readers are packed as `task << 24 | site`
(-1: none). The two reader slots hold readers of two different tasks: a read replaces the
reader of its own task (or fills an empty slot) and is otherwise not recorded, since any later
writer differs from at least one of the two.
Control: `@__pl_emu_race_ctl : memref<4 x i64>` = [epoch, task, enabled, unused], written by the
orchestration code (instrument.py): at each group_begin the epoch is incremented, the task index
reset to 0 and `enabled` set for a per-iteration group that is not chained (iter_args); after
each task the task index is incremented; group_end clears `enabled`. A "task" here is the
task's index within its launch group instance.

An access of task t at site s to element address a (only accesses whose memref comes into the
kernel from outside, or from a memref.global: stack and heap buffers of a task are private to
it) looks up slot(a): when the tag is a and the epoch is the current one, the entry describes
earlier accesses of the same group instance, and
  * any access conflicts with the last writer w if w's task != t,
  * a write also conflicts with each recorded reader r whose task != t,
each conflict calls the race hook (site, other site, other task, address). Then the access
records itself as the writer (a write) or the reader (a read). Otherwise (another address in the
slot, or a stale epoch) the entry is reset to this access alone.

Soundness: the tag is the full address and the epoch the group instance, so a reported race is
always two real accesses of two different tasks of one group instance to one element (no
invented races). Races can be missed (false negatives):
  * when another element that maps to the same slot is accessed between the two conflicting
    accesses (evictions): at most N = 2**table_log2 distinct slots are tracked per group;
    elements whose addresses differ by a multiple of 4*N bytes share a slot;
  * accesses are keyed by their first byte: overlapping accesses of different element types that
    start at different addresses are not compared;
  * memref.copy, accesses in functions a kernel calls through memref arguments of that function,
    and memrefs the checker cannot trace to a kernel argument or a global are not tracked.
"""

from __future__ import annotations

from mlir import ir

from . import footprints, runtime_hooks
from .generated_functions import PREFIX, Helpers, Text, element_bytes

CTL = PREFIX + "race_ctl"
TABLE = PREFIX + "race_table"
ACCESS = PREFIX + "race_access"
CONFLICT = PREFIX + "race_conflict"
CTL_EPOCH, CTL_TASK, CTL_ENABLED = 0, 1, 2
DEFAULT_TABLE_LOG2 = 18  # 262,144 entries of 40 bytes: 10 MiB
SITE_BITS = 24


def declare(
    helpers: Helpers,
    table_log2: int = DEFAULT_TABLE_LOG2,
    check: bool = True,
    record: bool = False,
) -> None:
    """The access helper the element helpers call: it checks races (`check`, the shadow table)
    and appends the access to the footprint log (`record`, footprints.py)."""
    n = 1 << table_log2
    footprint = (
        f"func.call @{footprints.RECORD}(%addr, %bytes, %site, %write) : (i64, i64, i64, i1) -> ()"
        if record
        else ""
    )
    if not check:
        helpers.add(
            ACCESS,
            f"""
func.func private @{ACCESS}(%addr: i64, %bytes: i64, %site: i64, %write: i1) {{
  {footprint}
  return
}}""",
        )
        return
    helpers.add(CTL, f'memref.global "private" @{CTL} : memref<4xi64> = dense<0>')
    helpers.add(TABLE, f'memref.global "private" @{TABLE} : memref<{n}x5xi64> = dense<0>')
    helpers.add(
        CONFLICT,
        f"""
func.func private @{CONFLICT}(%other: i64, %task: i64, %site: i64, %addr: i64) {{
  %m1 = arith.constant -1 : i64
  %sh = arith.constant {SITE_BITS} : i64
  %mask = arith.constant {(1 << SITE_BITS) - 1} : i64
  %none = arith.cmpi eq, %other, %m1 : i64
  %otask = arith.shrui %other, %sh : i64
  %osite = arith.andi %other, %mask : i64
  %same = arith.cmpi eq, %otask, %task : i64
  %skip = arith.ori %none, %same : i1
  scf.if %skip {{
  }} else {{
    func.call @{runtime_hooks.HOOK_RACE}(%site, %osite, %otask, %addr) : (i64, i64, i64, i64) -> ()
  }}
  return
}}""",
    )
    helpers.add(
        ACCESS,
        f"""
func.func private @{ACCESS}(%addr: i64, %bytes: i64, %site: i64, %write: i1) {{
  {footprint}
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %z = arith.constant 0 : i64
  %m1 = arith.constant -1 : i64
  %ctl = memref.get_global @{CTL} : memref<4xi64>
  %on = memref.load %ctl[%c2] : memref<4xi64>
  %enabled = arith.cmpi ne, %on, %z : i64
  scf.if %enabled {{
    %epoch = memref.load %ctl[%c0] : memref<4xi64>
    %task = memref.load %ctl[%c1] : memref<4xi64>
    %two = arith.constant 2 : i64
    %a = arith.shrui %addr, %two : i64
    %slotmask = arith.constant {n - 1} : i64
    %slot64 = arith.andi %a, %slotmask : i64
    %slot = arith.index_cast %slot64 : i64 to index
    %tbl = memref.get_global @{TABLE} : memref<{n}x5xi64>
    %tag = memref.load %tbl[%slot, %c0] : memref<{n}x5xi64>
    %ep = memref.load %tbl[%slot, %c1] : memref<{n}x5xi64>
    %sh = arith.constant {SITE_BITS} : i64
    %tsh = arith.shli %task, %sh : i64
    %me = arith.ori %tsh, %site : i64
    %same_tag = arith.cmpi eq, %tag, %addr : i64
    %same_ep = arith.cmpi eq, %ep, %epoch : i64
    %live = arith.andi %same_tag, %same_ep : i1
    scf.if %live {{
      %w = memref.load %tbl[%slot, %c2] : memref<{n}x5xi64>
      func.call @{CONFLICT}(%w, %task, %site, %addr) : (i64, i64, i64, i64) -> ()
      %r1 = memref.load %tbl[%slot, %c3] : memref<{n}x5xi64>
      %r2 = memref.load %tbl[%slot, %c4] : memref<{n}x5xi64>
      scf.if %write {{
        func.call @{CONFLICT}(%r1, %task, %site, %addr) : (i64, i64, i64, i64) -> ()
        func.call @{CONFLICT}(%r2, %task, %site, %addr) : (i64, i64, i64, i64) -> ()
        memref.store %me, %tbl[%slot, %c2] : memref<{n}x5xi64>
      }} else {{
        // Two reader slots of different tasks: any later writer differs from one of them.
        {_take_reader_slot(1, 3, n, _take_reader_slot(2, 4, n))}
      }}
    }} else {{
      memref.store %addr, %tbl[%slot, %c0] : memref<{n}x5xi64>
      memref.store %epoch, %tbl[%slot, %c1] : memref<{n}x5xi64>
      %wv = arith.select %write, %me, %m1 : i64
      %rv = arith.select %write, %m1, %me : i64
      memref.store %wv, %tbl[%slot, %c2] : memref<{n}x5xi64>
      memref.store %rv, %tbl[%slot, %c3] : memref<{n}x5xi64>
      memref.store %m1, %tbl[%slot, %c4] : memref<{n}x5xi64>
    }}
  }}
  return
}}""",
    )


def _take_reader_slot(j: int, column: int, n: int, otherwise: str = "") -> str:
    """Text recording the read in reader slot `j` (table column `column`) when the slot is empty
    or holds the same task; `otherwise` when it holds another task."""
    rest = f" else {{\n{otherwise}\n}}" if otherwise else ""
    return f"""%r{j}task = arith.shrui %r{j}, %sh : i64
%r{j}none = arith.cmpi eq, %r{j}, %m1 : i64
%r{j}mine = arith.cmpi eq, %r{j}task, %task : i64
%in{j} = arith.ori %r{j}none, %r{j}mine : i1
scf.if %in{j} {{
  memref.store %me, %tbl[%slot, %c{column}] : memref<{n}x5xi64>
}}{rest}"""


def _address(t: Text, m: str, mtype: ir.MemRefType, idx: list[str]) -> str:
    """Text computing the byte address (index) of element `idx` of memref `m`."""
    r = mtype.rank
    base_t = ir.MemRefType.get([], mtype.element_type, memory_space=mtype.memory_space)
    names = (
        [t.fresh("base"), t.fresh("off")]
        + [t.fresh("sz") for _ in range(r)]
        + [t.fresh("st") for _ in range(r)]
    )
    t.emit(
        f"{', '.join(names)} = memref.extract_strided_metadata {m} : {mtype} -> "
        f"{base_t}, {', '.join(['index'] * (1 + 2 * r))}"
    )
    lin = names[1]
    strides = names[2 + r :]
    for i, st in zip(idx, strides, strict=False):
        prod = t.op(f"arith.muli {i}, {st} : index")
        lin = t.op(f"arith.addi {lin}, {prod} : index")
    ptr = t.op(f"memref.extract_aligned_pointer_as_index {m} : {mtype} -> index", "p")
    nbytes = t.op(f"arith.muli {lin}, {t.index(element_bytes(mtype))} : index")
    return t.op(f"arith.addi {ptr}, {nbytes} : index", "addr")


def element_helper(helpers: Helpers, mtype: ir.MemRefType) -> str:
    """`@h(%m, %i..., %site: i64, %write: i1)`: records one element access."""

    def make(name: str) -> str:
        t = Text()
        idx = [f"%i{j}" for j in range(mtype.rank)]
        addr = _address(t, "%m", mtype, idx)
        a64 = t.op(f"arith.index_cast {addr} : index to i64")
        size = t.i64(element_bytes(mtype))
        t.emit(f"func.call @{ACCESS}({a64}, {size}, %site, %write) : (i64, i64, i64, i1) -> ()")
        params = ", ".join(
            [f"%m: {mtype}"] + [f"{i}: index" for i in idx] + ["%site: i64", "%write: i1"]
        )
        return f"func.func private @{name}({params}) {{\n{t.body()}\n  return\n}}"

    return helpers.get(("race_elem", str(mtype)), make)


def lanes_helper(helpers: Helpers, mtype: ir.MemRefType, lanes: int) -> str:
    """`@h(%m, %i..., %site, %write)`: records `lanes` consecutive elements along the last
    dimension, from %i (a 1-D vector access in bounds)."""

    def make(name: str) -> str:
        t = Text()
        r = mtype.rank
        idx = [f"%i{j}" for j in range(r)]
        addr = _address(t, "%m", mtype, idx)
        base_t = ir.MemRefType.get([], mtype.element_type, memory_space=mtype.memory_space)
        names = [t.fresh("b"), t.fresh("o")] + [t.fresh("s") for _ in range(2 * r)]
        t.emit(
            f"{', '.join(names)} = memref.extract_strided_metadata %m : {mtype} -> "
            f"{base_t}, {', '.join(['index'] * (1 + 2 * r))}"
        )
        step = t.op(f"arith.muli {names[-1]}, {t.index(element_bytes(mtype))} : index")
        c0, c1, cn = t.index(0), t.index(1), t.index(lanes)
        t.emit(f"scf.for %l = {c0} to {cn} step {c1} {{")
        off = t.op(f"arith.muli %l, {step} : index")
        a = t.op(f"arith.addi {addr}, {off} : index")
        a64 = t.op(f"arith.index_cast {a} : index to i64")
        size = t.i64(element_bytes(mtype))
        t.emit(f"func.call @{ACCESS}({a64}, {size}, %site, %write) : (i64, i64, i64, i1) -> ()")
        t.emit("}")
        params = ", ".join(
            [f"%m: {mtype}"] + [f"{i}: index" for i in idx] + ["%site: i64", "%write: i1"]
        )
        return f"func.func private @{name}({params}) {{\n{t.body()}\n  return\n}}"

    return helpers.get(("race_lanes", str(mtype), lanes), make)
