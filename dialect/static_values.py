"""Reading compile-time constants off SSA values."""

from __future__ import annotations

from mlir import ir


def constant_int(value: ir.Value) -> int | None:
    """The (signed) value of an `arith.constant` integer or index, else None."""
    owner = value.owner
    if not isinstance(owner, (ir.Operation, ir.OpView)) or owner.name != "arith.constant":
        return None
    attr = owner.attributes["value"]
    if isinstance(attr, ir.IntegerAttr):
        return attr.value
    return None


def int_width(t: ir.Type) -> int:
    """Bit width of an integer type; `index` counts as 64 bits (the targets we lower to)."""
    if isinstance(t, ir.IndexType):
        return 64
    return ir.IntegerType(t).width
