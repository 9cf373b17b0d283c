"""`pl-unswitch-guards`: a fast path for every full chunk of a guarded nest.

The guarded policy wraps the body of each chunk iteration in `scf.if k < T`. That branch keeps
LLVM from vectorizing the inner loop, although only the last chunk can be partial. This pass
tests the whole chunk once, with the guard of its last iteration, and keeps both loops:

    %full = cmpi ult (o*C + C-1), T
    scf.if %full { for i in [0, C) { body } }            // no guard: every iteration runs
    else         { for i in [0, C) { if k < T { body } } } // the guarded loop, unchanged

Because k = o*C + i grows with i, the guard holds for every iteration exactly when it holds for
the last one, so both paths run the same iterations in the same order: iter_args stay exact and
the nest stays one loop nest (one kernel). A loop is left alone when its guard is provably true
(C = 1) or the fullness of its chunk is known at compile time (static T < C, or a constant chunk
start), when it already sits in the slow branch of an unswitched chunk (the pass is
idempotent), and when it holds another guarded chunk loop: only the innermost guarded chunks
get a fast path, so the body exists twice, not 2**depth times, in a nest of chunked loops.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlir import ir
from mlir.dialects import arith, scf
from mlir.rewrite import RewritePatternSet, walk_and_apply_patterns

from ..dialect import attrs
from ..dialect.static_values import constant_int
from .registry import ModulePass, register_pass

_ULT = 6  # arith.cmpi predicate `ult`


def _defining(value: ir.Value, name: str) -> ir.Operation | None:
    owner = value.owner
    if isinstance(owner, (ir.Operation, ir.OpView)) and owner.name == name:
        return owner.operation
    return None


@dataclass
class GuardedChunk:
    """A chunk_inner loop whose body is exactly `[k = cs + i]; g = cmpi ult k, T; scf.if g`.

    `chunk_start` is cs (None when k is the induction variable itself, i.e. cs = 0)."""

    loop: ir.Operation
    guard: ir.Operation  # the scf.if
    trips: ir.Value  # T
    chunk_start: ir.Value | None
    chunk: int  # C

    @classmethod
    def match(cls, loop: ir.Operation) -> GuardedChunk | None:
        if attrs.LOOP_ORIGIN.get(loop) != "chunk_inner":
            return None
        lb, ub, step = list(loop.operands)[:3]
        chunk = constant_int(ub)
        if constant_int(lb) != 0 or constant_int(step) != 1 or chunk is None:
            return None
        body = loop.regions[0].blocks[0]
        ops = [op.operation for op in body.operations]
        if len(ops) not in (3, 4):
            return None
        *prefix, guard, term = ops
        if guard.name != "scf.if" or term.name != "scf.yield":
            return None
        if [v for v in term.operands] != [r for r in guard.results]:
            return None
        cmp = _defining(guard.operands[0], "arith.cmpi")
        if (
            cmp is None
            or cmp not in prefix
            or ir.IntegerAttr(cmp.attributes["predicate"]).value != _ULT
        ):
            return None
        k, trips = cmp.operands
        iv = body.arguments[0]
        chunk_start = None
        if k != iv:
            add = _defining(k, "arith.addi")
            if add is None or add not in prefix:
                return None
            a, b = add.operands
            if a == iv:
                chunk_start = b
            elif b == iv:
                chunk_start = a
            else:
                return None
        if len(prefix) != (1 if chunk_start is None else 2):
            return None
        if not _else_passes_through(guard, list(body.arguments)[1:]):
            return None
        return cls(loop, guard, trips, chunk_start, chunk)

    def fullness_is_known(self) -> bool:
        """True when every chunk is known full, or known partial, before the program runs."""
        if self.chunk == 1:
            return True  # k = o < T inside the outer loop: the guard always holds
        trips = constant_int(self.trips)
        if trips is not None and trips < self.chunk:
            return True  # the only chunk is partial
        start = 0 if self.chunk_start is None else constant_int(self.chunk_start)
        return trips is not None and start is not None


def _else_passes_through(guard: ir.Operation, iter_args: list) -> bool:
    """The else branch yields the inner loop's iter_args unchanged (or does not exist)."""
    if len(guard.results) == 0:
        blocks = guard.regions[1].blocks
        return len(blocks) == 0 or len(blocks[0].operations) == 1
    ops = list(guard.regions[1].blocks[0].operations)
    return len(ops) == 1 and list(ops[0].operands) == iter_args


