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

from collections.abc import Sequence
from dataclasses import dataclass

from mlir import ir
from mlir.dialects import arith, scf

from ..dialect import attrs
from ..dialect.chunk_contract import (
    chunk_index,
    chunks_parallel,
    guard_of,
    is_chunk_outer,
    is_single_chunk,
    is_unit_chunk,
    origin,
)
from ..dialect.diagnostics import emit_remark
from ..dialect.ir_queries import block_ops, collect_ops, defined_outside, defining_op, walk_ops
from ..dialect.static_values import constant_int
from .effects import is_effect_free, may_trap
from .ir import LoopInfo, discardable_attributes, new_for, transplant_body
from .registry import ModulePass, register_pass


@dataclass
class _ChunkBody:
    """The body of a chunk_inner loop, read through the chunk contract: k (the addi of
    `cs + i`, None when k is the IV), the guard `if k < T` of a `pl.guarded` loop with its
    comparison, and the ops the guard wraps (or, unguarded, the ops but k and the terminator).
    None when the body holds anything else beside the guard (interchange would have to move
    it): the nest is then left alone with a remark."""

    loop: ir.Operation
    k: ir.Operation | None
    guard_cmp: ir.Operation | None
    guard_if: ir.Operation | None
    work: list[ir.Operation]

    @classmethod
    def read(cls, loop: ir.Operation) -> _ChunkBody | None:
        ops = block_ops(loop.regions[0].blocks[0])
        if attrs.GUARDED.get(loop):
            guard = guard_of(loop)
            if guard is None:
                return None  # its guard is gone: a cleanup changed the chunk
            term = guard.single
            if term is None or len(guard.op.results):
                return None  # a conjunction (interchanged already) or a guard with results
            k = defining_op(term.index) if term.chunk_start is not None else None
            expected = [op for op in (k, term.compare, guard.op, ops[-1]) if op is not None]
            if len(ops) != len(expected) or any(op not in expected for op in ops):
                return None
            then = block_ops(guard.op.regions[0].blocks[0])
            return cls(loop, k, term.compare, guard.op, then[:-1])
        k = chunk_index(loop)
        return cls(loop, k, None, None, [op for op in ops[:-1] if k is None or op != k])

    @property
    def trips(self) -> ir.Value | None:
        return self.guard_cmp.operands[1] if self.guard_cmp is not None else None


def _bounds_vary_by_chunk(inner: ir.Operation, outer: ir.Operation) -> bool:
    """The in-chunk loop's bounds are computed inside its chunk loop `outer` (clamped's
    min(C, T - o*C), or a hand-written bound alike): a property of the values, whatever ops
    compute them. Interchange needs the same in-chunk range in every chunk."""
    return any(
        constant_int(v) is None and not defined_outside(v, outer) for v in inner.operands[:3]
    )


def _single_loop(block: ir.Block, kind: str) -> ir.Operation | None:
    loops = [op for op in block_ops(block) if op.name == "scf.for"]
    return loops[0] if len(loops) == 1 and origin(loops[0]) == kind else None


def _invariant_ops(
    ops: list[ir.Operation], loop: ir.Operation, hoisted: Sequence[ir.Operation] = ()
) -> list[ir.Operation]:
    """The ops of `ops` (in order) that compute the same value in every iteration of `loop` and
    may run before it even when it runs no iteration: without effects, regions or a possible
    trap, with operands defined outside `loop` or by earlier such ops. (Ops compare with ==;
    they are not reliably hashable.)"""
    out: list[ir.Operation] = []
    for op in ops:
        if len(op.regions) or not is_effect_free(op) or may_trap(op):
            continue
        ok = True
        for v in op.operands:
            d = defining_op(v)
            if d is not None and any(d == h for h in list(hoisted) + out):
                continue
            if not defined_outside(v, loop):
                ok = False
                break
        if ok:
            out.append(op)
    return out


