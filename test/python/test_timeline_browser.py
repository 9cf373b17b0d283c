"""`--timeline`: the page in a real headless chromium (Debian's package; .ci/run installs it).
The page must load without console errors and draw one box per task, one per host node, the
three models' makespans, fault markers and a selected task's dependencies; a screenshot is taken.
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


def _decode_attention_report():
    kernel = K.KERNELS["decode_attention"]
    variant = K.Variant("guarded", "builtin.module(pl-default{policy=guarded})")
    program = compile_emu(K.prepare(kernel, variant), entries=[kernel.entry])
    args = kernel.make_args(np.random.default_rng(0))
    _, report = program.run(kernel.entry, *kernel.fresh(args))
    return report


def test_timeline_page_in_chromium(tmp_path):
    report = _decode_attention_report()
    page = tmp_path / "timeline.html"
    with open(page, "w", encoding="utf-8") as f:
        report.write_timeline(f)
    assert "http" not in page.read_text().split("<script")[0]  # no network: nothing to fetch
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
    ctx = make_context()
    module = ir.Module.parseFile(str(ROOT / "examples" / "unclamped_tail.mlir"), ctx)
    build_pass_manager("builtin.module(pl-accelerator)", ctx).run(module.operation)
    program = compile_emu(module, entries=["axpy_chunks"])
    x = np.arange(1000, dtype=np.float32)
    y = np.ones(1000, dtype=np.float32)
    _, report = program.run("axpy_chunks", x, y, 1000, np.float32(2.0))
    assert not report.ok  # the last chunk runs past the end
    page = tmp_path / "faults.html"
    with open(page, "w", encoding="utf-8") as f:
        report.write_timeline(f)
    dom, console = _chromium(page, "--dump-dom", fragment="#task=15")
    assert console == []
    assert len(re.findall(r'class="task[ "]', dom)) == report.tasks == 16
    assert len(re.findall(r'class="task fault[ "]', dom)) == 1  # task 15 only
    # task 15 selected: its box outlined, the panel says what it waits for
    assert re.search(r'class="task fault selected"[^>]*data-task="15"', dom)
    info = re.search(r'<div id="info">(.*?)</div>', dom, re.S).group(1)
    assert info.startswith("axpy_chunk, task 15")
    assert "waits for: " in info and "waited for by: " in info
