"""Runs the lit suite once (in parallel) and reports each lit file as its own pytest case, so
the pytest summary counts every lit test and a failure names its file."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import lit_fork_server
import pytest

HERE = Path(__file__).parent
EXCLUDED = {"Inputs", "Output", "invalid"}
# Folders whose cases compile and run programs (JIT, emulator, subprocess pipelines): the slow
# lane. dialect/ and passes/ (structure, FileCheck) stay in `make test-fast`.
SLOW_FOLDERS = {"lowering", "emu", "tools"}


def _lit_files() -> list[str]:
    out = []
    for path in sorted(HERE.rglob("*.mlir")):
        rel = path.relative_to(HERE)
        if EXCLUDED.isdisjoint(rel.parts):
            out.append(rel.as_posix())
    return out


def _selected(session: pytest.Session) -> list[str]:
    """The lit files of the test_lit cases this pytest run selected (after -k and -m)."""
    return [
        item.callspec.params["lit_file"]
        for item in session.items
        if item.originalname == "test_lit" and hasattr(item, "callspec")
    ]


@pytest.fixture(scope="session")
def lit_results(request, tmp_path_factory) -> dict[str, tuple[str, str]]:
    """Runs lit once, in parallel, over the selected files."""
    report = tmp_path_factory.mktemp("lit") / "lit.xml"
    files = _selected(request.session)
    lit = [
        str(Path(sys.executable).parent / "lit"),
        "-q",
        "-j",
        str(os.cpu_count() or 2),
        f"--xunit-xml-output={report}",
        *(str(HERE / f) for f in files),
    ]
    env = dict(os.environ)
    with _fork_server(tmp_path_factory, env):
        run = subprocess.run(lit, capture_output=True, text=True, env=env)
    if not report.exists():
        pytest.fail(f"lit did not run:\n{run.stdout}\n{run.stderr}")
    results = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        # classname: "pypto-mlir.dialect", name: "attrs.mlir"
        suite_dir = (
            case.get("classname").split(".", 1)[1].replace(".", "/")
            if "." in case.get("classname")
            else ""
        )
        rel = f"{suite_dir}/{case.get('name')}" if suite_dir else case.get("name")
        failure = case.find("failure")
        skipped = case.find("skipped")
        if failure is not None:
            results[rel] = ("FAIL", failure.text or "")
        elif skipped is not None:
            results[rel] = ("SKIP", skipped.get("message", ""))
        else:
            results[rel] = ("PASS", "")
    return results


@contextlib.contextmanager
def _fork_server(tmp_path_factory, env: dict[str, str]) -> Iterator[None]:
    """Under PYPTO_FAST_LANE=1 (`make test-fast`): lit's pypto-opt runs are forked from
    one process that has imported it (lit_fork_server.py), which sets PYPTO_OPT_SERVER in
    `env`; otherwise nothing, and lit starts the real pypto-opt."""
    if os.environ.get("PYPTO_FAST_LANE") != "1":
        yield
        return
    path = tmp_path_factory.mktemp("fork") / "pypto-opt.sock"
    try:
        with lit_fork_server.running(path, env) as served:
            env.update(served)
            yield
    except RuntimeError as exc:
        pytest.fail(str(exc))


def _param(lit_file: str):
    slow = Path(lit_file).parts[0] in SLOW_FOLDERS
    return pytest.param(lit_file, marks=[pytest.mark.slow] if slow else [])


@pytest.mark.parametrize("lit_file", [_param(f) for f in _lit_files()])
def test_lit(lit_file, lit_results):
    assert lit_file in lit_results, (
        f"lit did not report {lit_file} (known: {sorted(lit_results)[:5]}...)"
    )
    status, output = lit_results[lit_file]
    assert status == "PASS", f"{lit_file}: {status}\n{output}"