def _varies(v: ir.Value, loop: ir.Operation, hoisted: list[ir.Operation]) -> bool:
    """`v` may differ between iterations of `loop` (once `hoisted` ops are moved out)."""
    d = defining_op(v)
    if d is not None and any(d == h for h in hoisted):
        return False
    return not defined_outside(v, loop)


def _drop_pass_through(loop: ir.Operation) -> ir.Operation | None:
    """`loop` without its iter_args when each passes a memref through unchanged (the loop that
    replaces it); `loop` itself when it has none; None when it carries anything else."""
    if not len(loop.results):
        return loop
    body = loop.regions[0].blocks[0]
    args = list(body.arguments)[1:]
    term = block_ops(body)[-1]
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
        ops = block_ops(new.body)
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
    then_yield = block_ops(branch.regions[0].blocks[0])[-1]
    else_yield = block_ops(branch.regions[1].blocks[0])[-1]
    pairs = list(zip(then_yield.operands, else_yield.operands, strict=False))
    if any(a != b for a, b in pairs):
        return False
    with ir.InsertionPoint(branch), branch.location:
        new = scf.IfOp(branch.operands[0], [], has_else=False)
    for op in block_ops(branch.regions[0].blocks[0])[:-1]:
        new.then_block.append(op)
    with ir.InsertionPoint(new.then_block), branch.location:
        scf.YieldOp([])
    for r, (v, _) in zip(branch.results, pairs, strict=False):
        r.replace_all_uses_with(v)
    branch.erase()  # its blocks hold only the two yields now
    return True


def _drop_region_results(region: ir.Operation) -> ir.Operation | None:
    """A single-chunk region that yields values defined outside it (its chunk loop's memrefs,
    once that loop passes them through) without results (uses take the values): the region
    that replaces it; None when it yields a value computed inside."""
    block = region.regions[0].blocks[0]
    term = block_ops(block)[-1]
    yielded = list(term.operands)
    if not all(defined_outside(v, region) for v in yielded):
        return None
    kept = {n: region.attributes[n] for n in region.attributes}
    with ir.InsertionPoint(region), region.location:
        new = ir.Operation.create("scf.execute_region", results=[], attributes=kept, regions=1)
    new_block = new.regions[0].blocks.append()
    for op in block_ops(block)[:-1]:
        new_block.append(op)
    with ir.InsertionPoint(new_block), region.location:
        scf.YieldOp([])
    for r, v in zip(region.results, yielded, strict=False):
        r.replace_all_uses_with(v)
    region.erase()  # its block holds only the old yield now
    return new


def _unit_chunk_as_loop(region: ir.Operation, c0: ir.Value, c1: ir.Value) -> ir.Operation | None:
    """A pl.unit_chunk region (chunk 1) becomes the one-trip chunk_inner loop it stands for,
    with its chunk loop's attributes, so that the chain reads every level alike
    (_fold_unit_loop undoes it after interchange). None when the region yields a value
    computed inside it (the nest carries values: it is reported and left alone)."""
    if len(region.results):
        new = _drop_region_results(region)
        if new is None:
            return None
        region = new
    chunks = region.parent
    kept = discardable_attributes(
        chunks, drop=("no_inline", attrs.SINGLE_CHUNK.name, attrs.LOOP_ORIGIN.name)
    )
    kept[attrs.LOOP_ORIGIN.name] = ir.StringAttr.get(attrs.CHUNK_INNER)
    with ir.InsertionPoint(region), region.location:
        loop = new_for(c0, c1, c1, [], kept)
    block = region.regions[0].blocks[0]
    for op in block_ops(block)[:-1]:
        loop.body.append(op)
    with ir.InsertionPoint(loop.body), region.location:
        scf.YieldOp([])
    region.erase()  # its block holds only its yield now
    return loop.operation


