"""The numpy calling convention of JIT-compiled functions.

A `func.func` marked `llvm.emit_c_interface` gets a C wrapper `_mlir_ciface_<name>`, and the
ExecutionEngine calls that wrapper through a "packed" entry taking one `void**`: a pointer to
each argument in order. In the C wrapper a memref argument is a pointer to its descriptor and a
scalar is passed by value. A single scalar result is the wrapper's return value (the packed
entry stores it through one extra pointer after the arguments); a memref result or several
results form an LLVM struct that the wrapper writes through a pointer passed *first*.

This module reads a function's MLIR signature before lowering (afterwards only LLVM types
remain), checks Python arguments against it with messages that name the argument, and packs
and unpacks the ctypes values. It knows nothing about passes or the JIT.
"""

from __future__ import annotations

import ctypes
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import ml_dtypes
import numpy as np
from mlir import ir
from mlir.runtime import (
    as_ctype,
    make_nd_memref_descriptor,
    make_zero_d_memref_descriptor,
    ranked_memref_to_numpy,
)

from ..dialect.ir_queries import has_identity_layout

# bf16 elements: ml_dtypes' bfloat16 in Python. A .npy file cannot carry that dtype (numpy
# writes it as raw 'V2'), so files hold the raw bits as uint16 (raw_bits / from_raw_bits).
BF16 = np.dtype(ml_dtypes.bfloat16)
# 16-bit floats travel through the C wrapper as their raw bits.
_HALF_FLOATS = (np.dtype(np.float16), BF16)


class ArgumentError(ValueError):
    """A Python argument does not fit the function's signature. Raised before the call."""


class ResultError(ValueError):
    """A result of the call cannot be turned into a numpy value (e.g. a null memref)."""


class SignatureError(ValueError):
    """The function has an argument or result type this calling convention cannot pass."""


# How a function's argument or result is passed (kind_of).
Kind: TypeAlias = "ScalarKind | MemRefKind"
# An argument or result in Python: an array for a memref, a Python number for a scalar.
PyValue: TypeAlias = "np.ndarray | int | float | bool"


def _element_dtype(t: ir.Type) -> np.dtype | None:
    """The numpy dtype that stores one element of MLIR type `t`, or None if unsupported."""
    if isinstance(t, ir.IndexType):
        return np.dtype(np.int64)  # index is 64-bit on the CPU target
    if isinstance(t, ir.IntegerType):
        if not t.is_signless:
            return None  # si32/ui32: arith works on signless integers only
        return {
            1: np.dtype(np.bool_),
            8: np.dtype(np.int8),
            16: np.dtype(np.int16),
            32: np.dtype(np.int32),
            64: np.dtype(np.int64),
        }.get(t.width)
    if isinstance(t, ir.F16Type):
        return np.dtype(np.float16)
    if isinstance(t, ir.BF16Type):
        return BF16
    if isinstance(t, ir.F32Type):
        return np.dtype(np.float32)
    if isinstance(t, ir.F64Type):
        return np.dtype(np.float64)
    return None


# MLIR 22 stores memref elements narrower than a byte packed (i4: two per byte, unlike numpy's
# one bool per byte) and its memref.load/store lowering aborts the process on i1, i2... (an
# assertion in MemRefToLLVM). Such memrefs are rejected, with this reason.
SUB_BYTE_REASON = (
    "memrefs of integers narrower than 8 bits (i1...i7) are not supported by the "
    "CPU target (MLIR 22 cannot lower their loads and stores); use i8 elements with "
    "arith.extui/arith.trunci"
)


def is_sub_byte(t: ir.Type) -> bool:
    return isinstance(t, ir.IntegerType) and t.width < 8


# ctypes used for scalars in the C wrapper. f16 and bf16 travel as their 16 raw bits; i1 as one
# byte.
_SCALAR_CTYPES = {
    "bool": ctypes.c_bool,
    "int8": ctypes.c_int8,
    "int16": ctypes.c_int16,
    "int32": ctypes.c_int32,
    "int64": ctypes.c_int64,
    "float16": ctypes.c_uint16,
    "bfloat16": ctypes.c_uint16,
    "float32": ctypes.c_float,
    "float64": ctypes.c_double,
}


