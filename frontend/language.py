"""The vocabulary of PyPTO's kernel language, as a kernel file imports it:

    import pypto_mlir.language as pl

Types (`pl.Tensor[[rows, cols], pl.FP32]`, `pl.Scalar[pl.FP32]`, `pl.Out[...]`), decorators
(`@pl.program`, `@pl.function`, `@pl.jit`, `@pl.jit.inline`), and the names of the operations
(`pl.slice`, `pl.parallel`, `pl.at`, ...). A kernel's body is never run by Python: `lower.py`
reads its AST and recognises these objects by identity. Called outside a kernel, an operation
raises a FrontendError that says so.
"""

from __future__ import annotations

import builtins
import enum
from dataclasses import dataclass, replace

from .errors import FrontendError

# -- data types --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataType:
    name: str  # PyPTO's name
    mlir: str  # the MLIR element type

    @property
    def is_float(self) -> bool:
        return self.mlir.startswith(("f", "bf"))

    def __repr__(self) -> str:
        return f"pl.{self.name}"


FP32 = DataType("FP32", "f32")
FP16 = DataType("FP16", "f16")
BF16 = DataType("BF16", "bf16")
FP64 = DataType("FP64", "f64")
INT8 = DataType("INT8", "i8")
INT16 = DataType("INT16", "i16")
INT32 = DataType("INT32", "i32")
INT64 = DataType("INT64", "i64")
BOOL = DataType("BOOL", "i1")
INDEX = DataType("INDEX", "index")
DATA_TYPES = (FP32, FP16, BF16, FP64, INT8, INT16, INT32, INT64, BOOL, INDEX)


@dataclass(frozen=True, eq=False)
class DynVar:
    """A dynamic dimension: `M = pl.dynamic("M")`, then `pl.Tensor[[M, 64], pl.FP32]`. In the
    body, `M` is the run-time size of the first argument dimension declared with it."""

    name: str

    def __repr__(self) -> str:
        return f"pl.dynamic({self.name!r})"


def dynamic(name: str) -> DynVar:
    return DynVar(name)


# -- annotations -------------------------------------------------------------------------------

DIRECTIONS = ("in", "out", "inout")


@dataclass(frozen=True)
class TensorType:
    shape: tuple[int | DynVar, ...]
    dtype: DataType
    direction: str = "in"


@dataclass(frozen=True)
class ScalarType:
    dtype: DataType


@dataclass(frozen=True)
class TupleType:
    items: tuple[object, ...]  # the item types as written


def _dims(dims: object) -> tuple[int | DynVar, ...]:
    if not isinstance(dims, (list, tuple)):
        raise FrontendError(f"a tensor shape is a list of dimensions, got {dims!r}")
    for d in dims:
        if not isinstance(d, DynVar) and (isinstance(d, bool) or not isinstance(d, int) or d < 0):
            raise FrontendError(
                f"a tensor dimension is a non-negative int or a pl.dynamic(...), got {d!r}"
            )
    return tuple(dims)


class _TensorOf:
    def __getitem__(self, key) -> TensorType:
        if not isinstance(key, tuple) or len(key) != 2 or not isinstance(key[1], DataType):
            raise FrontendError("write a tensor type as pl.Tensor[[dims...], pl.DTYPE]")
        return TensorType(_dims(key[0]), key[1])


class _ScalarOf:
    def __getitem__(self, key) -> ScalarType:
        if not isinstance(key, DataType):
            raise FrontendError("write a scalar type as pl.Scalar[pl.DTYPE]")
        return ScalarType(key)


class _Direction:
    def __init__(self, direction: str):
        self.direction = direction

    def __getitem__(self, key) -> TensorType:
        if not isinstance(key, TensorType):
            raise FrontendError(f"pl.{self.name} takes a pl.Tensor[...] type")
        return replace(key, direction=self.direction)

    @property
    def name(self) -> str:
        return {"out": "Out", "inout": "InOut"}[self.direction]


class _TupleOf:
    def __getitem__(self, key) -> TupleType:
        return TupleType(tuple(key) if isinstance(key, tuple) else (key,))


Tensor = _TensorOf()
Tile = _TensorOf()
Scalar = _ScalarOf()
Out = _Direction("out")
InOut = _Direction("inout")
Tuple = _TupleOf()


# -- enumerations and optimizer markers --------------------------------------------------------


