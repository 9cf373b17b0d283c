"""The values a kernel computes with, and the MLIR text they are written as.

The front end writes MLIR text (every op with a `loc("file.py":line:col)`) and parses it once;
the text is the same IR a hand-written kernel in examples/ holds. Values:

* `Scalar`: an SSA value of an integer, index or float type;
* `Buffer`: a memref, a tensor argument, a view of one (pl.slice), or a tile buffer the kernel
  allocated (`owned`: it is freed at the end of the block that allocated it).
Anything else a kernel names (ints, floats, shapes, dtypes) is a static Python value.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TypeAlias

import numpy as np


@dataclass(frozen=True)
class Scalar:
    ssa: str
    type: str  # "index", "i32", "f32", "i1", ...

    def __repr__(self) -> str:  # as error messages name it
        return f"a run-time {self.type} value"

    @property
    def is_float(self) -> bool:
        return self.type.startswith(("f", "bf"))


# Sizes or strides: ints, None where dynamic (unknown until run time).
Dims: TypeAlias = "tuple[int | None, ...]"


@lru_cache(maxsize=1024)
def contiguous_strides(shape: Dims) -> Dims:
    """Row-major strides of `shape` (None where a dynamic size makes one unknown)."""
    strides: list[int | None] = []
    s: int | None = 1
    for d in reversed(shape):
        strides.append(s)
        s = None if s is None or d is None else s * d
    return tuple(reversed(strides))


def _dim(d: int | None) -> str:
    return "?" if d is None else str(d)


@dataclass(frozen=True)
class Buffer:
    ssa: str
    shape: Dims
    dtype: str
    strides: Dims
    offset: int | None = 0
    owned: bool = False
    valid: tuple[int | Scalar, ...] | None = (
        None  # pl.slice(valid_shape=): sizes (ints, Scalars) of the valid part
    )

    def __repr__(self) -> str:  # as error messages name it
        dims = ", ".join("?" if d is None else str(d) for d in self.shape)
        return f"a [{dims}] {self.dtype} tensor"

    @staticmethod
    def dense(ssa: str, shape: Sequence[int | None], dtype: str, owned: bool = False) -> Buffer:
        return Buffer(ssa, tuple(shape), dtype, contiguous_strides(tuple(shape)), 0, owned)

    @cached_property
    def is_dense(self) -> bool:
        return self.offset == 0 and self.strides == contiguous_strides(self.shape)

    @cached_property
    def type(self) -> str:
        return memref_type(self.shape, self.dtype, self.strides, self.offset)


@lru_cache(maxsize=4096)
@lru_cache(maxsize=1024)
def memref_type(shape: Dims, dtype: str, strides: Dims, offset: int | None) -> str:
    dims = "".join(f"{_dim(d)}x" for d in shape)
    if offset == 0 and strides == contiguous_strides(shape):
        return f"memref<{dims}{dtype}>"
    layout = ", ".join(_dim(s) for s in strides)
    return f"memref<{dims}{dtype}, strided<[{layout}], offset: {_dim(offset)}>>"


def location(file: str, line: int, col: int) -> str:
    escaped = file.replace("\\", "\\\\").replace('"', '\\"')
    return f'loc("{escaped}":{line}:{col})'


_FLOAT_BITS = {"f16": ("e", "<H", 4), "f32": ("f", "<I", 8), "f64": ("d", "<Q", 16)}


def float_literal(value: float, type_: str) -> str:
    """An exact literal: the bit pattern of `value` rounded to `type_` as numpy rounds it."""
    if type_ in _FLOAT_BITS:
        fmt, ufmt, digits = _FLOAT_BITS[type_]
        rounded = {"f16": np.float16, "f32": np.float32, "f64": np.float64}[type_](value)
        (bits,) = struct.unpack(ufmt, struct.pack("<" + fmt, rounded))
        return f"0x{bits:0{digits}X}"
    return repr(float(value))


_INDENT = ["  " * depth for depth in range(256)]


class Text:
    """MLIR text being written: SSA names, indentation, the current location."""

    def __init__(self):
        self.lines: list[str] = []
        self.depth = 2
        self.count = 0
        self.file = ""
        self.node = None  # the AST node the ops being written come from

    @property
    def loc(self) -> str:
        node = self.node
        if node is None:
            return "loc(unknown)"
        return location(self.file, node.lineno, node.col_offset + 1)

    def fresh(self) -> str:
        self.count += 1
        return f"%v{self.count}"

    def line(self, text: str) -> None:
        indent = _INDENT[self.depth] if self.depth < len(_INDENT) else "  " * self.depth
        self.lines.append(indent + text)

    def op(self, text: str, results: int = 1) -> str:
        """Writes `%vN = text loc(...)`, returns %vN (`%vN:k` is written for k results)."""
        name = self.fresh()
        count = f":{results}" if results != 1 else ""
        self.line(f"{name}{count} = {text} {self.loc}")
        return name

    def effect(self, text: str) -> None:
        self.line(f"{text} {self.loc}")

    def constant_index(self, value: int) -> Scalar:
        return Scalar(self.op(f"arith.constant {value} : index"), "index")

    def constant(self, value, type_: str) -> Scalar:
        if type_.startswith(("f", "bf")):
            return Scalar(self.op(f"arith.constant {float_literal(value, type_)} : {type_}"), type_)
        if type_ == "i1":
            return Scalar(self.op(f"arith.constant {'true' if value else 'false'}"), type_)
        return Scalar(self.op(f"arith.constant {int(value)} : {type_}"), type_)
