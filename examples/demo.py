"""`make demo`: what pypto-mlir does, end to end, on the kernels of this folder.

1. Runs `pypto-opt` (the console script of this venv) with the `pl-default` pipeline on
   examples/vadd.mlir and prints the input and the transformed module.
2. Compiles the real kernels of kernels.py (axpy, scale, reduce_sum, rms_norm, gemm,
   decode_attention) for the CPU (LLVM JIT) unchunked and under every tail policy that applies,
   checks each against its numpy reference and against the unchunked loop (bit for bit), and
   prints a table.
3. Runs them on the emulated accelerator under both PyPTO policies and prints what it made.

Exit status 0 when every check passes.
"""

from __future__ import annotations

import functools
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
RUNS = 5  # calls per measurement (the median is shown)


def heading(text: str) -> None:
    print(f"\n=== {text} " + "=" * max(0, 74 - len(text)))


def pypto_opt(*args: str) -> str:
    """Runs the pypto-opt console script of this venv (or the module, if the script is missing)."""
    exe = BIN / "pypto-opt"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pypto_mlir.tools.opt"]
    proc = subprocess.run(cmd + list(args), cwd=HERE.parent, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"demo: pypto-opt {' '.join(args)} failed:\n{proc.stderr}")
    return proc.stdout


def show_pipeline() -> None:
    src = "examples/vadd.mlir"
    heading(f"input: {src}")
    print((HERE / "vadd.mlir").read_text(encoding="utf-8").rstrip())
    pipeline = "builtin.module(pl-default)"
    heading(f"pypto-opt {src} -p '{pipeline}'")
    print(pypto_opt(src, "-p", pipeline).rstrip())
    print(
        "(policy guarded: one loop nest; full chunks take the unguarded fast path. "
        "Try pl-default{policy=leading_full}.)"
    )


def check_kernels() -> bool:
    import numpy as np

    from pypto_mlir.examples import kernels as K

    header = (
        f"{'kernel':<17} {'variant':<17} {'loops':>5} {'ifs':>4} {'guards':>6} "
        f"{'run ms':>8} {'max err':>9}  {'numpy':<6} {'= unchunked':<11}"
    )
    print(header)
    print("-" * len(header))
    ok = True
    for kernel in K.KERNELS.values():
        args = kernel.make_args(np.random.default_rng(0))
        expected = kernel.reference(args)
        bounds = kernel.bound(args, expected)
        in_order = kernel.in_order(args) if kernel.in_order else None
        unchunked = None
        for variant in K.variants_of(kernel).values():
            compiled = K.compile_variant(kernel, variant)
            got = kernel.call(compiled.fn, kernel.fresh(args))
            good = K.within(got, expected, bounds) and (
                in_order is None or K.same_bits(got, in_order)
            )
            if unchunked is None:
                unchunked, same = got, "-"
            else:
                same = "yes" if K.same_bits(got, unchunked) else "NO"
            ok = ok and good and same != "NO"
            ms = 1e3 * statistics.median(
                K.timed(kernel, functools.partial(K.native_call, compiled.fn), args, RUNS)
            )
            s = compiled.structure
            print(
                f"{kernel.name:<17} {variant.name:<17} {s.loops:>5} {s.ifs:>4} {s.guards:>6} "
                f"{ms:>8.2f} {K.max_error(got, expected):>9.2g}  "
                f"{'ok' if good else 'FAIL':<6} {same}"
            )
    return ok


