"""`pl-check-chunk-bounds{fix=false}`: a lint for chunk loops written by hand.

Without `chunk=`, a chunked loop is written as two loops:

    scf.for %o = %lb to %ub step %S {
      scf.for %i = %o to %o + %S step ... { body }      // one chunk
    }

If `ub - lb` is not a multiple of `S`, the last chunk runs past `%ub` (a kernel library migration
shipped several such kernels). The lint flags an inner loop that starts at the outer IV, spans at
least one outer step (`%o + %S2` with `%S2` the same value as `%S`, possibly times 1, or a
constant >= a constant `%S`), is not clamped (`arith.minsi/minui` with `%ub`, or `affine.min`),
and whose body is not guarded by `%i < %ub` — unless `(ub - lb) mod S == 0` is provable
(constants, or `ub = x * S` with `lb = 0`). The inner loop may sit directly in the outer body or
inside `scf.execute_region` / `scf.if` there. An inner loop longer than one step (`%S2 > %S`)
runs past `%ub` even when the span is divisible, so divisibility does not excuse it; a min with
anything but `%ub` is not a clamp.

A finding is a warning at the inner loop with a note at the outer one; the module is unchanged.
With `fix=true` the inner bound becomes `arith.minsi(%o + %S2, %ub)` (`arith.minui` for an
`unsigned` loop) and a remark reports each fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlir import ir
from mlir.dialects import arith
from mlir.rewrite import RewritePatternSet, walk_and_apply_patterns

from ..dialect.diagnostics import emit_remark, emit_warning
from ..dialect.static_values import constant_int
from .registry import ModulePass, option, register_pass

_CLAMPS = ("arith.minsi", "arith.minui", "affine.min")
# Guards `%i < %ub` as (predicate, position of %i): slt/ult with %i first, sgt/ugt with %ub first.
_GUARDS = {2: 0, 6: 0, 4: 1, 8: 1}
_SCOPES = ("scf.execute_region", "scf.if")


def _op_of(v: ir.Value) -> ir.Operation | None:
    owner = v.owner
    return None if isinstance(owner, ir.Block) else owner.operation


def _strip_times_one(v: ir.Value) -> ir.Value:
    """x for x * 1 or 1 * x; v otherwise."""
    op = _op_of(v)
    if op is not None and op.name == "arith.muli":
        a, b = op.operands
        if constant_int(b) == 1:
            return _strip_times_one(a)
        if constant_int(a) == 1:
            return _strip_times_one(b)
    return v


def _covers_a_step(extent: ir.Value, step: ir.Value) -> bool:
    """The inner loop's extent %S2 spans at least one outer step %S."""
    if _same_extent(extent, step):
        return True
    e, s = constant_int(extent), constant_int(step)
    return e is not None and s is not None and e >= s


def _same_extent(extent: ir.Value, step: ir.Value) -> bool:
    """%S2 is %S (the same value, possibly times 1, or equal constants): then a provably
    divisible span ends the last chunk exactly at %ub. A longer chunk runs past it anyway."""
    if _strip_times_one(extent) == _strip_times_one(step):
        return True
    e, s = constant_int(extent), constant_int(step)
    return e is not None and e == s


def _clamped_to(bound: ir.Value, ub: ir.Value) -> bool:
    """`bound` is a min (arith.minsi/minui, affine.min) that has `ub` among its operands."""
    op = _op_of(bound)
    return op is not None and op.name in _CLAMPS and any(v == ub for v in op.operands)


def _unclamped_end(bound: ir.Value, ub: ir.Value) -> ir.Value:
    """The `%o + %S2` a bound ends at: the bound itself, or the operand of a min with something
    other than `ub` (not a clamp to the outer bound)."""
    op = _op_of(bound)
    if op is not None and op.name in ("arith.minsi", "arith.minui"):
        adds = [v for v in op.operands if _op_of(v) is not None and _op_of(v).name == "arith.addi"]
        if len(adds) == 1:
            return adds[0]
    return bound


def _extent(inner_ub: ir.Value, iv: ir.Value) -> ir.Value | None:
    """%S2 when `inner_ub` is `%o + %S2` (either order); None otherwise."""
    op = _op_of(inner_ub)
    if op is None or op.name != "arith.addi":
        return None
    a, b = op.operands
    if a == iv:
        return b
    if b == iv:
        return a
    return None


def _divisible(lb: ir.Value, ub: ir.Value, step: ir.Value) -> bool:
    """(ub - lb) mod step == 0 is provable."""
    cl, cu, cs = constant_int(lb), constant_int(ub), constant_int(step)
    if None not in (cl, cu, cs) and cs > 0:
        return (cu - cl) % cs == 0
    op = _op_of(ub)
    if cl == 0 and op is not None and op.name == "arith.muli":
        s = _strip_times_one(step)
        return any(_strip_times_one(x) == s for x in op.operands)
    return False


