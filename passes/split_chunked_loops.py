"""`pl-split-chunked-loops`: every chunked `scf.for` becomes an explicit loop nest under its
tail policy.

With T = max(ceildiv(ub - lb, step), 0), C = pl.chunk and k = o*C + i (the flat iteration):

* guarded:      for o in [0, ceildiv(T, C)) { for i in [0, C) { if k < T { body(lb + k*step) } } }
                iter_args pass through the scf.if; its else-branch yields them unchanged.
* leading_full: for o in [0, T / C) { for i in [0, C) { body } }, then
                for r in [0, T % C) { body(lb + (T/C*C + r)*step) }, chained through iter_args.
* clamped:      for o in [0, ceildiv(T, C)) { for i in [0, min(C, T - o*C)) { body } }.
* shift_inwards (per loop only; legal when re-running an iteration changes nothing, see
                shift_legality.py): full chunks starting at min(o*C, T - C); T < C runs one
                guarded chunk.
* auto:         chosen per loop by `choose_policy` (the decision table of docs/policies.md).
* growth:       leading_full (with a remainder) and a dynamic shift_inwards copy the body; only
                the outermost max_copy_depth such loops of a nest keep that policy, deeper ones
                are split guarded (`_within_limit`), so a body exists at most
                2**max_copy_depth times.

Static trip counts drop what cannot run: no guard when C divides T, no remainder when T % C is
0, no main nest when T < C, and no loop at all when T is 0 (its results become its inits). One
chunk gets no one-trip outer loop, which canonicalize would fold with its marker, but an
`scf.execute_region no_inline {pl.single_chunk}` around its in-chunk loop; a chunk of 1 gets
no one-trip in-chunk loop (nor guard) but an `scf.execute_region no_inline {pl.unit_chunk}`.
Nested chunked loops are split inside-out by one post-order walk; nothing else is touched.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlir import ir
from mlir.dialects import arith, scf

from ..dialect import attrs
from ..dialect.diagnostics import DiagnosedError, carries_diagnostics, emit_error, emit_remark
from ..dialect.loop_arith import IndexBuilder, compare, dynamic_trip_count, induction_value
from ..dialect.verify import check_op
from .ir import LoopInfo, discardable_attributes, new_for, transplant_body
from .pattern_walk import ops_of_type, rewrite_each
from .registry import ModulePass, PipelineError, option, register_pass
from .shift_legality import why_not_idempotent

# Nested chunked loops that may copy their body: 2**4 = 16 copies at most (docs/policies.md).
DEFAULT_MAX_COPY_DEPTH = 4


class _Split:
    """Rewrites one chunked loop. Built at the loop's insertion point."""

    def __init__(self, info: LoopInfo, chunk: int, origins: dict[str, ir.Attribute]):
        self.info = info
        self.chunk = chunk
        self.b = IndexBuilder(reuse=(info.lb, info.ub, info.step))
        kept = discardable_attributes(info.op, drop=attrs.CHUNK_ATTRS)
        # The attributes of each kind of generated loop: the source loop's, plus its origin.
        self.attrs = {
            origin: {**kept, attrs.LOOP_ORIGIN.name: attr} for origin, attr in origins.items()
        }
        self.c0, self.c1, self.cC = self.b.const(0), self.b.const(1), self.b.const(chunk)
        static = info.static_trip_count(self.b)
        self.static_trips = static
        if static is None:
            self.trips = dynamic_trip_count(self.b, info.lb, info.ub, info.step, info.unsigned)

    def _place_body(self, body_src: ir.Operation, dest: ir.Block, k: ir.Value, iter_values) -> None:
        with ir.InsertionPoint(dest):
            iv = induction_value(self.b, k, self.info.lb, self.info.step)
        transplant_body(body_src, dest, iv, iter_values)

    def _chunk_nest(
        self,
        n_outer: ir.Value,
        inits,
        body_src: ir.Operation,
        guard,
        clamp: bool = False,
        shift_to: ir.Value | None = None,
    ) -> ir.Operation:
        """for o in [0, n_outer) { for i in [0, C) { [if k < T] body } } with k = start + i,
        start = o*C. `clamp`: the inner loop stops at min(C, T - start). `shift_to`: start is
        min(o*C, shift_to) (the last chunk moves back to end at T).

        One chunk (n_outer the constant 1) gets no outer loop: canonicalize would fold a
        one-trip loop and drop its marker. Its chunk_inner loop sits in
        `scf.execute_region no_inline {pl.single_chunk}` instead, with start = 0."""
        single = self.b.value_of(n_outer) == 1
        if single:
            outer = self._marked_region(inits, attrs.SINGLE_CHUNK)
            block = outer.regions[0].blocks[0]
            chunk_start, chunk_inits = self.c0, list(inits)
        else:
            loop = new_for(self.c0, n_outer, self.c1, inits, self.attrs[attrs.CHUNK_OUTER])
            outer, block, chunk_inits = loop.operation, loop.body, list(loop.inner_iter_args)
            with ir.InsertionPoint(block):
                chunk_start = self.b.mul(loop.induction_variable, self.cC)  # o*C, once per chunk
        with ir.InsertionPoint(block):
            if shift_to is not None:
                chunk_start = arith.minui(chunk_start, shift_to)
            if self.chunk == 1:
                self._unit_chunk(chunk_start, chunk_inits, body_src)
                return outer
            inner_ub = self.cC
            if clamp and single and self.static_trips is not None:
                inner_ub = self.b.const(min(self.chunk, self.static_trips))
            elif clamp:  # start < T inside the outer loop: T - start cannot wrap
                inner_ub = arith.minui(self.cC, arith.subi(self.trips_value(), chunk_start))
            inner_attrs = self.attrs[attrs.CHUNK_INNER]
            if guard:
                inner_attrs = {**inner_attrs, attrs.GUARDED.name: ir.UnitAttr.get()}
            inner = new_for(self.c0, inner_ub, self.c1, chunk_inits, inner_attrs)
            scf.YieldOp(list(inner.results))
        carried = list(inner.inner_iter_args)
        with ir.InsertionPoint(inner.body):
            k = self.b.add(chunk_start, inner.induction_variable)
            if not guard:
                self._place_body(body_src, inner.body, k, carried)
                return outer
            in_range = compare(arith.CmpIPredicate.ult, k, self.trips_value())
            branch = scf.IfOp(in_range, [v.type for v in carried], has_else=bool(carried))
            if carried:
                with ir.InsertionPoint(branch.else_block):
                    scf.YieldOp(carried)
            scf.YieldOp(list(branch.results))
        self._place_body(body_src, branch.then_block, k, carried)
        return outer

    def _unit_chunk(self, k: ir.Value, inits: list[ir.Value], body_src: ir.Operation) -> None:
        """Chunk 1: the chunk's one iteration k in `scf.execute_region no_inline
        {pl.unit_chunk}` and a yield of its results, at the current insertion point. No
        one-trip chunk_inner loop (canonicalize would fold it with its origin and guard) and no
        guard: there are T chunks of one iteration, all of them run."""
        region = self._marked_region(inits, attrs.UNIT_CHUNK)
        self._place_body(body_src, region.regions[0].blocks[0], k, inits)
        scf.YieldOp(list(region.results))

    def trips_value(self) -> ir.Value:
        if self.static_trips is not None:
            return self.b.const(self.static_trips)
        return self.trips

    def guarded(self) -> list[ir.Value]:
        C, T = self.chunk, self.static_trips
        if T is not None:
            guard = T % C != 0
            if guard:
                self.trips_value()  # the constant T, created here so that it dominates the nest
            n_outer = self.b.const(-(-T // C))
        else:
            guard = True
            n_outer = self.b.op("arith.ceildivui", self.trips, self.cC)
        nest = self._chunk_nest(n_outer, self.info.inits, self.info.op, guard)
        return list(nest.results)

    def clamped(self) -> list[ir.Value]:
        C, T = self.chunk, self.static_trips
        if T is not None:
            if T % C == 0:
                nest = self._chunk_nest(self.b.const(T // C), self.info.inits, self.info.op, False)
                return list(nest.results)
            self.trips_value()  # the constant T, created here so that it dominates the nest
            n_outer = self.b.const(-(-T // C))
        else:
            n_outer = self.b.op("arith.ceildivui", self.trips, self.cC)
        nest = self._chunk_nest(n_outer, self.info.inits, self.info.op, False, clamp=True)
        return list(nest.results)

    def shift_inwards(self) -> list[ir.Value]:
        """Full chunks only, the last one moved back to end at T; T < C runs one guarded chunk.
        The loop has no iter_args (checked before anything is rewritten)."""
        C, T = self.chunk, self.static_trips
        info = self.info
        if T is not None:
            if T % C == 0:
                self._chunk_nest(self.b.const(T // C), [], info.op, False)
            elif T < C:
                self.trips_value()
                self._chunk_nest(self.c1, [], info.op, True)
            else:
                shift_to = self.b.const(T - C)
                self._chunk_nest(self.b.const(-(-T // C)), [], info.op, False, shift_to=shift_to)
            return []
        fallback_src = info.op.clone(ip=ir.InsertionPoint(info.op))  # the T < C copy of the body
        n_outer = self.b.op("arith.ceildivui", self.trips, self.cC)
        big = compare(arith.CmpIPredicate.uge, self.trips, self.cC)
        branch = scf.IfOp(big, [], has_else=True)
        with ir.InsertionPoint(branch.then_block):
            self._chunk_nest(n_outer, [], info.op, False, shift_to=arith.subi(self.trips, self.cC))
            scf.YieldOp([])
        with ir.InsertionPoint(branch.else_block):
            self._chunk_nest(n_outer, [], fallback_src, True)  # n_outer is 0 or 1 here
            scf.YieldOp([])
        fallback_src.erase()  # the emptied copy: no uses, nothing inside
        return []

    def leading_full(self) -> list[ir.Value]:
        C, T = self.chunk, self.static_trips
        info = self.info
        if T is not None:
            n_full = T // C
            n_rem = T % C
            main = n_full > 0
            rem = n_rem > 0
            n_full_v = self.b.const(n_full) if main else None
            n_rem_v = self.b.const(n_rem) if rem else None
            base = self.b.const(n_full * C) if rem else None
        else:
            main = rem = True
            n_full_v = self.b.op("arith.divui", self.trips, self.cC)
            n_rem_v = self.b.op("arith.remui", self.trips, self.cC)
            base = self.b.op("arith.muli", n_full_v, self.cC)
        results = list(info.inits)
        # Both parts need the body: the remainder gets a copy, cloned before anything moves.
        rem_src: ir.Operation | None = None
        if main and rem:
            rem_src = info.op.clone(ip=ir.InsertionPoint(info.op))
        elif rem:
            rem_src = info.op
        if main:
            nest = self._chunk_nest(n_full_v, results, info.op, guard=False)
            results = list(nest.results)
        if rem:
            assert rem_src is not None  # chosen above whenever there is a remainder
            wrapper = self._marked_region(results, attrs.REMAINDER)
            with ir.InsertionPoint(wrapper.regions[0].blocks[0]):
                loop = new_for(
                    self.c0, n_rem_v, self.c1, results, self.attrs[attrs.CHUNK_REMAINDER]
                )
                ir.Operation.create("scf.yield", operands=list(loop.results))
            with ir.InsertionPoint(loop.body):
                k = self.b.add(base, loop.induction_variable)
            self._place_body(rem_src, loop.body, k, list(loop.inner_iter_args))
            results = list(wrapper.results)
            if rem_src is not info.op:
                rem_src.erase()  # the emptied copy: no uses, nothing inside
        return results

    def _marked_region(self, inits: list[ir.Value], marker: attrs.UnitAttr) -> ir.Operation:
        """`scf.execute_region no_inline {marker}` (pl.remainder, pl.single_chunk,
        pl.unit_chunk) with an empty
        block: canonicalize folds a one-trip loop and drops its attributes, but keeps this
        region and its marker. (Built with Operation.create, cheaper than the generated
        builder.)"""
        unit = ir.UnitAttr.get()
        marks = {"no_inline": unit, marker.name: unit}
        source = self.info.op.attributes
        copied = [attrs.NAME_HINT.name]
        if marker is attrs.SINGLE_CHUNK:
            copied.append(attrs.PARALLEL.name)  # the region stands for the chunk_outer loop
        for name in copied:
            if name in source:
                marks[name] = source[name]
        region = ir.Operation.create(
            "scf.execute_region", results=[v.type for v in inits], attributes=marks, regions=1
        )
        region.regions[0].blocks.append()
        return region


def split_loop(
    op: ir.Operation,
    default_policy: str,
    origins: dict[str, ir.Attribute] | None = None,
    explain: bool = False,
    max_copy_depth: int = DEFAULT_MAX_COPY_DEPTH,
) -> list[ir.Value]:
    """Builds the nest of one chunked loop before it; returns the values that replace its
    results. The caller removes the (emptied) loop."""
    info = LoopInfo.of(op)
    if origins is None:
        origins = origin_attributes(op.context)
    split = _Split(info, _chunk(op), origins)
    chosen = _chosen_policy(info, split.chunk, split.static_trips, default_policy)
    policy, reason, limited = _within_limit(op, chosen, default_policy, max_copy_depth)
    if reason is not None:  # auto: the limit is part of its choice, explained on demand
        if explain:
            emit_remark(op, f"pl.chunk: auto chose {reason}")
    elif limited:
        emit_remark(op, f"pl.chunk: guarded instead of {limited}: {_limit_reason(max_copy_depth)}")
    if split.static_trips == 0:
        return list(info.inits)
    return {
        "leading_full": split.leading_full,
        "clamped": split.clamped,
        "shift_inwards": split.shift_inwards,
    }.get(policy, split.guarded)()


def copies_body(policy: str, trips: int | None, chunk: int) -> bool:
    """The policy emits the loop body twice (leading_full's main nest and remainder, a dynamic
    shift_inwards's full and short chunk), so in a nest each such level doubles the output."""
    if policy == "leading_full":
        return trips is None or (trips > chunk and trips % chunk != 0)
    if policy == "shift_inwards":
        return trips is None
    return False


def _chosen_policy(
    info: LoopInfo, chunk: int, trips: int | None, default_policy: str
) -> tuple[str, str | None, int | None]:
    """The policy a loop asks for (auto resolved), auto's reason (else None), its static T."""
    policy = attrs.CHUNK_POLICY.get(info.op) or default_policy
    if policy != "auto":
        return policy, None, trips
    parallel = attrs.PARALLEL.get(info.op)
    policy, reason = choose_policy(trips, chunk, bool(info.inits), parallel)
    return policy, reason, trips


def _chosen_policy_of(op: ir.Operation, default_policy: str) -> tuple[str, str | None, int | None]:
    info = LoopInfo.of(op)
    trips = info.static_trip_count(IndexBuilder(reuse=(info.lb, info.ub, info.step)))
    return _chosen_policy(info, _chunk(op), trips, default_policy)


def _chunk(op: ir.Operation) -> int:
    chunk = attrs.CHUNK.get(op)
    assert chunk is not None, "only chunked loops are split"  # checked by _check_loops first
    return chunk


def _within_limit(
    op: ir.Operation,
    chosen: tuple[str, str | None, int | None],
    default_policy: str,
    max_copy_depth: int,
) -> tuple[str, str | None, str | None]:
    """The policy for `op` under the growth limit, given its own `_chosen_policy`: at most
    `max_copy_depth` nested chunked loops (outermost first) copy their body; a deeper one that
    would is split `guarded` instead. Returns the policy, auto's reason (else None) and the
    policy the limit replaced (else None). The enclosing loops are read only when they can
    matter: `op` copies its body and at least max_copy_depth chunked loops enclose it (most
    loops are not nested, and this runs once per loop)."""
    policy, reason, trips = chosen
    if not copies_body(policy, trips, _chunk(op)):
        return policy, reason, None
    enclosing: list[ir.Operation] = []
    parent = op.parent
    while parent is not None:
        if parent.name == "scf.for" and attrs.CHUNK.name in parent.attributes:
            enclosing.append(parent.operation)
        parent = parent.parent
    if len(enclosing) < max_copy_depth:
        return policy, reason, None
    depth = 0  # enclosing loops that copy their body, outermost first, up to the limit
    for loop in reversed(enclosing):
        outer_policy, _, outer_trips = _chosen_policy_of(loop, default_policy)
        if copies_body(outer_policy, outer_trips, _chunk(loop)) and depth < max_copy_depth:
            depth += 1
    if depth < max_copy_depth:
        return policy, reason, None
    if reason is not None:
        reason = f"guarded: {reason.split(': ', 1)[1]}, but {_limit_reason(max_copy_depth)}"
    return "guarded", reason, policy


def _limit_reason(max_copy_depth: int) -> str:
    loops = "loop already copies its" if max_copy_depth == 1 else "loops already copy their"
    return (
        f"{max_copy_depth} enclosing chunked {loops} body "
        f"(max_copy_depth={max_copy_depth}: at most {2**max_copy_depth} copies of a body)"
    )


def choose_policy(trips: int | None, chunk: int, carried: bool, parallel: bool) -> tuple[str, str]:
    """The `auto` decision table (docs/policies.md): the policy, and the remark's text."""
    if trips is not None:
        if trips % chunk == 0:
            return "guarded", (
                f"no tail code: static trip count {trips} is a multiple of the chunk {chunk}"
            )
        return "leading_full", (
            f"leading_full: static trip count {trips} leaves a remainder of {trips % chunk}"
        )
    if carried and parallel:
        return "guarded", "guarded: dynamic trip count, loop-carried values and pl.parallel"
    if carried:
        return "guarded", "guarded: dynamic trip count and loop-carried values"
    if parallel:
        return "guarded", "guarded: dynamic trip count and pl.parallel (one kernel per loop)"
    return "clamped", "clamped: dynamic trip count, nothing carried, not parallel"


def origin_attributes(context: ir.Context) -> dict[str, ir.Attribute]:
    """The `pl.loop_origin` value of each kind of generated loop, built once per run."""
    return {o: attrs.LOOP_ORIGIN.attribute(o, context) for o in attrs.LOOP_ORIGINS}


def _pattern(
    default_policy: str, origins: dict[str, ir.Attribute], explain: bool, max_copy_depth: int
):
    def rewrite(loop, rewriter) -> bool:
        op = loop.operation
        if attrs.CHUNK.name not in op.attributes:
            return False
        with rewriter.ip, op.location:
            replacements = split_loop(op, default_policy, origins, explain, max_copy_depth)
        if len(op.results):
            rewriter.replace_op(op, replacements)
        else:
            rewriter.erase_op(op)
        return True

    return rewrite


@carries_diagnostics
def split_chunked_loops(
    module,
    policy: str = attrs.DEFAULT_POLICY,
    explain: bool = False,
    max_copy_depth: int = DEFAULT_MAX_COPY_DEPTH,
) -> None:
    """Splits every chunked `scf.for` below `module` (an Operation, or a Module).

    `policy` applies to loops without their own `pl.chunk_policy`; `explain` reports each
    choice of the `auto` policy as a remark at its loop. `max_copy_depth` bounds the growth: a
    chunked loop below that many loops that copy their body is split `guarded` (a remark says
    so), so the body exists at most 2**max_copy_depth times. The `pl.*` attributes of every scf.for
    are checked first (and a `shift_inwards` loop's legality): on problems the located errors
    are reported, DiagnosedError is raised and the IR is unchanged. (`pl-verify` checks the
    attributes of all other ops.)
    """
    if policy not in attrs.OPTION_POLICIES:
        raise ValueError(
            f"unknown policy {policy!r}; expected one of {', '.join(attrs.OPTION_POLICIES)}"
        )
    if max_copy_depth < 0:
        raise ValueError(f"max_copy_depth must be at least 0, got {max_copy_depth}")
    op = module.operation
    with op.context:
        _check_loops(op)
        rewrite_each(
            op, scf.ForOp, _pattern(policy, origin_attributes(op.context), explain, max_copy_depth)
        )


def _check_loops(root: ir.Operation) -> None:
    """Verifies the pl attributes of every scf.for before anything is rewritten. The C++ walker
    calls back into Python for scf.for ops only, which makes this much cheaper than a pl-verify
    walk over every op; pl.* attributes elsewhere are not this pass's business."""
    errors = 0
    for loop in ops_of_type(root, scf.ForOp):
        names = [n for n in loop.attributes if n.startswith("pl.")]
        if names:
            found = check_op(loop, names)
            errors += found
            if not found and attrs.CHUNK_POLICY.get(loop) == "shift_inwards":
                errors += _check_shift_inwards(loop)
    if errors:
        raise DiagnosedError("invalid chunked loops")


def _check_shift_inwards(loop: ir.Operation) -> int:
    problem = why_not_idempotent(loop)
    if problem is None:
        return 0
    op, why, write = problem
    notes = [] if write is None else [(write, "the loop writes here")]
    if op != loop:
        notes.append((loop, 'the loop asks for pl.chunk_policy = "shift_inwards" here'))
    emit_error(op, f"shift_inwards is not legal: {why}", notes)
    return 1


@register_pass
@dataclass
class SplitChunkedLoops(ModulePass):
    name = "pl-split-chunked-loops"
    summary = "Split every chunked scf.for into an explicit loop nest under its tail policy"
    # It verifies its input, copies verified attributes and adds a valid pl.loop_origin.
    preserves_pl_validity = True
    policy: str = option(
        attrs.DEFAULT_POLICY,
        "tail policy for loops without pl.chunk_policy",
        choices=attrs.OPTION_POLICIES,
    )
    explain: bool = option(False, "report each choice of the auto policy as a remark")
    max_copy_depth: int = option(
        DEFAULT_MAX_COPY_DEPTH,
        "nested chunked loops that may copy their body (leading_full, dynamic shift_inwards); "
        "deeper ones are split guarded, with a remark",
    )

    def __post_init__(self):
        if self.max_copy_depth < 0:
            raise PipelineError(
                f"invalid value '{self.max_copy_depth}' for option 'max_copy_depth' of "
                f"'{self.name}' (expected an integer >= 0)"
            )

    def apply(self, module) -> None:
        split_chunked_loops(module, self.policy, self.explain, self.max_copy_depth)
