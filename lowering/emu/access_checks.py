"""Checks of memory accesses (functions of bounds.FunctionChecker, which provides the
values, flags, sites and the fault hook).

Accesses. Each memref.load/store/atomic_rmw/generic_atomic_rmw, vector.load/store,
vector.maskedload/maskedstore, vector.transfer_read/write (1-D, minor identity: instrument.py
lowers the others to these first) and memref.copy runs only when it is in bounds:

    %ok = valid(%m) & (i0 ult dim0) & ... & (i_last ult dim_last)       (unsigned: negative
    scf.if %ok { the access } else { fault hook; a load yields 0 }       indices fault too)

The fault hook gets the site, the lane (-1), the indices and the memref's run-time sizes. Sizes
come from one memref.extract_strided_metadata per memref, placed where the memref is defined.

A vector access tests all its lanes at once (`N ule dim` and `i ule dim - N` along each vector
dimension); when the test fails, a per-lane slow path (a helper function) accesses the lanes in
bounds, calls the fault hook once per faulting lane (lane number, the lane's element indices)
and yields 0 for them. Lanes a mask disables, and lanes past the end of a transfer dimension
that is not `in_bounds` (the transfer's own padding semantics), are not accessed and do not
fault. Parts of a test known at compile time are not emitted; an access known to be in bounds
gets no check at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mlir import ir
from mlir.dialects import arith, func, scf

from . import races
from .instrument_ir import IntOrValue, all_of, is_memref, static_of, ule
from .lane_slow_paths import slow_path

if TYPE_CHECKING:
    from .bounds import FunctionChecker


# -- scalar accesses -------------------------------------------------------------------
def scalar(
    ck: FunctionChecker,
    op: ir.Operation,
    kind: str,
    m: ir.Value,
    idxs: list[ir.Value],
    write: bool,
) -> None:
    with ir.InsertionPoint(op), op.location:
        ok = ck.in_range(m, idxs)
    race = ck.race_on(m)
    if ok is None and not race:
        return
    site = ck.site(op, kind, m.type, through=[m])
    if ok is None:
        with ir.InsertionPoint(op), op.location:
            ck.race_elem(m, idxs, site, write)
        return
    with ir.InsertionPoint(op), op.location:
        shape = ck.shape(m)
    guard(
        ck,
        op,
        ok,
        site,
        idxs,
        shape,
        (lambda: ck.race_elem(m, idxs, site, write)) if race else None,
    )


def guard(
    ck: FunctionChecker,
    op: ir.Operation,
    ok: ir.Value,
    site: int,
    idxs: list[ir.Value],
    shape: list[IntOrValue],
    before=None,
) -> None:
    """Moves `op` into `scf.if %ok`; the else branch calls the fault hook and yields zeros."""

    def fault() -> list[ir.Value]:
        ck.fault(site, None, idxs, shape)
        return [ck.c.zero(r.type) for r in op.results]

    move_into_if(op, ok, before, fault)


def load(ck: FunctionChecker, op):
    m = op.operands[0]
    scalar(ck, op, "load", m, list(op.operands)[1:], False)


def store(ck: FunctionChecker, op):
    m = op.operands[1]
    scalar(ck, op, "store", m, list(op.operands)[2:], True)


def generic_atomic(ck: FunctionChecker, op):
    m = op.operands[0]
    scalar(ck, op, "store", m, list(op.operands)[1:], True)


# -- vector accesses -----------------------------------------------------------------------
def vector_access(
    ck: FunctionChecker,
    op: ir.Operation,
    kind: str,
    m: ir.Value,
    idxs: list[ir.Value],
    vtype: ir.VectorType,
    extra: list[ir.Value],
    in_bounds: bool = True,
    has_mask: bool = False,
) -> None:
    """`extra`: the slow path's operands after the indices (value, mask, pass-through or
    padding, as the helper of `kind` takes them)."""
    mtype = ir.MemRefType(m.type)
    write = kind in ("vstore", "mstore", "twrite")
    if isinstance(mtype.element_type, ir.VectorType):
        # A memref of vectors: one element per access.
        if kind in ("vload", "vstore"):
            scalar(ck, op, "store" if write else "load", m, idxs, write)
            return
        ck.inst.reject(
            op,
            f"'{op.name}' on a memref of vectors is not supported by the emulator's bounds checks",
        )
        return
    r, k = mtype.rank, vtype.rank
    transfer = kind in ("tread", "twrite")
    with ir.InsertionPoint(op), op.location:
        conds = [ck.flag(m)]
        for j in range(r - k):
            conds.append(ck.lt(idxs[j], ck.dim(m, j)))
        for d in range(k):
            j = r - k + d
            if transfer and not in_bounds:
                # The transfer masks lanes past the end itself; its start must be in [0, dim].
                dv = ck.dim(m, j)
                si, sd = static_of(idxs[j]), static_of(dv)
                if not (si is not None and sd is not None and 0 <= si <= sd):
                    conds.append(ule(ck.value(idxs[j]), ck.value(dv)))
            else:
                conds.append(ck.lanes_fit(idxs[j], vtype.shape[d], ck.dim(m, j)))
        fast = all_of(conds)
    race = ck.race_on(m)
    # With races on, the fast path records its lanes only for a plain 1-D access (every lane
    # is accessed); masked, padded and n-D accesses always take the exact per-lane path.
    race_fast = race and k == 1 and not has_mask and (in_bounds or not transfer)
    if fast is None and not race:
        return
    site = ck.site(op, "store" if write else "load", m.type, through=[m])
    slow = slow_path(ck.inst.helpers, kind, mtype, vtype, in_bounds, has_mask, race)
    site_v = ck.c.i64(site)

    def call_slow():
        args = [m] + list(idxs) + list(extra) + [ck.flag_or_true(m), site_v]
        call = func.CallOp([vtype] if not write else [], ir.FlatSymbolRefAttr.get(slow), args)
        return list(call.results)

    if race and not race_fast:
        with ir.InsertionPoint(op), op.location:
            results = call_slow()
        for old, new in zip(op.results, results, strict=False):
            old.replace_all_uses_with(new)
        op.erase()
        return
    record = None
    if race_fast:
        lanes = races.lanes_helper(ck.inst.helpers, mtype, vtype.shape[0])

        def record():
            func.CallOp(
                [],
                ir.FlatSymbolRefAttr.get(lanes),
                [m] + list(idxs) + [site_v, ck.c.i1(write)],
            )

    if fast is None:
        with ir.InsertionPoint(op), op.location:
            record()
        return
    move_into_if(op, fast, record, call_slow)


def vload(ck: FunctionChecker, op):
    m = op.operands[0]
    vector_access(ck, op, "vload", m, list(op.operands)[1:], op.results[0].type, [])


def vstore(ck: FunctionChecker, op):
    value, m = op.operands[0], op.operands[1]
    vector_access(ck, op, "vstore", m, list(op.operands)[2:], value.type, [value])


def mload(ck: FunctionChecker, op):
    ops = list(op.operands)
    m, r = ops[0], ir.MemRefType(ops[0].type).rank
    idxs, mask, passthru = ops[1 : 1 + r], ops[1 + r], ops[2 + r]
    vector_access(ck, op, "mload", m, idxs, op.results[0].type, [mask, passthru], has_mask=True)


def mstore(ck: FunctionChecker, op):
    ops = list(op.operands)
    m, r = ops[0], ir.MemRefType(ops[0].type).rank
    idxs, mask, value = ops[1 : 1 + r], ops[1 + r], ops[2 + r]
    vector_access(ck, op, "mstore", m, idxs, value.type, [mask, value], has_mask=True)


def _transfer_form(ck: FunctionChecker, op, m: ir.Value, vtype) -> bool | None:
    """in_bounds of a 1-D minor-identity transfer on a memref; None (after a located error)
    for other forms."""
    if not is_memref(m.type):
        return None  # a transfer on a tensor touches no memory
    mtype = ir.MemRefType(m.type)
    pmap = ir.AffineMapAttr(op.attributes["permutation_map"]).value
    if (
        vtype.rank != 1
        or mtype.rank < 1
        or vtype.scalable
        or pmap != ir.AffineMap.get_minor_identity(mtype.rank, 1)
    ):
        ck.inst.reject(
            op,
            f"'{op.name}' of {vtype} with permutation map {pmap} is not "
            f"supported by the emulator's bounds checks",
        )
        return None
    in_bounds = [ir.BoolAttr(a).value for a in ir.ArrayAttr(op.attributes["in_bounds"])]
    return in_bounds[0]


def tread(ck: FunctionChecker, op):
    ops = list(op.operands)
    m = ops[0]
    vtype = op.results[0].type
    in_bounds = _transfer_form(ck, op, m, vtype)
    if in_bounds is None:
        return
    r = ir.MemRefType(m.type).rank
    idxs, pad = ops[1 : 1 + r], ops[1 + r]
    mask = ops[2 + r :]
    vector_access(ck, op, "tread", m, idxs, vtype, [pad] + mask, in_bounds, bool(mask))


def twrite(ck: FunctionChecker, op):
    ops = list(op.operands)
    value, m = ops[0], ops[1]
    if not is_memref(m.type):
        return
    in_bounds = _transfer_form(ck, op, m, value.type)
    if in_bounds is None:
        return
    r = ir.MemRefType(m.type).rank
    idxs, mask = ops[2 : 2 + r], ops[2 + r :]
    vector_access(ck, op, "twrite", m, idxs, value.type, [value] + mask, in_bounds, bool(mask))


def copy(ck: FunctionChecker, op):
    src, dst = op.operands[0], op.operands[1]
    st, dt = ir.MemRefType(src.type), ir.MemRefType(dst.type)
    with ir.InsertionPoint(op), op.location:
        conds = [ck.flag(src), ck.flag(dst)]
        for k in range(st.rank):
            a, b = ck.dim(src, k), ck.dim(dst, k)
            if isinstance(a, int) and isinstance(b, int):
                if a != b:
                    conds.append(ck.c.i1(False))
                continue
            conds.append(arith.cmpi(arith.CmpIPredicate.eq, ck.value(a), ck.value(b)))
        ok = all_of(conds)
    if ok is None:
        return
    site = ck.site(op, "copy", dt, rank=0, through=[src, dst])
    with ir.InsertionPoint(op), op.location:
        shape = ck.shape(dst)
    guard(ck, op, ok, site, [], shape)


def move_into_if(
    op: ir.Operation,
    cond: ir.Value,
    before: Callable[[], None] | None,
    otherwise: Callable[[], list[ir.Value]],
) -> None:
    """Moves `op` into the then branch of a new `scf.if %cond`, whose results replace op's;
    `before()` builds ops just before `op` in that branch; `otherwise()` builds the else branch
    and returns the values it yields (one per result of op)."""
    with ir.InsertionPoint(op), op.location:
        branch = scf.IfOp(cond, [r.type for r in op.results], has_else=True)
    for old, new in zip(op.results, branch.results, strict=True):
        old.replace_all_uses_with(new)
    branch.then_block.append(op)
    with op.location:
        if before is not None:
            with ir.InsertionPoint(op):
                before()
        with ir.InsertionPoint(branch.then_block):
            scf.YieldOp(list(op.results))
        with ir.InsertionPoint(branch.else_block):
            scf.YieldOp(otherwise())


# The op names each function checks (bounds.FunctionChecker dispatches on them).
HANDLERS = {
    "memref.load": load,
    "memref.store": store,
    "memref.atomic_rmw": store,
    "memref.generic_atomic_rmw": generic_atomic,
    "vector.load": vload,
    "vector.store": vstore,
    "vector.maskedload": mload,
    "vector.maskedstore": mstore,
    "vector.transfer_read": tread,
    "vector.transfer_write": twrite,
    "memref.copy": copy,
}
