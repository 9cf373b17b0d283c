"""The emulator's instrumentation (lowering/emu/instrument.py), run: modules are instrumented,
lowered by the CPU target and JIT-compiled with plain ctypes callbacks for the hooks of
lowering/emu/runtime_hooks.py, which record every call. Checks: out-of-bounds accesses are
suppressed (loads yield 0, stores leave the surrounding memory alone) and reported with the right
site, lane and indices; views created out of bounds fault on every access; task counters are exact;
launch groups and tasks come in the right order; on-chip memory errors and faults; races are
found in overlapping chunks and not in correct kernels; instrumented examples compute exactly
what the CPU target computes."""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pytest
from mlir import ir
from mlir.execution_engine import ExecutionEngine

from pypto_mlir.dialect.context import make_context
from pypto_mlir.dialect.diagnostics import DiagnosedError, engine_of
from pypto_mlir.examples import kernels as K
from pypto_mlir.lowering.cpu import copy_module, lower_to_llvm
from pypto_mlir.lowering.emu import runtime_hooks
from pypto_mlir.lowering.emu.instrument import instrument
from pypto_mlir.lowering.numpy_abi import Signature
from pypto_mlir.passes import build_pass_manager

ROOT = Path(__file__).resolve().parents[2]
OUTLINE = "builtin.module(pl-default, pl-outline-kernels)"
COUNTERS = {name: i for i, name in enumerate(runtime_hooks.COUNTERS)}
# A runtime hook's call as the tests record it: its name, then its int64 arguments (or a slice
# of that).
Event: TypeAlias = "tuple[str | int, ...]"


class Emu:
    """An instrumented module, JIT-compiled, with recording hooks (events: (hook, args...))."""

    def __init__(
        self,
        text: str,
        entry: str,
        pipeline: str | None = OUTLINE,
        memory: int = 1 << 20,
        races: bool = False,
        opt_level: int = 2,
    ):
        self.diagnostics: list[str] = []
        self.ctx = make_context(sink=self._diagnostic)
        engine_of(self.ctx).set_source("test.mlir", text)
        self.module = ir.Module.parse(text, self.ctx)
        if pipeline:
            build_pass_manager(pipeline, self.ctx).run(self.module.operation)
        self.meta = instrument(self.module, memory, races)
        assert self.module.operation.verify()
        fn = next(
            op.operation
            for op in self.module.body.operations
            if "sym_name" in op.operation.attributes
            and ir.StringAttr(op.operation.attributes["sym_name"]).value == entry
        )
        self.signature = Signature.of(fn)
        lowered = copy_module(self.module)
        lower_to_llvm(lowered, [entry])
        self.engine = ExecutionEngine(lowered, opt_level=opt_level)
        self.events: list[Event] = []
        self._callbacks = []  # alive as long as the engine
        for name, arity in runtime_hooks.HOOKS.items():
            cb = ctypes.CFUNCTYPE(None, *[ctypes.c_int64] * arity)(
                lambda *a, _n=name: self.events.append((_n,) + a)
            )
            self._callbacks.append(cb)
            self.engine.register_runtime(name, cb)  # before the first lookup
        self.fn = self.engine.lookup(entry)
        self._lowered = lowered

    def _diagnostic(self, d) -> None:
        self.diagnostics.append(engine_of(self.ctx).format(d))

    def __call__(self, *args):
        self.events.clear()
        packed = self.signature.pack(args)
        argv = (ctypes.c_void_p * max(len(packed.pointers), 1))()
        for i, p in enumerate(packed.pointers):
            argv[i] = ctypes.cast(p, ctypes.c_void_p)
        self.fn(argv)
        return packed.finish()

    def hooks(self, *names: str) -> list[Event]:
        return [e for e in self.events if not names or e[0] in names]

    def faults(self) -> list[Event]:
        """(site kind, lane, the four indices) of each fault, in order."""
        return [
            (self.meta.sites[e[1]].kind,) + e[2 : 3 + runtime_hooks.MAX_FAULT_RANK]
            for e in self.events
            if e[0] == runtime_hooks.HOOK_FAULT
        ]

    def fault_shapes(self) -> list[Event]:
        """The four sizes each fault passed (the run-time shape of the site's memref)."""
        return [
            e[3 + runtime_hooks.MAX_FAULT_RANK :]
            for e in self.events
            if e[0] == runtime_hooks.HOOK_FAULT
        ]

    def task_counters(self) -> list[dict[str, int]]:
        """The counters each task passed to its task_end hook, by name."""
        return [
            dict(zip(runtime_hooks.COUNTERS, e[2:], strict=False))
            for e in self.events
            if e[0] == runtime_hooks.HOOK_TASK_END
        ]


def guarded(n: int, dtype=np.float32, fill=-7.0):
    """A view of n elements inside a larger array with guard elements on both sides."""
    big = np.full(n + 6, fill, dtype)
    big[3 : 3 + n] = np.arange(n, dtype=dtype) + 1
    return big, big[3 : 3 + n]


def instrument_errors(text: str, memory: int = 1 << 20, pipeline: str = OUTLINE) -> list[str]:
    seen: list[str] = []
    ctx = make_context(sink=lambda d: seen.append(engine_of(ctx).format(d)))
    engine_of(ctx).set_source("test.mlir", text)
    module = ir.Module.parse(text, ctx)
    if pipeline:
        build_pass_manager(pipeline, ctx).run(module.operation)
    with pytest.raises(DiagnosedError):
        instrument(module, memory, False)
    return seen


# -- out of bounds: scalar accesses ------------------------------------------------------------

HOST_COPY = """\
func.func @copy(%a: memref<?xf32>, %b: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> f32 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %b[%i] : memref<?xf32>
    %t = arith.addf %acc, %x : f32
    scf.yield %t : f32
  }
  return %s : f32
}
"""


