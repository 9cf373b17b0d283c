"""`make demo`: what pypto-mlir does, end to end, on the kernels of this folder.

1. Runs `pypto-opt` (the console script of this venv) with the `pl-default` pipeline on
   examples/vadd.mlir and prints the input and the transformed module.
2. Compiles the chunked kernels for the CPU (pypto_mlir.lowering.cpu, LLVM JIT) under both
   tail policies and checks them against numpy, for trip counts around the chunk size.

Exit status 0 when every check passes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
POLICIES = ("guarded", "leading_full")


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
    pipeline = "builtin.module(pl-default{policy=leading_full})"
    heading(f"pypto-opt {src} -p '{pipeline}'")
    print(pypto_opt(src, "-p", pipeline).rstrip())


# -- execution on the CPU -------------------------------------------------------------------

def compile_kernel(path: Path, entry: str, policy: str):
    from mlir import ir

    from pypto_mlir.dialect.context import make_context
    from pypto_mlir.lowering.cpu import compile_module
    from pypto_mlir.passes import build_pass_manager

    ctx = make_context()
    module = ir.Module.parse(path.read_text(encoding="utf-8"), ctx)
    build_pass_manager(f"builtin.module(pl-default{{policy={policy}}})", ctx).run(module.operation)
    return compile_module(module, entries=[entry])[entry]


def sequential_sum(values) -> "np.float32":
    import numpy as np

    acc = np.float32(0)
    for x in values:
        acc = np.float32(acc + x)
    return acc


def check_kernels() -> bool:
    import numpy as np

    rng = np.random.default_rng(7)
    ok = True
    for policy in POLICIES:
        vadd = compile_kernel(HERE / "vadd.mlir", "vadd", policy)
        ssum = compile_kernel(HERE / "sum.mlir", "strided_sum", policy)
        nsum = compile_kernel(HERE / "nested_sum.mlir", "nested_sum", policy)
        sum7 = compile_kernel(HERE / "sum7.mlir", "sum7", policy)
        mm = compile_kernel(HERE / "tiled_matmul.mlir", "matmul", policy)
        checks = []
        for n in (0, 1, 3, 4, 5, 8, 15):  # chunk 4: T = 0, 1, C-1, C, C+1, 2C, 3C+3
            a = rng.standard_normal(16).astype(np.float32)
            b = rng.standard_normal(16).astype(np.float32)
            c = np.full(16, -1.0, np.float32)
            vadd(a, b, c, n)
            expect = np.concatenate([a[:n] + b[:n], np.full(16 - n, -1.0, np.float32)])
            checks.append((f"vadd n={n}", np.array_equal(c, expect)))
        x = rng.standard_normal(64).astype(np.float32)
        for lo, hi in ((0, 0), (3, 4), (1, 8), (2, 18), (5, 64), (9, 3)):
            got = np.float32(ssum(x, lo, hi))
            checks.append((f"strided_sum [{lo},{hi})", got.tobytes() == sequential_sum(x[lo:hi:2]).tobytes()))
        v = rng.standard_normal(7).astype(np.float32)
        checks.append(("sum7", np.float32(sum7(v)).tobytes() == sequential_sum(v).tobytes()))
        m = rng.standard_normal((8, 3)).astype(np.float32)
        got = np.float32(nsum(m))
        checks.append(("nested_sum 8x3", got.tobytes() == sequential_sum(m.ravel()).tobytes()))
        A = rng.standard_normal((64, 48)).astype(np.float32)
        B = rng.standard_normal((48, 40)).astype(np.float32)
        C = rng.standard_normal((64, 40)).astype(np.float32)
        C0 = C.copy()
        mm(A, B, C)
        ref = (C0.astype(np.float64) + A.astype(np.float64) @ B.astype(np.float64))
        checks.append(("tiled_matmul 64x48x40", np.allclose(C, ref, rtol=1e-5, atol=1e-4)))
        failed = [name for name, good in checks if not good]
        print(f"{policy:>12}: {len(checks) - len(failed)}/{len(checks)} checks match numpy"
              + (f"; MISMATCH: {', '.join(failed)}" if failed else ""))
        ok = ok and not failed
    return ok


def main() -> int:
    show_pipeline()
    heading("run on the CPU (LLVM JIT) against numpy, both policies")
    try:
        import pypto_mlir.lowering.cpu  # noqa: F401
    except ImportError as exc:
        print(f"skipped: the CPU target is not available ({exc})")
        return 0
    print("vadd: T = 0, 1, 3, 4, 5, 8, 15 with C = 4 (bit-exact); strided_sum: float32 "
          "accumulation in source order (bit-exact); sum7, nested_sum (bit-exact); tiled_matmul "
          "(against float64 numpy, rtol 1e-5)")
    ok = check_kernels()
    print("all results match" if ok else "demo: some results differ from numpy")
    return 0 if ok else 1


if __name__ == "__main__":
    os.chdir(HERE.parent)
    sys.exit(main())
