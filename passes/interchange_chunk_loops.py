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
loop saying why. Deeper nests are interchanged as deep as the conditions hold: three levels
give o1 { o2 { o3 { i1 { i2 { i3 { if g1 && g2 && g3 {...} } } } } } }, one task a C1 x C2 x C3
block; where a level cannot join, a remark at the level above says why. Run it right after
pl-split-chunked-loops (before pl-unswitch-guards, whose fast paths it does not look into).
"""

from __future__ import annotations

from dataclasses import dataclass

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


def _origin(op: ir.Operation) -> str | None:
    return attrs.LOOP_ORIGIN.get(op) if op.name == "scf.for" else None


def _defining(v: ir.Value) -> ir.Operation | None:
    owner = v.owner
    return None if isinstance(owner, ir.Block) else owner.operation


@dataclass
class _ChunkBody:
    """The body of a chunk_inner loop: `k = cs + i` (or `k = i`), an optional guard
    `if k < T`, and the ops the guard wraps (or that follow k)."""

    loop: ir.Operation
    k: ir.Operation | None  # the addi, or None when k is the IV
    guard_cmp: ir.Operation | None
    guard_if: ir.Operation | None
    work: list  # the guarded ops (without the terminator)

    @classmethod
    def read(cls, loop: ir.Operation) -> _ChunkBody | None:
        ops = _ops(loop.regions[0].blocks[0])
        iv = loop.regions[0].blocks[0].arguments[0]
        k = None
        if ops and ops[0].name == "arith.addi" and iv in list(ops[0].operands):
            k, ops = ops[0], ops[1:]
        kv = k.results[0] if k is not None else iv
        if (
            len(ops) == 3
            and ops[0].name == "arith.cmpi"
            and ops[1].name == "scf.if"
            and ir.IntegerAttr(ops[0].attributes["predicate"]).value == _ULT
            and ops[0].operands[0] == kv
            and ops[1].operands[0] == ops[0].results[0]
            and len(ops[1].results) == 0
        ):
            then = _ops(ops[1].regions[0].blocks[0])
            return cls(loop, k, ops[0], ops[1], then[:-1])
        return cls(loop, k, None, None, ops[:-1])  # unguarded: C divides T

    @property
    def trips(self) -> ir.Value | None:
        return self.guard_cmp.operands[1] if self.guard_cmp is not None else None


def _clamped(inner: ir.Operation) -> bool:
    """A chunk_inner loop of the clamped policy: its upper bound is a min."""
    d = _defining(inner.operands[1])
    return d is not None and d.name in ("arith.minui", "arith.minsi")


def combined_guard(loop: ir.Operation) -> ir.Operation | None:
    """The guard this pass leaves in the innermost in-chunk loop of an interchanged nest: the
    `scf.if (k1 < T1 && k2 < T2 ...)` before its terminator, or None."""
    if _origin(loop) != "chunk_inner":
        return None
    ops = _ops(loop.regions[0].blocks[0])
    if len(ops) < 2 or ops[-2].name != "scf.if" or len(ops[-2].results):
        return None

    def of_bounds(v: ir.Value, top: bool) -> bool:
        op = _defining(v)
        if op is None:
            return False
        if op.name == "arith.andi":
            return all(of_bounds(x, False) for x in op.operands)
        return (
            not top
            and op.name == "arith.cmpi"
            and ir.IntegerAttr(op.attributes["predicate"]).value == _ULT
        )

    return ops[-2] if of_bounds(ops[-2].operands[0], True) else None


def _single_loop(block: ir.Block, origin: str) -> ir.Operation | None:
    loops = [op for op in _ops(block) if op.name == "scf.for"]
    return loops[0] if len(loops) == 1 and _origin(loops[0]) == origin else None


def _invariant_ops(ops: list, loop: ir.Operation, hoisted: list = ()) -> list:
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
            if d is not None and any(d == h for h in list(hoisted) + out):
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


def _inside(op: ir.Operation | None, root: ir.Operation) -> bool:
    while op is not None:
        if op == root:
            return True
        op = op.parent.operation if op.parent is not None else None
    return False


def _drop_pass_through(loop: ir.Operation) -> ir.Operation | None:
    """`loop` without its iter_args when each passes a memref through unchanged (the loop that
    replaces it); `loop` itself when it has none; None when it carries anything else."""
    if not len(loop.results):
        return loop
    body = loop.regions[0].blocks[0]
    args = list(body.arguments)[1:]
    term = _ops(body)[-1]
    info = LoopInfo.of(loop)
    if not all(
        isinstance(a.type, ir.MemRefType) and y == a
        for a, y in zip(args, term.operands, strict=False)
    ):
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
    for r, init in zip(loop.results, info.inits, strict=False):
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
    pairs = list(zip(then_yield.operands, else_yield.operands, strict=False))
    if any(a != b for a, b in pairs):
        return False
    with ir.InsertionPoint(branch), branch.location:
        new = scf.IfOp(branch.operands[0], [], has_else=False)
    for op in _ops(branch.regions[0].blocks[0])[:-1]:
        new.then_block.append(op)
    with ir.InsertionPoint(new.then_block), branch.location:
        scf.YieldOp([])
    for r, (v, _) in zip(branch.results, pairs, strict=False):
        r.replace_all_uses_with(v)
    branch.erase()  # its blocks hold only the two yields now
    return True


def _without_pass_through(outer: ir.Operation) -> ir.Operation | None:
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


class _Level:
    """One chunked loop after the split: its chunk_outer loop `o`, the chunk_inner loop `i` it
    holds, and the body of `i` (None when the structure is not the split's)."""

    def __init__(self, o: ir.Operation):
        self.o = o
        self.i = _single_loop(o.regions[0].blocks[0], "chunk_inner")
        self.b = _ChunkBody.read(self.i) if self.i is not None else None


class _Chain:
    """Nested parallel chunked loops o1 { i1 { if g1 { o2 { i2 { ... } } } } }, read from the
    outermost chunk_outer loop as deep as interchange applies."""

    def __init__(self, outer: ir.Operation):
        self.levels = [_Level(outer)]
        self.why_not: str | None = None  # why the chain stops where it does (None: no deeper)
        self.hoist: list = []  # ops computed once, above o1
        self.per_iteration: list = []  # per level but the last: ops that move inward
        while self._extend():
            pass

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

    def _no(self, why: str) -> bool:
        self.why_not = why
        return False

    def _extend(self) -> bool:
        """Adds the next level when interchange can take it in."""
        o1, last = self.levels[0].o, self.levels[-1]
        if last.b is None or not _Chain.wanted(last.o):
            return False  # nothing deeper: the chain ends here
        loops = [op for op in last.b.work if op.name == "scf.for"]
        if not loops or _origin(loops[0]) != "chunk_outer":
            return self._no("the inner chunked loop is not the only work of the outer chunk")
        nxt = _Level(loops[0])
        if any(not attrs.PARALLEL.get(l) for l in (last.o, last.i, nxt.o)):
            return self._no(
                "both chunked loops must be pl.parallel (interchange reorders their iterations)"
            )
        if nxt.i is None or not attrs.PARALLEL.get(nxt.i):
            return self._no("the inner chunked loop has an unexpected structure")
        if nxt.b is None:
            return self._no("the inner chunk has an unexpected structure")
        if any(_clamped(l) for l in (last.i, nxt.i)):
            return self._no(
                "clamped chunks are not interchanged (the in-chunk loop's bound "
                "min(C, T - o*C) depends on its chunk); use guarded"
            )
        work = last.b.work
        at = next(n for n, op in enumerate(work) if op == nxt.o)
        if at != len(work) - 1:
            return self._no("other work follows the inner chunked loop in the outer chunk")
        pre = work[:at]
        hoist = _invariant_ops(pre, o1, self.hoist)
        per_iteration = [op for op in pre if not any(op == h for h in hoist)]
        if any(len(op.regions) for op in per_iteration):
            return self._no("the outer chunk has control flow before the inner chunked loop")
        # The rest moves into the innermost guard and runs once per inner iteration (or not at
        # all when the inner loop runs none): only computations may.
        effect = next((op for op in per_iteration if not is_effect_free(op)), None)
        if effect is not None:
            return self._no(
                f"'{effect.name}' in the outer chunk, before the inner chunked loop, "
                f"would run once per inner iteration"
            )
        # What the inner nest's loops need must not change with the outer iterations.
        needed = list(nxt.o.operands)[:3] + list(nxt.i.operands)[:3]
        if nxt.b.trips is not None:
            needed.append(nxt.b.trips)
        hoisted = self.hoist + hoist
        if any(_varies(v, o1, hoisted) for v in needed):
            if any(may_trap(op) for op in per_iteration):
                return self._no(
                    "the inner trip count divides by a value not known to be "
                    "non-zero, which would be computed before the outer loop"
                )
            return self._no("the inner trip count depends on the outer loop's iteration")
        self.hoist = hoisted
        self.per_iteration.append(per_iteration)
        self.levels.append(nxt)
        return True

    def rewrite(self) -> None:
        """o1 { o2 { ... on { i1 { i2 { ... in { k1..kn; if g1 && ... && gn { per; body } } } } } } }"""
        levels = self.levels
        o1 = levels[0].o
        for op in self.hoist:
            op.move_before(o1)
        for l in range(1, len(levels)):  # each chunk loop into the one above, before its i
            levels[l].o.move_before(levels[l - 1].i)
        levels[0].i.move_before(levels[-1].i)  # the in-chunk loops inside the innermost o
        for l in range(1, len(levels)):  # ... each inside the one above, after its k
            above = levels[l - 1]
            anchor = above.b.guard_cmp or above.b.guard_if or _ops(above.i.regions[0].blocks[0])[-1]
            levels[l].i.move_before(anchor)
        inner = levels[-1]
        body = inner.i.regions[0].blocks[0]
        cmps = [lv.b.guard_cmp for lv in levels[:-1] if lv.b.guard_cmp is not None]
        work_at = inner.b.guard_cmp or _ops(body)[-1]
        for cmp in cmps:
            cmp.move_before(work_at)
        conds = [c.results[0] for c in cmps]
        if inner.b.guard_if is not None:
            if conds:
                with ir.InsertionPoint(inner.b.guard_if), inner.i.location:
                    cond = conds[0]
                    for c in conds[1:] + [inner.b.guard_cmp.results[0]]:
                        cond = arith.andi(cond, c)
                inner.b.guard_if.operands[0] = cond
            then = inner.b.guard_if.regions[0].blocks[0]
        elif conds:
            with ir.InsertionPoint(_ops(body)[-1]), inner.i.location:
                cond = conds[0]
                for c in conds[1:]:
                    cond = arith.andi(cond, c)
                wrap = scf.IfOp(cond, [], has_else=False)
                with ir.InsertionPoint(wrap.then_block):
                    scf.YieldOp([])
            wrap_yield = _ops(wrap.then_block)[0]
            for op in inner.b.work:
                op.move_before(wrap_yield)
            then = wrap.then_block
        else:
            then = None
        first = (
            _ops(then)[0]
            if then is not None
            else (inner.b.work[0] if inner.b.work else _ops(body)[-1])
        )
        for ops in self.per_iteration:  # the IVs of the outer levels and friends, in order
            for op in ops:
                op.move_before(first)
        for lv in levels[:-1]:
            if lv.b.guard_if is not None:
                lv.b.guard_if.erase()  # holds only its terminator now


def interchange_chunk_loops(module) -> int:
    """Interchanges every eligible pair of nested parallel chunked loops below `module` (after
    pl-split-chunked-loops); returns how many nests. Remarks explain the loops left alone."""
    root = module.operation
    done = 0
    with root.context:
        # 1. Nests that carry values: memrefs passed through are taken out of iter_args (this
        #    replaces loops, so it runs on the outermost such nests, before anything is read).
        carrying: list = []

        def find_carrying(op):
            op = op.operation
            if _origin(op) == "chunk_outer" and len(op.results) and _Chain.wanted(op):
                carrying.append(op)
                return ir.WalkResult.SKIP  # its inner nests are handled with it
            return ir.WalkResult.ADVANCE

        root.walk(find_carrying, ir.WalkOrder.PRE_ORDER)
        for outer in carrying:
            if _without_pass_through(outer) is None:
                emit_remark(
                    outer,
                    "pl-interchange-chunk-loops: left as it is: the nest carries "
                    "values in iter_args, and interchange would reorder their "
                    "updates",
                )
        # 2. Interchange, outermost nests first. (Loops only move from here on: the handles
        #    collected stay valid.)
        outers: list = []

        def collect(op):
            if _origin(op.operation) == "chunk_outer":
                outers.append(op.operation)
            return ir.WalkResult.ADVANCE

        root.walk(collect, ir.WalkOrder.PRE_ORDER)
        moved: list = []  # the chunk loops that moved out with a chain above them
        said: set = set()  # (location, remark): shift_inwards makes two nests at one place

        def left_alone(outer, why):
            key = (str(outer.location), why)
            if key not in said:
                said.add(key)
                emit_remark(outer, f"pl-interchange-chunk-loops: left as it is: {why}")

        for outer in outers:
            if any(outer == m for m in moved):
                continue  # interchanged with the chain that holds it
            if len(outer.results) or not _Chain.wanted(outer):
                continue  # reported above; or nothing nested (a band's inner loop included)
            chain = _Chain(outer)
            if len(chain.levels) > 1:
                chain.rewrite()
                moved += [lv.o for lv in chain.levels[1:]]
                done += 1
            if chain.why_not is not None:  # at the level where the chain stops
                left_alone(chain.levels[-1].o, chain.why_not)
    return done


@register_pass
@dataclass
class InterchangeChunkLoops(ModulePass):
    name = "pl-interchange-chunk-loops"
    summary = "Move the chunk loops of nested parallel chunked loops outward (one task = a block of chunks), combining their guards"
    preserves_pl_validity = True  # moves loops and their attributes; adds none

    def apply(self, module) -> None:
        interchange_chunk_loops(module)
