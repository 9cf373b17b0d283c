"""Code growth: every pass's output stays within its documented bound (passes/size_bounds.py),
and the 60-level nest that used to grow without bound under leading_full finishes in under 1 GB
and prints under 20 MB (its time is measured by bench/growth.py, not asserted here)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from mlir import ir

from pypto_mlir.dialect.context import make_context
from pypto_mlir.dialect.ir_queries import walk_ops
from pypto_mlir.passes import build_pass_manager
from pypto_mlir.passes.size_bounds import Size, bound

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


def _load_bench(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The benchmark's generator (bench/growth.py): the tests and the figures of docs/policies.md
# ("Code growth") use the same nest.
nest = _load_bench("growth").nest


def _run_alone(text: str, before: str, name: str, options: str = "") -> tuple[Size, Size]:
    ctx = make_context()
    module = ir.Module.parse(text, ctx)
    if before:
        build_pass_manager(f"builtin.module({before})", ctx).run(module.operation)
    size_in = Size.of(module.operation)
    build_pass_manager(f"builtin.module({name}{options})", ctx).run(module.operation)
    return size_in, Size.of(module.operation)


def _stores(text: str, options: str) -> tuple[Size, Size, int]:
    ctx = make_context()
    module = ir.Module.parse(text, ctx)
    size_in = Size.of(module.operation)
    build_pass_manager(f"builtin.module(pl-split-chunked-loops{options})", ctx).run(
        module.operation
    )
    stores = len(walk_ops(module.operation, "memref.store"))
    return size_in, Size.of(module.operation), stores


@pytest.mark.parametrize("dynamic", [False, True], ids=["static", "dynamic"])
@pytest.mark.parametrize("policy", ["guarded", "leading_full", "clamped", "shift_inwards", "auto"])
@pytest.mark.parametrize("limit", [0, 2, 4])
def test_split_stays_within_its_bound(policy, dynamic, limit):
    per_loop = policy if policy == "shift_inwards" else None  # not a pass option
    option_policy = "guarded" if per_loop else policy
    copies = policy in ("leading_full", "shift_inwards") and (dynamic or policy == "leading_full")
    copies = copies or (policy == "auto" and not dynamic)  # auto: leading_full for static tails
    for depth in (1, 3, 6):
        text = nest(depth, dynamic, per_loop)
        size_in, size_out, stores = _stores(
            text, f"{{policy={option_policy} max_copy_depth={limit}}}"
        )
        assert size_out.ops <= bound("pl-split-chunked-loops", size_in, limit), (depth, size_out)
        assert stores == 2 ** min(depth, limit if copies else 0)  # copies of the body
        if copies and depth > limit:
            # The limit is what keeps it there: without it every level copies the body.
            _, _, grown = _stores(text, f"{{policy={option_policy} max_copy_depth=99}}")
            assert grown == 2**depth


@pytest.mark.parametrize(
    "before, name",
    [
        ("", "pl-verify"),
        ("", "pl-normalize-int-loops"),
        ("", "pl-check-chunk-bounds{fix=true}"),
        ("pl-split-chunked-loops", "pl-unswitch-guards"),
        ("pl-split-chunked-loops", "pl-normalize-int-loops"),
        ("pl-split-chunked-loops", "pl-interchange-chunk-loops"),
        ("pl-split-chunked-loops", "pl-outline-kernels"),
        ("pl-split-chunked-loops, pl-interchange-chunk-loops", "pl-outline-kernels"),
    ],
)
@pytest.mark.parametrize("dynamic", [False, True], ids=["static", "dynamic"])
def test_linear_passes_stay_within_their_bounds(before, name, dynamic):
    pass_name = name.split("{")[0]
    for depth in (1, 2, 4, 7):
        for parallel in (False, True):
            text = nest(depth, dynamic, parallel=parallel)
            size_in, size_out = _run_alone(text, before, name)
            assert size_out.ops <= bound(pass_name, size_in), (depth, parallel, size_out)


# Runs argv[1:] and prints its peak RSS in bytes on the last line of stderr. The measuring is done
# by this small fresh process, not by pytest: Linux carries the parent's high-water RSS into a
# child forked from it (`ru_maxrss` survives exec), so a child of a 1 GB pytest reads as 1 GB.
_PEAK_RSS = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(proc.pid, 0)
print(usage.ru_maxrss * 1024, file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _measure(args: list[str], out: Path) -> tuple[int, int, bytes]:
    """Peak RSS in bytes, exit code and stderr of one command in its own process."""
    with open(out, "wb") as sink:
        proc = subprocess.run(
            [sys.executable, "-c", _PEAK_RSS, *args], stdout=sink, stderr=subprocess.PIPE
        )
    err, _, rss = proc.stderr.rstrip().rpartition(b"\n")
    return int(rss), proc.returncode, err


@pytest.mark.slow  # a subprocess per policy, about 2 s each on an idle machine
@pytest.mark.parametrize("policy", ["leading_full", "auto"])
def test_sixty_levels_finish_small(tmp_path, policy):
    """Memory, output size and remarks; the time (the issue's 10 s) is bench/growth.py's."""
    src = tmp_path / "deep60.mlir"
    src.write_text(nest(60, dynamic=False))
    assert src.stat().st_size < 4096  # the input: about 3 KB
    out = tmp_path / "out.mlir"
    args = [
        str(BIN / "pypto-opt"),
        str(src),
        "-p",
        f"builtin.module(pl-default{{policy={policy}}})",
    ]
    rss, code, err = _measure(args, out)
    assert code == 0, err.decode()
    assert rss < 1 << 30, rss
    assert out.stat().st_size < 20 << 20, out.stat().st_size
    remarks = err.decode().count("remark: pl.chunk: guarded instead of leading_full")
    # leading_full: the 56 levels past the limit say why they are guarded; auto only on request.
    assert remarks == (56 if policy == "leading_full" else 0), err.decode()[:2000]
