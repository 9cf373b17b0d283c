"""Task counters: what one kernel task did (runtime_hooks.COUNTERS), counted inside the kernel.

Cheap by construction: each block of a counted function adds the *static* counts of its own ops
(not those of nested regions, which count in their own blocks) once, at its start, to local
counters: rank-0 `memref.alloca`s of the function's entry block, which LLVM promotes to
registers (mem2reg), so a loop body costs a few register adds per iteration. At each
`func.return` the locals are added to the module's `@__pl_emu_counters : memref<8 x i64>`,
which the orchestration zeroes before each kernel call and reads after it (instrument.py).

What counts (a model, not a hardware measurement):
  * scalar_ops: arith ops (but arith.constant) with no vector result, index ops;
  * vector_ops: arith ops with a vector result, vector ops other than accesses;
  * math_ops: math ops (scalar or vector);
  * loads / bytes_loaded: memref.load, vector.load/maskedload/transfer_read (one load each,
    the bytes of the whole element or vector, masks ignored), atomic read-modify-writes;
  * stores / bytes_stored: their store counterparts (atomics count as both);
  * memref.copy: one load and one store of the whole memref (its bytes counted at run time);
  * masked_iterations: one per execution of the else branch of the guard of an in-chunk loop
    marked `pl.guarded` (`scf.if k < T`, or the conjunction of such guards that
    pl-interchange-chunk-loops builds; dialect/chunk_contract.py finds it), i.e. per iteration
    the guard masks off. Unswitched chunks (pl-unswitch-guards) run their fast path
    unguarded and their slow path through the same guard, so the count is the same.
Loop bookkeeping (induction variable increments and compares of scf.for) is not counted.
"""

from __future__ import annotations

from collections.abc import Sequence

from mlir import ir
from mlir.dialects import arith, memref, scf

from ...dialect import chunk_contract
from ...dialect.ir_queries import block_ops
from . import runtime_hooks
from .generated_functions import PREFIX, Helpers
from .instrument_ir import Consts, byte_size, i64_t, is_strided

GLOBAL = PREFIX + "counters"
N = len(runtime_hooks.COUNTERS)
SCALAR, VECTOR, MATH, LOADS, STORES, BYTES_LOADED, BYTES_STORED, MASKED = range(N)
assert (
    runtime_hooks.COUNTERS[MASKED] == "masked_iterations"
    and runtime_hooks.COUNTERS[BYTES_STORED] == "bytes_stored"
)

_LOADS = ("memref.load", "vector.load", "vector.maskedload", "vector.transfer_read")
_STORES = ("memref.store", "vector.store", "vector.maskedstore", "vector.transfer_write")
_ATOMICS = ("memref.atomic_rmw", "memref.generic_atomic_rmw")
_NOT_COUNTED = ("arith.constant", "vector.yield", "vector.mask")
# Blocks whose ops run as code of the function (the regions of other ops, e.g. the body of a
# memref.generic_atomic_rmw, may not hold our counting).
COUNTED_PARENTS = frozenset(
    [
        "func.func",
        "scf.for",
        "scf.if",
        "scf.while",
        "scf.execute_region",
        "scf.parallel",
        "scf.index_switch",
        "memref.alloca_scope",
    ]
)


def declare(helpers: Helpers) -> None:
    helpers.add(GLOBAL, f'memref.global "private" @{GLOBAL} : memref<{N}xi64> = dense<0>')


def _bytes(t: ir.Type) -> int:
    return byte_size(t) or 0


def static_counts(ops: Sequence[ir.Operation]) -> list[int]:
    """The counters the ops (of one block) add each time the block runs."""
    c = [0] * N
    for op in ops:
        name = op.name
        if name in _NOT_COUNTED:
            continue
        if name in _LOADS:
            c[LOADS] += 1
            c[BYTES_LOADED] += _bytes(op.results[0].type)
        elif name in _STORES:
            c[STORES] += 1
            c[BYTES_STORED] += _bytes(op.operands[0].type)
        elif name in _ATOMICS:
            size = _bytes(op.results[0].type)
            c[LOADS] += 1
            c[STORES] += 1
            c[BYTES_LOADED] += size
            c[BYTES_STORED] += size
        elif name == "memref.copy":
            c[LOADS] += 1
            c[STORES] += 1
        elif name.startswith("arith."):
            vector = any(isinstance(r.type, ir.VectorType) for r in op.results)
            c[VECTOR if vector else SCALAR] += 1
        elif name.startswith("index."):
            c[SCALAR] += 1
        elif name.startswith("math."):
            c[MATH] += 1
        elif name.startswith("vector."):
            c[VECTOR] += 1
    return c