def check_emulator() -> bool:
    """Every kernel on the emulated accelerator, both policies: the kernels and tasks it made,
    masked iterations, the modelled makespan, faults; results identical to the CPU target."""
    import numpy as np

    from pypto_mlir.examples import kernels as K
    from pypto_mlir.lowering.emu import compile_emu

    header = (
        f"{'kernel':<17} {'policy':<13} {'kernels (tasks)':<56} {'masked':>7} "
        f"{'makespan':>12} {'faults':>6}  {'= cpu':<5}"
    )
    print(header)
    print("-" * len(header))
    ok = True
    for kernel in K.KERNELS.values():
        args = kernel.make_args(np.random.default_rng(0))
        for policy in ("guarded", "leading_full"):
            variant = K.VARIANTS["guarded+unswitch" if policy == "guarded" else policy]
            module = K.prepare(kernel, variant)
            cpu = kernel.call(K.compile_variant(kernel, variant).fn, kernel.fresh(args))
            program = compile_emu(module, entries=[kernel.entry], machine="a2a3")
            emu_args = kernel.fresh(args)
            results, report = program.run(kernel.entry, *emu_args)
            got = [emu_args[i] for i in kernel.outputs] + [
                np.asarray(r, dtype=t) for r, t in zip(results, kernel.results, strict=False)
            ]
            same = K.same_bits(got, cpu)
            ok = ok and same and report.ok
            made = ", ".join(f"{k.name} ({k.tasks})" for k in report.kernels())
            faults = len(report.to_json()["faults"])
            print(
                f"{kernel.name:<17} {policy:<13} {made:<56} {report.masked_iterations:>7} "
                f"{round(report.makespan_cycles):>12} {faults:>6}  {'yes' if same else 'NO':<5}"
            )
    return ok


def show_emu_summary() -> bool:
    """The emulator's own summary, as `pypto-run --target emu` prints it, for decode attention
    under both policies (per stage: one kernel under guarded, main + remainder under
    leading_full)."""
    import tempfile

    import numpy as np

    from pypto_mlir.examples import kernels as K

    kernel = K.KERNELS["decode_attention"]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, a in enumerate(kernel.make_args(np.random.default_rng(0))):
            files.append(os.path.join(tmp, f"arg{i}.npy"))
            np.save(files[-1], a)
        for policy in ("guarded", "leading_full"):
            cmd = [
                "pypto-run",
                f"examples/{kernel.file}",
                "--entry",
                kernel.entry,
                "--pass-pipeline",
                f"builtin.module(pl-default{{policy={policy}}})",
                "--target",
                "emu",
            ] + [f"--arg={f}" for f in files]
            shown = " ".join(c if "{" not in c else f"'{c}'" for c in cmd[:8])
            print(f"\n$ {shown} --arg=... ({len(files)} .npy files)")
            proc = subprocess.run(
                [str(BIN / cmd[0]), *cmd[1:]], cwd=HERE.parent, capture_output=True, text=True
            )
            print(proc.stderr.rstrip())
            ok = ok and proc.returncode == 0
    return ok


def legend() -> None:
    from pypto_mlir.examples import kernels as K

    print("variants:")
    for v in K.VARIANTS.values():
        print(f"  {v.name:<17} {v.pipeline}" + (", on the kernel without pl.*" if v.strip else ""))
    print(
        "loops/ifs: scf.for/scf.if after the pipeline; guards: the scf.if ops directly inside a "
        "chunk_inner loop (the k < T guards)."
    )
    print(
        f"run ms: median of {RUNS} calls; max err: against the numpy reference (float64 for "
        "float kernels); numpy: within the documented bound, and bit-exact against the float32 "
        "replay in source order where there is one (docs/kernels.md)."
    )
    print("kernels:")
    for k in K.KERNELS.values():
        print(f"  {k.name:<17} {k.sizes}; {k.chunking}")


def main() -> int:
    show_pipeline()
    heading("real kernels on the CPU (LLVM JIT): unchunked and both policies, against numpy")
    try:
        import pypto_mlir.lowering.cpu  # noqa: F401 (only: is the CPU target available?)
    except ImportError as exc:
        print(f"skipped: the CPU target is not available ({exc})")
        return 0
    legend()
    print()
    ok = check_kernels()
    print("\nall results match" if ok else "\ndemo: some results differ (FAIL or NO above)")
    heading("the same kernels on the emulated accelerator (pypto-run --target emu), a2a3")
    print(
        "kernels (tasks): the outlined kernels and their task counts; masked: guard-masked "
        "iterations;\nmakespan: modelled cycles on 24 core groups (a cost model, not a "
        "measurement; docs/emulator.md);\nfaults: out-of-bounds accesses (all checked); "
        "= cpu: results bit-identical to the CPU target."
    )
    emu_ok = check_emulator()
    emu_ok = show_emu_summary() and emu_ok
    print(
        "\nemulator: all runs clean and identical to the CPU"
        if emu_ok
        else "\ndemo: an emulator run faulted or differs from the CPU"
    )
    return 0 if ok and emu_ok else 1


if __name__ == "__main__":
    os.chdir(HERE.parent)
    sys.exit(main())
