"""memref.copy between memrefs that are not both contiguous (lowering/strided_copies.py): a tile
copied into a strided window of a larger array (PyPTO's pl.assemble), a window copied out, and
windows with gaps on both sides run on the CPU target and on the emulator, bit for bit what
numpy's slicing gives; on the emulator a copy into a window out of bounds copies nothing and is
reported."""

from __future__ import annotations

import numpy as np
import pytest
from mlir import ir

from pypto_mlir.dialect.context import make_context
from pypto_mlir.lowering.cpu import compile_module
from pypto_mlir.lowering.emu import compile_emu
from pypto_mlir.lowering.strided_copies import is_contiguous

COPIES = """\
func.func @assemble(%big: memref<6x10xf32>, %tile: memref<2x4xf32>, %r: index, %c: index) {
  %w = memref.subview %big[%r, %c] [2, 4] [1, 1]
      : memref<6x10xf32> to memref<2x4xf32, strided<[10, 1], offset: ?>>
  memref.copy %tile, %w : memref<2x4xf32> to memref<2x4xf32, strided<[10, 1], offset: ?>>
  return
}

func.func @extract(%big: memref<?x?xi8>, %out: memref<?x?xi8>, %r: index, %c: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %out, %c0 : memref<?x?xi8>
  %m = memref.dim %out, %c1 : memref<?x?xi8>
  %w = memref.subview %big[%r, %c] [%n, %m] [1, 1]
      : memref<?x?xi8> to memref<?x?xi8, strided<[?, 1], offset: ?>>
  memref.copy %w, %out : memref<?x?xi8, strided<[?, 1], offset: ?>> to memref<?x?xi8>
  return
}

func.func @gaps(%a: memref<4x6x8xf64>, %b: memref<3x5x8xf64>) {
  %s = memref.subview %a[1, 0, 1] [2, 3, 3] [2, 2, 3]
      : memref<4x6x8xf64> to memref<2x3x3xf64, strided<[96, 16, 3], offset: 49>>
  %d = memref.subview %b[0, 1, 0] [2, 3, 3] [1, 1, 2]
      : memref<3x5x8xf64> to memref<2x3x3xf64, strided<[40, 8, 2], offset: 8>>
  memref.copy %s, %d : memref<2x3x3xf64, strided<[96, 16, 3], offset: 49>>
      to memref<2x3x3xf64, strided<[40, 8, 2], offset: 8>>
  return
}
"""


def special_floats(shape, dtype, seed):
    """Random values with the ones a conversion would change: -0.0, NaN with a payload, inf."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape).astype(dtype)
    flat = a.reshape(-1)
    flat[:3] = [-0.0, np.inf, -np.inf]
    bits = flat.view(np.uint64 if dtype == np.float64 else np.uint32)
    bits[3] = 0x7FF0000000000123 if dtype == np.float64 else 0x7FC00123
    return a


def expected(name, args):
    if name == "assemble":
        big, tile, r, c = args
        out = big.copy()
        out[r : r + 2, c : c + 4] = tile
        return [out, tile]
    if name == "extract":
        big, out, r, c = args
        n, m = out.shape
        return [big, big[r : r + n, c : c + m].copy()]
    a, b = args
    out = b.copy()
    out[0:2, 1:4, 0:6:2] = a[1:5:2, 0:6:2, 1:8:3]
    return [a, out]


def arguments(name):
    if name == "assemble":
        return [special_floats((6, 10), np.float32, 1), special_floats((2, 4), np.float32, 2), 3, 5]
    if name == "extract":
        big = np.random.default_rng(3).integers(-128, 128, (7, 9)).astype(np.int8)
        return [big, np.zeros((3, 5), np.int8), 4, 2]
    return [special_floats((4, 6, 8), np.float64, 4), special_floats((3, 5, 8), np.float64, 5)]


@pytest.fixture(scope="module")
def programs():
    ctx = make_context(sink=lambda d: None)
    module = ir.Module.parse(COPIES, ctx)
    return {"cpu": compile_module(module, opt_level=2), "emu": compile_emu(module, opt_level=2)}


@pytest.mark.parametrize("target", ["cpu", "emu"])
@pytest.mark.parametrize("name", ["assemble", "extract", "gaps"])
def test_copies_with_strided_windows_are_bit_exact(programs, target, name):
    args = arguments(name)
    want = expected(name, [a.copy() if isinstance(a, np.ndarray) else a for a in args])
    if target == "cpu":
        programs["cpu"][name](*args)
    else:
        _, report = programs["emu"].run(name, *args)
        assert report.ok
    arrays = [a for a in args if isinstance(a, np.ndarray)]
    for got, w in zip(arrays, want, strict=True):
        assert got.tobytes() == w.tobytes()


def test_a_copy_into_a_window_out_of_bounds_copies_nothing_on_the_emulator(programs):
    big, tile, _, _ = arguments("assemble")
    before = big.copy()
    _, report = programs["emu"].run("assemble", big, tile, 5, 7)  # rows 5..6 of 6
    assert big.tobytes() == before.tobytes()
    kinds = [f.site.kind for f in report.run.faults]
    assert kinds == ["subview", "copy"]


def test_only_copies_that_are_not_contiguous_become_loops():
    with make_context():
        contiguous = [
            "memref<2x4xf32>",
            "memref<?x4xf32>",
            "memref<2x4xf32, strided<[4, 1], offset: 8>>",
            "memref<1x4xf32, strided<[100, 1]>>",
        ]
        strided = [
            "memref<2x4xf32, strided<[10, 1], offset: ?>>",
            "memref<?x4xf32, strided<[4, 1]>>",
            "memref<4xf32, strided<[2]>>",
            "memref<2x2xf32, affine_map<(i, j) -> (j, i)>>",
        ]
        assert all(is_contiguous(ir.Type.parse(t)) for t in contiguous)
        assert not any(is_contiguous(ir.Type.parse(t)) for t in strided)
