"""pl-outline-kernels on the real kernels of examples/: the outlined module computes exactly what
the module before outlining computes (bit for bit, on the CPU JIT), and each kernel has the
number of kernels its policy promises (one per parallel chunked loop under guarded; a remainder
kernel more under leading_full, as in PyPTO)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from mlir import ir

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples"))

import kernels as K  # noqa: E402

POLICIES = ("guarded", "leading_full")
# (kernel, policy) -> the kernels pl-outline-kernels makes, by name.
EXPECTED_KERNELS = {
    ("axpy", "guarded"): ["axpy_k0"],
    ("axpy", "leading_full"): ["axpy_k0", "axpy_k0_rem"],
    ("reduce_sum", "guarded"): ["reduce_sum_k0"],        # not parallel: the whole nest, once
    ("reduce_sum", "leading_full"): ["reduce_sum_k0"],
    ("rms_norm", "guarded"): ["rms_norm_k0"],            # 512 rows in chunks of 64: no tail
    ("rms_norm", "leading_full"): ["rms_norm_k0"],
    ("gemm", "guarded"): ["gemm_k0"],                    # the inner chunked loop stays inline
    ("gemm", "leading_full"): ["gemm_k0", "gemm_k0_rem"],
    ("decode_attention", "guarded"): ["decode_attention_k0"],
    ("decode_attention", "leading_full"): ["decode_attention_k0", "decode_attention_k0_rem"],
}


def kernel_names(module) -> list[str]:
    return [ir.StringAttr(op.attributes["sym_name"]).value for op in module.body.operations
            if "pl.kernel" in op.attributes]


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("name", sorted(K.KERNELS))
def test_outlined_module_is_exact(name, policy):
    kernel = K.KERNELS[name]
    plain = K.Variant(policy, f"builtin.module(pl-default{{policy={policy}}})")
    outlined = K.Variant(policy + "+outline",
                         f"builtin.module(pl-default{{policy={policy}}}, pl-outline-kernels)")
    assert kernel_names(K.prepare(kernel, outlined)) == EXPECTED_KERNELS[(name, policy)]
    a = K.compile_variant(kernel, plain, opt_level=0)
    b = K.compile_variant(kernel, outlined, opt_level=0)
    for size in kernel.test_sizes:
        args = kernel.make_args(np.random.default_rng(3), **size)
        want = kernel.call(a.fn, kernel.fresh(args))
        got = kernel.call(b.fn, kernel.fresh(args))
        for w, g in zip(want, got):
            assert w.dtype == g.dtype and w.tobytes() == g.tobytes(), (name, policy, size)
