#!/usr/bin/env python3
"""Run time of the real kernels (examples/kernels.py) on the CPU JIT, per tail policy.

For each kernel it compiles (LLVM -O3, no fast-math) the variants of examples/kernels.py
VARIANTS that apply to it: the loop without chunks (every `pl.*` attribute stripped,
`pl-default`), guarded (`pl-default{policy=guarded unswitch=false}`), guarded + unswitch
(`pl-default{policy=guarded}`, the default), leading_full, clamped, auto, and shift_inwards
(`pl.chunk_policy` on every chunked loop; only kernels whose iterations may run twice, i.e.
scale), and times them with the idiomatic numpy version of the kernel. All measurements of one
kernel interleave (one call of each per round, in a new shuffled order each round, `--repeat`
rounds), so drift on a shared machine hits them alike; the table shows medians and minima.
Only the call is timed: the arguments the kernel writes are copied, and packed
for the native call (`Function.bind`), before each call, outside the timed region.

Every variant's outputs are checked bit for bit against the unchunked loop's first.

    .venv/bin/python bench/cpu_policies.py                        # all kernels, 15 rounds
    .venv/bin/python bench/cpu_policies.py --repeat 11 --kernels axpy,reduce_sum
    .venv/bin/python bench/cpu_policies.py --repeat 101 --kernels axpy,scale --n 65536  # in L2

It is a benchmark, not a test: on a shared 2-core machine medians move by tens of percent.
Targets (printed as met / MISSED at the end): guarded + unswitch and leading_full within 1.10x of
the unchunked loop on every kernel; axpy (default pipeline and leading_full) within 1.2x of
numpy's in-place `y += a * x`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from typing import TypeAlias

import numpy as np

from pypto_mlir.examples import kernels as K

TARGET_VS_UNCHUNKED = 1.10
TARGET_AXPY_VS_NUMPY = 1.2
CHECKED_VARIANTS = ("guarded+unswitch", "leading_full")
# One variant's figures: median seconds, min seconds, compile seconds (None: numpy), bits equal to
# the unchunked loop's (None: numpy).
Timing: TypeAlias = "tuple[float, float, float | None, bool | None]"


def bench_kernel(kernel: K.Kernel, repeat: int, size: K.Size) -> dict[str, Timing]:
    """name -> (median seconds, min seconds, compile seconds or None, bits equal to unchunked
    or None)."""
    args = kernel.make_args(np.random.default_rng(0), **size)
    compiled = {name: K.compile_variant(kernel, v) for name, v in K.variants_of(kernel).items()}
    # name -> (fresh arguments -> the call to time)
    prepare = {name: (lambda a, fn=c.fn: K.native_call(fn, a)) for name, c in compiled.items()}
    prepare["numpy"] = lambda a: lambda: kernel.numpy(a)
    first = {name: kernel.call(c.fn, kernel.fresh(args)) for name, c in compiled.items()}  # warm-up
    kernel.numpy(kernel.fresh(args))
    times = {name: [] for name in prepare}
    order, shuffle = list(prepare), np.random.default_rng(1)
    for _ in range(repeat):  # interleaved: one call of each variant per round, in a new order
        shuffle.shuffle(order)  # so no variant always follows the same one
        for name in order:
            times[name] += K.timed(kernel, prepare[name], args, 1)
    out = {}
    for name in prepare:
        c = compiled.get(name)
        same = None if c is None else K.same_bits(first[name], first["unchunked"])
        out[name] = (
            statistics.median(times[name]),
            min(times[name]),
            c.seconds if c else None,
            same,
        )
    return out


SUMMARY_COLUMNS = (*(v for v in K.VARIANTS if v != "unchunked"), "numpy")


def _summary_row(name: str, size: str, res: dict[str, Timing]) -> str:
    """A kernel's median ratios, one column per variant ('–' where a variant does not apply);
    the targets' variants in bold."""
    base = res["unchunked"][0]
    cells = []
    for variant in SUMMARY_COLUMNS:
        if variant not in res:
            cells.append("–")
            continue
        ratio = f"{res[variant][0] / base:.2f}x"
        cells.append(f"**{ratio}**" if variant in CHECKED_VARIANTS else ratio)
    compile_s = [c for _, _, c, _ in res.values() if c is not None]
    spread = f"{min(compile_s):.2f}–{max(compile_s):.2f}" if compile_s else ""
    return f"| {name} | {size} | {1e3 * base:.4g} | " + " | ".join(cells) + f" | {spread} |"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repeat", type=int, default=15, help="timed calls of each variant (default 15)"
    )
    parser.add_argument(
        "--kernels",
        default=",".join(K.KERNELS),
        help=f"comma-separated subset of {', '.join(K.KERNELS)}",
    )
    parser.add_argument(
        "--n",
        type=int,
        default=None,
        help="vector length for the 1-D kernels (axpy, scale, reduce_sum; "
        "default 10,000,000: memory-bound; e.g. 65536 fits in L2)",
    )
    opts = parser.parse_args(argv)
    if opts.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {opts.repeat}")
    names = [n.strip() for n in opts.kernels.split(",") if n.strip()]
    unknown = [n for n in names if n not in K.KERNELS]
    if unknown:
        parser.error(f"unknown kernel(s) {', '.join(unknown)} (known: {', '.join(K.KERNELS)})")

    print(f"median of {opts.repeat} calls; ratios against the unchunked loop and numpy\n")
    print(
        "| kernel | sizes | variant | compile s | median ms | min ms | / unchunked | / numpy "
        "| = unchunked |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---|")
    missed, all_same = [], True
    summary: list[str] = []  # one row per kernel: the ratios side by side (docs/performance.md)
    for name in names:
        kernel = K.KERNELS[name]
        sizes = dict(kernel.bench_size)
        if opts.n is not None and "n" in sizes:
            sizes["n"] = opts.n
        size = (
            ", ".join(f"{k}={v if not isinstance(v, tuple) else len(v)}" for k, v in sizes.items())
            or kernel.sizes
        )
        res = bench_kernel(kernel, opts.repeat, sizes)
        base, numpy_t = res["unchunked"][0], res["numpy"][0]
        for variant, (t, t_min, compile_s, same) in res.items():
            cs = f"{compile_s:.2f}" if compile_s is not None else ""
            eq = "" if same is None else ("yes" if same else "NO")
            all_same = all_same and same is not False
            print(
                f"| {name} | {size} | {variant} | {cs} | {1e3 * t:.4g} | {1e3 * t_min:.4g} | "
                f"{t / base:.2f} | "
                f"{t / numpy_t:.2f} | {eq} |"
            )
        summary.append(_summary_row(name, size, res))
        for variant in CHECKED_VARIANTS:
            ratio = res[variant][0] / base
            if ratio > TARGET_VS_UNCHUNKED:
                missed.append(
                    f"{name} {variant}: {ratio:.3f}x the unchunked loop "
                    f"(target {TARGET_VS_UNCHUNKED}x)"
                )
            if name == "axpy":
                ratio = res[variant][0] / numpy_t
                if ratio > TARGET_AXPY_VS_NUMPY:
                    missed.append(
                        f"axpy {variant}: {ratio:.3f}x numpy (target {TARGET_AXPY_VS_NUMPY}x)"
                    )
    print(f"\nmedian ratios against the unchunked loop ({opts.repeat} calls each)\n")
    print("| kernel | sizes | unchunked ms | " + " | ".join(SUMMARY_COLUMNS) + " | compile s |")
    print("|---|---|---:|" + "---:|" * len(SUMMARY_COLUMNS) + "---|")
    print("\n".join(summary))
    print()
    print("targets: " + ("met" if not missed else "MISSED:\n  " + "\n  ".join(missed)))
    if not all_same:
        print("some variant's outputs differ from the unchunked loop (NO above)")
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
