"""The real kernels of examples/ (table: examples/kernels.py) on the CPU JIT.

For every kernel, under every pipeline variant (both tail policies, with and without
pl-unswitch-guards):
* the outputs agree with the numpy reference within the kernel's documented bound, and with its
  float32 replay in source order bit for bit (where the table has one);
* the outputs equal those of the unchunked kernel (every `pl.*` attribute stripped, same
  pipeline) bit for bit: chunking changes where iterations run, never what they compute;
* the loop structure is the one the policy promises (guards, remainders, unswitched fast path).
Each kernel also runs once through the `pypto-run` console script on .npy files.

Each (kernel, variant) is compiled once per module, and variants that give the same IR share
that code (the JIT is the expensive part).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pypto_mlir.examples import kernels as K

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

VARIANTS = dict(K.VARIANTS)
VARIANTS["leading_full+no-unswitch"] = K.Variant(
    "leading_full+no-unswitch", "builtin.module(pl-default{policy=leading_full unswitch=false})"
)
CHUNKED = [v for v in VARIANTS if v != "unchunked"]

# Kernels whose chunked loops have a partial last chunk (statically or for some inputs), and
# how many chunked loops each has.
CHUNKED_LOOPS = {
    "axpy": 1,
    "scale": 1,
    "reduce_sum": 1,
    "rms_norm": 1,
    "gemm": 2,
    "decode_attention": 1,
}
HAS_TAIL = {
    "axpy": True,
    "scale": True,
    "reduce_sum": True,
    "rms_norm": False,
    "gemm": True,
    "decode_attention": True,
}
# (kernel, variant) pairs: every variant that applies to the kernel (shift_inwards needs a kernel
# whose iterations may run twice).
PAIRS = [(k, v) for k in K.KERNELS for v in VARIANTS if K.applies(VARIANTS[v], K.KERNELS[k])]
CHUNKED_PAIRS = [(k, v) for k, v in PAIRS if v != "unchunked"]


@pytest.fixture(scope="module")
def compiled():
    cache = {}
    by_text: dict[tuple[str, int], K.Compiled] = {}  # variants that give the same IR share code

    def get(kernel: str, variant: str) -> K.Compiled:
        if (kernel, variant) not in cache:
            cache[kernel, variant] = K.compile_variant(
                K.KERNELS[kernel], VARIANTS[variant], reuse=by_text
            )
        return cache[kernel, variant]

    return get


class Case:
    """One input of a kernel: the arguments, the reference outputs and their bounds."""

    def __init__(self, kernel: K.Kernel, size: K.Size, seed: int):
        self.size = size
        self.args = kernel.make_args(np.random.default_rng(seed), **size)
        self.expected = kernel.reference(self.args)
        self.bounds = kernel.bound(self.args, self.expected)
        self.in_order = kernel.in_order(self.args) if kernel.in_order else None


@pytest.fixture(scope="module")
def cases():
    return {
        name: [Case(k, size, seed) for seed, size in enumerate(k.test_sizes)]
        for name, k in K.KERNELS.items()
    }


@pytest.fixture(scope="module")
def outputs(compiled, cases):
    """(kernel, variant) -> the outputs of every case, computed once."""
    cache = {}

    def get(kernel: str, variant: str) -> list[K.Values]:
        if (kernel, variant) not in cache:
            k = K.KERNELS[kernel]
            fn = compiled(kernel, variant).fn
            cache[kernel, variant] = [k.call(fn, k.fresh(case.args)) for case in cases[kernel]]
        return cache[kernel, variant]

    return get


def test_table_is_complete():
    assert set(CHUNKED_LOOPS) == set(K.KERNELS)
    for k in K.KERNELS.values():
        assert k.path.exists(), k.path
        assert f"func.func @{k.entry}(" in k.source()
        assert k.source().count("pl.chunk = ") == CHUNKED_LOOPS[k.name]


@pytest.mark.parametrize("kernel, variant", PAIRS)
def test_matches_numpy(kernel, variant, cases, outputs):
    for case, got in zip(cases[kernel], outputs(kernel, variant), strict=False):
        err = K.max_error(got, case.expected)
        assert K.within(got, case.expected, case.bounds), (
            f"{kernel} {case.size} under {variant}: max error {err:.3g} exceeds the bound "
            f"({K.KERNELS[kernel].tolerance})"
        )
        if case.in_order is not None:
            assert K.same_bits(got, case.in_order), (
                f"{kernel} {case.size} under {variant}: "
                "differs from the float32 replay in source order"
            )


@pytest.mark.parametrize("kernel, variant", CHUNKED_PAIRS)
def test_chunked_equals_unchunked(kernel, variant, cases, outputs):
    reference = outputs(kernel, "unchunked")
    for case, got, want in zip(cases[kernel], outputs(kernel, variant), reference, strict=False):
        assert K.same_bits(got, want), (
            f"{kernel} {case.size}: {variant} differs from the unchunked loop"
        )


@pytest.mark.parametrize("kernel", list(K.KERNELS))
def test_structure(kernel, compiled):
    n, tail = CHUNKED_LOOPS[kernel], HAS_TAIL[kernel]
    plain = compiled(kernel, "unchunked")
    assert "pl." not in plain.text and plain.structure.ifs == 0
    for variant in [v for k, v in CHUNKED_PAIRS if k == kernel]:
        c = compiled(kernel, variant)
        assert "pl.chunk" not in c.text and c.text.count('pl.loop_origin = "chunk_outer"') >= n, (
            variant
        )
        assert c.structure.loops > plain.structure.loops, variant
    guarded = compiled(kernel, "guarded").structure
    # One guard per chunked loop with a tail, no other scf.if.
    assert guarded.guards == guarded.ifs == (n if tail else 0)
    unswitched = compiled(kernel, "guarded+unswitch")
    # The guards survive in the slow paths; the fast paths add an scf.if per guarded chunk.
    assert unswitched.structure.guards >= guarded.guards
    assert (unswitched.structure.ifs > unswitched.structure.guards) == tail
    for variant in ("leading_full", "leading_full+no-unswitch"):
        c = compiled(kernel, variant)
        assert c.structure.ifs == 0, variant
        assert ('pl.loop_origin = "chunk_remainder"' in c.text) == tail, variant
    assert (
        compiled(kernel, "leading_full").text == compiled(kernel, "leading_full+no-unswitch").text
    )
    clamped = compiled(kernel, "clamped")
    # One nest, no guard: a partial chunk runs a shorter inner loop, min(C, T - o*C).
    assert clamped.structure.ifs == 0 and ("arith.minui" in clamped.text) == tail
    assert 'pl.loop_origin = "chunk_remainder"' not in clamped.text
    if K.KERNELS[kernel].shift_legal:
        shifted = compiled(kernel, "shift_inwards")
        # Full chunks whose start is min(o*C, T - C) when T >= C.
        assert "arith.minui" in shifted.text and "arith.cmpi uge" in shifted.text


@pytest.mark.slow  # the console script, a subprocess per kernel
@pytest.mark.parametrize("kernel", list(K.KERNELS))
def test_pypto_run(kernel, tmp_path, cases, outputs):
    """The console script on .npy files gives what the Python API gives (pl-default)."""
    k = K.KERNELS[kernel]
    case = cases[kernel][0]
    cmd = [
        str(BIN / "pypto-run"),
        str(k.path),
        "--entry",
        k.entry,
        "--out-dir",
        str(tmp_path / "out"),
    ]
    for i, a in enumerate(case.args):
        if isinstance(a, np.ndarray):
            np.save(tmp_path / f"in{i}.npy", a)
            cmd += ["--arg", str(tmp_path / f"in{i}.npy")]
        else:
            cmd.append(f"--arg={a!r}")
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and not proc.stdout and not proc.stderr, proc.stderr
    got = [np.load(tmp_path / "out" / f"arg{i}.npy") for i in k.outputs]
    got += [np.load(tmp_path / "out" / f"result{j}.npy") for j in range(len(k.results))]
    assert K.within(got, case.expected, case.bounds)
    assert K.same_bits(got, outputs(kernel, "guarded+unswitch")[0])
