"""The real-kernel corpus (corpus/README.md): pypto-lib kernels in both forms, checks 1-4 of
issue 12. Every run is in process; each (kernel, shape, form, policy) is compiled and run once
(corpus_harness.outcome caches it) and shared by the checks below and by the table test.

1. Form (a) (`pl.chunk`), under every policy, on the CPU and the emulator: the outputs match
   the numpy reference, the two targets agree bit for bit, the emulator's kernel/task/masked
   counts equal the formula of corpus_kernels.py, and no store is left in host code.
2. Form (b) (explicit chunk loops, unclamped) with a tail: the lint warns once at each
   unclamped loop (tagged `// unclamped` in the file) with one note at its chunk loop and says
   nothing else (a loop tagged `// unclamped (one step)` runs one iteration, in range: no
   warning); the emulator reports faults inside those loops and pypto-run exits 1; after
   `pl-check-chunk-bounds{fix=true}` the lint is silent, and both targets run clean and right.
3. Form (b) with shapes that divide: the lint is silent (it warns where the bound is known only
   at run time), the emulator runs clean and the outputs match.
4. Kernels whose own tile overruns the rows (step = tile height, chunk 1): the emulator reports
   it under every policy; the lint, which is about chunk loops, does not see it.

A check that fails today because another engineer's fix is pending is marked
`xfail(strict=True)` with the fix named (PENDING): it turns red the day the fix lands.
"""

from __future__ import annotations

import re
from pathlib import Path

import corpus_harness as harness  # corpus/ is on pytest's pythonpath (pyproject.toml)
import corpus_kernels as ck
import make_table
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]

# The checks that compile and run kernels are in the slow lane (`make test`): each outcome JITs
# a kernel for both targets, 0.5-1.5 s of CPU apiece, about 80 s for the small shapes alone.
# The lint checks (a parse and one pass each) and the formula stay in `make test-fast`.
RUNS = pytest.mark.slow

# (check, kernel, shape, policy or variant) -> the pending fix of another part it waits for.
# Empty: the lint rewrite and the contract's outlining fix have landed.
PENDING: dict[tuple[str, ...], str] = {}


def _params(check: str, keys: list[tuple[str, ...]]) -> list[pytest.ParameterSet]:
    out = []
    for key in keys:
        reason = PENDING.get((check, *key))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(*key, marks=marks, id="-".join(key)))
    return out


def _chunk_shapes(kernel: ck.CorpusKernel) -> list[str]:
    return [s for s in kernel.shapes if s != "overrun"]


def _policies(kernel: ck.CorpusKernel) -> list[str]:
    return [p for p in ck.POLICIES if p != "shift_inwards" or kernel.shift_legal]


AUTO = [
    (k, s, p)
    for k, kernel in ck.KERNELS.items()
    for s in _chunk_shapes(kernel)
    for p in _policies(kernel)
]
# Form (b) with a partial last chunk (or, for the row-tile kernels, a tile past the rows).
TAILS = [(k, s) for k, kernel in ck.KERNELS.items() for s in kernel.shapes if s != "divisible"]
CHUNK_TAILS = [(k, s) for k, s in TAILS if s == "tail"]
OVERRUNS = [(k, "overrun") for k, kernel in ck.KERNELS.items() if "overrun" in kernel.shapes]


def _matches_everywhere(kernel: ck.CorpusKernel, o: harness.Outcome) -> None:
    assert o.ok, f"emulator faults at lines {o.fault_lines}"
    assert harness.matches(kernel, o.emu, o.expected)
    assert o.cpu is not None and harness.same_bits(o.cpu, o.emu)


# -- 1. form (a) ----------------------------------------------------------------------------------


@RUNS
@pytest.mark.parametrize("name,shape,policy", _params("results", AUTO))
def test_auto_form_matches_numpy_on_both_targets(name, shape, policy):
    _matches_everywhere(ck.KERNELS[name], harness.outcome(name, shape, "auto", policy))


@RUNS
@pytest.mark.parametrize("name,shape,policy", _params("counts", AUTO))
def test_auto_form_counts_follow_the_formula(name, shape, policy):
    kernel = ck.KERNELS[name]
    got = harness.outcome(name, shape, "auto", policy).counts
    assert got == kernel.counts(kernel.shapes[shape], policy)


