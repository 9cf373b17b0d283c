"""Loop arithmetic shared by the builder and the passes: index arithmetic that skips identities,
trip counts that cannot overflow, and the induction value of a flat iteration index.

T = max(ceildiv(ub - lb, step), 0) is computed in 64 bits: bounds of narrower types are extended
first, and for 64-bit types the span ub - lb is read as unsigned, which is exact whenever ub > lb.
"""

from __future__ import annotations

from collections.abc import Sequence

from mlir import ir
from mlir.dialects import arith

from .static_values import constant_int


def new_op(name: str, result: ir.Type, *operands: ir.Value, **attributes: ir.Attribute) -> ir.Value:
    """The result of a new one-result op `name` at the current insertion point and location.
    The same op as the generated builder (`arith.addi(a, b)`, ...) makes, built with
    Operation.create, which costs about a third as much: the passes build many of these."""
    return ir.Operation.create(
        name, results=[result], operands=operands, attributes=attributes
    ).result


def compare(predicate: arith.CmpIPredicate, a: ir.Value, b: ir.Value) -> ir.Value:
    """`arith.cmpi predicate, a, b` (an i1)."""
    i64 = ir.IntegerType.get_signless(64)
    return new_op(
        "arith.cmpi",
        ir.IntegerType.get_signless(1),
        a,
        b,
        predicate=ir.IntegerAttr.get(i64, int(predicate)),
    )


class IndexBuilder:
    """Emits `index` arithmetic at the current insertion point, skipping identities (x*1, x+0),
    and reusing one constant op per value (the loop's own index constants included)."""

    def __init__(self, reuse: Sequence[ir.Value] = ()):
        self.index = ir.IndexType.get()
        self._consts: dict[int, ir.Value] = {}
        # id -> (value, its constant or None); holding the value keeps its id unique.
        self._known: dict[int, tuple[ir.Value, int | None]] = {}
        for v in reuse:
            n = constant_int(v)
            self._known[id(v)] = (v, n)
            if n is not None and isinstance(v.type, ir.IndexType):
                self._consts.setdefault(n, v)

    def value_of(self, v: ir.Value) -> int | None:
        """The constant behind `v` when it is one of the builder's constants or of the values
        given as `reuse`; None otherwise. The builder's other operands are block arguments and
        results of ops it built, never constants, so only those values need looking up."""
        hit = self._known.get(id(v))
        return hit[1] if hit is not None and hit[0] is v else None

    def const(self, v: int) -> ir.Value:
        c = self._consts.get(v)
        if c is None:
            value = ir.IntegerAttr.get(self.index, v)
            c = self._consts[v] = new_op("arith.constant", self.index, value=value)
            self._known[id(c)] = (c, v)
        return c

    def op(self, name: str, a: ir.Value, b: ir.Value) -> ir.Value:
        """`name a, b` with the type of `a` (arith.subi, arith.divui, ...), identities kept."""
        return new_op(name, a.type, a, b)

    def add(self, a: ir.Value, b: ir.Value) -> ir.Value:
        if self.value_of(b) == 0:
            return a
        if self.value_of(a) == 0:
            return b
        return new_op("arith.addi", a.type, a, b)

    def mul(self, a: ir.Value, b: ir.Value) -> ir.Value:
        if self.value_of(b) == 1:
            return a
        if self.value_of(a) == 1:
            return b
        return new_op("arith.muli", a.type, a, b)


def to_index(v: ir.Value, unsigned: bool) -> ir.Value:
    """`v` (index or integer) as an index: sign- or zero-extended, never truncated (index is
    64-bit on our targets)."""
    if isinstance(v.type, ir.IndexType):
        return v
    cast = "arith.index_castui" if unsigned else "arith.index_cast"
    return new_op(cast, ir.IndexType.get(), v)


def static_trip_count(lb: int, ub: int, step: int, width: int, unsigned: bool) -> int:
    """T = max(ceildiv(ub - lb, step), 0) with the loop's own integer semantics."""
    if unsigned:
        mask = (1 << width) - 1
        lb, ub, step = lb & mask, ub & mask, step & mask
    if ub <= lb or step <= 0:
        return 0
    return (ub - lb + step - 1) // step


def dynamic_trip_count(
    b: IndexBuilder, lb: ir.Value, ub: ir.Value, step: ir.Value, unsigned: bool
) -> ir.Value:
    """T as an index value, with no overflow anywhere the source loop has none.

    Bounds are extended to 64 bits first, so the span of a narrower type cannot overflow; for
    64-bit types the span is read as unsigned, which is exact whenever ub > lb. The division is
    unsigned for the same reason.
    """
    lb_zero, step_one = b.value_of(lb) == 0, b.value_of(step) == 1
    lb_i, ub_i, step_i = (to_index(v, unsigned) for v in (lb, ub, step))
    span = ub_i if lb_zero else b.op("arith.subi", ub_i, lb_i)
    trips = span if step_one else b.op("arith.ceildivui", span, step_i)
    if lb_zero and unsigned:
        return trips  # ub >= 0 = lb always holds
    pred = arith.CmpIPredicate.ugt if unsigned else arith.CmpIPredicate.sgt
    nonempty = compare(pred, ub_i, lb_i)
    return new_op("arith.select", trips.type, nonempty, trips, b.const(0))


def induction_value(b: IndexBuilder, k: ir.Value, lb: ir.Value, step: ir.Value) -> ir.Value:
    """lb + k * step in the IV's own type. For k < T the true value lies in [lb, ub), so
    wrapping arithmetic in a narrower type gives it exactly."""
    iv_type = lb.type
    if isinstance(iv_type, ir.IndexType):
        return b.add(lb, b.mul(k, step))
    k_n = new_op("arith.index_cast", iv_type, k)
    prod = k_n if b.value_of(step) == 1 else new_op("arith.muli", iv_type, k_n, step)
    return prod if b.value_of(lb) == 0 else new_op("arith.addi", iv_type, lb, prod)