def test_out_of_bounds_loads_yield_zero_and_stores_are_suppressed():
    emu = Emu(HOST_COPY, "copy", pipeline=None)
    a_big, a = guarded(4)
    b_big, b = guarded(3, fill=99.0)
    b[:] = 0
    a_before, b_before = a_big.copy(), b_big.copy()
    (total,) = emu(a, b, 6)
    assert total == 1 + 2 + 3 + 4  # a[4], a[5] read as 0, not the guard -7
    assert np.array_equal(a_big, a_before)
    assert list(b) == [1, 2, 3]  # b[3..5] not written
    assert np.array_equal(b_big[:3], b_before[:3]) and np.array_equal(b_big[6:], b_before[6:])
    # Faults in order: the store of i = 3, then the load and the store of i = 4 and 5.
    assert emu.faults() == [
        ("store", -1, 3, 0, 0, 0),
        ("load", -1, 4, 0, 0, 0),
        ("store", -1, 4, 0, 0, 0),
        ("load", -1, 5, 0, 0, 0),
        ("store", -1, 5, 0, 0, 0),
    ]
    # With the run-time shape of the memref: b has 3 elements, a 4.
    assert emu.fault_shapes() == [
        (3, 0, 0, 0),
        (4, 0, 0, 0),
        (3, 0, 0, 0),
        (4, 0, 0, 0),
        (3, 0, 0, 0),
    ]
    load, store = emu.meta.sites
    assert (load.kind, load.location, load.memref_type, load.kernel, load.rank) == (
        "load",
        "test.mlir:6:10",
        "memref<?xf32>",
        None,
        1,
    )
    assert (store.kind, store.location) == ("store", "test.mlir:7:5")
    # In bounds: no fault at all.
    emu(a, b, 3)
    assert emu.faults() == []


NEGATIVE = """\
func.func @shift(%a: memref<4x5xi32>, %out: memref<4x5xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c5 step %c1 {
      %im = arith.subi %i, %c1 : index
      %x = memref.load %a[%im, %j] : memref<4x5xi32>
      memref.store %x, %out[%i, %j] : memref<4x5xi32>
    }
  }
  return
}
"""


def test_negative_indices_fault():
    emu = Emu(NEGATIVE, "shift", pipeline=None)
    a = np.arange(20, dtype=np.int32).reshape(4, 5)
    out = np.full((4, 5), 5, np.int32)
    emu(a, out)
    assert np.array_equal(out[0], np.zeros(5)) and np.array_equal(out[1:], a[:3])
    assert emu.faults() == [("load", -1, -1, j, 0, 0) for j in range(5)]
    assert emu.fault_shapes() == [(4, 5, 0, 0)] * 5


# -- out of bounds: vectors ----------------------------------------------------------------------

VECTORS = """\
func.func @vec(%a: memref<?xf32>, %out: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %n step %c4 {
    %v = vector.load %a[%i] : memref<?xf32>, vector<4xf32>
    vector.store %v, %out[%i] : memref<?xf32>, vector<4xf32>
  }
  return
}
"""


def test_vector_lanes_fault_one_by_one():
    emu = Emu(VECTORS, "vec", pipeline=None)
    a_big, a = guarded(6)
    o_big, out = guarded(7, fill=50.0)
    out[:] = 0
    emu(a, out, 8)
    # Lanes 2 and 3 of the second load are past the end of a (6): read as 0; all four lanes of
    # the second store are in out (7) but lane 3 (element 7) is not.
    assert list(out) == [1, 2, 3, 4, 5, 6, 0]
    assert list(o_big[:3]) == [50] * 3 and list(o_big[10:]) == [50] * 3
    assert emu.faults() == [
        ("load", 2, 6, 0, 0, 0),
        ("load", 3, 7, 0, 0, 0),
        ("store", 3, 7, 0, 0, 0),
    ]
    assert emu.fault_shapes() == [(6, 0, 0, 0), (6, 0, 0, 0), (7, 0, 0, 0)]


VECTOR_ROWS = """\
func.func @rows(%a: memref<3x5xf32>, %out: memref<3x5xf32>, %i: index, %j: index) {
  %v = vector.load %a[%i, %j] : memref<3x5xf32>, vector<4xf32>
  %w = arith.addf %v, %v : vector<4xf32>
  vector.store %w, %out[%i, %j] : memref<3x5xf32>, vector<4xf32>
  return
}
"""


@pytest.mark.parametrize("row", [1, 3])
def test_lanes_of_a_vector_in_a_2d_memref_fault_with_their_element_indices(row):
    emu = Emu(VECTOR_ROWS, "rows", pipeline=None)
    a = np.arange(15, dtype=np.float32).reshape(3, 5) + 1
    out = np.full((3, 5), -1.0, np.float32)
    emu(a, out, row, 2)
    # Columns 2..5 of the row: column 5 is outside (and every lane of row 3). Faulting loads
    # read 0, faulting stores write nothing.
    want = np.full((3, 5), -1.0, np.float32)
    if row < 3:
        want[row, 2:5] = 2 * a[row, 2:5]
    assert np.array_equal(out, want)
    lanes = [lane for lane in range(4) if row >= 3 or 2 + lane >= 5]
    assert emu.faults() == [("load", lane, row, 2 + lane, 0, 0) for lane in lanes] + [
        ("store", lane, row, 2 + lane, 0, 0) for lane in lanes
    ]
    assert set(emu.fault_shapes()) == {(3, 5, 0, 0)}


TRANSFERS_MASKED = """\
func.func @tr(%a: memref<?xf32>, %out: memref<?xf32>, %i: index, %live: index) {
  %pad = arith.constant 9.0 : f32
  %m = vector.create_mask %live : vector<4xi1>
  %v = vector.transfer_read %a[%i], %pad : memref<?xf32>, vector<4xf32>
  %w = vector.transfer_read %a[%i], %pad {in_bounds = [true]} : memref<?xf32>, vector<4xf32>
  %x = vector.maskedload %a[%i], %m, %v : memref<?xf32>, vector<4xi1>, vector<4xf32> into vector<4xf32>
  %s = arith.addf %v, %w : vector<4xf32>
  %t = arith.addf %s, %x : vector<4xf32>
  vector.transfer_write %t, %out[%i] : vector<4xf32>, memref<?xf32>
  %c0 = arith.constant 0 : index
  %c100 = arith.constant 100.0 : f32
  %h = vector.broadcast %c100 : f32 to vector<4xf32>
  vector.maskedstore %out[%i], %m, %h : memref<?xf32>, vector<4xi1>, vector<4xf32>
  return
}
"""  # noqa: E501 - MLIR input keeps one op per line