@dataclass(frozen=True)
class ScalarKind:
    """An integer, index or float scalar."""

    text: str  # the MLIR type, for messages
    dtype: np.dtype
    is_index: bool = False

    @property
    def ctype(self):
        return _SCALAR_CTYPES[self.dtype.name]

    @property
    def is_float(self) -> bool:
        return self.dtype.kind == "f" or self.dtype == BF16

    def to_c(self, value: Any, what: str):
        """The ctypes value of a Python argument; ArgumentError when it does not fit."""
        if self.is_float:
            if isinstance(value, (bool, np.bool_)) or not isinstance(
                value, (int, float, np.integer, np.floating)
            ):
                raise ArgumentError(
                    f"{what} ({self.text}): expected a float, got {_describe(value)}"
                )
            with np.errstate(over="ignore"):
                v = self.dtype.type(value)
            if np.isinf(v) and math.isfinite(float(value)):
                raise ArgumentError(
                    f"{what} ({self.text}): {value!r} does not fit in {self.text} "
                    f"(largest finite value {ml_dtypes.finfo(self.dtype).max})"
                )
            if self.dtype in _HALF_FLOATS:  # rounded to nearest (even) by the conversion
                return self.ctype(int(np.array(v, self.dtype).view(np.uint16)))
            return self.ctype(float(v))
        if self.dtype == np.bool_:
            if isinstance(value, (bool, np.bool_)) or (
                isinstance(value, (int, np.integer)) and int(value) in (0, 1)
            ):
                return ctypes.c_bool(bool(value))
            raise ArgumentError(
                f"{what} ({self.text}): expected 0, 1, True or False, got {_describe(value)}"
            )
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise ArgumentError(
                f"{what} ({self.text}): expected an integer, got {_describe(value)}"
            )
        bits = self.dtype.itemsize * 8
        v = int(value)
        # Signless integers: accept the signed and the unsigned reading of the bits.
        lo, hi = -(1 << (bits - 1)), (1 << bits) - 1
        if self.is_index:
            hi = (1 << (bits - 1)) - 1
        if not lo <= v <= hi:
            raise ArgumentError(f"{what} ({self.text}): {v} does not fit in {bits} bits")
        if v >= 1 << (bits - 1):
            v -= 1 << bits
        return self.ctype(v)

    def from_c(self, c) -> Any:
        if self.dtype in _HALF_FLOATS:
            return float(np.array(c.value, np.uint16).view(self.dtype))
        if self.dtype == np.bool_:
            return bool(c.value)
        return c.value


@dataclass(frozen=True)
class MemRefKind:
    """A ranked memref with the identity layout."""

    text: str
    dtype: np.dtype
    shape: tuple[int | None, ...]  # None for a dynamic dimension

    @property
    def rank(self) -> int:
        return len(self.shape)

    @property
    def descriptor_type(self):
        return descriptor_class(self.rank, self.dtype)

    def check(self, value: Any, what: str) -> np.ndarray:
        if not isinstance(value, np.ndarray):
            raise ArgumentError(
                f"{what} ({self.text}): expected a numpy array, got {_describe(value)}"
            )
        if not _same_storage(value.dtype, self.dtype):
            raise ArgumentError(
                f"{what} ({self.text}): expected dtype {self.dtype.name}, got {value.dtype.name}"
            )
        if value.ndim != self.rank:
            raise ArgumentError(
                f"{what} ({self.text}): expected rank {self.rank}, got an array "
                f"of rank {value.ndim} (shape {value.shape})"
            )
        for dim, (want, got) in enumerate(zip(self.shape, value.shape, strict=False)):
            if want is not None and want != got:
                raise ArgumentError(
                    f"{what} ({self.text}): dimension {dim} must be {want}, got shape {value.shape}"
                )
        if not value.flags.writeable:
            raise ArgumentError(
                f"{what} ({self.text}): the array is read-only (the function may "
                f"write to it); pass a copy"
            )
        return value

    def to_numpy(self, descriptor) -> np.ndarray:
        """A fresh array with the contents of a returned memref (the memory is not ours)."""
        if not (ctypes.cast(descriptor.aligned, ctypes.c_void_p).value or 0) and (
            self.rank == 0 or all(int(n) != 0 for n in descriptor.shape)
        ):
            raise ResultError(
                "the function returned a memref with a null data pointer (a failed memref.alloc?)"
            )
        if self.rank == 0:
            ptr = ctypes.cast(descriptor.aligned, ctypes.c_void_p).value or 0
            addr = ptr + descriptor.offset * self.dtype.itemsize
            return (
                np.frombuffer(  # type: ignore[call-overload]  # numpy's stubs omit ctypes arrays
                    (ctypes.c_char * self.dtype.itemsize).from_address(addr), dtype=self.dtype
                )
                .reshape(())
                .copy()
            )
        if any(int(n) == 0 for n in descriptor.shape):
            return np.zeros(tuple(int(n) for n in descriptor.shape), dtype=self.dtype)
        return np.array(
            ranked_memref_to_numpy(ctypes.pointer(descriptor)), dtype=self.dtype, copy=True
        )


