# lit configuration for pypto-mlir. pytest runs this suite (test/test_lit.py); `lit test/` works
# too.
import importlib.util
import os
import shutil
import sys

import lit.formats

config.name = "pypto-mlir"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir"]
config.excludes = ["Inputs", "invalid"]
config.test_source_root = os.path.dirname(os.path.abspath(__file__))
config.test_exec_root = os.path.join(config.test_source_root, "Output")

_bin = os.path.dirname(sys.executable)
_mlir = importlib.util.find_spec("mlir").submodule_search_locations[0]
_llvm_bin = os.path.join(os.path.dirname(importlib.util.find_spec("llvm").origin), "bin")
_irdl = os.path.join(os.path.dirname(config.test_source_root), "dialect", "pl.irdl.mlir")


def _tool(name):
    path = os.path.join(_bin, name)
    return path if os.path.exists(path) else shutil.which(name) or name


# The fast lane (test_lit.py under PYPTO_FAST_LANE=1) runs pypto-opt through a fork
# server that has it imported already (lit_fork_server.py); `make test` runs the real processes.
_server = os.environ.get("PYPTO_OPT_SERVER")
_pypto_opt = (
    f"{sys.executable} -S {os.path.join(config.test_source_root, 'lit_fork_client.py')} "
    f"{_tool('pypto-opt')}"
    if _server
    else _tool("pypto-opt")
)
if _server:
    config.environment["PYPTO_OPT_SERVER"] = _server

config.substitutions += [
    ("%python", sys.executable),
    ("%pypto-opt", _pypto_opt),
    ("%pypto-run", _tool("pypto-run")),
    ("%mlir-opt", os.path.join(_mlir, "bin", "mlir-opt")),
    ("%pl-irdl", _irdl),
    ("%FileCheck", os.path.join(_llvm_bin, "FileCheck")),
    ("%not", os.path.join(_llvm_bin, "not")),
    ("%inputs", os.path.join(config.test_source_root, "Inputs")),
]
# `filecheck` (the PyPI clone) and the tools are found on PATH from the venv.
config.environment["PATH"] = (
    _bin + os.pathsep + config.environment.get("PATH", os.environ.get("PATH", ""))
)
config.environment["PYTHONUNBUFFERED"] = "1"
