"""pypto-lib's own example kernels through the front end, read from a checkout:

    .venv/bin/python -m pytest test/python/test_frontend_pypto_lib.py --pypto-lib DIR

Skipped without `--pypto-lib`. Each file is copied to a temporary directory with one edit, its
import line (`import pypto.language as pl` -> `import pypto_mlir.language as pl`); nothing of
the checkout enters this repository. The builder runs with the sizes of
test/frontend/kernels/cases.py and the result is checked against that table's numpy reference,
on cpu and emu: the chunk= form (before PR #372) must be correct with a partial last chunk; the
explicit form (PR #372) is correct when the sizes divide and faults on the emulator otherwise.
docs/frontend.md records a run.
"""

import importlib.util
import os
import re

import cases  # test/frontend/kernels is on pytest's pythonpath (pyproject.toml)
import numpy as np
import pytest

import pypto_mlir.language  # noqa: F401  (installs running)

IMPORT_LINE = "import pypto.language as pl"
CHUNKED_LOOP = re.compile(r"pl\.(parallel|range)\([^)]*\bchunk=")
FILES = {
    "hello_world": "examples/beginner/hello_world.py",
    "matmul": "examples/beginner/matmul.py",
    "gemm": "examples/intermediate/gemm.py",
    "rms_norm": "examples/intermediate/rms_norm.py",
    "softmax": "examples/intermediate/softmax.py",
    "layer_norm": "examples/intermediate/layer_norm.py",
    "rope": "examples/intermediate/rope.py",
}


@pytest.fixture
def checkout(request):
    path = request.config.getoption("--pypto-lib")
    if not path:
        pytest.skip("no pypto-lib checkout given (--pypto-lib DIR)")
    return path


def _load(checkout: str, name: str, tmp_path):
    with open(os.path.join(checkout, FILES[name]), encoding="utf-8") as f:
        source = f.read()
    assert source.count(IMPORT_LINE) == 1, f"{FILES[name]}: expected one `{IMPORT_LINE}`"
    path = tmp_path / f"{name}.py"
    path.write_text(source.replace(IMPORT_LINE, "import pypto_mlir.language as pl"))
    spec = importlib.util.spec_from_file_location(f"pypto_lib_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, CHUNKED_LOOP.search(source) is not None


@pytest.mark.parametrize("target", ["cpu", "emu"])
@pytest.mark.parametrize("name", list(FILES))
def test_pypto_lib_kernel(checkout, name, target, tmp_path):
    case = cases.BY_NAME[name]
    module, chunked = _load(checkout, name, tmp_path)
    sizes = case.tail if chunked else case.even
    program = getattr(module, case.builder)(**sizes)
    args = cases.arguments("chunked", case, sizes)
    out, report = getattr(program, case.entry)(*args, target=target, report=True)
    err = np.abs(np.asarray(out, np.float64) - case.reference(args)).max()
    assert err <= case.bound
    if target == "emu":
        assert report.ok, report.diagnostics()
        if not chunked and case.has_tail:
            args = cases.arguments("chunked", case, case.tail)
            program = getattr(module, case.builder)(**case.tail)
            _out, report = getattr(program, case.entry)(*args, target=target, report=True)
            assert not report.ok  # the explicit form's unclamped tail
