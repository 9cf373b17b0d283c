"""`pl-normalize-int-loops`: integer `scf.for` loops whose trip count could be miscounted become
loops that cannot be.

Upstream `canonicalize` (22.1.8) computes a constant loop's trip count as `ub - lb` in the IV's
own type, so a loop whose span overflows that type (an i32 loop from -2e9 to 1.5e9 step 1.2e9
runs 3 times) is folded away as zero-trip; unsigned loops fare no better. And when the last
`iv + step` passes the type's limit, the loop as lowered to branches wraps instead of stopping.
This pass gives every such loop the trip count T = max(ceildiv(ub - lb, step), 0), computed
exactly, as the split pass does for chunked loops:

* i1-i32 loops are widened to i64: bounds sign-extended (zero-extended for `unsigned`), the
  body sees `arith.trunci` of the i64 IV. In 64 bits neither the span nor `iv + step` overflow.
* i64 and index loops become `scf.for unsigned` over [0, T) with iv = lb + t*step in the
  original type (wrapping arithmetic, exact for t < T).

Left alone: loops that are safe for every value their bounds can take, now and after any later
folding. `value_range` reads a range off each bound (a constant, an extension from a narrower
type, or the whole type); the loop is safe when the largest span and the largest exit value fit
the type and the step stays below the signed maximum (canonicalize reads an unsigned step of
2^(w-1) or more as negative and deletes the loop). So `0 to %n step 1` and the i64 loops the
first rule makes stay as they are. Attributes are kept, so a chunked loop normalized before the
split is split with the same trip count.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlir import ir
from mlir.dialects import arith, scf

from ..dialect.ir_queries import defining_op
from ..dialect.loop_arith import (
    IndexBuilder,
    dynamic_trip_count,
    induction_value,
    static_trip_count,
)
from ..dialect.static_values import as_type, constant_int, type_range, value_range
from .ir import LoopInfo, discardable_attributes, new_for, transplant_body
from .pattern_walk import ops_of_type
from .registry import ModulePass, option, register_pass


def _fits(value: int, width: int, unsigned: bool) -> bool:
    lo, hi = type_range(width, unsigned)
    return lo <= value <= hi


def constant_bounds_are_safe(
    lb: int, ub: int, step: int, width: int, unsigned: bool, exit_values: bool = True
) -> bool:
    """The span and (with `exit_values`) the IV's exit value fit the type: nothing can
    miscount."""
    lb, ub, step = (as_type(v, width, unsigned) for v in (lb, ub, step))
    if step <= 0:
        return True  # not a loop scf.for defines; nothing to protect
    if step > type_range(width, False)[1]:
        return False  # an unsigned step canonicalize reads as negative (it deletes the loop)
    trips = static_trip_count(lb, ub, step, width, unsigned)
    if not exit_values:
        return _fits(ub - lb, width, unsigned) or ub <= lb
    return _fits(ub - lb, width, unsigned) and _fits(lb + trips * step, width, unsigned)


def ranges_are_safe(
    lb: tuple[int, int],
    ub: tuple[int, int],
    step: tuple[int, int],
    width: int,
    unsigned: bool,
    span: int | None = None,
    exit_values: bool = True,
) -> bool:
    """Whatever values in these ranges the bounds take (now, or as constants once a later pass
    folds them), the span ub - lb (at most `span` when that is known) and, with `exit_values`,
    the exit value (at most ub - 1 + step) fit the type."""
    step_hi = step[1]
    if step_hi <= 0:
        return True  # no positive step: not a loop scf.for defines; nothing to protect
    if step_hi > type_range(width, False)[1]:
        return False  # an unsigned step canonicalize may read as negative
    hi = type_range(width, unsigned)[1]
    widest = ub[1] - lb[0] if span is None else min(span, ub[1] - lb[0])
    return widest <= hi and (not exit_values or ub[1] - 1 + step_hi <= hi)


def span_bound(lb: ir.Value, ub: ir.Value) -> int | None:
    """A constant c with ub - lb <= c whenever ub > lb, read off ub = lb + d (0 <= d <= c, d a
    constant or a value whose range says so) or a min with such a term (a chunk loop
    [o, min(o + S, n))); None when the IR does not say. If lb + d wraps, ub < lb and the loop
    runs no iteration, folded or not."""
    op = defining_op(ub)
    if op is None:
        return None
    if op.name == "arith.addi":
        a, b = op.operands
        term = b if a == lb else a if b == lb else None
        if term is None:
            return None
        lo, hi = value_range(term, unsigned=False)
        return hi if lo >= 0 else None
    if op.name in ("arith.minsi", "arith.minui"):
        found = [s for s in (span_bound(lb, v) for v in op.operands) if s is not None]
        return min(found) if found else None
    return None


def needs_normalizing(info: LoopInfo, exit_values: bool = True) -> bool:
    """`exit_values=False` asks only about what folding can break (the span, the step): the
    exit value wraps only in the lowered loop, and the lowering runs this pass again."""
    width, unsigned = info.width, info.unsigned
    lb, ub, step = (constant_int(v) for v in (info.lb, info.ub, info.step))
    if lb is not None and ub is not None and step is not None:
        return not constant_bounds_are_safe(lb, ub, step, width, unsigned, exit_values)
    lb_r, ub_r, step_r = (value_range(v, unsigned) for v in (info.lb, info.ub, info.step))
    span = span_bound(info.lb, info.ub)
    return not ranges_are_safe(lb_r, ub_r, step_r, width, unsigned, span, exit_values)


def _widen(info: LoopInfo) -> ir.Operation:
    """The loop over i64, built before the old one; the body moves over."""
    i64 = ir.IntegerType.get_signless(64)
    ext = arith.extui if info.unsigned else arith.extsi
    lb, ub, step = (ext(i64, v) for v in (info.lb, info.ub, info.step))
    loop = new_for(lb, ub, step, info.inits, discardable_attributes(info.op))
    with ir.InsertionPoint(loop.body):
        iv = arith.trunci(info.lb.type, loop.induction_variable)
    transplant_body(info.op, loop.body, iv, list(loop.inner_iter_args))
    return loop


def _count_up(info: LoopInfo) -> ir.Operation:
    """`scf.for unsigned %t = 0 to T step 1` with iv = lb + t*step."""
    b = IndexBuilder(reuse=(info.lb, info.ub, info.step))
    static = info.static_trip_count(b)
    if static is not None:
        trips = b.const(static if static < 1 << 63 else static - (1 << 64))  # index bits
    else:
        trips = dynamic_trip_count(b, info.lb, info.ub, info.step, info.unsigned)
    attributes = discardable_attributes(info.op)
    attributes["unsignedCmp"] = ir.UnitAttr.get()  # T may exceed 2^63 - 1
    loop = new_for(b.const(0), trips, b.const(1), info.inits, attributes)
    with ir.InsertionPoint(loop.body):
        iv = induction_value(b, loop.induction_variable, info.lb, info.step)
    transplant_body(info.op, loop.body, iv, list(loop.inner_iter_args))
    return loop


def normalize_loop(op: ir.Operation) -> None:
    """Rewrites one loop that `needs_normalizing` and erases it."""
    info = LoopInfo.of(op)
    with ir.InsertionPoint(op), op.location:
        loop = _widen(info) if info.width < 64 else _count_up(info)
    for old, new in zip(op.results, loop.results, strict=False):
        old.replace_all_uses_with(new)
    op.erase()


def loops_to_normalize(root: ir.Operation, exit_values: bool = True) -> list[ir.Operation]:
    """The loops below `root` that `needs_normalizing`, inner loops first."""
    return [
        op for op in ops_of_type(root, scf.ForOp) if needs_normalizing(LoopInfo.of(op), exit_values)
    ]


def normalize_int_loops(module, exit_values: bool = True) -> int:
    """Normalizes every loop below `module` that needs it; returns how many. Nothing else
    changes. `exit_values=False` leaves loops whose only hazard is the exit value wrapping
    (what pypto-run asks before a pipeline of the user's: the lowering runs the full pass)."""
    root = module.operation
    with root.context:
        found = loops_to_normalize(root, exit_values)
        # Each rewrite moves the body of its loop: loops nested inside keep their identity, so
        # the handles collected above stay valid; only the rewritten loop itself is erased.
        for op in found:
            normalize_loop(op)
    return len(found)


@register_pass
@dataclass
class NormalizeIntLoops(ModulePass):
    name = "pl-normalize-int-loops"
    summary = (
        "Rewrite integer scf.for loops whose span may overflow so no pass can miscount their trips"
    )
    preserves_pl_validity = True  # moves attributes, verified or not, from a loop to its copy
    exit_values: bool = option(
        True,
        "also rewrite loops whose only hazard is an exit value past the type's limit (false: "
        "only what folding can miscount, as before a pipeline of the user's)",
    )

    def apply(self, module) -> None:
        normalize_int_loops(module, self.exit_values)