def test_transfers_pad_masks_skip_and_in_bounds_lanes_fault():
    emu = Emu(TRANSFERS_MASKED, "tr", pipeline=None)
    a = np.arange(6, dtype=np.float32) + 1
    o_big, out = guarded(6, fill=50.0)
    out[:] = 0
    emu(a, out, 4, 2)
    # v = [5, 6, pad, pad] (the transfer's own padding: no fault); w = [5, 6, 0, 0] (in_bounds:
    # lanes 2, 3 fault); x = [5, 6, v2, v3] (masked off: not accessed, no fault).
    # t = v + w + x = [15, 18, 18, 18]; the write stores lanes 0, 1 only (padding semantics);
    # the masked store overwrites them with 100.
    assert list(out) == [0, 0, 0, 0, 100, 100]
    assert list(o_big[:3]) == [50] * 3 and list(o_big[9:]) == [50] * 3
    assert emu.faults() == [("load", 2, 6, 0, 0, 0), ("load", 3, 7, 0, 0, 0)]
    # A negative start faults even on a padded transfer (lanes -2 and -1); lanes 0, 1 are read.
    out[:] = 0
    emu(a, out, -2, 0)
    assert ("load", 0, -2, 0, 0, 0) in emu.faults() and ("load", 1, -1, 0, 0, 0) in emu.faults()


# -- views -------------------------------------------------------------------------------------

SUBVIEW = """\
func.func @window(%a: memref<?xf32>, %o: index, %s: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %w = memref.subview %a[%o] [4] [%s] : memref<?xf32> to memref<4xf32, strided<[?], offset: ?>>
  %x = memref.load %w[%c1] : memref<4xf32, strided<[?], offset: ?>>
  %one = arith.constant 1.0 : f32
  memref.store %one, %w[%c0] : memref<4xf32, strided<[?], offset: ?>>
  return %x : f32
}
"""


def test_subview_window_out_of_its_source_faults_every_access():
    emu = Emu(SUBVIEW, "window", pipeline=None)
    big, a = guarded(6)
    before = big.copy()
    # Window [2, 3, 4, 5] fits: element 1 of it is a[3] = 4.
    assert emu(a, 2, 1) == [4.0] and emu.faults() == []
    big[:] = before
    # Window [3, 4, 5, 6]: the view is invalid; even its element 1 (a[4], in a) is not read,
    # and the store to its element 0 (a[3]) does not happen.
    assert emu(a, 3, 1) == [0.0]
    assert np.array_equal(big, before)
    assert emu.faults() == [
        ("subview", -1, 3, 0, 0, 0),
        ("load", -1, 1, 0, 0, 0),
        ("store", -1, 0, 0, 0, 0),
    ]
    assert emu.fault_shapes() == [(6, 0, 0, 0), (4, 0, 0, 0), (4, 0, 0, 0)]  # source, view, view
    sub = emu.meta.sites[0]
    assert (sub.location, sub.memref_type) == ("test.mlir:4:8", "memref<?xf32>")
    # Strides count: offset 0, stride 2 spans elements 0..6 of 6.
    emu(a, 0, 2)
    assert emu.faults()[0] == ("subview", -1, 0, 0, 0, 0)
    # A huge stride cannot wrap around into a valid-looking window.
    emu(a, 0, 1 << 62)
    assert emu.faults()[0][0] == "subview"


VIEW_INTO_KERNEL = """\
func.func @scoped(%a: memref<?xf32>, %o: index) {
  %w = memref.subview %a[%o] [4] [1] : memref<?xf32> to memref<4xf32, strided<[1], offset: ?>>
  scf.execute_region no_inline {
    %c0 = arith.constant 0 : index
    %c3 = arith.constant 3 : index
    %x = memref.load %w[%c0] : memref<4xf32, strided<[1], offset: ?>>
    memref.store %x, %w[%c3] : memref<4xf32, strided<[1], offset: ?>>
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "k"}
  return
}
"""


def test_view_validity_follows_the_view_into_the_kernel():
    emu = Emu(VIEW_INTO_KERNEL, "scoped", pipeline="builtin.module(pl-outline-kernels)")
    assert emu.meta.kernels == ["k"]
    big, a = guarded(6)
    emu(a, 1)
    assert a[4] == 2 and emu.faults() == []
    before = big.copy()
    emu(a, 3)  # window [3, 7) of 6: invalid
    assert np.array_equal(big, before)
    assert emu.faults() == [
        ("subview", -1, 3, 0, 0, 0),
        ("load", -1, 0, 0, 0, 0),
        ("store", -1, 3, 0, 0, 0),
    ]
    kinds = {s.kind: s.kernel for s in emu.meta.sites}
    assert kinds == {"subview": None, "load": "k", "store": "k"}


REINTERPRET = """\
func.func @flat(%a: memref<?xf32>, %rows: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %m = memref.reinterpret_cast %a to offset: [0], sizes: [%rows, 3], strides: [3, 1] : memref<?xf32> to memref<?x3xf32>
  %r = arith.subi %rows, %c2 : index
  %x = memref.load %m[%r, %c2] : memref<?x3xf32>
  return %x : f32
}
"""  # noqa: E501 - MLIR input keeps one op per line


def test_reinterpret_cast_window_is_checked_against_its_source():
    emu = Emu(REINTERPRET, "flat", pipeline=None)
    big, a = guarded(6)
    assert emu(a, 2) == [3.0] and emu.faults() == []
    assert emu(a, 3) == [0.0]  # 9 elements from a buffer of 6
    assert [f[0] for f in emu.faults()] == ["reinterpret_cast", "load"]


# -- task counters -------------------------------------------------------------------------------

VADD = (ROOT / "examples" / "vadd.mlir").read_text()


