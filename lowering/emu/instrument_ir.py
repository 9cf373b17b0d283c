"""Small IR builders shared by the emulator's instrumentation (instrument.py and the modules it
uses: bounds.py, counters.py, onchip.py, races.py): types, per-function constants, sizes, the
runtime hooks of runtime_hooks.py, access sites and their locations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeAlias

from mlir import ir
from mlir.dialects import arith, func

from ...dialect.diagnostics import engine_of, file_line_col
from ...dialect.ir_queries import block_ops, symbol_name
from ...dialect.static_values import constant_int
from . import runtime_hooks

DYNAMIC = ir.ShapedType.get_dynamic_size()
# A size, offset or stride: static (an int) or dynamic (an index Value).
IntOrValue: TypeAlias = "int | ir.Value"

C_INTERFACE = "llvm.emit_c_interface"


def index_t() -> ir.Type:
    return ir.IndexType.get()


def i64_t() -> ir.Type:
    return ir.IntegerType.get_signless(64)


def i1_t() -> ir.Type:
    return ir.IntegerType.get_signless(1)


def is_memref(t: ir.Type) -> bool:
    return isinstance(t, ir.MemRefType)


# -- sizes -------------------------------------------------------------------------------------


def byte_size(t: ir.Type) -> int | None:
    """Bytes one element of type `t` occupies in memory (as the CPU lowering lays it out), or
    None for types the emulator does not size."""
    if isinstance(t, ir.IndexType):
        return 8
    if isinstance(t, ir.IntegerType):
        return max(1, (t.width + 7) // 8)
    if isinstance(t, ir.FloatType):
        return {16: 2, 32: 4, 64: 8, 80: 16, 128: 16}.get(t.width, max(1, (t.width + 7) // 8))
    if isinstance(t, ir.VectorType):
        inner = byte_size(t.element_type)
        if inner is None or t.scalable:
            return None
        n = 1
        for d in t.shape:
            n *= d
        return n * inner
    if isinstance(t, ir.ComplexType):
        inner = byte_size(t.element_type)
        return None if inner is None else 2 * inner
    return None


def is_strided(t: ir.MemRefType) -> bool:
    """A layout memref.extract_strided_metadata takes (identity or strided<...>)."""
    try:
        t.get_strides_and_offset()
    except Exception:  # an affine map that is not strided
        return False
    return True


def num_elements(shape: Sequence[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def mixed(static: Sequence[int], dynamic: Sequence[ir.Value]) -> list[IntOrValue]:
    """Static values (ints) with the dynamic ones (Values) in the DYNAMIC slots (the
    static_offsets/offsets pairs of memref.subview and memref.reinterpret_cast)."""
    out: list[IntOrValue] = []
    it = iter(dynamic)
    for s in static:
        out.append(next(it) if s == DYNAMIC else s)
    return out


def static_of(v: IntOrValue) -> int | None:
    """An int, or the value of a constant integer Value; None otherwise."""
    if isinstance(v, int):
        return v
    return constant_int(v)


# -- locations ---------------------------------------------------------------------------------


def where(op) -> str:
    """`file:line:col` of an op as our diagnostics print it (the buffer of Module.parse, "-",
    under the name the Context's diagnostic engine knows it by). An op without a file location
    (made by a pass) takes the nearest enclosing op's."""
    current = op
    while current is not None:
        loc = current.location
        pos = file_line_col(loc)
        if pos is not None:
            name, line, col = pos
            if name == "-":
                engine = engine_of(loc.context)
                if engine is not None:
                    name = engine.buffer_name
            return f"{name}:{line}:{col}"
        current = current.parent
    return "<unknown>"


# -- constants ---------------------------------------------------------------------------------


class Consts:
    """Constants of one function, made once each at the start of its entry block (so they
    dominate every use in the function)."""

    def __init__(self, fn: ir.Operation):
        self.block = fn.regions[0].blocks[0]
        self.loc = fn.location
        self._cache: dict[tuple[str, int | str], ir.Value] = {}  # (kind, value) -> constant

    def _make(self, key: tuple[str, int | str], build: Callable[[], ir.Value]) -> ir.Value:
        value = self._cache.get(key)
        if value is None:
            with ir.InsertionPoint.at_block_begin(self.block), self.loc:
                value = build()
            self._cache[key] = value
        return value

    def index(self, v: int) -> ir.Value:
        return self._make(("index", v), lambda: arith.constant(index_t(), v))

    def i64(self, v: int) -> ir.Value:
        return self._make(("i64", v), lambda: arith.constant(i64_t(), v))

    def i1(self, v: bool) -> ir.Value:
        return self._make(("i1", bool(v)), lambda: arith.constant(i1_t(), 1 if v else 0))

    def zero(self, t: ir.Type) -> ir.Value:
        return self._make(("zero", str(t)), lambda: zero_value(t))


def zero_value(t: ir.Type) -> ir.Value:
    """An arith.constant 0 of type `t` (integer, index, float or a vector of them)."""
    if isinstance(t, ir.VectorType):
        elem = t.element_type
        attr = (
            ir.FloatAttr.get(elem, 0.0)
            if isinstance(elem, ir.FloatType)
            else ir.IntegerAttr.get(elem, 0)
        )
        return arith.ConstantOp(t, ir.DenseElementsAttr.get_splat(t, attr)).result
    if isinstance(t, ir.FloatType):
        return arith.ConstantOp(t, ir.FloatAttr.get(t, 0.0)).result
    return arith.ConstantOp(t, ir.IntegerAttr.get(t, 0)).result


def wide_constant(t: ir.IntegerType, v: int) -> ir.Value:
    """arith.constant of any width and value (IntegerAttr.get takes only 64-bit values)."""
    if -(1 << 63) <= v < (1 << 63):
        return arith.constant(t, v)
    return arith.ConstantOp(t, ir.Attribute.parse(f"{v} : {t}")).result


def to_i64(v: ir.Value) -> ir.Value:
    """An index or integer value as i64 (index_cast; integers sign-extended or truncated)."""
    t = v.type
    if isinstance(t, ir.IndexType):
        return arith.index_cast(i64_t(), v)
    width = ir.IntegerType(t).width
    if width == 64:
        return v
    if width < 64:
        return arith.extsi(i64_t(), v)
    return arith.trunci(i64_t(), v)


def ult(a: ir.Value, b: ir.Value) -> ir.Value:
    return arith.cmpi(arith.CmpIPredicate.ult, a, b)


def ule(a: ir.Value, b: ir.Value) -> ir.Value:
    return arith.cmpi(arith.CmpIPredicate.ule, a, b)


def all_of(conds: Sequence[ir.Value | None]) -> ir.Value | None:
    """The conjunction of the i1 values (None entries are `true`); None when all are."""
    out = None
    for c in conds:
        if c is None:
            continue
        out = c if out is None else arith.andi(out, c)
    return out


# -- hooks and globals -------------------------------------------------------------------------


def declare_hooks(module_op: ir.Operation) -> None:
    """`func.func private @<hook>(i64...)` with the C interface, for each hook of
    runtime_hooks.py."""
    body = module_op.regions[0].blocks[0]
    present = {symbol_name(op) for op in block_ops(body)}
    with ir.InsertionPoint.at_block_begin(body), ir.Location.unknown():
        for name, arity in runtime_hooks.HOOKS.items():
            if name in present:
                continue
            fn = func.FuncOp(name, ([i64_t()] * arity, []), visibility="private")
            fn.operation.attributes[C_INTERFACE] = ir.UnitAttr.get()


def call_hook(name: str, args: Sequence[ir.Value]) -> None:
    func.CallOp([], ir.FlatSymbolRefAttr.get(name), list(args))


def call_fault_hook(
    site: ir.Value,
    lane: ir.Value,
    idxs: Sequence[ir.Value],
    sizes: Sequence[ir.Value],
    zero: ir.Value,
) -> None:
    """The fault hook: site and lane (i64 values), then the first runtime_hooks.MAX_FAULT_RANK
    indices and sizes (index or integer values) as i64, `zero` (an i64 0) where there are
    fewer."""

    def words(values: Sequence[ir.Value]) -> list[ir.Value]:
        out = [to_i64(v) for v in list(values)[: runtime_hooks.MAX_FAULT_RANK]]
        return out + [zero] * (runtime_hooks.MAX_FAULT_RANK - len(out))

    call_hook(runtime_hooks.HOOK_FAULT, [site, lane] + words(idxs) + words(sizes))