def _fold_unit_loop(loop: ir.Operation) -> None:
    """A one-trip loop from _unit_chunk_as_loop, once interchange is done: its body takes its
    place (canonicalize would fold it, and drop a guard marker with it). The combined guard
    that interchange may have put in it is marked on the enclosing in-chunk loop, which now
    holds it (its k varies with that loop). Left as it is when no such loop encloses it."""
    parent = loop.parent
    guarded = attrs.GUARDED.get(loop)
    if guarded and (parent.name != "scf.for" or origin(parent) != attrs.CHUNK_INNER):
        return
    for op in block_ops(loop.regions[0].blocks[0])[:-1]:
        op.move_before(loop)  # the iv has no uses: k is the chunk's start, defined outside
    loop.erase()  # holds only its yield now
    if guarded:
        attrs.GUARDED.set(parent)


def _without_pass_through(outer: ir.Operation) -> ir.Operation | None:
    """The nest rooted at `outer` with every memref that its chunk loops (and their guards)
    pass through unchanged taken out of iter_args; returns the new outer loop, or None when
    something else is carried."""
    found: list[ir.Operation] = []

    def collect(op):
        op = op.operation
        if len(op.results) and (
            origin(op) is not None or op.name == "scf.if" or is_single_chunk(op)
        ):
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
        new = _drop_region_results(op) if is_single_chunk(op) else _drop_pass_through(op)
        if new is None:
            return None
        if is_outer:
            new_outer = new
    return new_outer


class _Level:
    """One chunked loop after the split: its chunk_outer loop `o`, the chunk_inner loop `i` it
    holds, and the body of `i`."""

    def __init__(self, o: ir.Operation, i: ir.Operation, b: _ChunkBody):
        self.o, self.i, self.b = o, i, b

    @staticmethod
    def read(o: ir.Operation) -> _Level | None:
        """The level of chunk_outer loop `o`; None when the structure is not the split's."""
        i = _single_loop(o.regions[0].blocks[0], attrs.CHUNK_INNER)
        b = _ChunkBody.read(i) if i is not None else None
        return _Level(o, i, b) if i is not None and b is not None else None


