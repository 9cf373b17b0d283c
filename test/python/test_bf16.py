"""bf16 in the Python API (lowering/numpy_abi.py): memref arguments and results are ml_dtypes
bfloat16 arrays, bf16 scalars Python floats (rounded to the nearest bf16, ties to even). On the
CPU target and on the emulator, the bits are those numpy computes with ml_dtypes (each
operation in f32, rounded once), and every bit pattern (NaN payloads, -0.0, infinities,
subnormals) passes through a copy unchanged."""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest
from mlir import ir

from pypto_mlir.dialect.context import make_context
from pypto_mlir.lowering.cpu import compile_module
from pypto_mlir.lowering.emu import compile_emu
from pypto_mlir.lowering.numpy_abi import ArgumentError, from_raw_bits, kind_of, raw_bits
from pypto_mlir.passes import build_pass_manager

BF16 = ml_dtypes.bfloat16

KERNELS = """\
func.func @axpy(%x: memref<?xbf16>, %y: memref<?xbf16>, %a: bf16, %n: index) -> bf16 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : bf16
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> bf16 {
    %xv = memref.load %x[%i] : memref<?xbf16>
    %yv = memref.load %y[%i] : memref<?xbf16>
    %m = arith.mulf %a, %xv : bf16
    %r = arith.addf %m, %yv : bf16
    memref.store %r, %y[%i] : memref<?xbf16>
    %t = arith.addf %acc, %r : bf16
    scf.yield %t : bf16
  } {pl.chunk = 4 : i64, pl.parallel}
  return %s : bf16
}

func.func @widen(%x: memref<8xbf16>) -> memref<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %out = memref.alloc() : memref<8xf32>
  scf.for %i = %c0 to %c8 step %c1 {
    %v = memref.load %x[%i] : memref<8xbf16>
    %w = arith.extf %v : bf16 to f32
    memref.store %w, %out[%i] : memref<8xf32>
  }
  return %out : memref<8xf32>
}

func.func @narrow(%x: memref<8xf32>) -> memref<8xbf16> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %out = memref.alloc() : memref<8xbf16>
  scf.for %i = %c0 to %c8 step %c1 {
    %v = memref.load %x[%i] : memref<8xf32>
    %w = arith.truncf %v : f32 to bf16
    memref.store %w, %out[%i] : memref<8xbf16>
  }
  return %out : memref<8xbf16>
}

func.func @copy(%x: memref<?xbf16>, %y: memref<?xbf16>) {
  memref.copy %x, %y : memref<?xbf16> to memref<?xbf16>
  return
}
"""


@pytest.fixture(scope="module")
def programs():
    ctx = make_context(sink=lambda d: None)
    module = ir.Module.parse(KERNELS, ctx)
    build_pass_manager("builtin.module(pl-default)", ctx).run(module.operation)
    cpu = compile_module(module, opt_level=2)
    emu = compile_emu(module, opt_level=2)
    return {
        "cpu": lambda name, *args: cpu[name].call(*args),
        "emu": lambda name, *args: emu.run(name, *args)[0],
    }


def bits(a) -> list[int]:
    return np.asarray(a).view(np.uint16).tolist()


@pytest.mark.parametrize("target", ["cpu", "emu"])
def test_axpy_is_bit_exact_against_ml_dtypes(programs, target):
    rng = np.random.default_rng(7)
    n = 37
    x = rng.standard_normal(n).astype(BF16)
    y = rng.standard_normal(n).astype(BF16)
    f = np.float32
    a = BF16(0.3)  # the scalar argument 0.3, rounded to bf16 as the call rounds it
    want = ((a.astype(f) * x.astype(f)).astype(BF16).astype(f) + y.astype(f)).astype(BF16)
    total = BF16(0.0)
    for v in want:
        total = (total.astype(f) + v.astype(f)).astype(BF16)
    got_y = y.copy()
    (result,) = programs[target]("axpy", x, got_y, 0.3, n)
    assert bits(got_y) == bits(want)
    assert isinstance(result, float) and bits(BF16(result)) == bits(total)


