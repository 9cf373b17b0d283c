"""pl-outline-kernels on the real kernels of examples/: the outlined module computes exactly what
the module before outlining computes (bit for bit, on the CPU JIT), and each kernel has the
number of kernels its policy promises (one per parallel chunked loop under guarded; a remainder
kernel more under leading_full, as in PyPTO)."""

from __future__ import annotations

import numpy as np
import pytest
from mlir import ir

from pypto_mlir.examples import kernels as K

POLICIES = ("guarded", "leading_full")
# (kernel, policy) -> the kernels pl-outline-kernels makes, by name.
EXPECTED_KERNELS = {
    ("axpy", "guarded"): ["axpy_k0"],
    ("axpy", "leading_full"): ["axpy_k0", "axpy_k0_rem"],
    ("scale", "guarded"): ["scale_k0"],
    ("scale", "leading_full"): ["scale_k0", "scale_k0_rem"],
    ("reduce_sum", "guarded"): ["reduce_sum_k0"],  # not parallel: the whole nest, once
    ("reduce_sum", "leading_full"): ["reduce_sum_k0"],
    ("rms_norm", "guarded"): ["rms_norm_k0"],  # 512 rows in chunks of 64: no tail
    ("rms_norm", "leading_full"): ["rms_norm_k0"],
    ("gemm", "guarded"): ["gemm_k0"],  # the inner chunked loop stays inline
    ("gemm", "leading_full"): ["gemm_k0", "gemm_k0_rem"],
    ("decode_attention", "guarded"): ["decode_attention_k0"],
    ("decode_attention", "leading_full"): ["decode_attention_k0", "decode_attention_k0_rem"],
}


def kernel_names(module) -> list[str]:
    return [
        ir.StringAttr(op.attributes["sym_name"]).value
        for op in module.body.operations
        if "pl.kernel" in op.attributes
    ]


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("name", sorted(K.KERNELS))
def test_outlined_module_is_exact(name, policy):
    kernel = K.KERNELS[name]
    plain = K.Variant(policy, f"builtin.module(pl-default{{policy={policy}}})")
    outlined = K.Variant(
        policy + "+outline", f"builtin.module(pl-default{{policy={policy}}}, pl-outline-kernels)"
    )
    assert kernel_names(K.prepare(kernel, outlined)) == EXPECTED_KERNELS[(name, policy)]
    a = K.compile_variant(kernel, plain, opt_level=0)
    b = K.compile_variant(kernel, outlined, opt_level=0)
    for size in kernel.test_sizes:
        args = kernel.make_args(np.random.default_rng(3), **size)
        want = kernel.call(a.fn, kernel.fresh(args))
        got = kernel.call(b.fn, kernel.fresh(args))
        for w, g in zip(want, got, strict=False):
            assert w.dtype == g.dtype and w.tobytes() == g.tobytes(), (name, policy, size)


@pytest.mark.parametrize("policy", POLICIES)
def test_interchanged_gemm(policy):
    """pl-interchange-chunk-loops on the GEMM: one kernel whose tasks are 3 x 3 tile blocks
    (ceil(8/3) chunks per dimension) under guarded; bit-exact against the plain split."""
    kernel = K.KERNELS["gemm"]
    plain = K.Variant(policy, f"builtin.module(pl-default{{policy={policy}}})")
    swapped = K.Variant(
        policy + "+interchange",
        "builtin.module(pl-split-chunked-loops"
        f"{{policy={policy}}}, pl-interchange-chunk-loops, pl-default, "
        "pl-outline-kernels)",
    )
    module = K.prepare(kernel, swapped)
    if policy == "guarded":
        assert kernel_names(module) == ["gemm_k0"]
        text = str(module)
        # the orchestration: two chunk loops of 3 trips each around one call
        orchestration = text[: text.index("func.func private")]
        assert orchestration.count("scf.for") == 2 and orchestration.count("call @gemm_k0") == 1
    a = K.compile_variant(kernel, plain, opt_level=0)
    b = K.compile_variant(kernel, swapped, opt_level=0)
    args = kernel.make_args(np.random.default_rng(5))
    want = kernel.call(a.fn, kernel.fresh(args))
    got = kernel.call(b.fn, kernel.fresh(args))
    for w, g in zip(want, got, strict=False):
        assert w.tobytes() == g.tobytes()


TILE_2D = """
func.func @tile(%m: memref<?x?xi64>, %n1: index, %n2: index, %lb2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c1000 = arith.constant 1000 : i64
  scf.for %i = %c0 to %n1 step %c1 {
    scf.for %j = %lb2 to %n2 step %c2 {
      %ii = arith.index_cast %i : index to i64
      %jj = arith.index_cast %j : index to i64
      %v = arith.muli %ii, %c1000 : i64
      %w = arith.addi %v, %jj : i64
      %old = memref.load %m[%i, %j] : memref<?x?xi64>
      %new = arith.addi %old, %w : i64
      memref.store %new, %m[%i, %j] : memref<?x?xi64>
    } {pl.chunk = CHUNK2, pl.parallel}
  } {pl.chunk = CHUNK1, pl.parallel}
  return
}
"""


@pytest.mark.parametrize("c1, c2", [(1, 1), (2, 3), (3, 4), (5, 2)])
def test_interchange_is_exact(c1, c2):
    """Interchanged (then outlined) nests touch exactly the elements, once each, that the
    unchunked nest touches, for trip counts around both chunk sizes."""
    from pypto_mlir.dialect.context import make_context
    from pypto_mlir.lowering.cpu import compile_module
    from pypto_mlir.passes import build_pass_manager

    def build(text, pipeline):
        ctx = make_context()
        module = ir.Module.parse(text, ctx)
        build_pass_manager(pipeline, ctx).run(module.operation)
        return module, compile_module(module, entries=["tile"], opt_level=0)["tile"]

    text = TILE_2D.replace("CHUNK1", str(c1)).replace("CHUNK2", str(c2))
    swapped, fn = build(
        text,
        "builtin.module(pl-split-chunked-loops, pl-interchange-chunk-loops, "
        "canonicalize, cse, pl-outline-kernels)",
    )
    assert str(swapped).count("arith.andi") >= 1 or c1 == 1
    _, ref = build(
        text.replace(f"pl.chunk = {c1}, ", "").replace(f"pl.chunk = {c2}, ", ""),
        "builtin.module(pl-default)",
    )
    for n1 in sorted({0, 1, c1 - 1, c1, c1 + 1, 2 * c1 + 1}):
        for n2 in sorted({0, 1, 2 * c2 - 1, 2 * c2, 2 * c2 + 3, 5 * c2}):
            for lb2 in (0, 1):
                a = np.zeros((16, 24), np.int64)
                b = np.zeros((16, 24), np.int64)
                ref(a, n1, n2, lb2)
                fn(b, n1, n2, lb2)
                assert a.tobytes() == b.tobytes(), (c1, c2, n1, n2, lb2)