def test_counters_are_exact_for_a_small_kernel():
    # vadd, chunk 4, n = 10: three tasks (chunks 0-3, 4-7, 8-11 with 10 and 11 masked).
    # pl-unswitch-guards gives full chunks a fast path. Per task, scalar ops: the chunk test
    # (muli, addi, cmpi = 3), then per iteration on the fast path addi k and addf (2); on the
    # slow path addi k and the guard's cmpi (2), plus addf when the guard holds (1).
    emu = Emu(VADD, "vadd")
    a, b, c = (np.arange(10, dtype=np.float32), np.ones(10, np.float32), np.zeros(10, np.float32))
    emu(a, b, c, 10)
    assert np.array_equal(c, a + 1)
    full = dict(
        scalar_ops=3 + 4 * 2,
        vector_ops=0,
        math_ops=0,
        loads=8,
        stores=4,
        bytes_loaded=32,
        bytes_stored=16,
        masked_iterations=0,
    )
    last = dict(
        scalar_ops=3 + 4 * 2 + 2,
        vector_ops=0,
        math_ops=0,
        loads=4,
        stores=2,
        bytes_loaded=16,
        bytes_stored=8,
        masked_iterations=2,
    )
    assert emu.task_counters() == [full, full, last]


@pytest.mark.parametrize("unswitch", ["true", "false"])
def test_masked_iterations_of_the_guarded_policy(unswitch):
    emu = Emu(
        VADD,
        "vadd",
        pipeline=f"builtin.module(pl-default{{policy=guarded unswitch={unswitch}}}, "
        f"pl-outline-kernels)",
    )
    for n in (0, 1, 3, 4, 5, 8, 9, 13):
        a, b, c = (np.ones(n, np.float32) for _ in range(3))
        emu(a, b, c, n)
        counts = emu.task_counters()
        chunks = -(-n // 4)
        assert len(counts) == chunks
        assert sum(t["masked_iterations"] for t in counts) == 4 * chunks - n
        assert sum(t["stores"] for t in counts) == n


VECTOR_KERNEL = """\
func.func @scale(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %blocks = arith.divui %n, %c8 : index
  scf.for %b = %c0 to %blocks step %c1 {
    %i = arith.muli %b, %c8 : index
    %v = vector.load %a[%i] : memref<?xf32>, vector<8xf32>
    %e = math.exp %v : vector<8xf32>
    %w = arith.addf %v, %e : vector<8xf32>
    %s = vector.reduction <add>, %w : vector<8xf32> into f32
    %sv = vector.broadcast %s : f32 to vector<8xf32>
    vector.store %sv, %a[%i] : memref<?xf32>, vector<8xf32>
  } {pl.parallel}
  return
}
"""


def test_counters_of_vector_and_math_ops():
    emu = Emu(VECTOR_KERNEL, "scale")
    a = np.zeros(24, np.float32)
    emu(a, 24)
    assert (
        emu.task_counters()
        == [
            dict(
                scalar_ops=1,
                vector_ops=3,
                math_ops=1,
                loads=1,
                stores=1,
                bytes_loaded=32,
                bytes_stored=32,
                masked_iterations=0,
            )
        ]
        * 3
    )


# -- launch groups and tasks ---------------------------------------------------------------------

CHAINED = """\
func.func @total(%a: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> f32 {
    %x = memref.load %a[%i] : memref<?xf32>
    %t = arith.addf %acc, %x : f32
    scf.yield %t : f32
  } {pl.chunk = 4, pl.parallel}
  return %s : f32
}
"""

SEQUENTIAL = CHAINED.replace("{pl.chunk = 4, pl.parallel}", "{pl.chunk = 4}")


def _order(emu) -> list[Event]:
    """The launch and task hooks, in order: (name, group or kernel id), a group_begin's with
    its flags."""
    return [
        e[:2] if e[0] != runtime_hooks.HOOK_GROUP_BEGIN else e[:3]
        for e in emu.hooks(
            runtime_hooks.HOOK_GROUP_BEGIN,
            runtime_hooks.HOOK_GROUP_END,
            runtime_hooks.HOOK_TASK_BEGIN,
            runtime_hooks.HOOK_TASK_END,
        )
    ]


GB, GE, TB, TE = (
    runtime_hooks.HOOK_GROUP_BEGIN,
    runtime_hooks.HOOK_GROUP_END,
    runtime_hooks.HOOK_TASK_BEGIN,
    runtime_hooks.HOOK_TASK_END,
)


def test_per_iteration_group():
    emu = Emu(VADD, "vadd")
    emu(*(np.ones(9, np.float32) for _ in range(3)), 9)
    assert _order(emu) == [(GB, 0, 0)] + [(TB, 0), (TE, 0)] * 3 + [(GE, 0)]
    (group,) = emu.meta.groups
    assert (group.kernel, group.launch, group.chained) == ("vadd_k0", "per_iteration", False)


def test_chained_group():
    emu = Emu(CHAINED, "total")
    assert emu(np.ones(10, np.float32), 10) == [10.0]
    assert _order(emu) == [(GB, 0, 1)] + [(TB, 0), (TE, 0)] * 3 + [(GE, 0)]
    (group,) = emu.meta.groups
    assert (group.launch, group.chained, group.location) == ("per_iteration", True, "test.mlir:5:8")


def test_once_groups():
    # Not parallel: the whole nest is one kernel, one task.
    emu = Emu(SEQUENTIAL, "total")
    assert emu(np.ones(10, np.float32), 10) == [10.0]
    assert _order(emu) == [(GB, 0, 0), (TB, 0), (TE, 0), (GE, 0)]
    assert emu.meta.groups[0].launch == "once"
    # leading_full: the main nest per iteration, the remainder kernel once.
    emu = Emu(
        VADD, "vadd", pipeline="builtin.module(pl-default{policy=leading_full}, pl-outline-kernels)"
    )
    emu(*(np.ones(9, np.float32) for _ in range(3)), 9)
    assert emu.meta.kernels == ["vadd_k0", "vadd_k0_rem"]
    assert [(g.kernel, g.launch) for g in emu.meta.groups] == [
        ("vadd_k0", "per_iteration"),
        ("vadd_k0_rem", "once"),
    ]
    assert _order(emu) == [(GB, 0, 0)] + [(TB, 0), (TE, 0)] * 2 + [
        (GE, 0),
        (GB, 1, 0),
        (TB, 1),
        (TE, 1),
        (GE, 1),
    ]


# -- on-chip memory ------------------------------------------------------------------------------

STATIC_ALLOCA = """\
func.func @run(%a: memref<?xf32>) {
  scf.execute_region no_inline {
    %c0 = arith.constant 0 : index
    %buf = memref.alloca() : memref<256xf32>
    %acc = memref.alloca() : memref<64xf32>
    %x = memref.load %a[%c0] : memref<?xf32>
    memref.store %x, %buf[%c0] : memref<256xf32>
    memref.store %x, %acc[%c0] : memref<64xf32>
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "tile"}
  return
}
"""


def test_static_allocas_over_the_on_chip_memory_are_a_located_error():
    errors = instrument_errors(
        STATIC_ALLOCA, memory=1200, pipeline="builtin.module(pl-outline-kernels)"
    )
    assert errors and errors[0].startswith(
        "test.mlir:5:12: error: on-chip memory: kernel 'tile' needs 1280 bytes of memref.alloca "
        "buffers at once, more than the 1200 bytes of on-chip memory of a core group"
    )
    assert "test.mlir:4:12: note: this buffer takes 1024 bytes" in errors[0]
    # Enough memory: it runs.
    emu = Emu(STATIC_ALLOCA, "run", pipeline="builtin.module(pl-outline-kernels)", memory=1280)
    emu(np.ones(3, np.float32))
    assert emu.faults() == []


def test_only_the_kernels_of_the_entries_must_fit():
    # Another function of the module that would not fit does not stop this one from running.
    two = STATIC_ALLOCA + STATIC_ALLOCA.replace("@run", "@other").replace('"tile"', '"tile2"')
    ctx = make_context()
    module = ir.Module.parse(two, ctx)
    build_pass_manager("builtin.module(pl-outline-kernels)", ctx).run(module.operation)
    big = instrument(copy_module(module), 1 << 20, False, entries=["run"])
    assert [k for k in big.kernels] == ["tile", "tile2"]
    with pytest.raises(DiagnosedError):  # "run" reaches "tile", which needs 1280 bytes
        instrument(copy_module(module), 1200, False, entries=["run"])
    seen: list[str] = []
    ctx2 = make_context(sink=lambda d: seen.append(engine_of(ctx2).format(d)))
    tiny = (
        """\
func.func @small(%a: memref<?xf32>) {
  scf.execute_region no_inline {
    %c0 = arith.constant 0 : index
    %b = memref.alloca() : memref<4xf32>
    %x = memref.load %a[%c0] : memref<?xf32>
    memref.store %x, %b[%c0] : memref<4xf32>
    scf.yield
  } {pl.at = "core_group"}
  return
}
"""
        + STATIC_ALLOCA
    )
    module2 = ir.Module.parse(tiny, ctx2)
    build_pass_manager("builtin.module(pl-outline-kernels)", ctx2).run(module2.operation)
    instrument(module2, 1200, False, entries=["small"])  # "tile" is not reachable from "small"
    assert seen == []


SCOPES = """\
func.func @scopes(%a: memref<?xf32>) {
  scf.execute_region no_inline {
    %c0 = arith.constant 0 : index
    %z = arith.constant 0.0 : f32
    %keep = memref.alloca() : memref<16xf32>
    memref.alloca_scope {
      %t = memref.alloca() : memref<100xf32>
      memref.store %z, %t[%c0] : memref<100xf32>
    }
    memref.alloca_scope {
      %t = memref.alloca() : memref<200xf32>
      memref.store %z, %t[%c0] : memref<200xf32>
    }
    scf.yield
  } {pl.at = "core_group"}
  return
}
"""


def test_alloca_scopes_release_their_buffers():
    # Peak: 64 bytes kept + the larger scope (800) = 864, not 64 + 400 + 800.
    assert instrument_errors(SCOPES, memory=863, pipeline="builtin.module(pl-outline-kernels)")
    Emu(SCOPES, "scopes", pipeline="builtin.module(pl-outline-kernels)", memory=864)


DYNAMIC_ALLOCA = """\
func.func @host(%a: memref<?xf32>, %n: index) -> f32 {
  %r = scf.execute_region -> f32 no_inline {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %fixed = memref.alloca() : memref<64xf32>
    %buf = memref.alloca(%n) : memref<?xf32>
    scf.for %i = %c0 to %n step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %buf[%i] : memref<?xf32>
    }
    %last = arith.subi %n, %c1 : index
    %y = memref.load %buf[%last] : memref<?xf32>
    scf.yield %y : f32
  } {pl.at = "core_group", pl.name_hint = "dyn"}
  return %r : f32
}
"""


def test_dynamic_alloca_over_budget_faults_and_allocates_nothing():
    emu = Emu(DYNAMIC_ALLOCA, "host", pipeline="builtin.module(pl-outline-kernels)", memory=1024)
    a = np.arange(300, dtype=np.float32)
    assert emu(a, 192) == [191.0] and emu.faults() == []  # 256 + 768 = 1024 bytes: fits
    assert emu(a, 193) == [0.0]  # 256 + 772: over
    faults = emu.faults()
    assert faults[0] == ("alloca", -1, 772, 0, 0, 0)
    assert emu.fault_shapes()[0] == (193, 0, 0, 0)  # the requested shape
    assert emu.fault_shapes()[1] == (0, 0, 0, 0)  # what was allocated instead
    # Every access to the empty buffer faults: 193 stores and the final load.
    assert [f[0] for f in faults[1:]] == ["store"] * 193 + ["load"]
    alloca = next(s for s in emu.meta.sites if s.kind == "alloca")
    assert (alloca.kind, alloca.location, alloca.kernel) == ("alloca", "test.mlir:6:12", "dyn")


# -- races ---------------------------------------------------------------------------------------

OVERLAP = """\
func.func @smooth(%a: memref<?xf32>, %out: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %out[%i] : memref<?xf32>
    %j = arith.addi %i, %c1 : index
    memref.store %x, %out[%j] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}
"""

CORRECT = """\
func.func @smooth(%a: memref<?xf32>, %out: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    %j = arith.addi %i, %c1 : index
    %y = memref.load %a[%j] : memref<?xf32>
    %s = arith.addf %x, %y : f32
    memref.store %s, %out[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}
"""

IN_PLACE = """\
func.func @shift(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %j = arith.addi %i, %c1 : index
    %y = memref.load %a[%j] : memref<?xf32>
    memref.store %y, %a[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}
"""


def test_overlapping_chunk_writes_race():
    emu = Emu(OVERLAP, "smooth", races=True)
    a, out = np.arange(12, dtype=np.float32), np.zeros(13, np.float32)
    emu(a, out, 12)
    races = emu.hooks(runtime_hooks.HOOK_RACE)
    # Chunk o writes out[4o .. 4o+4]; out[4] and out[8] are written by two tasks each.
    base = out.ctypes.data
    found = {(r[3], (r[4] - base) // 4) for r in races}  # (other task, element)
    assert found == {(0, 4), (1, 8)}
    for r in races:
        site, other = emu.meta.sites[r[1]], emu.meta.sites[r[2]]
        assert site.kind == other.kind == "store" and site.kernel == "smooth_k0"
        assert {site.location, other.location} <= {"test.mlir:6:5", "test.mlir:8:5"}
    assert emu.faults() == []


def test_a_correct_kernel_does_not_race():
    emu = Emu(CORRECT, "smooth", races=True)
    a, out = np.arange(13, dtype=np.float32), np.zeros(12, np.float32)
    emu(a, out, 12)
    assert emu.hooks(runtime_hooks.HOOK_RACE) == [] and emu.faults() == []
    assert np.array_equal(out, a[:12] + a[1:])


def test_write_after_read_by_another_task_races():
    emu = Emu(IN_PLACE, "shift", races=True)
    a = np.arange(13, dtype=np.float32)
    emu(a, 12)
    base = a.ctypes.data
    found = {
        ((r[4] - base) // 4, emu.meta.sites[r[1]].kind, emu.meta.sites[r[2]].kind, r[3])
        for r in emu.hooks(runtime_hooks.HOOK_RACE)
    }
    # Task 1 writes a[4], which task 0 read (its last iteration loads a[4]); a[8] likewise.
    assert found == {(4, "store", "load", 0), (8, "store", "load", 1)}


def test_races_are_not_checked_without_the_option_nor_in_chained_groups():
    emu = Emu(OVERLAP, "smooth")
    emu(np.zeros(12, np.float32), np.zeros(13, np.float32), 12)
    assert emu.hooks(runtime_hooks.HOOK_RACE) == []
    # (the element helpers stay: they append the accesses to the footprint log)
    assert "__pl_emu_race_table" not in str(emu.module)
    assert "__pl_emu_race_ctl" not in str(emu.module)
    emu = Emu(CHAINED, "total", races=True)
    assert emu(np.ones(10, np.float32), 10) == [10.0] and emu.hooks(runtime_hooks.HOOK_RACE) == []


# -- the tail bug: an explicit chunk loop with an unclamped tail -------------------------

EXPLICIT_CHUNKS = """\
func.func @scale(%x: memref<?xf32>, %y: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %two = arith.constant 2.0 : f32
  scf.for %o = %c0 to %n step %c8 {
    scf.execute_region no_inline {
      %end = arith.addi %o, %c8 : index
      %stop = HI
      scf.for %i = %o to %stop step %c1 {
        %v = memref.load %x[%i] : memref<?xf32>
        %w = arith.mulf %v, %two : f32
        memref.store %w, %y[%i] : memref<?xf32>
      }
      scf.yield
    } {pl.at = "core_group", pl.name_hint = "tile"}
  }
  return
}
"""


@pytest.mark.parametrize("clamped", [False, True])
def test_unclamped_tail_of_an_explicit_chunk_loop(clamped):
    hi = "arith.minui %end, %n : index" if clamped else "arith.addi %end, %c0 : index"
    emu = Emu(
        EXPLICIT_CHUNKS.replace("HI", hi), "scale", pipeline="builtin.module(pl-outline-kernels)"
    )
    x = np.arange(13, dtype=np.float32)
    y_big, y = guarded(13, fill=5.0)
    emu(x, y, 13)
    assert np.array_equal(y, 2 * x)
    assert list(y_big[:3]) == [5.0] * 3 and list(y_big[16:]) == [5.0] * 3
    tasks = emu.hooks(runtime_hooks.HOOK_TASK_END)
    assert len(tasks) == 2
    if clamped:
        assert emu.faults() == []
        return
    # i = 13, 14, 15 of the second tile: the load and the store fault, with their locations.
    assert emu.faults() == [(k, -1, i, 0, 0, 0) for i in (13, 14, 15) for k in ("load", "store")]
    sites = {emu.meta.sites[e[1]].location for e in emu.hooks(runtime_hooks.HOOK_FAULT)}
    assert sites == {"test.mlir:11:14", "test.mlir:13:9"}


# -- linalg, subviews and n-D transfers (lowered first) ------------------------------------------

LINALG = (ROOT / "test" / "lowering" / "run-linalg.mlir").read_text()
VECTOR_FILE = (ROOT / "test" / "lowering" / "run-vector.mlir").read_text()


def test_linalg_on_subviews_is_checked_and_exact():
    emu = Emu(LINALG, "mm", pipeline=None)
    a = np.arange(24, dtype=np.float32).reshape(4, 6)
    b = np.arange(30, dtype=np.float32).reshape(6, 5)
    c = np.full((3, 3), np.nan, np.float32)
    emu(a, b, c)
    assert np.array_equal(c, 0.5 + a[1:4, :] @ b[:, 1:4]) and emu.faults() == []
    assert {s.kind for s in emu.meta.sites} <= {"load", "store", "subview"}
    emu = Emu(LINALG, "transpose", pipeline=None)
    out = np.zeros((5, 5), np.int32)
    inp = np.arange(12, dtype=np.int32).reshape(3, 4)
    emu(inp, out)
    assert np.array_equal(out[1:4, 2:5], inp[:, 1:4].T + 100) and emu.faults() == []


def test_transfers_of_the_cpu_suite_run_unchanged():
    emu = Emu(VECTOR_FILE, "axpy_sum", pipeline=None)
    a = np.arange(12, dtype=np.float32)
    assert emu(a, 10, 2.0) == [102.0] and emu.faults() == []
    assert list(a) == [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 10, 11]
    emu = Emu(VECTOR_FILE, "colsum", pipeline=None)  # a 2-D transfer, split first
    o = np.zeros(4, np.int64)
    emu(np.arange(12, dtype=np.int64).reshape(3, 4), o)
    assert list(o) == [12, 15, 18, 21] and emu.faults() == []


# -- what the checks cannot follow is a located error --------------------------------------------


def test_memref_iter_args_are_rejected_with_a_location():
    text = """\
func.func @pick(%a: memref<?xf32>, %b: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = scf.for %i = %c0 to %n step %c1 iter_args(%cur = %a) -> memref<?xf32> {
    scf.yield %b : memref<?xf32>
  }
  return
}
"""
    errors = instrument_errors(text, pipeline=None)
    assert errors[0].startswith(
        "test.mlir:4:8: error: the emulator cannot track memref block arguments"
    )


# -- the examples: identical results, no fault, no race ------------------------------------------

# The sweeps over every example: guarded in `make test-fast`, leading_full in the slow lane (each
# case JITs the example twice, plain and instrumented).
SWEEP_POLICIES = ("guarded", pytest.param("leading_full", marks=pytest.mark.slow))


@pytest.mark.parametrize("races", [False, True])
@pytest.mark.parametrize("policy", SWEEP_POLICIES)
@pytest.mark.parametrize("name", sorted(K.KERNELS))
def test_examples_are_exact_when_instrumented(name, policy, races):
    kernel = K.KERNELS[name]
    pipeline = f"builtin.module(pl-default{{policy={policy}}}, pl-outline-kernels)"
    plain = K.compile_variant(
        kernel, K.Variant(policy, f"builtin.module(pl-default{{policy={policy}}})"), opt_level=0
    )
    # Opt level 0 too: unoptimized code keeps every stack slot (see bounds.FunctionChecker.dim).
    emu = Emu(
        kernel.source(), kernel.entry, pipeline=pipeline, races=races, opt_level=2 if races else 0
    )
    for size in kernel.test_sizes:
        args = kernel.make_args(np.random.default_rng(3), **size)
        want = kernel.call(plain.fn, kernel.fresh(args))
        fresh = kernel.fresh(args)
        results = emu(*fresh)
        got = [fresh[i] for i in kernel.outputs] + [
            np.asarray(r, dtype=t) for r, t in zip(results, kernel.results, strict=False)
        ]
        assert all(w.tobytes() == g.tobytes() for w, g in zip(want, got, strict=False)), (
            name,
            policy,
            size,
        )
        assert emu.faults() == [] and emu.hooks(runtime_hooks.HOOK_RACE) == []
        assert emu.hooks(runtime_hooks.HOOK_GROUP_BEGIN)


def _arguments(signature, rng) -> list[np.ndarray | float | int]:
    """Arguments for any signature: arrays of 37 per dynamic dimension, index 5 and 33."""
    from pypto_mlir.lowering.numpy_abi import MemRefKind

    out, ints = [], iter([5, 33, 7, 3])
    for kind in signature.args:
        if isinstance(kind, MemRefKind):
            shape = tuple(37 if d is None else d for d in kind.shape)
            out.append((rng.standard_normal(shape) * 4).astype(kind.dtype))
        elif kind.dtype.kind == "f":
            out.append(1.5)
        else:
            out.append(next(ints))
    return out


OTHER_EXAMPLES = sorted(
    p.name
    for p in (ROOT / "examples").glob("*.mlir")
    if p.name not in {k.file for k in K.KERNELS.values()}
)
BUGGY_EXAMPLES = {"unclamped_tail.mlir"}  # out of bounds on purpose: undefined on the CPU


@pytest.mark.parametrize("policy", SWEEP_POLICIES)
@pytest.mark.parametrize("file", OTHER_EXAMPLES)
def test_other_examples_are_exact_when_instrumented(file, policy):
    from pypto_mlir.lowering.cpu import compile_module

    text = (ROOT / "examples" / file).read_text()
    entry = text.split("func.func @", 1)[1].split("(", 1)[0]
    pipeline = f"builtin.module(pl-default{{policy={policy}}}, pl-outline-kernels)"
    ctx = make_context()
    plain_module = ir.Module.parse(text, ctx)
    build_pass_manager(pipeline, ctx).run(plain_module.operation)
    plain = compile_module(plain_module, entries=[entry], opt_level=0)[entry]
    emu = Emu(text, entry, pipeline=pipeline)
    args = _arguments(emu.signature, np.random.default_rng(1))
    a, b = (
        [x.copy() if isinstance(x, np.ndarray) else x for x in args],
        [x.copy() if isinstance(x, np.ndarray) else x for x in args],
    )
    if file in BUGGY_EXAMPLES:
        emu(*b)
        assert emu.faults() and {f[0] for f in emu.faults()} <= {"load", "store"}
        return
    want, got = plain.call(*a), emu(*b)
    for w, g in zip(
        want + [x for x in a if isinstance(x, np.ndarray)],
        got + [x for x in b if isinstance(x, np.ndarray)],
        strict=False,
    ):
        assert np.asarray(w).tobytes() == np.asarray(g).tobytes(), (file, policy)
    assert emu.faults() == []


def test_instrumenting_twice_is_a_located_error():
    ctx = make_context(sink=lambda d: None)
    module = ir.Module.parse(HOST_COPY, ctx)
    instrument(module, 1024, False)
    with pytest.raises(DiagnosedError):
        instrument(module, 1024, False)


def test_copies_of_a_chunk_body_share_their_sites():
    # pl-unswitch-guards gives each chunk a fast and a slow copy of the body: one site per op.
    text = VADD.replace(
        "memref.store %s, %c[%i]", "%j = arith.addi %i, %c1 : index\n    memref.store %s, %c[%j]"
    )
    emu = Emu(text, "vadd")
    assert [(s.kind, s.location) for s in emu.meta.sites] == [
        ("load", "test.mlir:12:10"),
        ("load", "test.mlir:13:10"),
        ("store", "test.mlir:16:5"),
    ]
    emu(*(np.ones(8, np.float32) for _ in range(3)), 8)  # c[8]: out of bounds, fast path
    assert emu.faults() == [("store", -1, 8, 0, 0, 0)]
    emu(*(np.ones(7, np.float32) for _ in range(3)), 7)  # c[7]: out of bounds, slow path
    assert emu.faults() == [("store", -1, 7, 0, 0, 0)]


RESHAPE = """\
func.func @reshaped(%a: memref<?xf32>, %shape: memref<2xindex>, %i: index, %j: index) -> f32 {
  %m = memref.reshape %a(%shape) : (memref<?xf32>, memref<2xindex>) -> memref<?x?xf32>
  %x = memref.load %m[%i, %j] : memref<?x?xf32>
  return %x : f32
}
"""


def test_reshape_is_checked_against_its_source():
    emu = Emu(RESHAPE, "reshaped", pipeline=None)
    a = np.arange(20, dtype=np.float32)
    assert emu(a, np.array([5, 4]), 4, 3) == [19.0] and emu.faults() == []
    assert emu(a, np.array([0, 4]), 0, 0) == [0.0]  # an empty view is valid; its load is not
    assert [f[0] for f in emu.faults()] == ["load"]
    assert emu(a, np.array([100, 4]), 90, 0) == [0.0]  # 400 elements from a buffer of 20
    assert [f[0] for f in emu.faults()] == ["view", "load"]
    assert emu(a, np.array([-1, 4]), 0, 0) == [0.0]  # a negative size
    assert [f[0] for f in emu.faults()] == ["view", "load"]


VIEW_PER_CHUNK = """\
func.func @chunks(%x: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.for %o = %c0 to %n step %c8 {
    %sv = memref.subview %x[%o] [12] [1] : memref<?xf32> to memref<12xf32, strided<[1], offset: ?>>
    scf.execute_region no_inline {
      scf.for %i = %c0 to %c4 step %c1 {
        %v = memref.load %sv[%i] : memref<12xf32, strided<[1], offset: ?>>
        %k = arith.addi %i, %c8 : index
        memref.store %v, %sv[%k] : memref<12xf32, strided<[1], offset: ?>>
      }
      scf.yield
    } {pl.at = "core_group"}
  } {pl.parallel}
  return
}
"""


def test_views_in_host_code_keep_a_parallel_loop_one_launch_group():
    # The subview per iteration is host code that only computes: the tasks stay one group (so
    # their race is seen; task t writes x[8t + 8 ..], which task t + 1 reads).
    emu = Emu(VIEW_PER_CHUNK, "chunks", pipeline="builtin.module(pl-outline-kernels)", races=True)
    emu(np.arange(36, dtype=np.float32), 24)
    (group,) = emu.meta.groups
    assert (group.launch, group.chained) == ("per_iteration", False)
    assert _order(emu) == [(GB, 0, 0)] + [(TB, 0), (TE, 0)] * 3 + [(GE, 0)]
    assert {
        (emu.meta.sites[r[1]].kind, emu.meta.sites[r[2]].kind)
        for r in emu.hooks(runtime_hooks.HOOK_RACE)
    } == {("load", "store")}


# -- nested pl.at scopes -----------------------------------------------------------------------

NESTED_SCOPES = """\
func.func @nest(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %two = arith.constant 2.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    scf.execute_region no_inline {
      %x = memref.load %a[%i] : memref<?xf32>
      %y = arith.mulf %x, %two : f32
      memref.store %y, %a[%i] : memref<?xf32>
      scf.yield
    } {pl.at = "core_group"}
  } {pl.chunk = 4 : i64, pl.parallel}
  scf.execute_region no_inline {
    scf.for %j = %c0 to %c2 step %c1 {
      scf.execute_region no_inline {
        memref.store %two, %a[%j] : memref<?xf32>
        scf.yield
      } {pl.at = "core_group"}
    }
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "outer"}
  return
}
"""


@pytest.mark.parametrize("policy", ["guarded", "leading_full"])
def test_nested_scopes_run_inline_with_a_warning(policy):
    """A pl.at scope in a chunk of a parallel chunked loop, and one in another scope: each runs
    inline in the enclosing task, once per execution; one warning at each nested scope (the
    unswitched copies of a chunk body included), with a note at the enclosing work."""
    pipeline = f"builtin.module(pl-default{{policy={policy}}}, pl-outline-kernels)"
    emu = Emu(NESTED_SCOPES, "nest", pipeline=pipeline)
    assert emu.diagnostics == [
        "test.mlir:7:5: warning: this pl.at scope is nested in the work of kernel @nest_k0: it "
        "runs inline in each task of @nest_k0, not as a task of its own\n"
        + "    scf.execute_region no_inline {\n    ^\n"
        + "test.mlir:6:3: note: the work of kernel @nest_k0, one task per execution\n"
        + "  scf.for %i = %c0 to %n step %c1 {\n  ^",
        "test.mlir:16:7: warning: this pl.at scope is nested in the work of kernel @outer: it "
        "runs inline in each task of @outer, not as a task of its own\n"
        + "      scf.execute_region no_inline {\n      ^\n"
        + "test.mlir:14:3: note: the work of kernel @outer, one task per execution\n"
        + "  scf.execute_region no_inline {\n  ^",
    ]
    a = np.arange(10, dtype=np.float32)
    emu(a, 10)
    want = 2 * np.arange(10, dtype=np.float32)
    want[:2] = 2.0
    assert np.array_equal(a, want)
    # One task per chunk (3 of 4 over 10; leading_full: 2 and a remainder), one of the scope.
    tasks = [emu.meta.kernels[e[1]] for e in emu.hooks(runtime_hooks.HOOK_TASK_BEGIN)]
    chunks = ["nest_k0"] * 3 if policy == "guarded" else ["nest_k0"] * 2 + ["nest_k0_rem"]
    assert tasks == chunks + ["outer"]
