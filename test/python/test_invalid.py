"""The bad-input corpus (test/invalid/, described in docs/reliability.md): every case runs the
real console script in a subprocess and must fail cleanly:

* exit code exactly 1 (not 0, not 2, not a signal), within TIMEOUT seconds;
* stderr is either one line `pypto-opt: error: ...` / `pypto-run: error: ...`, or MLIR-style
  located diagnostics (the grammar is `check_stderr` below) with exactly one error;
* each expected text of the case (its EXPECT lines) is a substring of one line of stderr;
* no `Traceback`, nothing on stdout, and a short stderr (MAX_STDERR).

The cases run in parallel (2 workers) in one module-scoped fixture and are reported one per
test. The control tests check that the shared inputs are valid, so that a case fails because
of what it is about, not because of its input.
"""

from __future__ import annotations

import collections
import re
import shlex
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

# Every bad input goes through the console scripts as a subprocess: the slow lane.
pytestmark = pytest.mark.slow

try:
    import tomllib  # Python 3.11+
except ModuleNotFoundError:  # Python 3.10: the same parser from PyPI
    import tomli as tomllib

CORPUS = Path(__file__).resolve().parents[1] / "invalid"
BIN = Path(sys.executable).parent
PROGRAMS = ("pypto-opt", "pypto-run")
TIMEOUT = 10.0
# Category (the case name up to its first '-') -> the least number of cases it must hold.
CATEGORIES = {
    "mlir": 15,
    "attr": 20,
    "op": 8,
    "pipeline": 15,
    "cli": 5,
    "run": 20,
    "binary": 6,
    "bytes": 12,
}
MIN_CASES = 60
MAX_STDERR = 16 * 1024  # characters: a report is short, whatever the size of the input


@dataclass(frozen=True)
class Case:
    name: str
    args: str  # command line template (shell words)
    expect: tuple[str, ...]  # each a substring of one stderr line, after substitution
    input: str | None = None  # what %s stands for, relative to CORPUS
    stdin: str | None = None  # file fed to stdin, relative to CORPUS

    @property
    def category(self) -> str:
        return self.name.split("-", 1)[0]


def _header(path: Path) -> dict[str, list[str]]:
    """The `// KEY: value` lines of a case file (read as bytes: some cases are not UTF-8)."""
    found: dict[str, list[str]] = {"RUN-ARGS": [], "EXPECT": []}
    for raw in path.read_bytes().split(b"\n")[:10]:
        line = raw.decode("utf-8", "replace").lstrip("\ufeff")
        m = re.match(r"^// (RUN-ARGS|EXPECT): (.+)$", line)
        if m:
            found[m.group(1)].append(m.group(2))
    if len(found["RUN-ARGS"]) != 1 or not found["EXPECT"]:
        raise ValueError(f"{path.name}: its header needs one RUN-ARGS line and EXPECT lines")
    return found


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CORPUS.glob("*.mlir")):
        h = _header(path)
        cases.append(Case(path.stem, h["RUN-ARGS"][0], tuple(h["EXPECT"]), input=path.name))
    table = tomllib.loads((CORPUS / "cases.toml").read_text(encoding="utf-8"))
    for name, entry in table.items():
        unknown = set(entry) - {"args", "expect", "input", "stdin"}
        if unknown:
            raise ValueError(f"cases.toml [{name}]: unknown keys {sorted(unknown)}")
        expect = entry["expect"]
        expect = (expect,) if isinstance(expect, str) else tuple(expect)
        cases.append(Case(name, entry["args"], expect, entry.get("input"), entry.get("stdin")))
    names = [c.name for c in cases]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"cases defined twice: {sorted(duplicates)}")
    return cases


CASES = load_cases()

# -- running a case ------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%npy\(([<>=]?[a-z0-9]+):([0-9x]*)\)|%npz|%huge-line|%s|%t")


def _huge_line(path: Path) -> None:
    """One line of about 4 MB: a valid function body, then a use of an undefined value."""
    ops = " ".join(f"%v{i} = arith.constant {i} : index" for i in range(110_000))
    path.write_text("func.func @f() -> index { " + ops + " return %undefined : index }")


def _expand(token: str, case: Case, tmp: Path) -> str:
    def one(m: re.Match[str]) -> str:
        text = m.group(0)
        if text == "%s":
            if case.input is None:
                raise ValueError(f"{case.name}: %s used without an input")
            return case.input
        if text == "%t":
            return str(tmp)
        if text == "%npz":
            path = tmp / "arrays.npz"
            np.savez(path, a=np.zeros(4, np.float32))
            return str(path)
        if text == "%huge-line":
            path = tmp / "huge-line.mlir"
            _huge_line(path)
            return str(path)
        dtype, shape = m.group(1), m.group(2)
        dims = tuple(int(d) for d in shape.split("x")) if shape else ()
        path = tmp / f"zeros-{len(list(tmp.iterdir()))}.npy"
        np.save(path, np.zeros(dims, dtype=np.dtype(dtype)))
        return str(path)

    return _PLACEHOLDER.sub(one, token)


