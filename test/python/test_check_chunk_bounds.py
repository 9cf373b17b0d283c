"""pl-check-chunk-bounds{fix=true} on the gemm of pypto-lib PR #372 (head 43ffc489): chunk loops
nested in another outer loop and a pl.at scope. The fixed kernel must compute, bit for bit, what
the hand-clamped kernel computes, on sizes where the last chunk of both loops runs past the
bound (tiles of 4, chunks of 2 tiles: m, n multiples of 4 but not of 8)."""

from __future__ import annotations

import numpy as np
import pytest
from mlir import ir

from pypto_mlir.dialect.context import make_context
from pypto_mlir.lowering.cpu import compile_module
from pypto_mlir.passes import check_chunk_bounds

_TILE = """
          scf.for %i = %c0 to %c4 step %c1 {
            scf.for %j = %c0 to %c4 step %c1 {
              %r = arith.addi %mb, %i : index
              %q = arith.addi %nb, %j : index
              %s = scf.for %kk = %c0 to %k step %c1 iter_args(%acc = %zero) -> (f32) {
                %x = memref.load %a[%r, %kk] : memref<?x?xf32>
                %y = memref.load %b[%kk, %q] : memref<?x?xf32>
                %p = arith.mulf %x, %y : f32
                %t = arith.addf %acc, %p : f32
                scf.yield %t : f32
              }
              memref.store %s, %c[%r, %q] : memref<?x?xf32>
            }
          }"""


def _gemm(name: str, clamp: bool) -> str:
    """for mb_chunk, nb_chunk in parallel(0, m|n, 4 * 2): pl.at: for mb: for nb: tile."""

    def end(iv: str, ub: str) -> str:
        e = f"%{iv}_end0 = arith.addi %{iv}c, %span : index\n"
        if clamp:
            return e + f"        %{iv}_end = arith.minsi %{iv}_end0, %{ub} : index\n"
        return e + f"        %{iv}_end = arith.addi %{iv}_end0, %c0 : index\n"

    return f"""
func.func @{name}(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>,
                  %m: index, %n: index, %k: index) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %step = arith.muli %c4, %c2 : index
  scf.for %mbc = %c0 to %m step %step {{
    scf.for %nbc = %c0 to %n step %step {{
      scf.execute_region no_inline {{
        %span = arith.muli %c4, %c2 : index
        {end("mb", "m")}
        scf.for %mb = %mbc to %mb_end step %c4 {{
        {end("nb", "n")}
        scf.for %nb = %nbc to %nb_end step %c4 {{{_TILE}
        }}
        }}
        scf.yield
      }} {{pl.at = "core_group"}}
    }} {{pl.parallel}}
  }} {{pl.parallel}}
  return
}}
"""


@pytest.fixture(scope="module")
def kernels():
    with make_context():
        module = ir.Module.parse(_gemm("gemm", False) + _gemm("gemm_clamped", True))
        fixed = check_chunk_bounds(module, fix=True)
        again = check_chunk_bounds(module)
        return fixed, again, compile_module(module, opt_level=0)


def test_fix_clamps_both_nested_chunk_loops(kernels):
    fixed, again, _ = kernels
    assert fixed == 2  # the mb and nb loops of @gemm; @gemm_clamped is clean
    assert again == 0


@pytest.mark.parametrize("m,n", [(4, 4), (8, 8), (12, 8), (8, 12), (12, 20), (20, 4)])
def test_fixed_gemm_is_bit_exact_vs_clamped(kernels, m, n):
    _, _, compiled = kernels
    k = 3
    rng = np.random.default_rng(m * 100 + n)
    a = rng.standard_normal((m, k)).astype(np.float32)
    b = rng.standard_normal((k, n)).astype(np.float32)
    got = np.full((m, n), np.nan, np.float32)
    want = np.full((m, n), np.nan, np.float32)
    compiled["gemm"](a, b, got, m, n, k)
    compiled["gemm_clamped"](a, b, want, m, n, k)
    assert got.tobytes() == want.tobytes()
    np.testing.assert_allclose(got, a @ b, rtol=1e-5, atol=1e-5)  # every element was written
