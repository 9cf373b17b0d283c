"""`pl-check-chunk-bounds{fix=false}`: a lint for chunk loops written by hand.

Without `chunk=`, a chunked loop is written as two loops:

    scf.for %o = %lb to %ub step %S {
      ... scf.for %i = %o to %o + %S step ... { body }      // one chunk
    }

If `ub - lb` is not a multiple of `S`, the last chunk runs past `%ub` (a kernel library
migration shipped several such kernels). The lint reads every bound as an affine form
(dialect/affine_values.py), so spelling does not matter, and:

1. finds the chunk loops of each `scf.for`: loops at any depth in its body (inside other loops,
   `pl.at` scopes, ifs) whose lower and upper bounds both depend on its induction variable;
2. stays silent when it can prove that no iteration of the chunk reaches `%ub`: its upper bound
   is at most `%ub` (a min with `%ub` in any spelling; or `%o + E` with `%o` at most its last
   value, which is `ub - S` when S provably divides `ub - lb`; or an `scf.if` around it that
   says so); or the chunk runs one iteration starting below `%ub`; or its body is guarded by
   `%i < %ub`;
3. otherwise reports one warning at the chunk loop with one note at the outer loop. When the
   answer depends on values it cannot reason about (a dynamic bound, an op it does not model),
   the warning names them.

With `fix=true` each flagged chunk loop's upper bound becomes `min(bound, %ub)` (`arith.minsi`,
`arith.minui` for an `unsigned` loop) and a remark reports each fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlir import ir
from mlir.dialects import arith

from ..dialect.affine_values import UMIN, AffineValues, Form, describe_value
from ..dialect.diagnostics import emit_remark, emit_warning, position
from ..dialect.ir_queries import CMPI, block_ops, cmpi_predicate, defining_op, walk_ops
from ..dialect.static_values import int_width
from .registry import ModulePass, option, register_pass

WARNING = (
    "this chunk loop runs [%o, %o + S) without a clamp to the outer loop's upper bound or a "
    "guard `%i < %ub`"
)
UNDECIDED = "; cannot prove its last chunk in bounds without knowing {}"
NOTE_LONGER = "the chunk spans more than one step S of this loop: the last chunk runs past %ub"
NOTE_NOT_MULTIPLE = "the last chunk runs past %ub when ub - lb is not a multiple of S"
NOTE_UNPROVEN_END = "the last chunk may run past %ub: its end is not provably at most %ub"
MAX_NAMED = 3  # values named in one warning

# A guard `%i < X` (or `%i <= X`), with `X < %ub` spelled either way round.
_SWAPPED = {CMPI.sgt: CMPI.slt, CMPI.sge: CMPI.sle, CMPI.ugt: CMPI.ult, CMPI.uge: CMPI.ule}


@dataclass
class Finding:
    outer: ir.Operation
    inner: ir.Operation
    note: str
    unknown: list[str]  # the values the lint could not reason about, described

    @property
    def warning(self) -> str:
        if not self.unknown:
            return WARNING
        return WARNING + UNDECIDED.format(", ".join(self.unknown))


def find_unclamped_chunks(root: ir.Operation | ir.OpView) -> list[Finding]:
    """Every chunk loop below `root` whose last chunk is not provably within its outer loop."""
    values = AffineValues()
    findings: list[Finding] = []
    for outer in walk_ops(root, "scf.for"):
        findings.extend(_check_outer(values, outer))
    return findings


def _bounds(values: AffineValues, loop: ir.Operation) -> tuple[Form, Form, Form]:
    lb, ub, step = list(loop.operands)[:3]
    return values.form(lb), values.form(ub), values.form(step)


def _check_outer(values: AffineValues, outer: ir.Operation) -> list[Finding]:
    o = values.form(outer.regions[0].blocks[0].arguments[0])
    (o_id,) = o.atom_ids()
    findings: list[Finding] = []
    for inner in walk_ops(outer, "scf.for"):
        if inner == outer:
            continue
        ilb, iub, _ = _bounds(values, inner)
        if not (values.depends_on(ilb, o_id) and values.depends_on(iub, o_id)):
            continue  # not a chunk of this loop: its range does not move with %o
        if _in_bounds(values, outer, inner) or _guarded(values, inner, outer):
            continue
        findings.append(_finding(values, outer, inner))
    return findings


def _in_bounds(values: AffineValues, outer: ir.Operation, inner: ir.Operation) -> bool:
    """No iteration of `inner` reaches the outer upper bound, provably."""
    _, ub, _ = _bounds(values, outer)
    ilb, iub, istep = _bounds(values, inner)
    o = values.form(outer.regions[0].blocks[0].arguments[0])
    one_iteration = values.prove_le(iub - ilb, istep, at=inner)
    if "unsignedCmp" in outer.attributes:
        # Bounds compare unsigned, the proofs are signed: only a clamp in the loop's own order,
        # or one iteration at %o itself.
        clamp = values.as_atom(iub)
        return (clamp is not None and clamp.kind == UMIN and ub in clamp.forms) or (
            one_iteration and ilb == o
        )
    if values.prove_le(iub, ub, at=inner):
        return True
    # One iteration, at %i = ilb < ub.
    return one_iteration and values.prove_le(ilb + Form.constant(1), ub, at=inner)


def _guarded(values: AffineValues, inner: ir.Operation, outer: ir.Operation) -> bool:
    """The inner body is an scf.if on `%i < X` with X <= %ub (and its yield): everything with an
    effect is inside the guard, nothing but arithmetic outside it or in its else branch."""
    _, ub, _ = _bounds(values, outer)
    body = inner.regions[0].blocks[0]
    i = values.form(body.arguments[0])
    ops = block_ops(body)
    for op in ops:
        cond = defining_op(op.operands[0], "arith.cmpi") if op.name == "scf.if" else None
        predicate = cmpi_predicate(cond) if cond is not None else None
        if predicate is None or cond is None:
            continue
        lhs, rhs = (values.form(v) for v in cond.operands)
        if predicate in _SWAPPED:
            predicate, lhs, rhs = _SWAPPED[predicate], rhs, lhs
        if lhs != i or not _below(values, rhs, ub, predicate, inner):
            continue
        others = [o for o in ops if o != op and o != cond and o.name != "scf.yield"]
        else_ops = [o for b in op.regions[1].blocks for o in block_ops(b) if o.name != "scf.yield"]
        return all(o.name.startswith("arith.") for o in others + else_ops)
    return False


def _below(values: AffineValues, x: Form, ub: Form, predicate: CMPI, inner: ir.Operation) -> bool:
    """`%i < x` (slt/ult) or `%i <= x` (sle/ule) implies `%i < ub`."""
    limit = x + Form.constant(1) if predicate in (CMPI.sle, CMPI.ule) else x
    if predicate in (CMPI.slt, CMPI.sle):
        return values.prove_le(limit, ub, at=inner)
    if predicate in (CMPI.ult, CMPI.ule):
        return limit == ub  # unsigned: only the bound itself
    return False


def _finding(values: AffineValues, outer: ir.Operation, inner: ir.Operation) -> Finding:
    lb, ub, step = _bounds(values, outer)
    ilb, iub, _ = _bounds(values, inner)
    o = values.form(outer.regions[0].blocks[0].arguments[0])
    extent = iub - o
    one = Form.constant(1)
    if values.prove_le(step + one, extent, at=inner):
        return Finding(outer, inner, NOTE_LONGER, [])
    if values.prove_le(extent, step, at=inner):
        note = NOTE_NOT_MULTIPLE
        span = (ub - lb).value
        if span is not None and step.value is not None:
            note += f" (ub - lb = {span}, S = {step.value})"
    else:
        note = NOTE_UNPROVEN_END
    unknown = [v for v in values.leaves([ub, lb, step, iub, ilb]) if values.form(v) != o]
    named = [describe_value(v, position) for v in unknown[:MAX_NAMED]]
    if len(unknown) > MAX_NAMED:
        named.append(f"{len(unknown) - MAX_NAMED} more")
    return Finding(outer, inner, note, named)


def check_chunk_bounds(module, fix: bool = False) -> int:
    """Reports (or, with `fix`, clamps) every chunk loop below `module` whose last chunk can run
    past its outer loop's bound; returns how many were found."""
    root = module.operation
    with root.context:
        findings = find_unclamped_chunks(root)
        for f in findings:  # the analysis is done: changing bounds now misleads nothing
            if fix:
                clamp(f)
            else:
                emit_warning(f.inner, f.warning, [(f.outer, f.note)])
    return len(findings)


def clamp(f: Finding) -> None:
    """The inner upper bound becomes min(bound, outer ub), compared as the inner loop compares."""
    inner = f.inner
    unsigned = "unsignedCmp" in inner.attributes
    with ir.InsertionPoint(inner), inner.location:
        bound = inner.operands[1]
        ub = _cast(f.outer.operands[1], bound.type, unsigned)
        inner.operands[1] = (arith.minui if unsigned else arith.minsi)(bound, ub)
    emit_remark(
        inner,
        "clamped the upper bound of this chunk loop to the outer loop's upper "
        f"bound: arith.{'minui' if unsigned else 'minsi'}(%o + S, %ub)",
    )


def _cast(v: ir.Value, to: ir.Type, unsigned: bool) -> ir.Value:
    """`v` as type `to` (the outer bound, for an inner loop of another integer type)."""
    if v.type == to:
        return v
    if isinstance(v.type, ir.IndexType) or isinstance(to, ir.IndexType):
        return (arith.index_castui if unsigned else arith.index_cast)(to, v)
    if int_width(v.type) < int_width(to):
        return (arith.extui if unsigned else arith.extsi)(to, v)
    return arith.trunci(to, v)


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
