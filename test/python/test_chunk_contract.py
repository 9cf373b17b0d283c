"""The chunk contract between passes (docs/internals.md): every consumer sees every chunk
whatever upstream cleanup runs between pl-split-chunked-loops and it.

One test per consumer x cleanup: the consumer's observable result (chunks unswitched, nests
interchanged, kernels outlined, tasks and masked iterations counted by the emulator) after
`split, cleanup, consumer` equals the result after `split, consumer`. Plus the regressions of
issue 13: a static one-trip remainder is still a kernel and a task after canonicalize, a nest
whose outer loop is one chunk is still interchanged, and masked iterations are counted when
canonicalize hoists an alloca out of a guard, and a nest with a chunk of 1 is still interchanged.
"""

from __future__ import annotations

import numpy as np
import pytest
from mlir import ir

from pypto_mlir.dialect import attrs
from pypto_mlir.dialect.chunk_contract import guard_of, is_remainder, is_single_chunk
from pypto_mlir.dialect.context import make_context
from pypto_mlir.dialect.ir_queries import walk_ops
from pypto_mlir.lowering.cpu import compile_module
from pypto_mlir.lowering.emu import EmuProgram, compile_emu
from pypto_mlir.passes import build_pass_manager
from pypto_mlir.passes.interchange_chunk_loops import interchange_chunk_loops
from pypto_mlir.passes.outline_kernels import outline_kernels
from pypto_mlir.passes.unswitch_guards import unswitch_guards

CLEANUPS = ("canonicalize", "cse", "loop-invariant-code-motion", "sccp", "inline")

# Guarded, with a tile kept in memref.alloca_scope (canonicalize hoists the alloca out of the
# guard) and a dynamic trip count: one kernel, ceil(n/4) tasks, the tail masked.
SCOPED = """
func.func @scoped(%a: memref<?xf32>, %b: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %a, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    memref.alloca_scope {
      %t = memref.alloca() : memref<4xf32>
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %t[%c0] : memref<4xf32>
      %y = memref.load %t[%c0] : memref<4xf32>
      %z = arith.addf %y, %y : f32
      memref.store %z, %b[%i] : memref<?xf32>
    }
  } {pl.chunk = 4, pl.parallel}
  return
}
"""

# leading_full with a static one-trip remainder (9 = 2 * 4 + 1), beside a 2-D nest of
# parallel chunked loops with tails (interchanged: one task per block of chunks).
TAIL = """
func.func @tail(%a: memref<9xf32>, %m: memref<6x10xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %c9 = arith.constant 9 : index
  %c10 = arith.constant 10 : index
  scf.for %i = %c0 to %c6 step %c1 {
    scf.for %j = %c0 to %c10 step %c1 {
      %v = memref.load %m[%i, %j] : memref<6x10xf32>
      %w = arith.addf %v, %v : f32
      memref.store %w, %m[%i, %j] : memref<6x10xf32>
    } {pl.chunk = 4, pl.parallel, pl.chunk_policy = "guarded"}
  } {pl.chunk = 4, pl.parallel, pl.chunk_policy = "guarded"}
  scf.for %i = %c0 to %c9 step %c1 {
    %v = memref.load %a[%i] : memref<9xf32>
    %w = arith.mulf %v, %v : f32
    memref.store %w, %a[%i] : memref<9xf32>
  } {pl.chunk = 4, pl.parallel, pl.chunk_policy = "leading_full"}
  return
}
"""

# Static trip counts that fit one chunk (T <= C): a 2-D nest of parallel guarded loops whose
# outer loop is one chunk (3 rows, chunk 4), and a 1-D leading_full loop of one full chunk and
# a remainder (6 = 4 + 2). The split builds no one-trip chunk_outer loop (canonicalize would
# fold it with its marker) but a pl.single_chunk region, which the cleanups keep.
ONE_CHUNK = """
func.func @one_chunk(%m: memref<3x10xf32>, %a: memref<6xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c6 = arith.constant 6 : index
  %c10 = arith.constant 10 : index
  scf.for %i = %c0 to %c3 step %c1 {
    scf.for %j = %c0 to %c10 step %c1 {
      %v = memref.load %m[%i, %j] : memref<3x10xf32>
      %w = arith.addf %v, %v : f32
      memref.store %w, %m[%i, %j] : memref<3x10xf32>
    } {pl.chunk = 4, pl.parallel, pl.chunk_policy = "guarded"}
  } {pl.chunk = 4, pl.parallel, pl.chunk_policy = "guarded"}
  scf.for %i = %c0 to %c6 step %c1 {
    %v = memref.load %a[%i] : memref<6xf32>
    %w = arith.mulf %v, %v : f32
    memref.store %w, %a[%i] : memref<6xf32>
  } {pl.chunk = 4, pl.parallel, pl.chunk_policy = "leading_full"}
  return
}
"""

