"""The acceptance kernels of the Python front end: per kernel, the builder arguments of the sizes
the tests use, the arguments, a numpy reference (float64) and its bound.

`chunked/` holds each kernel as pypto-lib wrote it before PR #372 (chunk=), `explicit/` as the
PR wrote it (hand-written chunk loops); both are written anew here (see docs/frontend.md).
`TAIL` sizes leave a partial last chunk; `EVEN` sizes do not (the only sizes the explicit forms
get right). rms_norm, softmax and layer_norm chunk row tiles with chunk=1: no size gives them a
partial chunk, so their TAIL sizes are even too.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias

import ml_dtypes
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
f32 = np.float32
BF16 = ml_dtypes.bfloat16
# A builder's keyword arguments: its sizes, tiles and chunks.
Sizes: TypeAlias = "dict[str, int]"
# A kernel's arguments, in order: numpy arrays and scalars.
Args: TypeAlias = "list[Any]"


@dataclass(frozen=True)
class Case:
    name: str
    builder: str | None  # build_* function, or None for a module-level @pl.jit function
    entry: str  # the function to call
    tail: Sizes  # builder arguments with a partial last chunk
    even: Sizes | None  # builder arguments without one (None: the module's sizes are fixed)
    # (rng, sizes) -> the arguments (None: made from the module's own sizes, in arguments())
    make_args: Callable[[np.random.Generator, Sizes], Args] | None
    reference: Callable[[Args], np.ndarray]  # args -> float64 result
    bound: float  # max abs error against the reference
    has_tail: bool = True


def load(form: str, name: str):
    """The kernel module `form/name.py` (form: chunked or explicit)."""
    path = os.path.join(HERE, form, f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"frontend_{form}_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def program(form: str, case: Case, sizes: Sizes):
    """(the Program, the callable entry) of a case."""
    module = load(form, case.name)
    if case.builder is None:
        fn = getattr(module, case.entry)
        from pypto_mlir.frontend.program import program_of_jit

        bound = program_of_jit(fn)
        return bound.program, bound
    prog = getattr(module, case.builder)(**sizes)
    return prog, getattr(prog, case.entry)


def _normal(rng, *shape):
    return rng.standard_normal(shape).astype(f32)


def _rms_norm(a):
    x = a[0].astype(np.float64)
    return x / np.sqrt((x**2).mean(1, keepdims=True) + 1e-6) * a[1]


def _softmax(a):
    x = a[0].astype(np.float64)
    e = np.exp(x - x.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def _layer_norm(a):
    x = a[0].astype(np.float64)
    return (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-5) * a[1] + a[2]


def _rope(a):
    x, c, s = (v.astype(np.float64) for v in a[:3])
    h = x.shape[1] // 2
    lo = x[:, :h] * c[:, :h] - x[:, h:] * s[:, :h]
    hi = x[:, h:] * c[:, h:] + x[:, :h] * s[:, h:]
    return np.concatenate([lo, hi], 1)


def _hc_post(a):
    """The kernel's order replayed in float32 (x and residual widened exactly from bf16, each
    product and sum rounded to f32, no fused multiply-add), rounded to bf16 once at the end
    (round to nearest even, pl.cast mode="rint"): bit-exact."""
    x, res = (v.astype(f32) for v in a[:2])
    post, comb = a[2], a[3]
    hc = post.shape[-1]
    y = np.zeros(res.shape, f32)
    for o in range(hc):
        row = x * post[:, :, o : o + 1]
        for i in range(hc):
            row = row + res[:, :, i, :] * comb[:, :, i, o : o + 1]
        y[:, :, o, :] = row
    return y.astype(BF16).astype(np.float64)


def _hc_post_args(rng, m):
    """x, residual and y are bf16 (ml_dtypes), post and comb f32, as in the source."""
    return [
        _normal(rng, m.B, m.S, m.D).astype(BF16),
        _normal(rng, m.B, m.S, m.HC_MULT, m.D).astype(BF16),
        rng.random((m.B, m.S, m.HC_MULT)).astype(f32),
        rng.random((m.B, m.S, m.HC_MULT, m.HC_MULT)).astype(f32),
        np.zeros((m.B, m.S, m.HC_MULT, m.D), BF16),
    ]


def _mm_args(rng, s):
    return [
        _normal(rng, s["m"], s["k"]),
        _normal(rng, s["k"], s["n"]),
        np.zeros((s["m"], s["n"]), f32),
    ]


CASES = [
    Case(
        "hello_world",
        "build_hello_world_program",
        "add_scalar",
        dict(rows=10, cols=8, row_chunk=4),
        dict(rows=12, cols=8, row_chunk=4),
        lambda rng, s: [
            _normal(rng, s["rows"], s["cols"]),
            f32(1.5),
            np.zeros((s["rows"], s["cols"]), f32),
        ],
        lambda a: (a[0] + a[1]).astype(np.float64),  # the float32 sum: bit-exact
        0.0,
    ),
    Case(
        "matmul",
        "build_matmul_program",
        "matmul",
        dict(m=80, n=48, k=32, m_tile=16, n_tile=16, m_chunk=2, n_chunk=2),
        dict(m=64, n=64, k=32, m_tile=16, n_tile=16, m_chunk=2, n_chunk=2),
        _mm_args,
        lambda a: a[0].astype(np.float64) @ a[1],
        1e-4,
    ),
    Case(
        "gemm",
        "build_gemm_program",
        "gemm",
        dict(m=80, n=48, k=48, m_tile=16, n_tile=16, k_tile=16, m_chunk=2, n_chunk=2),
        dict(m=64, n=64, k=48, m_tile=16, n_tile=16, k_tile=16, m_chunk=2, n_chunk=2),
        _mm_args,
        lambda a: a[0].astype(np.float64) @ a[1],
        1e-4,
    ),
    Case(
        "rms_norm",
        "build_rms_norm_program",
        "rms_norm",
        dict(rows=48, hidden=64, row_chunk=16, hidden_chunk=16),
        dict(rows=48, hidden=64, row_chunk=16, hidden_chunk=16),
        lambda rng, s: [
            _normal(rng, s["rows"], s["hidden"]),
            _normal(rng, 1, s["hidden"]),
            np.zeros((s["rows"], s["hidden"]), f32),
        ],
        _rms_norm,
        1e-5,
        has_tail=False,
    ),
    Case(
        "softmax",
        "build_softmax_program",
        "softmax",
        dict(rows=48, cols=32, row_chunk=16),
        dict(rows=48, cols=32, row_chunk=16),
        lambda rng, s: [_normal(rng, s["rows"], s["cols"]), np.zeros((s["rows"], s["cols"]), f32)],
        _softmax,
        1e-6,
        has_tail=False,
    ),
    Case(
        "layer_norm",
        "build_layer_norm_program",
        "layer_norm",
        dict(rows=48, hidden=32, row_chunk=16),
        dict(rows=48, hidden=32, row_chunk=16),
        lambda rng, s: [
            _normal(rng, s["rows"], s["hidden"]),
            _normal(rng, 1, s["hidden"]),
            _normal(rng, 1, s["hidden"]),
            np.zeros((s["rows"], s["hidden"]), f32),
        ],
        _layer_norm,
        1e-5,
        has_tail=False,
    ),
    Case(
        "rope",
        "build_rope_program",
        "rope",
        dict(batch=6, num_heads=2, head_dim=8, batch_chunk=4),
        dict(batch=8, num_heads=2, head_dim=8, batch_chunk=4),
        lambda rng, s: [
            _normal(rng, s["batch"] * s["num_heads"], s["head_dim"]),
            _normal(rng, 1, s["head_dim"]),
            _normal(rng, 1, s["head_dim"]),
            np.zeros((s["batch"] * s["num_heads"], s["head_dim"]), f32),
        ],
        _rope,
        1e-6,
    ),
    Case("hc_post", None, "hc_post_test", {}, None, None, _hc_post, 0.0),  # bf16, bit-exact
]
BY_NAME = {c.name: c for c in CASES}


def arguments(form: str, case: Case, sizes: Sizes, seed: int = 0) -> Args:
    rng = np.random.default_rng(seed)
    if case.make_args is None:  # hc_post
        return _hc_post_args(rng, load(form, case.name))
    return case.make_args(rng, sizes)