def _in_slow_branch(loop: ir.Operation) -> bool:
    """The loop is the else branch of a chunk this pass already unswitched."""
    parent = loop.parent
    if parent is None or parent.operation.name != "scf.if" or len(parent.regions[1].blocks) == 0:
        return False
    slow = [op.operation for op in parent.regions[1].blocks[0].operations]
    if slow[0] != loop:
        return False
    fast = [op.operation for op in parent.regions[0].blocks[0].operations]
    return (
        len(fast) == 2
        and fast[0].name == "scf.for"
        and attrs.LOOP_ORIGIN.get(fast[0]) == "chunk_inner"
        and GuardedChunk.match(fast[0]) is None
    )


def _drop_guard(loop: ir.Operation) -> None:
    """In `loop` (a fresh clone of a guarded chunk loop), runs the guarded body unconditionally:
    the then-branch's ops move before the scf.if, which is then erased with its comparison."""
    chunk = GuardedChunk.match(loop)
    guard = chunk.guard
    then_block = guard.regions[0].blocks[0]
    ops = [op.operation for op in then_block.operations]
    *body, yielded = ops
    for op in body:
        op.move_before(guard)
    for result, value in zip(guard.results, yielded.operands, strict=False):
        result.replace_all_uses_with(value)
    cmp = guard.operands[0].owner.operation
    guard.erase()  # its results are unused now; its blocks hold only the two yields
    cmp.erase()


def unswitch_chunk(chunk: GuardedChunk) -> None:
    """Replaces the guarded loop by `scf.if full { clone without guard } else { the loop }`."""
    loop = chunk.loop
    with ir.InsertionPoint(loop), loop.location:
        index = ir.IndexType.get()
        last = arith.constant(index, chunk.chunk - 1)
        if chunk.chunk_start is not None:
            last = arith.addi(chunk.chunk_start, last)
        full = arith.cmpi(arith.CmpIPredicate.ult, last, chunk.trips)
        types = [r.type for r in loop.results]
        branch = scf.IfOp(full, types, has_else=True)
        with ir.InsertionPoint(branch.then_block):
            fast = loop.clone()
            scf.YieldOp(list(fast.results))
    _drop_guard(fast.operation)
    for old, new in zip(loop.results, branch.results, strict=False):
        old.replace_all_uses_with(new)
    branch.else_block.append(loop)  # moves the guarded loop into the slow branch
    with ir.InsertionPoint(branch.else_block), loop.location:
        scf.YieldOp(list(loop.results))


def _holds_guarded_chunk(loop: ir.Operation) -> bool:
    """A guarded chunk loop is nested in `loop`."""
    found = []

    def visit(op):
        if op != loop and op.name == "scf.for" and GuardedChunk.match(op) is not None:
            found.append(op)
            return ir.WalkResult.INTERRUPT
        return ir.WalkResult.ADVANCE

    loop.walk(visit)
    return bool(found)


def guarded_chunks(root: ir.Operation) -> list[GuardedChunk]:
    """Every guarded chunk loop below `root` that gains from a fast path: the innermost ones.
    A chunk loop that holds another guarded chunk loop keeps its guard: it runs once per inner
    nest, not per element, and a fast path at every level would copy the nest once per level
    (2**depth copies of the body)."""
    found: list[GuardedChunk] = []

    def visit(loop, rewriter):
        op = loop.operation
        chunk = GuardedChunk.match(op)
        if (
            chunk is not None
            and not chunk.fullness_is_known()
            and not _in_slow_branch(op)
            and not _holds_guarded_chunk(op)
        ):
            found.append(chunk)
        return True  # never a match here: the rewrite happens after the walk

    patterns = RewritePatternSet(root.context)
    patterns.add(scf.ForOp, visit)
    walk_and_apply_patterns(root, patterns.freeze())  # post-order: nested loops first
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
    summary = "Give each guarded chunk a fast path: scf.if (chunk is full) {unguarded loop} else {guarded loop}"
    preserves_pl_validity = True  # clones verified loops; adds no attribute

    def apply(self, module) -> None:
        unswitch_guards(module)