def guard_of(loop: ir.Operation) -> ir.Operation | None:
    """The guard scf.if of a guarded in-chunk loop, or None: the split's `k < T`, or the
    `k1 < T1 && k2 < T2 ...` that pl-interchange-chunk-loops puts in the innermost one."""
    guard = chunk_contract.guard_of(loop)
    return None if guard is None else guard.op


class FunctionCounters:
    """Counting in one function: locals, block increments, guard else-branches, the flush at
    each return and the run-time bytes of memref.copy."""

    def __init__(self, fn: ir.Operation, consts: Consts):
        self.fn = fn
        self.c = consts
        entry = fn.regions[0].blocks[0]
        t = ir.MemRefType.get([], i64_t())
        with ir.InsertionPoint.at_block_begin(entry), fn.location:
            self.locals = [memref.AllocaOp(t, [], []).result for _ in range(N)]
            zero = arith.constant(i64_t(), 0)
            for m in self.locals:
                memref.StoreOp(zero, m, [])

    def add(self, counter: int, amount: int | ir.Value) -> None:
        """At the current insertion point: local[counter] += amount (int or i64 value)."""
        m = self.locals[counter]
        v = memref.load(m, [])
        inc = self.c.i64(amount) if isinstance(amount, int) else amount
        memref.StoreOp(arith.addi(v, inc), m, [])

    def block(self, block: ir.Block, ops: list[ir.Operation]) -> None:
        counts = static_counts(ops)
        if not any(counts) or not ops:
            return
        with ir.InsertionPoint(ops[0]), ops[0].location:
            for i, n in enumerate(counts):
                if n:
                    self.add(i, n)

    def guard(self, guard: ir.Operation) -> None:
        region = guard.regions[1]
        if len(region.blocks) == 0:
            block = ir.Block.create_at_start(region, [])
            with ir.InsertionPoint(block), guard.location:
                scf.YieldOp([])
        block = region.blocks[0]
        first = block_ops(block)[0]
        with ir.InsertionPoint(first), guard.location:
            self.add(MASKED, 1)

    def copy(self, op: ir.Operation) -> None:
        src = op.operands[0]
        t = ir.MemRefType(src.type)
        with ir.InsertionPoint(op), op.location:
            n = self.c.index(_bytes(t.element_type))
            sizes = None
            if any(t.is_dynamic_dim(k) for k in range(t.rank)) and is_strided(t):
                sizes = list(memref.ExtractStridedMetadataOp(src).sizes)  # no stack (bounds.py)
            for k in range(t.rank):
                if not t.is_dynamic_dim(k):
                    d = self.c.index(t.shape[k])
                elif sizes is not None:
                    d = sizes[k]
                else:
                    d = memref.dim(src, self.c.index(k))
                n = arith.muli(n, d)
            n64 = arith.index_cast(i64_t(), n)
            self.add(BYTES_LOADED, n64)
            self.add(BYTES_STORED, n64)

    def flush(self, ret: ir.Operation) -> None:
        with ir.InsertionPoint(ret), ret.location:
            g = memref.get_global(ir.MemRefType.get([N], i64_t()), GLOBAL)
            for i, m in enumerate(self.locals):
                v = memref.load(m, [])
                idx = self.c.index(i)
                total = memref.load(g, [idx])
                memref.StoreOp(arith.addi(total, v), g, [idx])


def emit_zero(consts: Consts) -> None:
    """At the current insertion point: every task counter of the module := 0."""
    g = memref.get_global(ir.MemRefType.get([N], i64_t()), GLOBAL)
    for i in range(N):
        memref.StoreOp(consts.i64(0), g, [consts.index(i)])


def emit_read(consts: Consts) -> list[ir.Value]:
    """At the current insertion point: the task counters (i64 values, in the order of
    runtime_hooks.COUNTERS)."""
    g = memref.get_global(ir.MemRefType.get([N], i64_t()), GLOBAL)
    return [memref.load(g, [consts.index(i)]) for i in range(N)]