# Chunks of 1: a 2-D nest of parallel loops whose inner loop has chunk 1 (under a guarded
# outer loop: 6 rows, chunk 4), and one whose outer loop has chunk 1. The split builds no
# one-trip chunk_inner loop (canonicalize would fold it with its origin) but a pl.unit_chunk
# region, which the cleanups keep; interchange still takes both nests.
UNIT_CHUNK = """
func.func @unit_chunk(%m: memref<6x10xf32>, %n: memref<6x10xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %c10 = arith.constant 10 : index
  scf.for %i = %c0 to %c6 step %c1 {
    scf.for %j = %c0 to %c10 step %c1 {
      %v = memref.load %m[%i, %j] : memref<6x10xf32>
      %w = arith.addf %v, %v : f32
      memref.store %w, %m[%i, %j] : memref<6x10xf32>
    } {pl.chunk = 1, pl.parallel}
  } {pl.chunk = 4, pl.parallel, pl.chunk_policy = "guarded"}
  scf.for %i = %c0 to %c6 step %c1 {
    scf.for %j = %c0 to %c10 step %c1 {
      %v = memref.load %n[%i, %j] : memref<6x10xf32>
      %w = arith.mulf %v, %v : f32
      memref.store %w, %n[%i, %j] : memref<6x10xf32>
    } {pl.chunk = 4, pl.parallel, pl.chunk_policy = "guarded"}
  } {pl.chunk = 1, pl.parallel}
  return
}
"""

# Guarded, a dynamic trip count, a value cse merges and one LICM hoists out of the chunk.
PLAIN = """
func.func @plain(%a: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %a, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %m = memref.dim %a, %c0 : memref<?xf32>
    %last = arith.subi %m, %c1 : index
    %j = arith.subi %last, %i : index
    %x = memref.load %a[%i] : memref<?xf32>
    %y = memref.load %a[%j] : memref<?xf32>
    %s = arith.addf %x, %y : f32
    memref.store %s, %a[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}
"""


def _module(text: str):
    return ir.Module.parse(text, make_context())


def _run(module, pipeline: str) -> None:
    build_pass_manager(f"builtin.module({pipeline})", module.context).run(module.operation)


def _split(text: str, cleanup: str | None):
    module = _module(text)
    _run(module, "pl-split-chunked-loops" + (f", {cleanup}" if cleanup else ""))
    return module


# Emulator programs by entry and module text: the tests below meet the same IR more than once
# (a cleanup that changes nothing, two spellings of one pipeline), and the same IR compiles to
# the same program; a program's runs are independent of each other.
_PROGRAMS: dict[str, EmuProgram] = {}


def _emu_report(module, entry: str, args: list[np.ndarray]):
    key = f"{entry}\n{module}"
    program = _PROGRAMS.get(key)
    if program is None:
        program = _PROGRAMS[key] = compile_emu(module, entries=[entry])
    _, report = program.run(entry, *[a.copy() for a in args])
    return [(k.name, k.tasks) for k in report.kernels()], report.masked_iterations


def _scoped_args(n: int = 10) -> list[np.ndarray]:
    return [np.arange(n, dtype=np.float32), np.zeros(n, dtype=np.float32)]


def _plain_args(n: int = 10) -> list[np.ndarray]:
    return [np.arange(n, dtype=np.float32)]


def _tail_args() -> list[np.ndarray]:
    return [np.arange(9, dtype=np.float32), np.arange(60, dtype=np.float32).reshape(6, 10)]


def _one_chunk_args() -> list[np.ndarray]:
    return [np.arange(30, dtype=np.float32).reshape(3, 10), np.arange(6, dtype=np.float32)]


def _unit_chunk_args() -> list[np.ndarray]:
    return [np.arange(60, dtype=np.float32).reshape(6, 10) for _ in range(2)]


def _interchanged(module):
    """The module after pl-interchange-chunk-loops, and how many nests it interchanged."""
    return module, interchange_chunk_loops(module)


