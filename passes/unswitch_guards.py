"""`pl-unswitch-guards`: a fast path for every full chunk of a guarded nest.

The guarded policy wraps the body of each chunk iteration in `scf.if k < T`, in an in-chunk loop
marked `pl.guarded` (found through dialect/chunk_contract.py). That branch keeps
LLVM from vectorizing the inner loop, although only the last chunk can be partial. This pass
tests the whole chunk once, with the guard of its last iteration, and keeps both loops:

    %full = cmpi ult (o*C + C-1), T
    scf.if %full { for i in [0, C) { body } }            // no guard: every iteration runs
    else         { for i in [0, C) { if k < T { body } } } // the guarded loop, now pl.unswitched

Because k = o*C + i grows with i, the guard holds for every iteration exactly when it holds for
the last one, so both paths run the same iterations in the same order: iter_args stay exact and
the nest stays one loop nest (one kernel). A loop is left alone when its guard is provably true
(C = 1) or the fullness of its chunk is known at compile time (static T < C, or a constant chunk
start), when it is the slow path of an unswitched chunk (`pl.unswitched`: the pass is
idempotent), when its guard is a conjunction (pl-interchange-chunk-loops made it), and when it
holds another guarded chunk loop: only the innermost guarded chunks get a fast path, so the
body exists twice, not 2**depth times, in a nest of chunked loops.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlir import ir
from mlir.dialects import arith, scf

from ..dialect import attrs
from ..dialect.chunk_contract import Guard, guard_of
from ..dialect.ir_queries import CMPI, block_ops, has_uses, walk_ops
from ..dialect.static_values import constant_int
from .pattern_walk import ops_of_type
from .registry import ModulePass, register_pass


@dataclass
class GuardedChunk:
    """An in-chunk loop [0, C) step 1 whose guard is the split's own `k < T`, k = cs + i."""

    loop: ir.Operation
    guard: Guard
    trips: ir.Value  # T
    chunk_start: ir.Value | None  # cs (None: k is the induction variable, cs = 0)
    chunk: int  # C

    @classmethod
    def of(cls, loop: ir.Operation) -> GuardedChunk | None:
        guard = guard_of(loop)
        if guard is None:
            return None  # not marked pl.guarded, or a cleanup proved the guard always true
        term = guard.single
        if term is None:
            return None  # a conjunction (an interchanged nest)
        lb, ub, step = list(loop.operands)[:3]
        chunk = constant_int(ub)
        if constant_int(lb) != 0 or constant_int(step) != 1 or chunk is None:
            return None
        return cls(loop, guard, term.trips, term.chunk_start, chunk)

    def fullness_is_known(self) -> bool:
        """True when every chunk is known full, or known partial, before the program runs."""
        if self.chunk == 1:
            return True  # k = o < T inside the outer loop: the guard always holds
        trips = constant_int(self.trips)
        if trips is not None and trips < self.chunk:
            return True  # the only chunk is partial
        start = 0 if self.chunk_start is None else constant_int(self.chunk_start)
        return trips is not None and start is not None


def _drop_guard(loop: ir.Operation) -> None:
    """In `loop` (a fresh clone of a guarded chunk loop), runs the guarded body unconditionally:
    the then-branch's ops move before the scf.if, which is then erased (with its comparison,
    when nothing else uses it)."""
    found = guard_of(loop)
    if found is None:
        raise RuntimeError("internal error: the clone of a guarded chunk has no guard")
    guard = found.op
    *body, yielded = block_ops(guard.regions[0].blocks[0])
    for op in body:
        op.move_before(guard)
    for result, value in zip(guard.results, yielded.operands, strict=False):
        result.replace_all_uses_with(value)
    cmp = guard.operands[0].owner.operation
    guard.erase()  # its results are unused now; its blocks hold only the two yields
    if not any(has_uses(r) for r in cmp.results):
        cmp.erase()
    attrs.GUARDED.remove(loop)


def unswitch_chunk(chunk: GuardedChunk) -> None:
    """Replaces the guarded loop by `scf.if full { clone without guard } else { the loop }`;
    the loop is marked `pl.unswitched`, the clone loses `pl.guarded`."""
    loop = chunk.loop
    with ir.InsertionPoint(loop), loop.location:
        index = ir.IndexType.get()
        last = arith.constant(index, chunk.chunk - 1)
        if chunk.chunk_start is not None:
            last = arith.addi(chunk.chunk_start, last)
        full = arith.cmpi(CMPI.ult, last, chunk.trips)
        types = [r.type for r in loop.results]
        branch = scf.IfOp(full, types, has_else=True)
        with ir.InsertionPoint(branch.then_block):
            fast = loop.clone()
            scf.YieldOp(list(fast.results))
    _drop_guard(fast.operation)
    attrs.UNSWITCHED.set(loop)
    for old, new in zip(loop.results, branch.results, strict=False):
        old.replace_all_uses_with(new)
    branch.else_block.append(loop)  # moves the guarded loop into the slow branch
    with ir.InsertionPoint(branch.else_block), loop.location:
        scf.YieldOp(list(loop.results))


def _holds_guarded_chunk(loop: ir.Operation) -> bool:
    """A guarded chunk loop is nested in `loop`."""
    return any(op != loop and GuardedChunk.of(op) is not None for op in walk_ops(loop, "scf.for"))


def guarded_chunks(root: ir.Operation) -> list[GuardedChunk]:
    """Every guarded chunk loop below `root` that gains from a fast path: the innermost ones.
    A chunk loop that holds another guarded chunk loop keeps its guard: it runs once per inner
    nest, not per element, and a fast path at every level would copy the nest once per level
    (2**depth copies of the body). The slow path of an unswitched chunk (`pl.unswitched`) is
    left alone: the pass is idempotent."""
    found: list[GuardedChunk] = []
    for op in ops_of_type(root, scf.ForOp):  # nested loops first
        if attrs.UNSWITCHED.get(op):
            continue
        chunk = GuardedChunk.of(op)
        if chunk is not None and not chunk.fullness_is_known() and not _holds_guarded_chunk(op):
            found.append(chunk)
    return found


def unswitch_guards(module) -> int:
    """Gives every guarded chunk below `module` (an Operation or a Module) a fast path;
    returns how many chunks were unswitched. Nothing else changes."""
    op = module.operation
    with op.context:
        chunks = guarded_chunks(op)
        for chunk in chunks:
            unswitch_chunk(chunk)
    return len(chunks)


@register_pass
@dataclass
class UnswitchGuards(ModulePass):
    name = "pl-unswitch-guards"
    summary = (
        "Give each guarded chunk a fast path: scf.if (chunk is full) {unguarded loop} else "
        "{guarded loop}"
    )
    preserves_pl_validity = True  # clones verified loops; marks the slow one pl.unswitched

    def apply(self, module) -> None:
        unswitch_guards(module)