class Level(enum.Enum):
    CORE_GROUP = "core_group"
    HOST = "host"
    CLUSTER = "cluster"


class FunctionType(enum.Enum):
    Opaque = "opaque"
    Orchestration = "orchestration"
    InCore = "incore"
    AIC = "aic"
    AIV = "aiv"


class SplitMode(enum.Enum):
    NONE = "none"
    UP_DOWN = "up_down"
    LEFT_RIGHT = "left_right"


class PadValue(enum.Enum):
    """What pl.fillpad (and pl.slice's pad_value=) writes outside a tile's valid part."""

    zero = 0.0
    max = float("inf")
    min = float("-inf")


@dataclass(frozen=True)
class Optimization:
    """An optimizer request of `pl.at(optimization=...)` / `optimizations=[...]`."""

    name: str
    mode: SplitMode | None = None

    def __repr__(self) -> str:
        return f"pl.{self.name}" if self.mode is None else f"pl.{self.name}({self.mode})"


chunked_loop_optimizer = Optimization("chunked_loop_optimizer")
auto_chunk = Optimization("auto_chunk")


def split(mode: SplitMode) -> Optimization:
    return Optimization("split", mode)


# -- operations (recognised in a kernel's AST by identity) -------------------------------------


class Operation:
    """A `pl.` operation. `lower.py` emits it; Python never runs it."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, *args, **kwargs):
        raise FrontendError(
            f"pl.{self.name} is part of a kernel: use it inside a @pl.function of a @pl.program"
        )

    def __repr__(self) -> str:
        return f"pl.{self.name}"


OPERATION_NAMES = (
    # loops, scopes, loop-carried values
    "range parallel at yield_ "
    # tensors and tiles
    "slice assemble create_tensor full reshape read write fillpad cast "
    # elementwise
    "add sub mul div maximum minimum exp sqrt rsqrt neg abs log recip "
    # reductions and expansions
    "row_sum row_max row_min col_sum col_max col_min "
    "row_expand_add row_expand_sub row_expand_mul row_expand_div "
    "col_expand_add col_expand_sub col_expand_mul col_expand_div "
    # matrix products, scalar bounds
    "matmul matmul_acc min max"
).split()

OPERATIONS: dict[str, Operation] = {name: Operation(name) for name in OPERATION_NAMES}
globals().update(OPERATIONS)
# PyPTO's names, which shadow Python's builtins in this module (spelled out for type checkers).
range = OPERATIONS["range"]
slice = OPERATIONS["slice"]
min = OPERATIONS["min"]
max = OPERATIONS["max"]
abs = OPERATIONS["abs"]


# -- decorators ----------------------------------------------------------------------------------


class KernelFunction:
    """A `@pl.function` method of a `@pl.program` class, before lowering."""

    def __init__(self, fn, type: FunctionType | None = None):  # `type`: PyPTO's keyword
        self.fn = fn
        self.type = type
        self.name = fn.__name__


def function(fn=None, *, type: FunctionType | None = None, **_ignored):  # PyPTO's keyword
    """`@pl.function` or `@pl.function(type=pl.FunctionType.Opaque)`."""
    if fn is None:
        return lambda f: KernelFunction(f, type)
    return KernelFunction(fn, type)


class JitFunction:
    """A module-level `@pl.jit` function (a kernel of its own, with no program class) or
    `@pl.jit.inline` (its body is emitted at each call site)."""

    def __init__(self, fn, inline: bool):
        self.fn = fn
        self.inline = inline
        self.name = fn.__name__

    def __call__(self, *args, **kwargs):
        if self.inline:
            raise FrontendError(f"@pl.jit.inline function {self.name} is called from a kernel only")
        from .program import program_of_jit

        return program_of_jit(self)(*args, **kwargs)


class _Jit:
    def __call__(self, fn) -> JitFunction:
        return JitFunction(fn, inline=False)

    def inline(self, fn) -> JitFunction:
        return JitFunction(fn, inline=True)


jit = _Jit()


def program(cls):
    """`@pl.program class P:` -> a Program whose attributes are its functions."""
    from .program import Program

    return Program(cls)


# What the AST reader may call on static values at compile time (shape arithmetic, markers).
STATIC_BUILTINS = {
    split,
    builtins.len,
    builtins.int,
    builtins.float,
    builtins.min,
    builtins.max,
    builtins.abs,
    builtins.list,
    builtins.tuple,
}