@pytest.mark.parametrize("cleanup", CLEANUPS)
def test_unswitch_sees_every_guard(cleanup):
    for text in (SCOPED, PLAIN, TAIL, ONE_CHUNK, UNIT_CHUNK):
        expected = unswitch_guards(_split(text, None))
        assert expected > 0
        module = _split(text, cleanup)
        assert unswitch_guards(module) == expected
        # every guard but the known-full ones now sits in the slow path of an unswitched chunk
        guarded = [op for op in walk_ops(module.operation, "scf.for") if guard_of(op)]
        assert sum(1 for op in guarded if attrs.UNSWITCHED.get(op)) == expected


@pytest.mark.parametrize("cleanup", CLEANUPS)
def test_interchange_sees_every_nest(cleanup):
    for text, nests in ((TAIL, 1), (ONE_CHUNK, 1), (UNIT_CHUNK, 2)):
        assert interchange_chunk_loops(_split(text, None)) == nests
        assert interchange_chunk_loops(_split(text, cleanup)) == nests


@pytest.mark.parametrize("cleanup", CLEANUPS)
def test_outline_sees_every_chunk(cleanup):
    for text in (SCOPED, PLAIN, TAIL, UNIT_CHUNK, ONE_CHUNK):
        expected = [(k.name, k.launch, k.source) for k in outline_kernels(_split(text, None))]
        found = [(k.name, k.launch, k.source) for k in outline_kernels(_split(text, cleanup))]
        assert found == expected
    # ONE_CHUNK: each single chunk is a one-task kernel (both loops' region), the remainder too
    assert found == [
        ("one_chunk_k0", "once", attrs.CHUNK_OUTER),
        ("one_chunk_k1", "once", attrs.CHUNK_OUTER),
        ("one_chunk_k1_rem", "once", attrs.CHUNK_REMAINDER),
    ]
    # interchanged first: one kernel per block of chunks, launched by the inner chunk loop
    for pipeline in (None, cleanup):
        module, _ = _interchanged(_split(ONE_CHUNK, pipeline))
        assert [(k.name, k.launch) for k in outline_kernels(module)] == [
            ("one_chunk_k0", "per_iteration"),
            ("one_chunk_k1", "once"),
            ("one_chunk_k1_rem", "once"),
        ]


