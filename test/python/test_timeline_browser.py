"""`--timeline`: the page in a real headless chromium (Debian's package; .ci/run installs it).
The page must load without console errors, reference nothing outside itself, and draw one box
per task, one per host node, the three models' makespans, fault markers, race and benign-overlap
markers on every task in conflict, and a selected task's dependencies; a screenshot is taken.
Skipped only where chromium is not installed, never under CI=true."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from mlir import ir

from pypto_mlir.dialect.context import make_context
from pypto_mlir.examples import kernels as K
from pypto_mlir.lowering.emu import compile_emu
from pypto_mlir.lowering.emu.timeline import render
from pypto_mlir.passes import build_pass_manager

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("chromium is missing under CI: .ci/run installs it (apt-get)")
    pytestmark = [pytest.mark.slow, pytest.mark.skip(reason="chromium is not installed")]


def _chromium(page: Path, *flags: str, fragment: str = "") -> tuple[str, str]:
    """Runs headless chromium (as root: --no-sandbox) on `page`; (stdout, console lines)."""
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            *flags,
            page.as_uri() + fragment,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console


# What a self-contained page must not hold: a URL with a scheme that fetches, a
# protocol-relative one (`//cdn.example.com/...`), an attribute or CSS url() naming another file
# (anything but data: and in-page `#` links), an @import, a script API that fetches.
_EXTERNAL = re.compile(
    r"""\b(?:https?|wss?|ftp):"""
    r"""|(?<![\w:/])//[\w-]+(?:\.[\w-]+)+"""
    r"""|\b(?:src|href|action|poster)\s*=\s*["']?(?!data:|#)[^\s"'>]"""
    r"""|url\(\s*["']?(?!data:|#)"""
    r"""|@import|\bfetch\(|XMLHttpRequest|\bnew\s+(?:WebSocket|EventSource)\b""",
    re.I,
)


def _external_references(page: str) -> list[str]:
    return [m.group(0) for m in _EXTERNAL.finditer(page)]