@functools.cache
def descriptor_class(rank: int, dtype: np.dtype):
    """The ctypes memref descriptor class of a rank and element type, made once. (mlir.runtime
    makes a new class per call, and ctypes caches the pointer type of every class forever: a
    program calling a kernel a million times would keep a million classes.)"""
    ctp = as_ctype(dtype)
    if rank == 0:
        return make_zero_d_memref_descriptor(ctp)
    return make_nd_memref_descriptor(rank, ctp)


def descriptor_of(arr: np.ndarray):
    """The descriptor of a dense, aligned, native-order array (as get_ranked_memref_descriptor)."""
    desc = descriptor_class(arr.ndim, arr.dtype)()
    desc.allocated = arr.ctypes.data
    desc.aligned = ctypes.cast(arr.ctypes.data, type(desc.aligned))
    desc.offset = 0
    if arr.ndim:
        desc.shape[:] = arr.shape
        desc.strides[:] = [st // arr.itemsize for st in arr.strides]
    return desc


def _same_storage(got: np.dtype, want: np.dtype) -> bool:
    got = got.newbyteorder("=")  # a byte-swapped array is passed as a native copy
    if got == want:
        return True
    # MLIR integers are signless: an unsigned array of the same width has the same bits.
    return want.kind == "i" and got.kind == "u" and got.itemsize == want.itemsize


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype.name} and shape {value.shape}"
    return f"{type(value).__name__} {value!r}"


def raw_bits(arr: np.ndarray) -> np.ndarray:
    """What a .npy file holds for an array: bf16 as uint16 raw bits, anything else as it is."""
    return arr.view(np.uint16) if arr.dtype == BF16 else arr


def from_raw_bits(kind: MemRefKind, arr: np.ndarray, what: str) -> np.ndarray:
    """An array read from a .npy file for a memref argument: a bf16 memref takes uint16 raw
    bits (or numpy's 'V2', what it writes for an ml_dtypes bfloat16 array) and sees them as
    bfloat16; ArgumentError for another dtype. Other kinds: the array as it is."""
    if kind.dtype != BF16:
        return arr
    if arr.dtype == np.uint16 or (arr.dtype.kind == "V" and arr.dtype.itemsize == 2):
        return arr.view(BF16)
    raise ArgumentError(
        f"{what} ({kind.text}): a bf16 memref takes a .npy of uint16 (the raw bits of each "
        f"bfloat16), got dtype {arr.dtype.name}"
    )


def kind_of(t: ir.Type, what: str) -> Kind:
    """The calling-convention kind of an MLIR type; SignatureError when we cannot pass it."""
    if isinstance(t, ir.MemRefType):
        m = ir.MemRefType(t)
        if is_sub_byte(m.element_type):
            raise SignatureError(f"{what} has type {t}: {SUB_BYTE_REASON}")
        dtype = _element_dtype(m.element_type)
        if dtype is None:
            raise SignatureError(
                f"{what} has type {t}: element type {m.element_type} is not "
                f"supported (f16, bf16, f32, f64, i8, i16, i32, i64, index)"
            )
        if not has_identity_layout(m):
            raise SignatureError(f"{what} has type {t}: only the identity layout is supported")
        shape = tuple(None if ir.ShapedType.is_dynamic_size(n) else n for n in m.shape)
        return MemRefKind(str(t), dtype, shape)
    dtype = _element_dtype(t)
    if dtype is None or isinstance(t, (ir.MemRefType, ir.UnrankedMemRefType)):
        raise SignatureError(
            f"{what} has type {t}, which cannot be passed from Python (supported: "
            f"ranked memrefs, integers, index, f16, bf16, f32, f64)"
        )
    return ScalarKind(str(t), dtype, isinstance(t, ir.IndexType))