def _guarded_counts(entry: str, n: int, chunk: int = 4) -> tuple[list[tuple[str, int]], int]:
    """What the emulator must report for one guarded chunked loop of n trips: one kernel, a
    task per chunk, the tail of the last chunk masked."""
    tasks = -(-n // chunk)
    return [(f"{entry}_k0", tasks)], tasks * chunk - n


# Emulator runs of every kernel above per cleanup: canonicalize in `make test-fast`, the others in
# the slow lane.
@pytest.mark.parametrize(
    "cleanup",
    [c if c == "canonicalize" else pytest.param(c, marks=pytest.mark.slow) for c in CLEANUPS],
)
def test_emu_counts_every_task_and_masked_iteration(cleanup):
    for source, entry, args in (
        (PLAIN, "plain", _plain_args()),
        (SCOPED, "scoped", _scoped_args()),
        (TAIL, "tail", _tail_args()),
        (UNIT_CHUNK, "unit_chunk", _unit_chunk_args()),
        (ONE_CHUNK, "one_chunk", _one_chunk_args()),
    ):
        expected = _emu_report(_split(source, None), entry, args)
        found = _emu_report(_split(source, cleanup), entry, args)
        assert found == expected
        if source in (PLAIN, SCOPED):  # one guarded loop over the 10 elements of the first argument
            assert found == _guarded_counts(entry, len(args[0]))
        interchanged = _emu_report(_interchanged(_split(source, None))[0], entry, args)
        after = _emu_report(_interchanged(_split(source, cleanup))[0], entry, args)
        assert after == interchanged
        if source is UNIT_CHUNK:
            # split: a task per row chunk (2; rows 6, 7 masked, each one iteration of the
            # chunk) and per row (6; columns 10, 11 masked); interchanged: a task per block,
            # 2 x 10 (rows 6, 7 masked in each column) and 6 x 3.
            assert found == ([("unit_chunk_k0", 2), ("unit_chunk_k1", 6)], 2 + 12)
            assert after == ([("unit_chunk_k0", 20), ("unit_chunk_k1", 18)], 20 + 12)
    # ONE_CHUNK interchanged: the 3 x 10 nest is one row block of 3 column chunks (tasks), of
    # 4 x 4 iterations each: 48 - 30 = 18 masked; the 1-D loop one chunk and its remainder.
    assert after == (
        [("one_chunk_k0", 3), ("one_chunk_k1", 1), ("one_chunk_k1_rem", 1)],
        18,
    )


def test_one_trip_remainder_is_a_kernel_and_a_task():
    """pl-default{policy=leading_full} then pl-outline-kernels, as a user writes it: the
    remainder loop of one trip, which canonicalize folds, is still a kernel and a task."""
    module = _module(TAIL)
    _run(module, "pl-default{policy=leading_full}, pl-outline-kernels")
    regions = [op for op in walk_ops(module.operation, "scf.execute_region") if is_remainder(op)]
    assert regions == []  # the remainder's region became the kernel's call
    # The nest (guarded, per its own policy): one kernel, a task per outer chunk (2). The 1-D
    # loop: 2 full chunks and the remainder, a kernel of one task (main ran it as host code:
    # 4 tasks, not 5). 14 = 2 masked rows + 6 rows x 2 masked columns.
    assert _emu_report(module, "tail", _tail_args()) == (
        [("tail_k0", 2), ("tail_k1", 2), ("tail_k1_rem", 1)],
        14,
    )


def test_one_chunk_nest_is_interchanged_through_pl_accelerator():
    """pl-default{policy=P} then the consumers, as a user writes it: a nest whose outer loop is
    one chunk is still interchanged and outlined as a block of chunks (canonicalize runs before
    pl-outline-kernels; it used to fold the one-trip outer loop with its marker)."""
    for pipeline in (
        "pl-accelerator",
        "pl-split-chunked-loops, canonicalize, cse, "
        "pl-interchange-chunk-loops, pl-unswitch-guards, canonicalize",
    ):
        module = _module(ONE_CHUNK)
        _run(module, pipeline)
        assert [
            op for op in walk_ops(module.operation, "scf.execute_region") if is_single_chunk(op)
        ]
        kernels, masked = _emu_report(module, "one_chunk", _one_chunk_args())
        assert kernels == [("one_chunk_k0", 3), ("one_chunk_k1", 1), ("one_chunk_k1_rem", 1)]
        assert masked == 18


def test_unit_chunk_nest_is_interchanged_through_pl_accelerator():
    """Chunks of 1 through pl-accelerator (canonicalize before and after interchange): both
    nests are blocks of chunks, and the guard interchange combines into the in-chunk loop still
    counts the masked rows (the one-trip loop that held it is gone, its marker moved)."""
    for pipeline in (
        "pl-accelerator",
        "pl-split-chunked-loops, canonicalize, cse, "
        "pl-interchange-chunk-loops, pl-unswitch-guards, canonicalize",
    ):
        module = _module(UNIT_CHUNK)
        _run(module, pipeline)
        assert _emu_report(module, "unit_chunk", _unit_chunk_args()) == (
            [("unit_chunk_k0", 20), ("unit_chunk_k1", 18)],
            20 + 12,
        )


def test_masked_iterations_counted_after_alloca_hoisting():
    """Guarded chunks whose body keeps a tile in memref.alloca_scope: pl-default's canonicalize
    hoists the alloca out of the guard; the tail's iterations are still counted as masked."""
    for pipeline in ("pl-default", "pl-default{unswitch=false}"):
        module = _module(SCOPED)
        _run(module, pipeline)
        for n in (10, 8, 13):
            assert _emu_report(module, "scoped", _scoped_args(n)) == _guarded_counts("scoped", n)


@pytest.mark.parametrize("cleanup", CLEANUPS)
def test_results_unchanged_by_cleanups(cleanup):
    """The marked IR computes, after each cleanup and every consumer, what the plain loop does."""
    expected_b = 2 * np.arange(10, dtype=np.float32)
    module = _split(SCOPED, cleanup)
    _run(module, "pl-unswitch-guards, pl-outline-kernels")
    a, b = _scoped_args()
    compile_module(module, entries=["scoped"])("scoped", a, b)
    assert np.array_equal(b, expected_b)


@pytest.mark.parametrize("cleanup", (None, *CLEANUPS))
def test_unit_chunk_results_unchanged(cleanup):
    """Chunks of 1, after each cleanup and every consumer, compute what the plain loops do."""
    module = _split(UNIT_CHUNK, cleanup)
    _run(module, "pl-interchange-chunk-loops, pl-unswitch-guards, canonicalize, pl-outline-kernels")
    m, n = _unit_chunk_args()
    compile_module(module, entries=["unit_chunk"])("unit_chunk", m, n)
    m0, n0 = _unit_chunk_args()
    assert np.array_equal(m, m0 + m0)
    assert np.array_equal(n, n0 * n0)
