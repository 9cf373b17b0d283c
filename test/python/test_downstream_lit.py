"""A downstream lit suite finds pypto-opt, mlir-opt, FileCheck and `not` with nothing but
pypto-opt on PATH: the shipped example (examples/downstream-lit) runs as a user would run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parents[2] / "examples" / "downstream-lit"
BIN = Path(sys.executable).parent


def test_print_tools_dir_names_every_tool():
    out = subprocess.run(
        [str(BIN / "pypto-opt"), "--print-tools-dir"], capture_output=True, text=True, check=True
    ).stdout
    dirs = out.strip().split(os.pathsep)
    for tool in ("pypto-opt", "mlir-opt", "FileCheck", "not"):
        assert any(os.access(os.path.join(d, tool), os.X_OK) for d in dirs), (tool, dirs)


def test_the_example_lit_suite_runs(tmp_path):
    suite = tmp_path / "downstream-lit"
    shutil.copytree(EXAMPLE, suite, ignore=shutil.ignore_patterns("Output"))
    # PATH as in a user's shell with the environment active: its scripts, and the system's.
    env = dict(os.environ, PATH=os.pathsep.join([str(BIN), "/usr/bin", "/bin"]))
    proc = subprocess.run(
        [str(BIN / "lit"), "-v", str(suite)], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PASS: downstream-example :: chunked-stage.mlir" in proc.stdout
