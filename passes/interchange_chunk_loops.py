"""`pl-interchange-chunk-loops`: nested parallel chunked loops, chunk loops outward.

After the split, two nested `pl.parallel` chunked loops form

    for o1 { for i1 { if k1 < T1 { [iv1] for o2 { for i2 { if k2 < T2 { body } } } } } }

This pass moves the chunk-index loops out and the in-chunk loops in, with the guards combined at
the innermost level:

    for o1 { for o2 { for i1 { for i2 { if k1 < T1 && k2 < T2 { [iv1] body } } } } }

so that one task (the body of `o2`, once outlined) is a C1 x C2 block, e.g. a GEMM tile block:
ceil(T1/C1) * ceil(T2/C2) tasks of one kernel. A guard the split did not emit (a statically
divisible trip count) is not re-created; the other is the whole condition.

Interchange changes the order of iterations. It applies only when nothing is carried (iter_args
that pass a memref through unchanged are dropped first), when the inner trip count does not
depend on the outer IV (its computation is hoisted above the nest), when nothing follows the
inner chunk loop in the outer chunk's body, and when what precedes it is computation only (it
moves into the innermost guard, where it runs once per inner iteration, or not at all); clamped
chunks are not interchanged. Otherwise the nest is left as it is, with a remark at the outer
loop saying why. Nests are taken in pairs from the outside: in a nest of three levels the
outer two are interchanged and the third stays inside the task. Run it right after pl-split-chunked-loops (before
pl-unswitch-guards, whose fast paths it does not look into).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from mlir import ir
from mlir.dialects import arith, scf

from ..dialect import attrs
from ..dialect.diagnostics import emit_remark
from .effects import is_effect_free, may_trap
from .ir import LoopInfo, new_for, transplant_body
from .registry import ModulePass, register_pass

_ULT = 6


def _ops(block: ir.Block) -> list:
    return [op.operation for op in block.operations]


def _origin(op: ir.Operation) -> Optional[str]:
    return attrs.LOOP_ORIGIN.get(op) if op.name == "scf.for" else None


def _defining(v: ir.Value) -> Optional[ir.Operation]:
    owner = v.owner
    return None if isinstance(owner, ir.Block) else owner.operation


@dataclass
class _ChunkBody:
    """The body of a chunk_inner loop: `k = cs + i` (or `k = i`), an optional guard
    `if k < T`, and the ops the guard wraps (or that follow k)."""

    loop: ir.Operation
    k: Optional[ir.Operation]       # the addi, or None when k is the IV
    guard_cmp: Optional[ir.Operation]
    guard_if: Optional[ir.Operation]
    work: list                      # the guarded ops (without the terminator)

    @classmethod
    def read(cls, loop: ir.Operation) -> Optional["_ChunkBody"]:
        ops = _ops(loop.regions[0].blocks[0])
        iv = loop.regions[0].blocks[0].arguments[0]
        k = None
        if ops and ops[0].name == "arith.addi" and iv in list(ops[0].operands):
            k, ops = ops[0], ops[1:]
        kv = k.results[0] if k is not None else iv
        if len(ops) == 3 and ops[0].name == "arith.cmpi" and ops[1].name == "scf.if" and \
                ir.IntegerAttr(ops[0].attributes["predicate"]).value == _ULT and \
                ops[0].operands[0] == kv and ops[1].operands[0] == ops[0].results[0] and \
                len(ops[1].results) == 0:
            then = _ops(ops[1].regions[0].blocks[0])
            return cls(loop, k, ops[0], ops[1], then[:-1])
        return cls(loop, k, None, None, ops[:-1])  # unguarded: C divides T

    @property
    def trips(self) -> Optional[ir.Value]:
        return self.guard_cmp.operands[1] if self.guard_cmp is not None else None


def _clamped(inner: ir.Operation) -> bool:
    """A chunk_inner loop of the clamped policy: its upper bound is a min."""
    d = _defining(inner.operands[1])
    return d is not None and d.name in ("arith.minui", "arith.minsi")


def _single_loop(block: ir.Block, origin: str) -> Optional[ir.Operation]:
    loops = [op for op in _ops(block) if op.name == "scf.for"]
    return loops[0] if len(loops) == 1 and _origin(loops[0]) == origin else None


def _invariant_ops(ops: list, loop: ir.Operation) -> list:
    """The ops of `ops` (in order) that compute the same value in every iteration of `loop` and
    may run before it even when it runs no iteration: without effects, regions or a possible
    trap, with operands defined outside `loop` or by earlier such ops. (Ops compare with ==;
    they are not reliably hashable.)"""
    out: list = []
    for op in ops:
        if len(op.regions) or not is_effect_free(op) or may_trap(op):
            continue
        ok = True
        for v in op.operands:
            d = _defining(v)
            if d is not None and any(d == h for h in out):
                continue
            where = d if d is not None else v.owner.owner
            if _inside(where, loop):
                ok = False
                break
        if ok:
            out.append(op)
    return out


def _varies(v: ir.Value, loop: ir.Operation, hoisted: list) -> bool:
    """`v` may differ between iterations of `loop` (once `hoisted` ops are moved out)."""
    d = _defining(v)
    if d is not None and any(d == h for h in hoisted):
        return False
    return _inside(d if d is not None else v.owner.owner, loop)


def _inside(op: Optional[ir.Operation], root: ir.Operation) -> bool:
    while op is not None:
        if op == root:
            return True
        op = op.parent.operation if op.parent is not None else None
    return False


def _drop_pass_through(loop: ir.Operation) -> Optional[ir.Operation]:
    """`loop` without its iter_args when each passes a memref through unchanged (the loop that
    replaces it); `loop` itself when it has none; None when it carries anything else."""
    if not len(loop.results):
        return loop
    body = loop.regions[0].blocks[0]
    args = list(body.arguments)[1:]
    term = _ops(body)[-1]
    info = LoopInfo.of(loop)
    if not all(isinstance(a.type, ir.MemRefType) and y == a
               for a, y in zip(args, term.operands)):
        return None
    with ir.InsertionPoint(loop), loop.location:
        kept = {n: loop.attributes[n] for n in loop.attributes if n != "unsignedCmp"}
        new = new_for(info.lb, info.ub, info.step, [], kept)
        if info.unsigned:
            new.operation.attributes["unsignedCmp"] = ir.UnitAttr.get()
    transplant_body(loop, new.body, new.induction_variable, info.inits)
    with ir.InsertionPoint(new.body), loop.location:
        ops = _ops(new.body)
        ops[-1].erase()  # the old yield of the passed-through memrefs
        scf.YieldOp([])
    for r, init in zip(loop.results, info.inits):
        r.replace_all_uses_with(init)
    loop.erase()
    return new.operation


def _drop_same_results(branch: ir.Operation) -> bool:
    """An scf.if whose branches yield the same outside values gets no results (uses take the
    values); False when a result differs between the branches."""
    if not len(branch.results):
        return True
    if len(branch.regions[1].blocks) == 0:
        return False
    then_yield = _ops(branch.regions[0].blocks[0])[-1]
    else_yield = _ops(branch.regions[1].blocks[0])[-1]
    pairs = list(zip(then_yield.operands, else_yield.operands))
    if any(a != b for a, b in pairs):
        return False
    with ir.InsertionPoint(branch), branch.location:
        new = scf.IfOp(branch.operands[0], [], has_else=False)
    for op in _ops(branch.regions[0].blocks[0])[:-1]:
        new.then_block.append(op)
    with ir.InsertionPoint(new.then_block), branch.location:
        scf.YieldOp([])
    for r, (v, _) in zip(branch.results, pairs):
        r.replace_all_uses_with(v)
    branch.erase()  # its blocks hold only the two yields now
    return True


def _without_pass_through(outer: ir.Operation) -> Optional[ir.Operation]:
    """The nest rooted at `outer` with every memref that its chunk loops (and their guards)
    pass through unchanged taken out of iter_args; returns the new outer loop, or None when
    something else is carried."""
    found: list = []

    def collect(op):
        op = op.operation
        if len(op.results) and (_origin(op) is not None or op.name == "scf.if"):
            found.append(op)
        return ir.WalkResult.ADVANCE

    # Innermost first: a value is passed through an outer loop once every op inside that
    # carries it has been seen to pass it through.
    outer.walk(collect, ir.WalkOrder.POST_ORDER)
    new_outer = outer
    for op in found:
        if op.name == "scf.if":
            if not _drop_same_results(op):
                return None
            continue
        is_outer = op == outer  # (before the op is replaced: a replaced op is gone)
        new = _drop_pass_through(op)
        if new is None:
            return None
        if is_outer:
            new_outer = new
    return new_outer


class _Nest:
    """A pair of nested parallel chunked loops, read from the outer chunk_outer loop."""

    def __init__(self, outer: ir.Operation):
        self.o1 = outer
        self.why_not: Optional[str] = None
        self.i1 = _single_loop(outer.regions[0].blocks[0], "chunk_inner")
        self.b1 = _ChunkBody.read(self.i1) if self.i1 is not None else None
        self.o2 = None
        if self.b1 is not None:
            loops = [op for op in self.b1.work if op.name == "scf.for"]
            if loops and _origin(loops[0]) == "chunk_outer":
                self.o2 = loops[0]

    @staticmethod
    def wanted(outer: ir.Operation) -> bool:
        """A chunk loop holds another chunk loop: interchange is wanted (a remark if it cannot
        be done)."""
        found = []

        def visit(op):
            if op.operation != outer and _origin(op.operation) == "chunk_outer":
                found.append(op)
                return ir.WalkResult.INTERRUPT
            return ir.WalkResult.ADVANCE

        outer.walk(visit, ir.WalkOrder.PRE_ORDER)
        return bool(found)

    def check(self) -> bool:
        o1, i1, o2 = self.o1, self.i1, self.o2
        if any(not attrs.PARALLEL.get(l) for l in (o1, i1, o2)):
            return self._no("both chunked loops must be pl.parallel (interchange reorders "
                            "their iterations)")
        self.i2 = _single_loop(o2.regions[0].blocks[0], "chunk_inner")
        if self.i2 is None or not attrs.PARALLEL.get(self.i2):
            return self._no("the inner chunked loop has an unexpected structure")
        self.b2 = _ChunkBody.read(self.i2)
        if self.b2 is None:
            return self._no("the inner chunk has an unexpected structure")
        if any(_clamped(l) for l in (self.i1, self.i2)):
            return self._no("clamped chunks are not interchanged (the in-chunk loop's bound "
                            "min(C, T - o*C) depends on its chunk); use guarded")
        work = self.b1.work
        at = next(n for n, op in enumerate(work) if op == o2)
        if at != len(work) - 1:
            return self._no("other work follows the inner chunked loop in the outer chunk")
        pre = work[:at]
        hoist = _invariant_ops(pre, o1)
        per_iteration = [op for op in pre if not any(op == h for h in hoist)]
        if any(len(op.regions) for op in per_iteration):
            return self._no("the outer chunk has control flow before the inner chunked loop")
        # The rest moves into the innermost guard and runs once per inner iteration (or not at
        # all when the inner loop runs none): only computations may.
        effect = next((op for op in per_iteration if not is_effect_free(op)), None)
        if effect is not None:
            return self._no(f"'{effect.name}' in the outer chunk, before the inner chunked loop, "
                            f"would run once per inner iteration")
        # What the inner nest's loops need must not change with the outer iteration.
        needed = list(o2.operands)[:3] + list(self.i2.operands)[:3]
        if self.b2.trips is not None:
            needed.append(self.b2.trips)
        if any(_varies(v, o1, hoist) for v in needed):
            if any(may_trap(op) for op in per_iteration):
                return self._no("the inner trip count divides by a value not known to be "
                                "non-zero, which would be computed before the outer loop")
            return self._no("the inner trip count depends on the outer loop's iteration")
        self.hoist = hoist
        self.per_iteration = per_iteration
        return True

    def _no(self, why: str) -> bool:
        self.why_not = why
        return False

    def rewrite(self) -> None:
        o1, i1, o2, i2, b1, b2 = self.o1, self.i1, self.o2, self.i2, self.b1, self.b2
        for op in self.hoist:
            op.move_before(o1)
        o2.move_before(i1)      # for o1 { cs1; for o2 {...}; for i1 {...} }
        i1.move_before(i2)      # for o2 { cs2; for i1 {...}; for i2 {...} }
        anchor = b1.guard_cmp or b1.guard_if or _ops(i1.regions[0].blocks[0])[-1]
        i2.move_before(anchor)  # for i1 { k1; for i2 {...}; [g1; if g1 {iv1...}] }
        i2_body = i2.regions[0].blocks[0]
        work_at = b2.guard_cmp or _ops(i2_body)[-1]
        if b1.guard_cmp is not None:
            b1.guard_cmp.move_before(work_at)
        if b2.guard_if is not None and b1.guard_cmp is not None:
            with ir.InsertionPoint(b2.guard_if), i2.location:
                both = arith.andi(b1.guard_cmp.results[0], b2.guard_cmp.results[0])
            b2.guard_if.operands[0] = both
            then = b2.guard_if.regions[0].blocks[0]
        elif b2.guard_if is not None:
            then = b2.guard_if.regions[0].blocks[0]
        elif b1.guard_cmp is not None:
            with ir.InsertionPoint(_ops(i2_body)[-1]), i2.location:
                wrap = scf.IfOp(b1.guard_cmp.results[0], [], has_else=False)
                with ir.InsertionPoint(wrap.then_block):
                    scf.YieldOp([])
            wrap_yield = _ops(wrap.then_block)[0]
            for op in b2.work:
                op.move_before(wrap_yield)
            then = wrap.then_block
        else:
            then = None
        first = _ops(then)[0] if then is not None else (b2.work[0] if b2.work else _ops(i2_body)[-1])
        for op in self.per_iteration:  # iv1 and friends: per (i1, i2), inside the guard
            op.move_before(first)
        if b1.guard_if is not None:
            b1.guard_if.erase()  # holds only its terminator now


def interchange_chunk_loops(module) -> int:
    """Interchanges every eligible pair of nested parallel chunked loops below `module` (after
    pl-split-chunked-loops); returns how many. Remarks explain the pairs left alone."""
    root = module.operation
    done = 0
    with root.context:
        # 1. Nests that carry values: memrefs passed through are taken out of iter_args (this
        #    replaces loops, so it runs on the outermost such nests, before anything is read).
        carrying: list = []

        def find_carrying(op):
            op = op.operation
            if _origin(op) == "chunk_outer" and len(op.results) and _Nest.wanted(op):
                carrying.append(op)
                return ir.WalkResult.SKIP  # its inner nests are handled with it
            return ir.WalkResult.ADVANCE

        root.walk(find_carrying, ir.WalkOrder.PRE_ORDER)
        for outer in carrying:
            if _without_pass_through(outer) is None:
                emit_remark(outer, "pl-interchange-chunk-loops: left as it is: the nest carries "
                                   "values in iter_args, and interchange would reorder their "
                                   "updates")
        # 2. Interchange, outermost nests first. (Loops only move from here on: the handles
        #    collected stay valid.)
        outers: list = []

        def collect(op):
            if _origin(op.operation) == "chunk_outer":
                outers.append(op.operation)
            return ir.WalkResult.ADVANCE

        root.walk(collect, ir.WalkOrder.PRE_ORDER)
        moved: list = []  # the inner chunk loops of the pairs interchanged
        said: set = set()  # (location, remark): shift_inwards makes two nests at one place

        def left_alone(outer, why):
            key = (str(outer.location), why)
            if key not in said:
                said.add(key)
                emit_remark(outer, f"pl-interchange-chunk-loops: left as it is: {why}")

        for outer in outers:
            if len(outer.results) or not _Nest.wanted(outer):
                continue  # reported above; or nothing nested (a band's inner loop included)
            if any(outer == m for m in moved):
                left_alone(outer, "this chunk loop was interchanged with the one that holds "
                                  "it; interchange moves pairs of levels, so the chunk loops "
                                  "below stay inside its task")
                continue
            nest = _Nest(outer)
            if nest.o2 is None:
                left_alone(outer, "the inner chunked loop is not the only work of the outer "
                                  "chunk")
                continue
            if not nest.check():
                left_alone(outer, nest.why_not)
                continue
            nest.rewrite()
            moved.append(nest.o2)
            done += 1
    return done


@register_pass
@dataclass
class InterchangeChunkLoops(ModulePass):
    name = "pl-interchange-chunk-loops"
    summary = "Move the chunk loops of nested parallel chunked loops outward (one task = a block of chunks), combining their guards"
    preserves_pl_validity = True  # moves loops and their attributes; adds none

    def apply(self, module) -> None:
        interchange_chunk_loops(module)