@dataclass
class Outcome:
    argv: list[str]
    expect: list[str]
    returncode: int | None  # None: timed out
    stdout: str
    stderr: str
    seconds: float


def run_case(case: Case, tmp: Path) -> Outcome:
    words = shlex.split(case.args)
    if words[0] not in PROGRAMS:
        raise ValueError(f"{case.name}: the command must start with one of {PROGRAMS}")
    argv = [str(BIN / words[0])] + [_expand(w, case, tmp) for w in words[1:]]
    expect = [e.replace("%t", str(tmp)).replace("%s", case.input or "%s") for e in case.expect]
    stdin = (CORPUS / case.stdin).read_bytes() if case.stdin else b""
    start = time.monotonic()
    try:
        proc = subprocess.run(argv, input=stdin, capture_output=True, cwd=CORPUS, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        return Outcome(argv, expect, None, _text(exc.stdout), _text(exc.stderr), TIMEOUT)
    return Outcome(
        argv,
        expect,
        proc.returncode,
        _text(proc.stdout),
        _text(proc.stderr),
        time.monotonic() - start,
    )


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", "replace")


@pytest.fixture(scope="module")
def outcomes(request, tmp_path_factory) -> dict[str, Outcome]:
    """Runs the selected cases (all of them, unless -k chose some), two at a time."""
    selected = [
        item.callspec.params["case"]
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_case" and item.module.__name__ == __name__
    ]

    # The directories are made here, in one thread: pytest makes its base temp directory lazily
    # and not thread-safely, so two threads' first mktemp can race on it.
    work = [(case, tmp_path_factory.mktemp(case.name)) for case in selected]

    def one(job: tuple[Case, Path]) -> tuple[str, Outcome]:
        case, tmp = job
        return case.name, run_case(case, tmp)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, work))


# -- what stderr may look like -------------------------------------------------------------------

ONE_LINE = re.compile(r"^(pypto-opt|pypto-run): error: \S.*$")
HEADER = re.compile(r"^(?P<file>\S.*?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|note): \S.*$")
CARET = re.compile(r"^ *\^$")
OP_DUMP = "see current operation:"


def check_stderr(prog: str, stderr: str, source: dict[str, list[str]]) -> str | None:
    """Why `stderr` is not a well-formed failure report of `prog`, or None. Accepted:

    * one line `prog: error: MESSAGE`; or
    * located diagnostics as MLIR prints them: blocks of
        `FILE:LINE:COL: error|note: MESSAGE`
        optionally followed by the source line and a caret line (`^` under column COL; the
        source line must be line LINE of FILE when FILE is the input),
      where the first block is the only error; a `note: see current operation:` header may be
      followed by the operation's text (MLIR's operation dump) up to the next header.

    `source` maps the input's display name to its lines.
    """
    lines = stderr.split("\n")
    if lines[-1] == "":
        lines.pop()
    if not lines:
        return "stderr is empty"
    if ONE_LINE.match(lines[0]):
        if not lines[0].startswith(prog + ":"):
            return f"the error is signed by another program than {prog}"
        return None if len(lines) == 1 else "a 'prog: error:' message must be one line"
    errors, i = 0, 0
    while i < len(lines):
        m = HEADER.match(lines[i])
        if m is None:
            return f"line {i + 1} is not a diagnostic header: {lines[i][:200]!r}"
        if i == 0 and m["sev"] != "error":
            return "the first diagnostic is not an error"
        errors += m["sev"] == "error"
        i += 1
        if m["sev"] == "note" and OP_DUMP in lines[i - 1]:
            while i < len(lines) and not HEADER.match(lines[i]):
                i += 1
        elif i + 1 < len(lines) and CARET.match(lines[i + 1]) and not HEADER.match(lines[i]):
            shown, caret = lines[i], lines[i + 1]
            if len(caret) != int(m["col"]) and shown.isascii():
                return f"caret at column {len(caret)}, the diagnostic says {m['col']}"
            known = source.get(m["file"])
            n = int(m["line"])
            if known is not None and (n > len(known) or known[n - 1] != shown):
                return f"the source line shown is not line {n} of {m['file']}"
            i += 2
    if errors != 1:
        return f"{errors} errors reported, expected exactly one"
    return None


def _source_lines(case: Case) -> dict[str, list[str]]:
    name = case.input if case.input is not None else "<stdin>" if case.stdin else None
    data = CORPUS / (case.input or case.stdin or "") if name else None
    if data is None or not data.is_file():
        return {}
    return {name: data.read_bytes().decode("utf-8", "replace").split("\n")}


