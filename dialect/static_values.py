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


def type_range(width: int, unsigned: bool) -> tuple[int, int]:
    """The values of a `width`-bit integer read as unsigned or signed: [lo, hi]."""
    if unsigned:
        return 0, (1 << width) - 1
    return -(1 << (width - 1)), (1 << (width - 1)) - 1


def as_type(value: int, width: int, unsigned: bool) -> int:
    """The bits of `value`, cut to `width`, read as unsigned or signed."""
    value &= (1 << width) - 1
    if not unsigned and value >= 1 << (width - 1):
        value -= 1 << width
    return value


# Extensions to a wider type: the value is the source's, read signed (sext) or unsigned (zext).
_SIGN_EXTENDING = frozenset({"arith.extsi", "arith.index_cast"})
_ZERO_EXTENDING = frozenset({"arith.extui", "arith.index_castui"})


# Arithmetic on two values of the result's type: the range of the exact result, when it cannot
# wrap (then the wrapping op computes exactly that); the whole type otherwise.
_ARITHMETIC = frozenset({"arith.addi", "arith.subi", "arith.muli"})


def _arithmetic_range(
    op: ir.Operation, unsigned: bool, depth: int, full: tuple[int, int]
) -> tuple[int, int]:
    (a_lo, a_hi), (b_lo, b_hi) = (value_range(v, unsigned, depth - 1) for v in op.operands)
    if op.name == "arith.addi":
        lo, hi = a_lo + b_lo, a_hi + b_hi
    elif op.name == "arith.subi":
        lo, hi = a_lo - b_hi, a_hi - b_lo
    else:
        corners = [a * b for a in (a_lo, a_hi) for b in (b_lo, b_hi)]
        lo, hi = min(corners), max(corners)
    return (lo, hi) if full[0] <= lo and hi <= full[1] else full


def value_range(value: ir.Value, unsigned: bool, depth: int = 8) -> tuple[int, int]:
    """A range [lo, hi] that holds every value `value` (integer or index) can take at run time,
    its bits read as unsigned or signed. Exact for a constant; through a sign or zero extension
    from a narrower type, the source's range; through addi, subi and muli that cannot wrap, the
    range of the result (arithmetic on constants folds to a point); the whole type otherwise.
    Sound whatever later passes do: folding replaces a value by one the range already holds."""
    width = int_width(value.type)
    full = type_range(width, unsigned)
    n = constant_int(value)
    if n is not None:
        n = as_type(n, width, unsigned)
        return n, n
    owner = value.owner
    if depth == 0 or not isinstance(owner, (ir.Operation, ir.OpView)):
        return full
    name = owner.operation.name
    if name in _ARITHMETIC:
        return _arithmetic_range(owner.operation, unsigned, depth, full)
    if name not in _SIGN_EXTENDING and name not in _ZERO_EXTENDING:
        return full
    source = owner.operation.operands[0]
    if not isinstance(source.type, ir.IntegerType | ir.IndexType):
        return full
    if int_width(source.type) >= width:
        return full  # a truncation or a same-width cast: any bits may result
    lo, hi = value_range(source, name in _ZERO_EXTENDING, depth - 1)
    if unsigned and lo < 0:
        return full  # a negative value, sign-extended, reads as a huge unsigned one
    return lo, hi