@RUNS
@pytest.mark.parametrize("name,shape,policy", _params("host", AUTO))
def test_auto_form_leaves_no_store_in_host_code(name, shape, policy):
    assert harness.outcome(name, shape, "auto", policy).host_stores == 0


def test_formula_counts_partial_chunks():
    """The formula itself, on hand-checked cases: 200 rows in chunks of 128 (hello_world)."""
    loop = ck.ChunkLoop(200, 128)
    assert loop.counts("guarded") == ck.Counts(1, 2, 56)
    assert loop.counts("leading_full") == ck.Counts(2, 2, 0)
    assert loop.counts("clamped") == ck.Counts(1, 2, 0)
    assert ck.ChunkLoop(3, 4, static=False).counts("shift_inwards") == ck.Counts(1, 1, 1)
    assert ck.ChunkLoop(8, 4, static=False).counts("leading_full") == ck.Counts(2, 3, 0)


# -- 2. form (b) with a tail ----------------------------------------------------------------------


def _expected_findings(kernel: ck.CorpusKernel) -> list[tuple[int, int]]:
    """(line of each `// unclamped` loop, line of the chunk loop whose IV is its lower bound)."""
    lines = kernel.path.read_text(encoding="utf-8").split("\n")
    out = []
    for line in kernel.tagged_lines("unclamped"):
        lower = re.search(r"= (%\w+) to", lines[line - 1]).group(1)
        outer = max(
            i + 1
            for i in range(line - 1)
            if re.match(rf"\s*scf\.for {re.escape(lower)} = ", lines[i])
        )
        out.append((line, outer))
    return sorted(out)


def _findings(parsed: harness.Parsed) -> list[tuple[str, int, list[tuple[str, int]]]]:
    return sorted(
        (d.severity, d.line, [(n.severity, n.line) for n in d.notes]) for d in parsed.diagnostics
    )


def _assert_lint_warns_at_tags(kernel: ck.CorpusKernel, shape: str) -> None:
    got = _findings(harness.lint(kernel, kernel.shapes[shape]))
    want = [("warning", inner, [("note", outer)]) for inner, outer in _expected_findings(kernel)]
    assert got == want


@pytest.mark.parametrize("name,shape", _params("lint", TAILS))
def test_explicit_tail_lint_warns_once_per_unclamped_loop(name, shape):
    _assert_lint_warns_at_tags(ck.KERNELS[name], shape)


def _body_lines(kernel: ck.CorpusKernel) -> set[int]:
    """Lines inside the unclamped loops (up to each one's closing brace)."""
    lines = kernel.path.read_text(encoding="utf-8").split("\n")
    inside: set[int] = set()
    for line in kernel.tagged_lines("unclamped") + kernel.tagged_lines("unclamped (one step)"):
        indent = len(lines[line - 1]) - len(lines[line - 1].lstrip())
        end = next(j for j in range(line, len(lines)) if lines[j].startswith(" " * indent + "}"))
        inside.update(range(line + 1, end + 1))
    return inside


@RUNS
@pytest.mark.parametrize("name,shape", _params("faults", TAILS))
def test_explicit_tail_faults_inside_the_unclamped_loops(name, shape):
    kernel = ck.KERNELS[name]
    o = harness.outcome(name, shape, "explicit", "as written")
    assert not o.ok and o.fault_lines
    assert set(o.fault_lines) <= _body_lines(kernel)


@RUNS
@pytest.mark.parametrize("name,shape", _params("fix", CHUNK_TAILS))
def test_explicit_tail_after_fix_is_clean_and_right(name, shape):
    kernel = ck.KERNELS[name]
    fixed = harness.lint(kernel, kernel.shapes[shape], fix=True)
    fixed.diagnostics.clear()
    harness.run_pipeline(fixed, harness.LINT)
    assert _findings(fixed) == []
    _matches_everywhere(kernel, harness.outcome(name, shape, "explicit", "fix=true"))