class _Chain:
    """Nested parallel chunked loops o1 { i1 { if g1 { o2 { i2 { ... } } } } }, read from the
    outermost chunk_outer loop as deep as interchange applies."""

    def __init__(self, outer: ir.Operation):
        first = _Level.read(outer)
        self.levels: list[_Level] = [first] if first is not None else []
        self.why_not: str | None = None  # why the chain stops where it does (None: no deeper)
        self.hoist: list[ir.Operation] = []  # ops computed once, above o1
        self.per_iteration: list[
            list[ir.Operation]
        ] = []  # per level but the last: ops that move inward
        while self._extend():
            pass

    @staticmethod
    def wanted(outer: ir.Operation) -> bool:
        """A chunk loop holds another chunk loop: interchange is wanted (a remark if it cannot
        be done)."""
        found = []

        def visit(op):
            if op.operation != outer and is_chunk_outer(op.operation):
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
        if not self.levels:
            return False  # the outermost loop is not the split's: no chain
        o1, last = self.levels[0].o, self.levels[-1]
        if not _Chain.wanted(last.o):
            return False  # nothing deeper: the chain ends here
        loops = [op for op in last.b.work if op.name == "scf.for" or is_single_chunk(op)]
        if not loops or not is_chunk_outer(loops[0]):
            return self._no("the inner chunked loop is not the only work of the outer chunk")
        nxt_o = loops[0]
        nxt_i = _single_loop(nxt_o.regions[0].blocks[0], attrs.CHUNK_INNER)
        if any(not chunks_parallel(loop) for loop in (last.o, last.i, nxt_o)):
            return self._no(
                "both chunked loops must be pl.parallel (interchange reorders their iterations)"
            )
        if nxt_i is None or not attrs.PARALLEL.get(nxt_i):
            return self._no("the inner chunked loop has an unexpected structure")
        nxt_b = _ChunkBody.read(nxt_i)
        if nxt_b is None:
            return self._no("the inner chunk has an unexpected structure")
        nxt = _Level(nxt_o, nxt_i, nxt_b)
        if any(_bounds_vary_by_chunk(level.i, level.o) for level in (last, nxt)):
            return self._no(
                "the in-chunk loop's bounds depend on its chunk (as clamped's min(C, T - o*C) "
                "does), so chunks are not interchanged; use guarded"
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
        """o1 { i1 { if g1 { o2 { i2 { if g2 { body } } } } } }, at any depth, becomes
        o1 { o2 { i1 { i2 { k1; k2; if g1 && g2 { per; body } } } } }, in named steps."""
        self._hoist_invariants()
        self._chunk_loops_outward()
        self._in_chunk_loops_inward()
        then = self._combine_guards()
        self._per_iteration_inward(then)
        self._erase_outer_guards()

    def _hoist_invariants(self) -> None:
        # o1 { i1 { if g1 { n = f(x); o2 [0, n) {...} } } }
        # n = f(x); o1 { i1 { if g1 { o2 [0, n) {...} } } }
        o1 = self.levels[0].o
        for op in self.hoist:
            op.move_before(o1)

    def _chunk_loops_outward(self) -> None:
        # o1 { i1 { if g1 { o2 { i2 {...} } } } }
        # o1 { o2 { i1 { if g1 {} } i2 {...} } }, then i1 into the innermost o: o2 { i1 i2 }
        levels = self.levels
        for above, level in zip(levels, levels[1:], strict=False):  # before the i above
            level.o.move_before(above.i)
        levels[0].i.move_before(levels[-1].i)

    def _in_chunk_loops_inward(self) -> None:
        # o2 { i1 { k1; g1; if g1 {} } i2 { k2; g2; if g2 { body } } }
        # o2 { i1 { k1; i2 { k2; g2; if g2 { body } } g1; if g1 {} } }
        for above, level in zip(self.levels, self.levels[1:], strict=False):
            ops = block_ops(above.i.regions[0].blocks[0])
            level.i.move_before(above.b.guard_cmp or above.b.guard_if or ops[-1])

    def _combine_guards(self) -> ir.Block | None:
        """Returns the block that now holds the innermost body under all the guards (None when
        no level had a guard)."""
        # i1 { k1; i2 { k2; g2; if g2 { body } } g1; if g1 {} }
        # i1 { k1; i2 { k2; g1; g2; if g1 && g2 { body } } if g1 {} }
        inner = self.levels[-1]
        body = inner.i.regions[0].blocks[0]
        cmps = [lv.b.guard_cmp for lv in self.levels[:-1] if lv.b.guard_cmp is not None]
        for cmp in cmps:
            cmp.move_before(inner.b.guard_cmp or block_ops(body)[-1])
        conds = [c.results[0] for c in cmps]
        if inner.b.guard_if is not None:
            if conds:
                assert inner.b.guard_cmp is not None  # read() finds a guard with its comparison
                with ir.InsertionPoint(inner.b.guard_if), inner.i.location:
                    inner.b.guard_if.operands[0] = _conjunction(
                        conds + [inner.b.guard_cmp.results[0]]
                    )
            return inner.b.guard_if.regions[0].blocks[0]
        if not conds:
            return None
        with ir.InsertionPoint(block_ops(body)[-1]), inner.i.location:
            wrap = scf.IfOp(_conjunction(conds), [], has_else=False)
            with ir.InsertionPoint(wrap.then_block):
                wrap_yield = scf.YieldOp([])
        for op in inner.b.work:
            op.move_before(wrap_yield)
        attrs.GUARDED.set(inner.i)  # its body now runs under a guard (the contract's reader)
        return wrap.then_block

    def _per_iteration_inward(self, then: ir.Block | None) -> None:
        # i2 { iv1 = lb1 + k1*s1; k2; ...; if g { body } }    (the outer levels' own values)
        # i2 { k2; ...; if g { iv1 = lb1 + k1*s1; body } }
        inner = self.levels[-1]
        if then is not None:
            first = block_ops(then)[0]
        elif inner.b.work:
            first = inner.b.work[0]
        else:
            first = block_ops(inner.i.regions[0].blocks[0])[-1]
        for ops in self.per_iteration:  # in order: each may use the ones before
            for op in ops:
                op.move_before(first)

    def _erase_outer_guards(self) -> None:
        # i1 { k1; i2 {...}; if g1 {} }
        # i1 { k1; i2 {...} }
        for lv in self.levels[:-1]:
            if lv.b.guard_if is not None:
                lv.b.guard_if.erase()  # holds only its terminator now
                attrs.GUARDED.remove(lv.i)


def _conjunction(conds: list[ir.Value]) -> ir.Value:
    """conds[0] && conds[1] && ..., at the current insertion point."""
    cond = conds[0]
    for c in conds[1:]:
        cond = arith.andi(cond, c)
    return cond


def interchange_chunk_loops(module) -> int:
    """Interchanges every eligible pair of nested parallel chunked loops below `module` (after
    pl-split-chunked-loops); returns how many nests. Remarks explain the loops left alone."""
    root = module.operation
    done = 0
    with root.context:
        # 0. Chunks of 1 (pl.unit_chunk regions) inside nests to interchange: loops again.
        nests: list[tuple[ir.Operation, list[ir.Operation]]] = []  # (nest, its regions)

        def find_units(op):
            op = op.operation
            if is_chunk_outer(op) and _Chain.wanted(op):
                # the split's chunks of 1 sit right in their chunk loop, whose markers they take
                found = walk_ops(op, lambda r: is_unit_chunk(r) and is_chunk_outer(r.parent))
                if found:
                    nests.append((op, found))
                return ir.WalkResult.SKIP  # its inner nests are handled with it
            return ir.WalkResult.ADVANCE

        # most modules have no chunk of 1: one fast walk for regions saves the Python walk
        if any(is_unit_chunk(r) for r in collect_ops(root, [scf.ExecuteRegionOp])):
            root.walk(find_units, ir.WalkOrder.PRE_ORDER)
        unit_loops: list[ir.Operation] = []
        bounds: list[ir.Operation] = []  # their constants, erased at the end when unused
        for nest, regions in nests:
            with ir.InsertionPoint(nest), nest.location:  # bounds invariant in the nest
                c0 = arith.constant(ir.IndexType.get(), 0)
                c1 = arith.constant(ir.IndexType.get(), 1)
            bounds += [c0.owner, c1.owner]
            for region in regions:
                loop = _unit_chunk_as_loop(region, c0, c1)
                if loop is not None:
                    unit_loops.append(loop)
        # 1. Nests that carry values: memrefs passed through are taken out of iter_args (this
        #    replaces loops, so it runs on the outermost such nests, before anything is read).
        carrying: list[ir.Operation] = []

        def find_carrying(op):
            op = op.operation
            if is_chunk_outer(op) and len(op.results) and _Chain.wanted(op):
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
        outers: list[ir.Operation] = []

        def collect(op):
            if is_chunk_outer(op.operation):
                outers.append(op.operation)
            return ir.WalkResult.ADVANCE

        root.walk(collect, ir.WalkOrder.PRE_ORDER)
        moved: list[ir.Operation] = []  # the chunk loops that moved out with a chain above them
        said: set[tuple[str, str]] = (
            set()
        )  # (location, remark): shift_inwards makes two nests at one place

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
        # 3. The one-trip loops of step 0 go, innermost first (a guard moves outward).
        for loop in reversed(unit_loops):
            _fold_unit_loop(loop)
        for c in bounds:
            if not any(True for _ in c.results[0].uses):
                c.erase()
    return done


@register_pass
@dataclass
class InterchangeChunkLoops(ModulePass):
    name = "pl-interchange-chunk-loops"
    summary = (
        "Move the chunk loops of nested parallel chunked loops outward (one task = a block of "
        "chunks), combining their guards"
    )
    preserves_pl_validity = True  # moves loops and their attributes; adds none

    def apply(self, module) -> None:
        interchange_chunk_loops(module)