@dataclass
class Signature:
    """The argument and result kinds of one function, read from its `func.func`."""

    name: str
    args: list[Kind]
    results: list[Kind]

    @classmethod
    def of(cls, fn) -> Signature:
        ftype = ir.FunctionType(ir.TypeAttr(fn.attributes["function_type"]).value)
        name = ir.StringAttr(fn.attributes["sym_name"]).value
        args = [kind_of(t, f"argument {i} of @{name}") for i, t in enumerate(ftype.inputs)]
        results = [kind_of(t, f"result {j} of @{name}") for j, t in enumerate(ftype.results)]
        return cls(name, args, results)

    def describe(self) -> str:
        return "(" + ", ".join(a.text for a in self.args) + ")"

    # The packed call ------------------------------------------------------------------------
    @functools.cached_property
    def result_struct(self):
        """The ctypes struct the C wrapper writes results into, or None when the single result
        (or no result) is returned by value. Made once per signature."""
        if not self.results or (len(self.results) == 1 and isinstance(self.results[0], ScalarKind)):
            return None
        if len(self.results) == 1:
            return self.results[0].descriptor_type
        fields = []
        for j, r in enumerate(self.results):
            fields.append((f"r{j}", r.descriptor_type if isinstance(r, MemRefKind) else r.ctype))
        return type("Results", (ctypes.Structure,), {"_fields_": fields})

    def pack(self, values: Sequence[Any]) -> PackedCall:
        """Checks `values` against the signature and builds the packed argument list.
        Arrays are passed by reference: the function sees (and may change) their memory."""
        if len(values) != len(self.args):
            raise ArgumentError(
                f"@{self.name} takes {len(self.args)} argument(s) "
                f"{self.describe()}, got {len(values)}"
            )
        # Everything ctypes points into must outlive the call: arrays, descriptors, ctypes
        # scalars, and ("writeback", array, copy) for the arrays passed as dense copies.
        keep: list[object] = []
        pointers: list[ctypes._Pointer[Any]] = []
        # (position, (array, what is passed)) of the memref arguments so far
        arrays: list[tuple[int, tuple[np.ndarray, np.ndarray]]] = []
        for i, (kind, value) in enumerate(zip(self.args, values, strict=False)):
            what = f"argument {i} of @{self.name}"
            if isinstance(kind, MemRefKind):
                arr = kind.check(value, what)
                target = arr
                if not arr.flags.c_contiguous or not arr.flags.aligned or not arr.dtype.isnative:
                    # An identity-layout memref reads the array densely, in the machine's byte
                    # order: pass such a copy and write it back after the call, so in-place
                    # semantics still hold (Fortran order, views with strides, '>f4').
                    target = np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("="))
                for j, other in arrays:
                    # A copy would split memory the caller shares between two arguments: the
                    # function could not see its own writes through the other one.
                    if (target is not arr or other[1] is not other[0]) and np.shares_memory(
                        arr, other[0]
                    ):
                        raise ArgumentError(
                            f"{what} shares memory with argument {j}, and one of them is not "
                            f"contiguous (it would be passed as a copy, and writes through one "
                            f"would not reach the other); pass contiguous arrays, or copies"
                        )
                arrays.append((i, (arr, target)))
                desc = descriptor_of(target)
                keep += [arr, target, desc]
                pointers.append(ctypes.pointer(ctypes.pointer(desc)))
                if target is not arr:
                    keep.append(("writeback", arr, target))
            else:
                c = kind.to_c(value, what)
                keep.append(c)
                pointers.append(ctypes.pointer(c))
        struct = self.result_struct
        out = None
        if struct is not None:
            out = struct()
            pointers.insert(0, ctypes.pointer(ctypes.pointer(out)))
        elif self.results:
            scalar = self.results[0]  # no struct: a single scalar, returned by value
            assert isinstance(scalar, ScalarKind)
            out = scalar.ctype()
            pointers.append(ctypes.pointer(out))
        return PackedCall(self, pointers, keep, out)


@dataclass
class PackedCall:
    signature: Signature
    pointers: list[ctypes._Pointer[Any]]
    keep: list[object]
    out: Any

    def finish(self) -> list[PyValue]:
        """After the call: writes dense copies back and converts the results."""
        for item in self.keep:
            if isinstance(item, tuple) and item[0] == "writeback":
                item[1][...] = item[2]
        results = self.signature.results
        if not results:
            return []
        if len(results) == 1:
            r = results[0]
            return [r.to_numpy(self.out) if isinstance(r, MemRefKind) else r.from_c(self.out)]
        out: list[PyValue] = []
        for j, r in enumerate(results):
            field = getattr(self.out, f"r{j}")
            if isinstance(r, MemRefKind):
                out.append(r.to_numpy(field))
            else:
                out.append(r.from_c(r.ctype(field)))  # struct fields read back as Python values
        return out