def test_pypto_run_reports_the_tail_and_exits_1(tmp_path, capsys):
    """The command line: the rendered kernel on .npy files, `--target emu`, exit code 1, one
    error per faulting site at its line."""
    from pypto_mlir.tools.run import main

    kernel = ck.KERNELS["rope"]
    shape = kernel.shapes["tail"]
    src = tmp_path / kernel.file
    src.write_text(kernel.render(shape), encoding="utf-8")
    argv = [str(src), "--target", "emu", "--entry", kernel.explicit]
    for i, a in enumerate(kernel.make_args(np.random.default_rng(harness.SEED), shape)):
        np.save(tmp_path / f"a{i}.npy", a)
        argv += ["--arg", str(tmp_path / f"a{i}.npy")]
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 1
    errors = [
        line for line in capsys.readouterr().err.split("\n") if ": error: out-of-bounds" in line
    ]
    expected = harness.outcome("rope", "tail", "explicit", "as written").fault_lines
    assert sorted(int(e.split(":")[1]) for e in errors) == expected


# -- 3. form (b) with shapes that divide ----------------------------------------------------------

DIVISIBLE = [(k, "divisible") for k in ck.KERNELS]


@pytest.mark.parametrize("name,shape", _params("lint-divisible", DIVISIBLE))
def test_explicit_divisible_lint(name, shape):
    """Silent where the bounds are constants that divide; where a bound is known only at run
    time (ctx_blocks), the lint warns at every unclamped loop whatever the data."""
    kernel = ck.KERNELS[name]
    if kernel.dynamic_bound:
        _assert_lint_warns_at_tags(kernel, shape)
    else:
        assert _findings(harness.lint(kernel, kernel.shapes[shape])) == []


@RUNS
@pytest.mark.parametrize("name,shape", _params("divisible", DIVISIBLE))
def test_explicit_divisible_runs_clean_and_right(name, shape):
    _matches_everywhere(ck.KERNELS[name], harness.outcome(name, shape, "explicit", "as written"))


# -- 4. a source kernel that overruns by itself ---------------------------------------------------


def _function_lines(kernel: ck.CorpusKernel, entry: str) -> range:
    lines = kernel.path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if f"func.func @{entry}(" in line)
    end = next(i for i in range(start, len(lines)) if lines[i] == "}")
    return range(start + 1, end + 2)


@RUNS
@pytest.mark.parametrize(
    "name,shape,policy",
    _params("overrun", [(k, s, p) for k, s in OVERRUNS for p in _policies(ck.KERNELS[k])]),
)
def test_source_tile_overruns_under_every_policy(name, shape, policy):
    kernel = ck.KERNELS[name]
    o = harness.outcome(name, shape, "auto", policy)
    assert not o.ok and o.fault_lines
    assert set(o.fault_lines) <= set(_function_lines(kernel, kernel.auto))


@RUNS
@pytest.mark.parametrize("name,shape", _params("overrun-fixed", OVERRUNS))
def test_source_tile_overrun_is_beyond_the_lint(name, shape):
    """The chunk loop's one iteration is in range, so the lint is silent (test above) and its
    fix changes nothing: the last tile still runs past the rows."""
    kernel = ck.KERNELS[name]
    o = harness.outcome(name, shape, "explicit", "fix=true")
    assert not o.ok and set(o.fault_lines) <= _body_lines(kernel)


# -- the table of docs/kernels.md -----------------------------------------------------------------


@RUNS
def test_docs_table_is_current():
    """docs/kernels.md holds the table corpus/make_table.py generates from these runs."""
    text = (ROOT / "docs" / "kernels.md").read_text(encoding="utf-8")
    assert make_table.section() in text, "run: .venv/bin/python corpus/make_table.py --write"


# -- the slow lane: larger shapes (left out by make test-fast) -------------------------------------

LARGE = [
    (k, p)
    for k, kernel in ck.KERNELS.items()
    if kernel.large is not None
    for p in ("guarded+unswitch", "leading_full", "auto")
]


@pytest.mark.slow
@pytest.mark.parametrize("name,policy", LARGE)
def test_auto_form_at_large_shapes(name, policy):
    kernel = ck.KERNELS[name]
    shape = kernel.large
    parsed = harness.compiled(kernel, shape, kernel.auto, policy)
    args = kernel.make_args(np.random.default_rng(harness.SEED), shape)
    expected = kernel.reference(args, shape)
    emu = harness.call(kernel, parsed.module, kernel.auto, "emu", args)
    cpu = harness.call(kernel, parsed.module, kernel.auto, "cpu", args)
    assert emu.report.ok and harness.matches(kernel, emu.outputs, expected)
    assert harness.same_bits(cpu.outputs, emu.outputs)
    assert harness.counts(emu.report) == kernel.counts(shape, policy)
