#!/usr/bin/env python3
"""Peak memory of `pypto-opt` on a ~20 MB module of chunked loops, against upstream `mlir-opt`
peeling the same loops.

It generates (with the generator of compile_scale.py, about 10 loops per function, a third of
them with one iter_arg, a third with a dynamic lower bound and two iter_args, all with dynamic
upper bounds):

* `chunked.mlir`: the loops with `pl.chunk = C` and step 1;
* `step.mlir`: the same loops with step C, the input upstream peels;

and measures whole processes, each in a fresh child (peak RSS is the child's own `ru_maxrss`
from `os.wait4`; wall time includes interpreter start-up and imports):

    pypto-opt chunked.mlir -p 'builtin.module(pl-split-chunked-loops)' -o /dev/null
    mlir-opt --scf-for-loop-peeling step.mlir -o /dev/null

plus, to show where the memory goes, both tools on an empty module (start-up) and on the input
with no pass (parse, verify, print). With --check (the default) each transform runs once more
into a file, which must hold 2 scf.for per source loop (ours: outer + inner of the guarded
policy; upstream: main + remainder) and no pl.chunk.

    .venv/bin/python bench/memory_20mb.py                  # 20 MB, one run of each
    .venv/bin/python bench/memory_20mb.py --mb 5 --repeat 3 --keep

Target: peak RSS of pypto-opt <= 2x that of mlir-opt. Peak RSS does not depend on the load of
the machine; wall times do.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile

# Run as a script, this folder is on sys.path: the generator and the process runner are shared.
import compile_scale

TARGET_RATIO = 2.0
LOOPS_PER_FUNC = 10


def generate(path: str, n_loops: int, chunk: int, form: str) -> None:
    """compile_scale.generate with LOOPS_PER_FUNC loops per function instead of 100 functions."""
    saved = compile_scale.FUNCS
    compile_scale.FUNCS = max(1, n_loops // LOOPS_PER_FUNC)
    try:
        compile_scale.generate(path, n_loops, chunk, form)
    finally:
        compile_scale.FUNCS = saved


def loops_for(mb: float, chunk: int, tmp: str) -> int:
    """How many loops make a chunked input of about `mb` MB (measured on a 1000-loop sample)."""
    sample = os.path.join(tmp, "sample.mlir")
    generate(sample, 1000, chunk, "chunked")
    per_loop = os.path.getsize(sample) / 1000
    os.remove(sample)
    return int(mb * 2**20 / per_loop)


def measure(cmd: list[str], repeat: int) -> dict[str, float]:
    """The median wall seconds ("t") and the largest peak RSS in MB ("rss") of `repeat` runs."""
    runs = [compile_scale.run_once(cmd) for _ in range(repeat)]
    return {"t": statistics.median(w for w, _ in runs), "rss": max(r for _, r in runs)}


def check(kind: str, cmd: list[str], out: str, n: int) -> None:
    compile_scale.run_once(cmd + ["-o", out])
    loops, chunks = compile_scale.count_loops(out)
    os.remove(out)
    if loops != 2 * n or chunks:
        sys.exit(
            f"memory_20mb: {kind} output has {loops} scf.for (expected {2 * n}) and "
            f"{chunks} pl.chunk left: it did not split / peel every loop"
        )


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mb", type=float, default=20.0, help="size of the chunked input (default 20)")
    p.add_argument("--chunk", type=int, default=4, help="chunk size C (default 4)")
    p.add_argument("--repeat", type=int, default=1, help="runs of each command (default 1)")
    p.add_argument(
        "--no-check",
        dest="check",
        action="store_false",
        help="do not check that the outputs really are split / peeled",
    )
    p.add_argument("--keep", action="store_true", help="keep the generated files")
    ns = p.parse_args(argv)
    ours, upstream = compile_scale.pypto_opt_path(), compile_scale.mlir_opt_path()

    tmp = tempfile.mkdtemp(prefix="pypto-mem-")
    try:
        n = loops_for(ns.mb, ns.chunk, tmp)
        chunked, step, empty = (
            os.path.join(tmp, f) for f in ("chunked.mlir", "step.mlir", "empty.mlir")
        )
        generate(chunked, n, ns.chunk, "chunked")
        generate(step, n, ns.chunk, "step")
        with open(empty, "w", encoding="utf-8") as f:
            f.write("module {\n}\n")
        sizes = {path: os.path.getsize(path) / 2**20 for path in (chunked, step, empty)}
        split = [ours, chunked, "-p", "builtin.module(pl-split-chunked-loops)"]
        peel = [upstream, "--scf-for-loop-peeling", step]
        if ns.check:
            check("pypto-opt", split, os.path.join(tmp, "ours.out.mlir"), n)
            check("mlir-opt", peel, os.path.join(tmp, "upstream.out.mlir"), n)
        rows = [  # (label, input, command)
            ("pypto-opt start-up (empty module)", empty, [ours, empty]),
            ("mlir-opt start-up (empty module)", empty, [upstream, empty]),
            ("pypto-opt parse + verify + print", chunked, [ours, chunked]),
            ("mlir-opt parse + print", step, [upstream, step]),
            ("pypto-opt pl-split-chunked-loops", chunked, split),
            ("mlir-opt --scf-for-loop-peeling", step, peel),
        ]
        print(
            f"{n} loops in {n // LOOPS_PER_FUNC} functions, chunk {ns.chunk}; "
            f"{ns.repeat} run(s) each, median wall time, max peak RSS; output to /dev/null"
        )
        results = {}
        print("\n| what | input MB | peak RSS MB | wall s |\n|---|---|---|---|")
        for label, src, cmd in rows:
            r = results[label] = measure(cmd + ["-o", os.devnull], ns.repeat)
            print(f"| {label} | {sizes[src]:.1f} | {r['rss']:.0f} | {r['t']:.2f} |", flush=True)
    finally:
        if ns.keep:
            print(f"\nkept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    a, b = results["pypto-opt pl-split-chunked-loops"], results["mlir-opt --scf-for-loop-peeling"]
    ratio = a["rss"] / b["rss"]
    print(
        f"\npeak RSS ratio pypto-opt / mlir-opt: {ratio:.2f}x (target <= {TARGET_RATIO}x: "
        f"{'met' if ratio <= TARGET_RATIO else 'NOT met'}); wall time ratio {a['t'] / b['t']:.2f}x"
    )
    return 0  # exit 1 only when a check of the outputs fails (check()); the target is printed


if __name__ == "__main__":
    sys.exit(main())
