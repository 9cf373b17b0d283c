"""The acceptance kernels of the Python front end (test/frontend/kernels), through both forms.

* chunk= form: on cpu and emu, on sizes with a partial last chunk, within the numpy bound; the
  emulator reports no fault; on cpu the split program equals the unsplit loop bit for bit.
* explicit form (pypto-lib PR #372): clean on sizes without a tail; with a tail, the emulator
  reports out-of-bounds accesses at the kernel's Python lines, the lint warns at the Python line
  of the unclamped inner loop, and the lint's fix gives a clean, correct run.
"""

from __future__ import annotations

import os

import cases  # test/frontend/kernels is on pytest's pythonpath (pyproject.toml)
import numpy as np
import pytest

import pypto_mlir.language  # noqa: F401  (installs running: Program.fn(..., target=))

# Every case JIT-compiles and runs kernels on both targets: the slow lane.
pytestmark = pytest.mark.slow

TARGETS = ("cpu", "emu")
FIX = "builtin.module(pl-check-chunk-bounds{fix=true}, pl-default)"
UNSPLIT = "builtin.module(pl-verify, canonicalize)"  # chunked loops run as plain loops


def _run(form, case, sizes, target, **options):
    _program, fn = cases.program(form, case, sizes)
    args = cases.arguments(form, case, sizes)
    out, report = fn(*args, target=target, report=True, **options)
    return args, out, report


def _within(case, args, out):
    err = np.abs(np.asarray(out, np.float64) - case.reference(args)).max()
    assert err <= case.bound, f"{case.name}: error {err} > {case.bound}"


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", [c.name for c in cases.CASES])
def test_chunked_form_matches_numpy(name, target):
    case = cases.BY_NAME[name]
    args, out, report = _run("chunked", case, case.tail, target)
    _within(case, args, out)
    if target == "emu":
        assert report.ok, report.diagnostics()


@pytest.mark.parametrize("name", [c.name for c in cases.CASES])
def test_chunked_form_equals_unsplit_loops(name):
    case = cases.BY_NAME[name]
    _args, split, _ = _run("chunked", case, case.tail, "cpu")
    _args, plain, _ = _run("chunked", case, case.tail, "cpu", pipeline=UNSPLIT)
    assert np.array_equal(split, plain)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", [c.name for c in cases.CASES if c.even is not None])
def test_explicit_form_without_tail_is_clean(name, target):
    case = cases.BY_NAME[name]
    args, out, report = _run("explicit", case, case.even, target)
    _within(case, args, out)
    if target == "emu":
        assert report.ok, report.diagnostics()


TAILED = [c.name for c in cases.CASES if c.has_tail]


@pytest.mark.parametrize("name", TAILED)
def test_explicit_form_with_tail_faults_at_python_lines(name):
    case = cases.BY_NAME[name]
    _args, _out, report = _run("explicit", case, case.tail, "emu")
    assert not report.ok
    path = os.path.join(cases.HERE, "explicit", f"{name}.py")
    lines = report.diagnostics()
    assert lines and all(line.startswith(f"{path}:") for line in lines if ": error: " in line)
    assert any("out-of-bounds" in line for line in lines)


def test_explicit_gemm_faults_at_its_slice_lines():
    """The two K-loop slices (a at [mb, k0], b at [k0, nb]) of the last n chunk run past n."""
    case = cases.BY_NAME["gemm"]
    _args, _out, report = _run("explicit", case, case.tail, "emu")
    path = os.path.join(cases.HERE, "explicit", "gemm.py")
    text = "\n".join(report.diagnostics())
    assert f"{path}:43:42: error: out-of-bounds subview of memref<48x48xf32>" in text
    assert f"{path}:49:48: error: out-of-bounds subview of memref<48x48xf32>" in text


@pytest.mark.parametrize("name", TAILED)
def test_lint_fix_gives_a_clean_run(name):
    case = cases.BY_NAME[name]
    args, out, report = _run("explicit", case, case.tail, "emu", pipeline=FIX)
    assert report.ok, report.diagnostics()
    _within(case, args, out)


def _lint(name, sizes):
    from pypto_mlir.dialect.context import make_context
    from pypto_mlir.passes import build_pass_manager

    case = cases.BY_NAME[name]
    program, _fn = cases.program("explicit", case, sizes)
    found = []
    ctx = make_context(sink=found.append)
    module = program.module(ctx)
    build_pass_manager("builtin.module(pl-check-chunk-bounds)", ctx).run(module.operation)
    return [(d.severity, os.path.basename(d.file), d.line, d.col) for d in found]


# The unclamped inner loops of each kernel, as (line, col) in explicit/<name>.py: matmul's and
# gemm's m and n tile loops are nested two deep inside pl.at.
INNER_LOOPS = {
    "hello_world": [(22, 21)],
    "rope": [(33, 21)],
    "matmul": [(35, 25), (36, 29)],
    "gemm": [(40, 25), (41, 29)],
}


@pytest.mark.parametrize("name", list(INNER_LOOPS))
def test_lint_warns_at_the_python_lines_of_unclamped_loops(name):
    warnings = [d for d in _lint(name, cases.BY_NAME[name].tail) if d[0] == "warning"]
    assert [(line, col) for _s, _f, line, col in warnings] == INNER_LOOPS[name]
    assert {f for _s, f, _l, _c in warnings} == {f"{name}.py"}


def test_lint_is_quiet_when_the_sizes_divide():
    assert _lint("hello_world", cases.BY_NAME["hello_world"].even) == []