# -- the tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case, outcomes):
    out = outcomes[case.name]
    where = (
        f"\n$ {shlex.join(out.argv)}\n--- stdout\n{out.stdout[:2000]}"
        f"\n--- stderr\n{out.stderr[:4000]}"
    )
    assert out.returncode is not None, f"did not finish within {TIMEOUT} s{where}"
    assert out.returncode >= 0, f"killed by signal {-out.returncode}{where}"
    assert "Traceback" not in out.stdout + out.stderr, where
    assert out.returncode == 1, f"exit code {out.returncode}, expected 1{where}"
    assert out.seconds < TIMEOUT, where
    assert out.stdout == "", f"a failed run printed on stdout{where}"
    assert len(out.stderr) < MAX_STDERR, f"a report of {len(out.stderr)} characters{where}"
    problem = check_stderr(Path(out.argv[0]).name, out.stderr, _source_lines(case))
    assert problem is None, f"malformed stderr: {problem}{where}"
    for expect in out.expect:
        assert any(expect in line for line in out.stderr.split("\n")), (
            f"expected diagnostic not found: {expect!r}{where}"
        )


def test_corpus_size_and_categories():
    counts = collections.Counter(c.category for c in CASES)
    unknown = set(counts) - set(CATEGORIES)
    assert not unknown, f"cases of unknown categories {sorted(unknown)}: {dict(counts)}"
    short = {k: counts[k] for k, least in CATEGORIES.items() if counts[k] < least}
    assert not short, f"categories with too few cases: {short} (want {CATEGORIES})"
    assert len(CASES) >= MIN_CASES, dict(counts)


def test_reliability_doc_counts_match_the_corpus():
    """docs/reliability.md gives the number of cases per category: keep it true."""
    doc = (CORPUS.parents[1] / "docs" / "reliability.md").read_text(encoding="utf-8")
    table = {m[1]: int(m[2]) for m in re.finditer(r"^\| `(\w+)` \| (\d+) \|", doc, re.M)}
    counts = collections.Counter(c.category for c in CASES)
    assert table == dict(counts), f"docs/reliability.md says {table}, the corpus has {dict(counts)}"
    assert f"holds {len(CASES)} such inputs" in doc


def test_corpus_files_are_all_used():
    """Every file of the corpus is a case or an input of one (no forgotten case file)."""
    used = {c.input for c in CASES} | {c.stdin for c in CASES}
    used |= {w for c in CASES for w in shlex.split(c.args) if (CORPUS / w).is_file()}
    files = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file()}
    assert files - used == {"cases.toml"}, sorted(files - used)


def test_good_input_is_valid():
    proc = subprocess.run(
        [str(BIN / "pypto-opt"), "inputs/good.mlir", "--pl-default"],
        cwd=CORPUS,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    assert "scf.for" in proc.stdout and "pl.chunk " not in proc.stdout


def test_run_input_runs(tmp_path):
    a = tmp_path / "a.npy"
    np.save(a, np.zeros(4, np.float32))
    proc = subprocess.run(
        [
            str(BIN / "pypto-run"),
            "inputs/run.mlir",
            "--entry",
            "f",
            "--arg",
            str(a),
            "--arg",
            "3",
            "--arg",
            "1.5",
            "--arg",
            "1",
            "--arg",
            "-7",
        ],
        cwd=CORPUS,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    assert proc.stdout == "arg0 = [1.5, 1.5, 1.5, 0. ]\n", proc.stdout


# The grammar itself: each rule can fail.
@pytest.mark.parametrize(
    "stderr, problem",
    [
        ("pypto-opt: error: bad\n", None),
        ("pypto-opt: error: bad\nmore\n", "must be one line"),
        ("pypto-run: error: bad\n", "another program"),
        ("", "empty"),
        ("x.mlir:2:3: error: bad\n  ab\n  ^\n", None),
        ("x.mlir:2:3: error: bad\n  ab\n   ^\n", "caret at column 4"),
        ("x.mlir:2:1: error: bad\n  zz\n^\n", "not line 2"),
        (
            "x.mlir:2:3: error: bad\nx.mlir:2:3: note: see current operation: \n"
            '"a.b"() ({\n}) : () -> ()\n',
            None,
        ),
        ("x.mlir:2:3: error: a\nx.mlir:2:3: error: b\n", "2 errors"),
        ("x.mlir:2:3: note: a\n", "first diagnostic is not an error"),
        ("x.mlir:2:3: error: a\nTraceback (most recent call last):\n", "not a diagnostic header"),
    ],
)
def test_stderr_grammar(stderr, problem):
    found = check_stderr("pypto-opt", stderr, {"x.mlir": ["", "  ab"]})
    if problem is None:
        assert found is None, found
    else:
        assert found is not None and problem in found, found