def _guarded(inner: ir.Operation, ub: ir.Value) -> bool:
    """The inner body is an scf.if on `%i < %ub` (and its yield)."""
    body = inner.regions[0].blocks[0]
    iv = body.arguments[0]
    ops = [op.operation for op in body.operations]
    for op in ops:
        if op.name != "scf.if":
            continue
        cond = _op_of(op.operands[0])
        if cond is None or cond.name != "arith.cmpi":
            continue
        pred = ir.IntegerAttr(cond.attributes["predicate"]).value
        if pred not in _GUARDS:
            continue
        x, y = cond.operands
        first, second = (x, y) if _GUARDS[pred] == 0 else (y, x)
        if first == iv and second == ub:
            # Everything with an effect must be inside the guard, none in its else branch.
            others = [o for o in ops if o != op and o != cond and o.name != "scf.yield"]
            else_ops = [
                o.operation
                for b in op.regions[1].blocks
                for o in b.operations
                if o.operation.name != "scf.yield"
            ]
            return all(o.name.startswith("arith.") for o in others + else_ops)
    return False


@dataclass
class Finding:
    outer: ir.Operation
    inner: ir.Operation
    outer_ub: ir.Value
    longer: bool  # the chunk spans more than one outer step: it overruns even when divisible


def _inner_loops(block: ir.Block):
    """The scf.for ops of `block`, and those inside scf.execute_region / scf.if there."""
    for op in block.operations:
        op = op.operation
        if op.name == "scf.for":
            yield op
        elif op.name in _SCOPES:
            for region in op.regions:
                for b in region.blocks:
                    yield from _inner_loops(b)


def check_loop(outer: ir.Operation) -> list[Finding]:
    lb, ub, step = list(outer.operands)[:3]
    body = outer.regions[0].blocks[0]
    o = body.arguments[0]
    found = []
    for inner in _inner_loops(body):
        ilb, iub = list(inner.operands)[:2]
        if ilb != o or _clamped_to(iub, ub):
            continue
        extent = _extent(_unclamped_end(iub, ub), o)
        if extent is None or not _covers_a_step(extent, step):
            continue
        same = _same_extent(extent, step)
        if (same and _divisible(lb, ub, step)) or _guarded(inner, ub):
            continue
        found.append(Finding(outer, inner, ub, not same))
    return found


def check_chunk_bounds(module, fix: bool = False) -> int:
    """Reports (or, with `fix`, clamps) every unclamped explicit chunk loop below `module`;
    returns how many were found."""
    root = module.operation
    findings: list[Finding] = []

    def visit(loop, rewriter):
        findings.extend(check_loop(loop.operation))
        return True  # report only; fixes happen after the walk

    with root.context:
        patterns = RewritePatternSet(root.context)
        patterns.add(_for_op_class(), visit)
        walk_and_apply_patterns(root, patterns.freeze())
        for f in findings:
            if fix:
                _clamp(f)
            else:
                why = (
                    "the chunk spans more than one step S of this loop: the last chunk "
                    "runs past %ub"
                    if f.longer
                    else "the last chunk runs past %ub when ub - lb is not a multiple of S"
                )
                emit_warning(
                    f.inner,
                    "this chunk loop runs [%o, %o + S) without a clamp to the "
                    "outer loop's upper bound or a guard `%i < %ub`",
                    [(f.outer, why)],
                )
    return len(findings)


def _clamp(f: Finding) -> None:
    inner = f.inner
    unsigned = "unsignedCmp" in inner.attributes  # clamp as the loop compares
    with ir.InsertionPoint(inner), inner.location:
        clamped = (arith.minui if unsigned else arith.minsi)(inner.operands[1], f.outer_ub)
    inner.operands[1] = clamped
    emit_remark(
        inner,
        "clamped the upper bound of this chunk loop to the outer loop's upper "
        f"bound: arith.{'minui' if unsigned else 'minsi'}(%o + S, %ub)",
    )


def _for_op_class():
    from mlir.dialects import scf

    return scf.ForOp


@register_pass
@dataclass
class CheckChunkBounds(ModulePass):
    name = "pl-check-chunk-bounds"
    summary = (
        "Warn about explicit chunk loops [o, o + S) whose last chunk can run past the outer bound"
    )
    preserves_pl_validity = True  # reads, or clamps a bound; no attribute changes
    fix: bool = option(
        False,
        "clamp each flagged loop with arith.minsi(o + S, ub) (minui for unsigned loops) instead",
    )

    def apply(self, module) -> None:
        check_chunk_bounds(module, self.fix)
