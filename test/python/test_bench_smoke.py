"""The benchmarks of bench/ still run, on tiny sizes, and still check what they measure.

Only their checks are asserted (outputs equal to the unchunked loop, every loop really split or
peeled, the emulated results equal to the CPU's); timings and targets are not, since those are
for a quiet machine (docs/performance.md), not for a test.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

# Each benchmark runs as a subprocess end to end: the slow lane.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def bench(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_cpu_policies_checks_every_variant_bit_for_bit():
    proc = bench(
        "cpu_policies.py", "--repeat", "1", "--kernels", "axpy,scale,reduce_sum", "--n", "3001"
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr  # 1: some variant's bits differ
    rows = [
        line.split("|")[1:-1]
        for line in proc.stdout.splitlines()
        if line.startswith("| axpy")
        or line.startswith("| scale")
        or line.startswith("| reduce_sum")
    ]
    variants = {(r[0].strip(), r[2].strip()): r[-1].strip() for r in rows}
    for kernel in ("axpy", "scale", "reduce_sum"):
        for variant in (
            "unchunked",
            "guarded",
            "guarded+unswitch",
            "leading_full",
            "clamped",
            "auto",
        ):
            assert variants[(kernel, variant)] == "yes", (kernel, variant)
        assert (kernel, "numpy") in variants
    assert variants[("scale", "shift_inwards")] == "yes"
    assert ("axpy", "shift_inwards") not in variants  # axpy's iterations may not run twice
    assert re.search(r"^targets: (met|MISSED)", proc.stdout, re.M)


def test_cpu_policies_rejects_an_unknown_kernel():
    proc = bench("cpu_policies.py", "--kernels", "axpy,frob")
    assert proc.returncode == 2
    assert "unknown kernel(s) frob" in proc.stderr


def test_emu_bench_matches_the_cpu_without_faults():
    proc = bench("emu.py", "--tasks", "2000", "--repeat", "1")
    assert proc.returncode == 0, proc.stdout + proc.stderr  # 1: a run was not clean
    assert re.search(
        r"^  total +[0-9.]+ µs +[0-9.]+ µs CPU +target <= 3 µs: (met|MISSED)", proc.stdout, re.M
    )
    rows = re.findall(r"^  (guarded|leading_full) +(off|on) +(\d+) .* (yes|NO)$", proc.stdout, re.M)
    assert sorted((p, r, int(t), same) for p, r, t, same in rows) == [
        ("guarded", "off", 256, "yes"),
        ("guarded", "on", 256, "yes"),
        ("leading_full", "off", 288, "yes"),
        ("leading_full", "on", 288, "yes"),
    ]
    for name in ("cpu", "emu", "emu \\+ races"):
        assert re.search(rf"^  {name} +[0-9.]+ ms +[0-9.]+x cpu$", proc.stdout, re.M), name


def test_emu_corpus_models_reports_every_run_under_three_models():
    proc = bench("emu_corpus_models.py", "--kernels", "hello_world")
    assert proc.returncode == 0, proc.stdout + proc.stderr  # 1: a run faulted or was wrong
    rows = [line.split(" | ") for line in proc.stdout.splitlines() if line.startswith("| hello")]
    assert len(rows) == 2 * 4  # two shapes, two policies of form (a), two variants of form (b)
    faulting = [r for r in rows if "faults at" in r[5]]
    assert [(r[1], r[3]) for r in faulting] == [("tail", "as written")]
    for r in rows:
        if r not in faulting:
            assert all(re.fullmatch(r"\d+ \(\d+\.\d%\)", c.strip(" |")) for c in r[5:])


def test_emu_models_reports_every_kernel_under_three_models_without_remarks():
    from pypto_mlir.examples import kernels as K

    proc = bench("emu_models.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr  # 1: a run was not clean
    # The pipeline's expected remark (gemm, leading_full) is collected, not printed.
    assert proc.stderr == ""
    lines = [line for line in proc.stdout.splitlines() if line.startswith("| ")]
    assert lines[0] == "| kernel | policy | tasks | barrier | regions | exact |"
    rows = [line.split(" | ") for line in lines[1:]]
    assert [(r[0].removeprefix("| "), r[1]) for r in rows] == [
        (name, policy) for name in K.KERNELS for policy in ("guarded", "leading_full")
    ]
    for r in rows:
        assert int(r[2]) > 0, r
        assert all(re.fullmatch(r"\d+ \(\d+\.\d%\)", c.strip(" |")) for c in r[3:]), r


def test_memory_bench_peels_every_loop():
    proc = bench("memory_20mb.py", "--mb", "0.1")
    assert proc.returncode == 0, proc.stdout + proc.stderr  # 1: an output was not split
    assert re.search(r"^peak RSS ratio pypto-opt / mlir-opt: [0-9.]+x", proc.stdout, re.M)


def test_compile_scale_bench_splits_every_loop():
    proc = bench("compile_scale.py", "--sizes", "100", "--repeat", "1", "--upstream-forms", "tiled")
    assert proc.returncode == 0, proc.stdout + proc.stderr  # exits 1 when a loop is left whole
    assert re.search(r"^\| 100 \| [0-9.]+ \| [0-9.]+ \|", proc.stdout, re.M)


def test_frontend_speed_compares_the_same_module():
    """Both paths must give the same module (exit 1 and a message otherwise)."""
    proc = bench("frontend_speed.py", "--repeat", "1", "--kernels", "hello_world,gemm")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = [line for line in proc.stdout.splitlines() if line.startswith("| ")]
    assert [r.split("|")[1].strip() for r in rows[1:]] == ["hello_world", "gemm"]
    assert re.search(r"worst ratio \d+\.\d+", proc.stdout)


def test_growth_bench_measures_both_policies_of_the_sixty_levels():
    proc = bench("growth.py", "--repeat", "1")
    assert proc.returncode == 0, proc.stdout + proc.stderr  # 1: an output grew past its bound
    policies = re.findall(
        r"^\| (leading_full|auto) \| [0-9.]+ \| [0-9]+ \| [0-9.]+ \|$", proc.stdout, re.M
    )
    assert policies == ["leading_full", "auto"]
    assert re.search(r"^targets \(< 10 s, < 1024 MB, < 20 MB\): (met|MISSED)", proc.stdout, re.M)
