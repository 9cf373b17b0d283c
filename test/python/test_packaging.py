"""The package as a user installs it: a wheel built from a fresh clone of this repository's HEAD,
installed with requirements.txt into a fresh venv, works there on its own.

It checks the console scripts (`pypto-opt --version`, `pypto-run` on an example on the CPU and
on the emulator), that the shipped files are in the wheel (the IRDL file, the example kernels,
the licence, `py.typed`), and that nothing is imported from the source tree.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # a clone, a wheel build and a venv with the MLIR wheels


def _run(argv: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(argv)}:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the fresh venv's bin directory, the clone) with the wheel installed."""
    tmp = tmp_path_factory.mktemp("packaging")
    clone = tmp / "clone"
    _run(["git", "clone", "--quiet", "--no-local", str(ROOT), str(clone)], tmp)
    dist = tmp / "dist"
    # The build backend pinned in requirements.txt, from this venv (no download).
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(dist),
            str(clone),
        ],
        tmp,
    )
    wheels = list(dist.glob("pypto_mlir-*.whl"))
    assert len(wheels) == 1, wheels
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    _run(
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(clone / "requirements.txt"),
            str(wheels[0]),
        ],
        tmp,
        timeout=1200,
    )
    return bin_dir, clone


def test_wheel_ships_its_files(installed):
    bin_dir, clone = installed
    wheel = next((clone.parent / "dist").glob("pypto_mlir-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "pypto_mlir/dialect/pl.irdl.mlir",
        "pypto_mlir/examples/vadd.mlir",
        "pypto_mlir/examples/kernels.py",
        "pypto_mlir/py.typed",
    ):
        assert needed in names, f"{needed} is not in the wheel"
    assert any(n.endswith("licenses/LICENSE") for n in names), "the licence is not in the wheel"
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "License-Expression: Apache-2.0" in text
    assert "Requires-Dist: xtc-mlir-python-bindings==22.1.8.4" in text


def test_the_installed_tools_work(installed, tmp_path):
    bin_dir, clone = installed
    out = _run([str(bin_dir / "pypto-opt"), "--version"], tmp_path).stdout
    assert out.startswith("pypto-opt (pypto-mlir) 0.1.0")
    # Imported from the venv, not from a source tree.
    where = _run(
        [str(bin_dir / "python"), "-c", "import pypto_mlir.passes as p; print(p.__file__)"],
        tmp_path,
    ).stdout
    assert str(bin_dir.parent) in where and str(clone) not in where, where

    np.save(tmp_path / "a.npy", np.arange(6, dtype=np.float32))
    np.save(tmp_path / "b.npy", np.full(6, 10, np.float32))
    np.save(tmp_path / "c.npy", np.zeros(6, np.float32))
    vadd = clone / "examples" / "vadd.mlir"
    for target in ("cpu", "emu"):
        _run(
            [
                str(bin_dir / "pypto-run"),
                str(vadd),
                "--entry",
                "vadd",
                "--target",
                target,
                "--arg",
                str(tmp_path / "a.npy"),
                "--arg",
                str(tmp_path / "b.npy"),
                "--arg",
                str(tmp_path / "c.npy"),
                "--arg",
                "5",
                "--out-dir",
                str(tmp_path / target),
            ],
            tmp_path,
        )
        got = np.load(tmp_path / target / "arg2.npy")
        assert got.tolist() == [10, 11, 12, 13, 14, 0], (target, got)