SPECIAL = np.array(
    [0x0000, 0x8000, 0x7F80, 0xFF80, 0x7FC1, 0xFFA5, 0x0001, 0x3F80], np.uint16
)  # 0, -0, inf, -inf, quiet NaN with payload, signalling NaN, smallest subnormal, 1.0


@pytest.mark.parametrize("target", ["cpu", "emu"])
def test_every_bit_pattern_passes_through(programs, target):
    x = SPECIAL.view(BF16)
    y = np.zeros(8, BF16)
    programs[target]("copy", x, y)
    assert bits(y) == SPECIAL.tolist()
    (wide,) = programs[target]("widen", x)
    # bf16 -> f32 is exact: the 16 bits become the high half (NaN payloads too).
    assert wide.dtype == np.float32
    assert wide.view(np.uint32).tolist() == [int(b) << 16 for b in SPECIAL]


@pytest.mark.parametrize("target", ["cpu", "emu"])
def test_results_are_bfloat16_arrays_rounded_as_ml_dtypes_rounds(programs, target):
    # Ties to even (1 + 2**-8 is halfway between two bf16 values), overflow to infinity, the
    # largest finite value, NaN, the smallest normal values (bf16 has the exponent range of f32).
    x = np.array(
        [1 + 2**-8, 1 + 3 * 2**-8, 3.4e38, -3.4e38, 3.3895e38, np.nan, 1.2e-38, -0.1], np.float32
    )
    (out,) = programs[target]("narrow", x)
    assert out.dtype == np.dtype(BF16)
    assert bits(out) == bits(x.astype(BF16))


def native_bf16_conversion() -> bool:
    """Whether this CPU converts f32 to bf16 in one instruction (which LLVM then uses)."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    except OSError:
        return False
    return "avx512_bf16" in flags or "avx_ne_convert" in flags


@pytest.mark.parametrize("target", ["cpu", "emu"])
def test_f32_subnormals_round_as_ml_dtypes_or_flush_on_native_conversion(programs, target):
    # vcvtneps2bf16 (AVX512-BF16, AVX-NE-CONVERT) treats f32 subnormal inputs as zero; the
    # software conversion LLVM emits elsewhere rounds them as ml_dtypes does.
    x = np.array([1e-40, -1e-40, 5e-39, -5e-39, 1e-45, 0, 1, 2], np.float32)
    (out,) = programs[target]("narrow", x)
    want = x.astype(BF16)
    if native_bf16_conversion():
        want = np.where(np.abs(x) < np.finfo(np.float32).tiny, np.copysign(0, x), x).astype(BF16)
    assert bits(out) == bits(want)


def test_argument_errors_name_the_bf16_convention(programs):
    with pytest.raises(ArgumentError, match="expected dtype bfloat16, got uint16"):
        programs["cpu"]("copy", np.zeros(4, np.uint16), np.zeros(4, BF16))
    with pytest.raises(ArgumentError, match=r"3e\+48 does not fit in bf16 \(largest finite"):
        programs["cpu"]("axpy", np.zeros(1, BF16), np.zeros(1, BF16), 3e48, 1)


def test_files_hold_raw_bits():
    with make_context():
        kind = kind_of(ir.Type.parse("memref<?xbf16>"), "argument 0 of @f")
    x = np.array([1.5, -0.0, np.inf], BF16)
    on_disk = raw_bits(x)
    assert on_disk.dtype == np.uint16 and bits(on_disk) == bits(x)
    assert bits(from_raw_bits(kind, on_disk, "arg")) == bits(x)
    # What numpy writes for an ml_dtypes array ('V2') is read as the same bits.
    assert bits(from_raw_bits(kind, x.view("V2"), "arg")) == bits(x)
    with pytest.raises(ArgumentError, match="takes a .npy of uint16"):
        from_raw_bits(kind, np.zeros(3, np.float32), "arg")
