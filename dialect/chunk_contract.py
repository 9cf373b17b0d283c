"""The one reader of the chunk contract: what pl-split-chunked-loops marks for later stages
(docs/internals.md, "The IR contract between passes").

Every consumer (unswitch, interchange, outlining, the emulator's counters) asks here; none
matches the op sequences the split emits. Markers sit on ops the cleanups keep (loops, and
`scf.execute_region no_inline`). The guard `scf.if` itself is not marked, because canonicalize
rebuilds an `scf.if` without its attributes when it drops unused results; it is found by value,
inside a loop marked `pl.guarded`: the `scf.if` whose condition is `k < T`, with `k` the loop's
induction variable plus a value defined outside the loop and `T` defined outside the loop
(after interchange, a conjunction of such terms and of terms invariant in the loop).
"""

from __future__ import annotations

from dataclasses import dataclass

from mlir import ir

from . import attrs
from .ir_queries import CMPI, block_ops, cmpi_predicate, defined_outside, defining_op


@dataclass(frozen=True)
class GuardTerm:
    """One conjunct `k < T` of a guard condition."""

    compare: ir.Operation  # the arith.cmpi
    index: ir.Value  # k
    trips: ir.Value  # T, defined outside the in-chunk loop
    # k = chunk_start + iv of the in-chunk loop (chunk_start None: k = iv); when k is defined
    # outside the loop (a term of an enclosing chunk after interchange), `varies` is False.
    chunk_start: ir.Value | None
    varies: bool


@dataclass(frozen=True)
class Guard:
    """The guard of a `pl.guarded` in-chunk loop: its then-branch runs the iterations that
    exist; the else-branch (if any) yields the iter_args unchanged. Its condition holds for a
    prefix of the loop's iterations (k grows with the iv), so it holds for the whole chunk
    exactly when it holds for the last iteration."""

    loop: ir.Operation  # the in-chunk loop
    op: ir.Operation  # the scf.if
    terms: tuple[GuardTerm, ...]

    @property
    def single(self) -> GuardTerm | None:
        """The only term, when the guard is the split's own `k < T` (not a conjunction)."""
        return self.terms[0] if len(self.terms) == 1 and self.terms[0].varies else None


def origin(op: ir.Operation | ir.OpView) -> str | None:
    """Which part of a split loop `op` is (`attrs.CHUNK_OUTER`, ...), None for other ops."""
    return attrs.loop_origin(op)


def is_remainder(op: ir.Operation | ir.OpView) -> bool:
    """`op` is the `scf.execute_region no_inline {pl.remainder}` that holds a leading_full
    remainder (its loop, or that loop's body once canonicalize folded a one-trip loop)."""
    op = op.operation
    return op.name == "scf.execute_region" and attrs.REMAINDER.get(op)


def is_single_chunk(op: ir.Operation | ir.OpView) -> bool:
    """`op` is the `scf.execute_region no_inline {pl.single_chunk}` that the split builds in
    place of a one-trip chunk_outer loop (a static trip count that fits one chunk): it holds the
    chunk_inner loop, or that loop's body once canonicalize folded a one-trip in-chunk loop."""
    op = op.operation
    return op.name == "scf.execute_region" and attrs.SINGLE_CHUNK.get(op)


def is_unit_chunk(op: ir.Operation | ir.OpView) -> bool:
    """`op` is the `scf.execute_region no_inline {pl.unit_chunk}` that the split builds in
    place of a one-trip chunk_inner loop (chunk 1): it holds the body of the chunk's one
    iteration, whose k is the chunk's start. It needs no guard (T chunks of one iteration)."""
    op = op.operation
    return op.name == "scf.execute_region" and attrs.UNIT_CHUNK.get(op)


def is_chunk_outer(op: ir.Operation | ir.OpView) -> bool:
    """`op` runs the chunks of a split loop: its `chunk_outer` loop (one iteration per chunk),
    or the `pl.single_chunk` region of a split with one chunk (one execution)."""
    return origin(op) == attrs.CHUNK_OUTER or is_single_chunk(op)


def chunks_parallel(op: ir.Operation | ir.OpView) -> bool:
    """The chunks that `op` (see is_chunk_outer) runs may be separate tasks: it is marked
    `pl.parallel` (the split copies the source loop's to the loop or region it builds)."""
    return attrs.PARALLEL.get(op)


def is_unswitched_chunk(op: ir.Operation | ir.OpView) -> bool:
    """`op` is the `scf.if` that pl-unswitch-guards built around a chunk: its else-branch holds
    the loop marked `pl.unswitched` (read from the loop, which keeps its marker)."""
    op = op.operation
    if op.name != "scf.if" or len(op.regions) < 2 or not len(op.regions[1].blocks):
        return False
    return any(
        attrs.UNSWITCHED.get(inner) and origin(inner) == attrs.CHUNK_INNER
        for inner in block_ops(op.regions[1].blocks[0])
    )


def guard_of(loop: ir.Operation | ir.OpView) -> Guard | None:
    """The guard of an in-chunk loop marked `pl.guarded`; None when the loop is not marked, or
    when no guard is left (a cleanup proved it always true and removed it)."""
    loop = loop.operation
    if loop.name != "scf.for" or not attrs.GUARDED.get(loop):
        return None
    body = loop.regions[0].blocks[0]
    iv = body.arguments[0]
    for op in block_ops(body):
        if op.name != "scf.if":
            continue
        terms = _terms(op.operands[0], loop, iv)
        if terms and any(t.varies for t in terms):
            return Guard(loop, op, tuple(terms))
    return None


def _terms(cond: ir.Value, loop: ir.Operation, iv: ir.Value) -> list[GuardTerm] | None:
    op = defining_op(cond)
    if op is None:
        return None
    if op.name == "arith.andi":
        out: list[GuardTerm] = []
        for v in op.operands:
            more = _terms(v, loop, iv)
            if more is None:
                return None
            out += more
        return out
    predicate = cmpi_predicate(op)
    if predicate == CMPI.ult:
        k, trips = op.operands
    elif predicate == CMPI.ugt:
        trips, k = op.operands
    else:
        return None
    if not defined_outside(trips, loop):
        return None
    if k == iv:
        return [GuardTerm(op, k, trips, None, True)]
    if defined_outside(k, loop):
        return [GuardTerm(op, k, trips, None, False)]
    add = defining_op(k, "arith.addi")
    if add is None:
        return None
    a, b = add.operands
    start = b if a == iv else a if b == iv else None
    if start is None or not defined_outside(start, loop):
        return None
    return [GuardTerm(op, k, trips, start, True)]


def chunk_index(loop: ir.Operation | ir.OpView) -> ir.Operation | None:
    """In an in-chunk loop, the `arith.addi` that computes its flat index k = start + iv (start
    defined outside the loop), or None when k is the iv itself (or is not computed)."""
    loop = loop.operation
    body = loop.regions[0].blocks[0]
    iv = body.arguments[0]
    for op in block_ops(body):
        if op.name == "arith.addi":
            a, b = op.operands
            other = b if a == iv else a if b == iv else None
            if other is not None and defined_outside(other, loop):
                return op
    return None
