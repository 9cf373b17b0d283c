#!/usr/bin/env python3
"""Code growth: `pypto-opt` on the 60-level nest of issue 15 under `pl-default`.

The input is `nest(60)`: 60 nested chunked loops (3 trips, chunks of 2) around one store, about
3 KB. Without a growth limit every `leading_full` level doubles the output (the issue's input
passed 24 GB and was killed); with the default `max_copy_depth=4` the levels past the fourth are
split `guarded` (docs/policies.md, "Code growth"). For each policy (`leading_full`, and `auto`,
which picks `leading_full` for static tails) it runs, `--repeat` times (default 3),

    pypto-opt deep60.mlir -p 'builtin.module(pl-default{policy=P})' -o out.mlir

and reports the median wall time, the peak RSS (the child's own `ru_maxrss` from `os.wait4`,
read by this small process: a child of a big process such as pytest would inherit its
high-water mark) and the size of the output. Targets (the issue's): under 10 s, under 1 GB,
under 20 MB. The output is checked: no `pl.chunk` left, and at most 2 * 2^4 copies of the
store (2^max_copy_depth from the split, times 2 from pl-unswitch-guards).

    .venv/bin/python bench/growth.py                  # 60 levels, 3 runs per policy
    .venv/bin/python bench/growth.py --repeat 1

Exit 1 when a check of the output fails or a run fails; the targets are printed, not enforced
(wall time depends on the machine's load; test/python/test_growth.py asserts the memory and size
limits).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile

TARGET_SECONDS = 10.0
TARGET_RSS_MB = 1024
TARGET_OUTPUT_MB = 20
# 2^4 copies of the body from the split (the default max_copy_depth=4), and pl-unswitch-guards
# gives the innermost guarded chunks a second copy.
MAX_COPIES = 2 * 2**4


def nest(depth: int, dynamic: bool, policy: str | None = None, parallel: bool = False) -> str:
    """`depth` chunked loops (3 trips or %n, chunks of 2) around one store: the shape whose
    copies multiply under leading_full. Store-only, so shift_inwards is legal too."""
    ub = "%n" if dynamic else "%c3"
    attrs = "pl.chunk = 2" + (f', pl.chunk_policy = "{policy}"' if policy else "")
    attrs += ", pl.parallel" if parallel else ""
    lines = [
        "func.func @deep(%a: memref<?xindex>, %n: index) {",
        "%c0 = arith.constant 0 : index",
        "%c1 = arith.constant 1 : index",
        "%c3 = arith.constant 3 : index",
    ]
    lines += [f"scf.for %i{d} = %c0 to {ub} step %c1 {{" for d in range(depth)]
    lines.append(f"memref.store %i0, %a[%i{depth - 1}] : memref<?xindex>")
    lines += ["} {" + attrs + "}"] * depth
    lines += ["return", "}"]
    return "\n".join(lines) + "\n"


def _check(policy: str, path: str) -> None:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    stores, chunks = text.count("memref.store"), text.count("pl.chunk =")
    if chunks or not 1 <= stores <= MAX_COPIES:
        sys.exit(
            f"growth: {policy}: the output has {stores} memref.store (expected 1 to "
            f"{MAX_COPIES}) and {chunks} pl.chunk left"
        )


def main(argv: list[str] | None = None) -> int:
    # The shared process runner of bench/, imported here: test/python/test_growth.py loads this
    # file for `nest` alone, without bench/ on sys.path.
    import compile_scale

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--depth", type=int, default=60, help="nested chunked loops (default 60)")
    p.add_argument("--repeat", type=int, default=3, help="runs per policy (default 3)")
    p.add_argument("--keep", action="store_true", help="keep the generated files")
    ns = p.parse_args(argv)
    ours = compile_scale.pypto_opt_path()
    tmp = tempfile.mkdtemp(prefix="pypto-growth-")
    missed: list[str] = []
    try:
        src = os.path.join(tmp, f"deep{ns.depth}.mlir")
        with open(src, "w", encoding="utf-8") as f:
            f.write(nest(ns.depth, dynamic=False))
        print(
            f"{ns.depth} nested chunked loops ({os.path.getsize(src) / 1024:.1f} KB); "
            f"{ns.repeat} run(s) per policy, median wall time, max peak RSS"
        )
        print(
            f"\n| policy | wall s (median of {ns.repeat}) | peak RSS MB | output MB |\n"
            "|---|---|---|---|"
        )
        for policy in ("leading_full", "auto"):
            out = os.path.join(tmp, f"{policy}.mlir")
            cmd = [ours, src, "-p", f"builtin.module(pl-default{{policy={policy}}})", "-o", out]
            runs = [compile_scale.run_once(cmd) for _ in range(ns.repeat)]
            _check(policy, out)
            wall = statistics.median(w for w, _ in runs)
            rss = max(r for _, r in runs)
            size = os.path.getsize(out) / 2**20
            print(f"| {policy} | {wall:.2f} | {rss:.0f} | {size:.2f} |", flush=True)
            if wall >= TARGET_SECONDS or rss >= TARGET_RSS_MB or size >= TARGET_OUTPUT_MB:
                missed.append(policy)
    finally:
        if ns.keep:
            print(f"\nkept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"\ntargets (< {TARGET_SECONDS:.0f} s, < {TARGET_RSS_MB} MB, < {TARGET_OUTPUT_MB} MB): "
        + (f"MISSED by {', '.join(missed)}" if missed else "met")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
