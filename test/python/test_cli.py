"""pypto-opt's command line, end to end (subprocess): every user error exits 1 with one
`pypto-opt: error: ...` or `file:line:col: error: ...` line and never a traceback; clean input
prints nothing on stderr."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from store_loop import store_loop

OPT = str(Path(sys.executable).parent / "pypto-opt")

# The slow lane: a pypto-opt process per case (0.2-0.5 s of CPU each, about 10 s in all).
pytestmark = pytest.mark.slow

GOOD = store_loop()

LOCATED = re.compile(r"^\S+:\d+:\d+: error: \S")
PLAIN = re.compile(r"^pypto-opt: error: \S")


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None):
    return subprocess.run([OPT, *args], input=stdin, capture_output=True, cwd=cwd, timeout=60)


@pytest.fixture
def good(tmp_path) -> Path:
    path = tmp_path / "good.mlir"
    path.write_text(GOOD)
    return path


def assert_user_error(proc, pattern: str, located: bool = False) -> str:
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1, (proc.returncode, err)
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    first = err.splitlines()[0] if err else ""
    assert (LOCATED if located else PLAIN).match(first), err
    assert re.search(pattern, first), (pattern, err)
    if not located:
        assert len(err.splitlines()) == 1, err  # one line
    else:  # the message, then the source line and a caret as mlir-opt prints them
        errors = [line for line in err.splitlines() if " error: " in line]
        assert len(errors) == 1, err
    assert proc.stdout == b"", proc.stdout
    return err


# -- clean runs --------------------------------------------------------------------------------


def test_clean_input_prints_nothing_on_stderr(good):
    proc = run(str(good))
    assert proc.returncode == 0 and proc.stderr == b""
    assert b"pl.chunk = 4 : i64" in proc.stdout


def test_stdin_and_output_file(good, tmp_path):
    proc = run("-", stdin=GOOD.encode())
    assert proc.returncode == 0 and proc.stderr == b""
    assert proc.stdout == run(str(good)).stdout
    out = tmp_path / "out.mlir"
    proc = run(str(good), "-o", str(out), "--pl-split-chunked-loops")
    assert proc.returncode == 0 and proc.stdout == b"" and proc.stderr == b""
    assert 'pl.loop_origin = "chunk_outer"' in out.read_text()
    # Its output parses again.
    assert run(str(out)).returncode == 0


def test_stdin_diagnostics_are_named_stdin():
    proc = run("-", stdin=b"func.func @f() {\n  retur\n}\n")
    assert_user_error(proc, r"^<stdin>:2:3: error: custom op 'retur' is unknown", located=True)


def test_unknown_flag_before_the_input_is_not_taken_for_it(good):
    # `--canonicalize` is a pass flag; the file after it is still the input.
    proc = run("--canonicalize", str(good))
    assert proc.returncode == 0 and proc.stderr == b""
    # No abbreviations: --print-ir is the upstream pass, not --print-irdl-path.
    proc = run("--print-ir", str(good))
    assert proc.returncode == 0 and b"IR Dump" in proc.stderr and b"module" in proc.stdout


def test_closed_output_pipe(tmp_path):
    big = tmp_path / "big.mlir"
    body = "".join(f"  %c{i} = arith.constant {i} : index\n" for i in range(30000))
    big.write_text("func.func @f() {\n" + body + "  return\n}\n")
    proc = subprocess.Popen([OPT, str(big)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and "Exception" not in err, err
    assert proc.returncode in (0, 1), proc.returncode  # not a crash


@pytest.mark.parametrize("where", ["-o", "stdout"])
def test_a_full_disk_is_a_user_error(good, where):
    args = [str(good), "-o", "/dev/full"] if where == "-o" else [str(good)]
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [OPT, *args], stdout=None if where == "-o" else full, stderr=subprocess.PIPE, timeout=60
        )
    assert proc.returncode == 1
    assert (
        proc.stderr.decode()
        == "pypto-opt: error: cannot write the output: No space left on device\n"
    )


def test_closed_stdout_is_a_user_error(good):
    proc = subprocess.run(
        ["bash", "-c", f"'{OPT}' '{good}' >&-"], stderr=subprocess.PIPE, timeout=60
    )
    assert proc.returncode == 1
    assert proc.stderr.decode() == "pypto-opt: error: the standard output is closed\n"


def test_deeply_nested_input_does_not_overflow_the_stack(tmp_path):
    # 4,000 nested loops overflow an 8 MB stack in MLIR's recursive parser and printer (mlir-opt
    # dies of SIGSEGV); the tools run on a larger one.
    depth = 4000
    lines = [
        "func.func @deep(%n: index) {",
        "%c0 = arith.constant 0 : index",
        "%c1 = arith.constant 1 : index",
    ]
    lines += [f"scf.for %i{d} = %c0 to %n step %c1 {{" for d in range(depth)]
    lines += ["}"] * depth + ["return", "}"]
    deep = tmp_path / "deep.mlir"
    deep.write_text("\n".join(lines) + "\n")
    proc = run(str(deep), "-o", str(tmp_path / "out.mlir"))
    assert proc.returncode == 0, proc.stderr.decode()[-500:]
    assert (tmp_path / "out.mlir").read_text().count("scf.for") == depth


def test_a_failed_run_leaves_no_output_file(tmp_path):
    bad = tmp_path / "bad.mlir"
    bad.write_text(GOOD.replace("pl.chunk = 4", "pl.chunk = 0"))
    out = tmp_path / "out.mlir"
    run(str(bad), "-o", str(out))
    assert not out.exists()


# -- input errors ------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    assert_user_error(run(str(tmp_path / "nope.mlir")), r"could not open input file .*nope\.mlir")


def test_directory(tmp_path):
    assert_user_error(run(str(tmp_path)), r"could not open input file .*is a directory")


def test_unparsable_input(tmp_path):
    path = tmp_path / "bad.mlir"
    path.write_text("func.func @f() {\n  %x = arith.bogus\n  return\n}\n")
    err = assert_user_error(
        run(str(path)), r"bad\.mlir:2:8: error: custom op 'arith.bogus'", located=True
    )
    assert err.splitlines()[1:] == ["  %x = arith.bogus", "       ^"]


def test_binary_input(tmp_path):
    path = tmp_path / "bin.mlir"
    path.write_bytes(b"func.func @f() {\n  return\x00\x01\x02\n}\n")
    assert_user_error(run(str(path)), r"bin\.mlir:2:9: error: input is binary", located=True)


def test_non_utf8_input(tmp_path):
    path = tmp_path / "latin1.mlir"
    path.write_bytes("// caf\u00e9\nfunc.func @f() {\n  return\n}\n".encode("latin-1"))
    assert_user_error(
        run(str(path)), r"latin1\.mlir:1:7: error: input is not valid UTF-8", located=True
    )


def test_invalid_pl_attribute(tmp_path):
    path = tmp_path / "attr.mlir"
    path.write_text(GOOD.replace("pl.chunk = 4", 'pl.chunk = "4"'))
    assert_user_error(
        run(str(path)), r"attr\.mlir:5:3: error: 'pl\.chunk' expects an integer", located=True
    )


# -- pipeline errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pipeline, pattern",
    [
        ("builtin.module(no-such-pass)", r"unknown pass or pipeline 'no-such-pass'.*pl-verify"),
        ("builtin.module(func.func(no-such-pass))", r"unknown pass or pipeline 'no-such-pass'"),
        (
            "builtin.module(pl-split-chunked-loops{polcy=guarded})",
            r"'pl-split-chunked-loops' has no option 'polcy' "
            r"\(its options: policy, explain, max_copy_depth\)",
        ),
        (
            "builtin.module(pl-split-chunked-loops{policy=trailing})",
            r"invalid value 'trailing' for option 'policy' of 'pl-split-chunked-loops'",
        ),
        (
            "builtin.module(canonicalize{max-iterations=abc})",
            r"invalid pipeline element 'canonicalize\{max-iterations=abc\}': "
            r".*max-iterations.*'abc'",
        ),
        ("builtin.module(canonicalize{no-such-option=1})", r"no such option no-such-option"),
        ("builtin.module(canonicalize", r"unbalanced parentheses"),
        ("builtin.module(canonicalize))", r"unexpected '\)'"),
        ("builtin.module(pl-split-chunked-loops{policy=guarded)", r"unbalanced braces"),
        ("canonicalize, cse", r"must be anchored on an op"),
        ("func.func(cse)", r"pipelines run on 'builtin.module\(\.\.\.\)'"),
        (
            "builtin.module(func.func(pl-split-chunked-loops))",
            r"'pl-split-chunked-loops' is a module-level pass .* cannot be nested under 'func.func",
        ),
        (  # a nested module: the advice names the outermost one (it once contradicted itself)
            "builtin.module(builtin.module(pl-verify))",
            r"cannot be nested under 'builtin.module\(\.\.\.\)'; list it directly in the "
            r"outermost 'builtin.module\(\.\.\.\)' of the pipeline$",
        ),
    ],
)
def test_bad_pipeline(good, pipeline, pattern):
    assert_user_error(run(str(good), "--pass-pipeline", pipeline), pattern)


@pytest.mark.parametrize(
    "flags, pattern",
    [
        (["--no-such-pass"], r"unknown command line argument '--no-such-pass'"),
        (["--pl-split-chunked-loops=policy=x"], r"invalid value 'x' for option 'policy'"),
        (["--canonicalize=max-iterations=abc"], r"max-iterations.*'abc'"),
        (["-x"], r"unknown command line argument '-x'"),
        (["--list-passes=yes"], r"'--list-passes' does not take a value"),
        (["--mlir-print-debuginfo=yes"], r"'yes' is not a boolean value \(true, false, 1 or 0\)"),
        (["--mlir-elide-elementsattrs-if-larger=-1"], r"'-1' is not an unsigned integer"),
        (["--verify-diagnostics=some"], r"invalid choice: 'some'"),
        (  # MLIR would only warn and print nothing
            ["--cse", "--mlir-print-ir-after-all", "--mlir-print-ir-tree-dir=/dev/null/dumps"],
            r"cannot create --mlir-print-ir-tree-dir '/dev/null/dumps'",
        ),
        (
            ["-p", "builtin.module(cse)", "--canonicalize"],
            r"--pass-pipeline cannot be combined with per-pass flags \(--canonicalize\)",
        ),
        (["extra.mlir"], r"unrecognized arguments: extra\.mlir"),
    ],
)
def test_bad_flags(good, flags, pattern):
    assert_user_error(run(str(good), *flags), pattern)


def test_unknown_flag_before_the_input(good):
    assert_user_error(
        run("--no-such-flag", str(good)), r"unknown command line argument '--no-such-flag'"
    )


@pytest.mark.parametrize("flag", ["-o", "--pass-pipeline", "-p"])
def test_missing_flag_value(good, flag):
    assert_user_error(run(str(good), flag), rf"option '{flag}' requires a value")