def _write_page(report, path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        report.write_timeline(f)
    # no network, whatever part of the page would ask for it
    assert _external_references(path.read_text(encoding="utf-8")) == []
    return path


def _run_file(name: str, entry: str, *args):
    ctx = make_context()
    module = ir.Module.parseFile(str(ROOT / name), ctx)
    build_pass_manager("builtin.module(pl-accelerator)", ctx).run(module.operation)
    program = compile_emu(module, entries=[entry], check_races=True)
    _, report = program.run(entry, *args)
    return report


def _decode_attention_report():
    kernel = K.KERNELS["decode_attention"]
    variant = K.Variant("guarded", "builtin.module(pl-default{policy=guarded})")
    program = compile_emu(K.prepare(kernel, variant), entries=[kernel.entry])
    args = kernel.make_args(np.random.default_rng(0))
    _, report = program.run(kernel.entry, *kernel.fresh(args))
    return report


def test_timeline_page_in_chromium(tmp_path):
    report = _decode_attention_report()
    page = _write_page(report, tmp_path / "timeline.html")
    dom, console = _chromium(page, "--dump-dom")
    assert console == []
    assert len(re.findall(r'class="task[ "]', dom)) == report.tasks == 16
    hosts = int((report.graph.nodes.task < 0).sum())
    assert hosts > 0 and len(re.findall(r'class="host[ "]', dom)) == hosts
    models = re.findall(r'data-model="(\w+)">(\w+): (\d+) cycles', dom)
    assert [(m, int(c)) for m, _, c in models] == [
        (m, round(v)) for m, v in report.makespans().items()
    ]
    assert 'class="model chosen" data-model="regions"' in dom
    # guarded chunks of fewer than 64 blocks (3 of the 4 sequences, 4 heads): masked share shaded
    assert len(re.findall(r'class="masked"', dom)) == 12
    shot = tmp_path / "timeline.png"
    _chromium(page, f"--screenshot={shot}", "--window-size=1400,900", "--hide-scrollbars")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_timeline_selection_and_faults(tmp_path):
    x = np.arange(1000, dtype=np.float32)
    y = np.ones(1000, dtype=np.float32)
    report = _run_file("examples/unclamped_tail.mlir", "axpy_chunks", x, y, 1000, np.float32(2.0))
    assert not report.ok  # the last chunk runs past the end
    page = _write_page(report, tmp_path / "faults.html")
    dom, console = _chromium(page, "--dump-dom", fragment="#task=15")
    assert console == []
    assert len(re.findall(r'class="task[ "]', dom)) == report.tasks == 16
    assert len(re.findall(r'class="task fault[ "]', dom)) == 1  # task 15 only
    # task 15 selected: its box outlined, the panel says what it waits for
    assert re.search(r'class="task fault selected"[^>]*data-task="15"', dom)
    info = re.search(r'<div id="info">(.*?)</div>', dom, re.S).group(1)
    assert info.startswith("axpy_chunk, task 15")
    assert "waits for: " in info and "waited for by: " in info


def _flagged(dom: str, mark: str) -> list[int]:
    """The sequence numbers of the task boxes with class `mark`."""
    boxes = re.findall(r'<div class="task ([^"]*)"[^>]*data-task="(\d+)"', dom)
    return sorted(int(n) for classes, n in boxes if mark in classes.split())


def _racing_tasks(report, benign: bool) -> set[int]:
    return {n for r in report.run.races for *pair, b in r.pairs if b == benign for n in pair}


@pytest.fixture(scope="module")
def smear():
    """test/emu/run-emu-races.mlir's @smear: tasks 0-3 of one launch write each other's boundary
    element, at one pair of sites."""
    x, y = np.arange(16, dtype=np.float32), np.zeros(17, np.float32)
    return _run_file("test/emu/run-emu-races.mlir", "smear", x, y, 16)


def test_timeline_marks_every_racing_task(tmp_path, smear):
    """All four tasks of @smear are marked, not only those of the first pair."""
    report = smear
    assert not report.ok and len(report.run.races) == 1
    dom, console = _chromium(_write_page(report, tmp_path / "races.html"), "--dump-dom")
    assert console == []
    assert len(re.findall(r'class="task[ "]', dom)) == report.tasks == 4
    assert _flagged(dom, "race") == sorted(_racing_tasks(report, benign=False)) == [0, 1, 2, 3]
    assert _flagged(dom, "benign") == []
    assert len(re.findall(r'<span class="mark">R</span>', dom)) == 4


def test_timeline_tells_benign_overlaps_from_races(tmp_path):
    """test/emu/run-emu-benign-overlap.mlir's @different_value: every task writes its x[i] into
    y[0]. Task 1 leaves the 5.0 task 0 left (benign), task 2 leaves 7.0 (a race with task 1):
    one pair of sites, tasks 1 and 2 marked as racing, task 0 as a benign overlap only."""
    x, y = np.array([5.0] * 8 + [7.0] * 4, np.float32), np.zeros(12, np.float32)
    report = _run_file("test/emu/run-emu-benign-overlap.mlir", "different_value", x, y, 12)
    assert not report.ok and len(report.run.races) == 1
    dom, console = _chromium(_write_page(report, tmp_path / "mixed.html"), "--dump-dom")
    assert console == []
    assert _flagged(dom, "race") == sorted(_racing_tasks(report, benign=False)) == [1, 2]
    assert _flagged(dom, "benign") == [0]
    assert re.search(r'title="[^"]*task 0:[^"]*benign overlap"', dom)


@pytest.mark.parametrize(
    "injected",
    [
        '<script src="https://cdn.example.com/d3.js"></script>',
        '<script src="//cdn.example.com/d3.js"></script>',
        '<img src="logo.png">',
        '<link rel="stylesheet" href="style.css">',
        "<style>body { background: url(bg.png); }</style>",
        "<style>@import 'theme.css';</style>",
        "<script>fetch('data.json');</script>",
    ],
)
def test_no_network_check_finds_references(injected, smear):
    """The check above, on a page with one external reference added (at the end of the body,
    after the page's own script, where a check of the head alone would miss it)."""
    page = render(smear)
    assert _external_references(page) == []
    assert _external_references(page.replace("</body>", injected + "</body>")) != []
