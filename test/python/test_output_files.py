"""No lost files (issue 15): output appears only on success, through a temporary file renamed
into place; non-regular targets are written directly and never removed; no output overwrites
an input; .npy headers are checked before anything is allocated; names and strings that are
not UTF-8 are refused cleanly and UTF-8 ones work; a missing dependency says how to install."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from store_loop import store_loop

BIN = Path(sys.executable).parent
OPT, RUN = str(BIN / "pypto-opt"), str(BIN / "pypto-run")

# The slow lane: pypto-opt and pypto-run processes per case (about 11 s of CPU in all).
pytestmark = pytest.mark.slow

GOOD = store_loop("fill", "pl.chunk = 4, pl.parallel")
PARSE_ERROR = "func.func @f( {\n"
PASS_ERROR = GOOD.replace("pl.chunk = 4", "pl.chunk = 0")


def run(*args, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=120, **kw)


def one_line_error(proc, *fragments: str) -> None:
    assert proc.returncode == 1, proc
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and " error: " in lines[0], proc.stderr
    for f in fragments:
        assert f in lines[0], (f, proc.stderr)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- pypto-opt -o ------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [PARSE_ERROR, PASS_ERROR], ids=["parse-error", "pass-error"])
def test_failed_run_keeps_the_existing_output(tmp_path, bad):
    (tmp_path / "bad.mlir").write_text(bad)
    out = tmp_path / "out.mlir"
    out.write_text("precious\n")
    os.chmod(out, 0o640)
    proc = run(OPT, tmp_path / "bad.mlir", "-p", "builtin.module(pl-default)", "-o", out)
    assert proc.returncode == 1
    assert out.read_text() == "precious\n" and stat.S_IMODE(out.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("bad", [PARSE_ERROR, PASS_ERROR], ids=["parse-error", "pass-error"])
def test_failed_run_keeps_the_input_named_by_o(tmp_path, bad):
    src = tmp_path / "in.mlir"
    src.write_text(bad)
    proc = run(OPT, src, "-p", "builtin.module(pl-default)", "-o", src)
    assert proc.returncode == 1 and src.read_text() == bad
    assert leftovers(tmp_path) == []


def test_success_replaces_the_output_and_keeps_its_mode(tmp_path):
    src = tmp_path / "in.mlir"
    src.write_text(GOOD)
    os.chmod(src, 0o604)
    proc = run(OPT, src, "-p", "builtin.module(pl-split-chunked-loops)", "-o", src)
    assert proc.returncode == 0, proc.stderr
    assert 'pl.loop_origin = "chunk_outer"' in src.read_text()
    assert stat.S_IMODE(src.stat().st_mode) == 0o604
    new = tmp_path / "new.mlir"  # a new file gets the mode open() would give it
    mask = os.umask(0)
    os.umask(mask)
    assert run(OPT, src, "-o", new).returncode == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~mask
    assert leftovers(tmp_path) == []


def test_output_through_a_symlink_replaces_its_target(tmp_path):
    (tmp_path / "in.mlir").write_text(GOOD)
    target = tmp_path / "target.mlir"
    target.write_text("old\n")
    link = tmp_path / "link.mlir"
    link.symlink_to(target)
    assert run(OPT, tmp_path / "in.mlir", "-o", link).returncode == 0
    assert link.is_symlink() and "func.func @fill" in target.read_text()


def _fifo_reader(path: Path) -> tuple[threading.Thread, list[bytes]]:
    got: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as f:
            got.append(f.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader, got


@pytest.mark.parametrize("source, code", [(GOOD, 0), (PASS_ERROR, 1)], ids=["success", "failure"])
def test_a_fifo_is_written_directly_and_never_removed(tmp_path, source, code):
    """A non-regular target (here a named pipe; /dev/null alike) is opened as it is: renaming
    a temporary file over it would replace the node, and removing it on failure deletes it."""
    (tmp_path / "in.mlir").write_text(source)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader, got = _fifo_reader(fifo)
    proc = run(OPT, tmp_path / "in.mlir", "--pl-verify", "-o", fifo)
    reader.join(60)
    assert proc.returncode == code, proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert (b"func.func @fill" in got[0]) == (code == 0)


def test_dev_null_on_failure_stays(tmp_path):
    (tmp_path / "bad.mlir").write_text(PASS_ERROR)
    before = os.stat("/dev/null")
    assert run(OPT, tmp_path / "bad.mlir", "-o", "/dev/null").returncode == 1
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_an_unwritable_folder_is_one_line(tmp_path):
    (tmp_path / "in.mlir").write_text(GOOD)
    proc = run(OPT, tmp_path / "in.mlir", "-o", tmp_path / "no" / "such" / "out.mlir")
    one_line_error(proc, "could not open output file", "no such file")


# -- pypto-run: --out-dir, --report-json, --trace ----------------------------------------------


@pytest.fixture
def fill(tmp_path) -> Path:
    (tmp_path / "fill.mlir").write_text(GOOD)
    np.save(tmp_path / "a.npy", np.zeros(6, np.float32))
    return tmp_path


def test_out_dir_refuses_to_overwrite_an_input(fill):
    """The documented promise: input files are never modified. arg0.npy in the out-dir is the
    input of argument 0 itself."""
    out = fill / "out"
    out.mkdir()
    np.save(out / "arg0.npy", np.full(6, 5, np.float32))
    proc = run(RUN, fill / "fill.mlir", "--entry", "fill", "--arg", out / "arg0.npy", "--arg", "6",
               "--out-dir", out)  # fmt: skip
    one_line_error(proc, f"--out-dir file '{out / 'arg0.npy'}' is an input of this run")
    assert np.array_equal(np.load(out / "arg0.npy"), np.full(6, 5, np.float32))
    # Through another spelling of the same file (a symlink to it):
    (fill / "alias.npy").symlink_to(out / "arg0.npy")
    proc = run(RUN, fill / "fill.mlir", "--entry", "fill", "--arg", fill / "alias.npy", "--arg",
               "6", "--out-dir", out)  # fmt: skip
    one_line_error(proc, "(the same file as", "refusing to overwrite it")
    assert np.array_equal(np.load(out / "arg0.npy"), np.full(6, 5, np.float32))


def test_out_dir_dangling_symlink_and_file(fill):
    dangling = fill / "gone"
    dangling.symlink_to(fill / "nowhere")
    args = [RUN, fill / "fill.mlir", "--entry", "fill", "--arg", fill / "a.npy", "--arg", "6"]
    one_line_error(
        run(*args, "--out-dir", dangling), f"--out-dir '{dangling}' is a dangling symbolic link"
    )
    one_line_error(run(*args, "--out-dir", fill / "a.npy"), "exists and is not a directory")
    assert run(*args, "--out-dir", fill / "res").returncode == 0
    assert sorted(os.listdir(fill / "res")) == ["arg0.npy"] and leftovers(fill / "res") == []
    assert np.array_equal(np.load(fill / "res" / "arg0.npy"), np.ones(6, np.float32))


@pytest.mark.parametrize(
    ("flag", "name", "start"),
    [
        ("--report-json", "report.json", '{\n "machine": {'),
        ("--trace", "trace.json", '{"traceEvents":['),
        ("--timeline", "timeline.html", "<!DOCTYPE html>"),
    ],
)
def test_emu_reports_refuse_inputs_and_write_on_success(fill, flag, name, start):
    args = [RUN, fill / "fill.mlir", "--target", "emu", "--entry", "fill", "--arg", fill / "a.npy",
            "--arg", "6"]  # fmt: skip
    for victim in (fill / "a.npy", fill / "fill.mlir"):
        before = victim.read_bytes()
        one_line_error(run(*args, flag, victim), f"{flag} file '{victim}' is an input")
        assert victim.read_bytes() == before
    proc = run(*args, flag, fill / name)
    assert proc.returncode == 0, proc.stderr
    text = (fill / name).read_text(encoding="utf-8")
    assert text.startswith(start) and leftovers(fill) == []
    if flag == "--timeline":  # the page of this run: its 2 tasks (6 elements in chunks of 4)
        assert "<title>emu a2a3: 2 tasks, regions</title>" in text


# -- .npy headers --------------------------------------------------------------------------------


def _npy(path: Path, header: dict[str, object], data: bytes) -> None:
    with open(path, "wb") as f:
        np.lib.format.write_array_header_1_0(f, header)
        f.write(data)


def test_npy_header_is_checked_before_allocating(fill):
    """A 100-byte file that declares 400 TB: an error naming the sizes, not a MemoryError."""
    huge = fill / "huge.npy"
    _npy(huge, {"descr": "<f4", "fortran_order": False, "shape": (10**14,)}, bytes(24))
    proc = run(RUN, fill / "fill.mlir", "--entry", "fill", "--arg", huge, "--arg", "6")
    one_line_error(proc, "declares an array of shape (100000000000000,) and dtype float32",
                   "(400000000000000 bytes) but holds only 24 bytes")  # fmt: skip
    short = fill / "short.npy"
    _npy(short, {"descr": "<f4", "fortran_order": False, "shape": (6,)}, bytes(8))
    one_line_error(run(RUN, fill / "fill.mlir", "--entry", "fill", "--arg", short, "--arg", "6"),
                   "(24 bytes) but holds only 8 bytes")  # fmt: skip
    bad = fill / "bad.npy"
    bad.write_bytes(b"\x93NUMPY\x01\x00\x10\x00{'descr': 1}    \n")
    one_line_error(run(RUN, fill / "fill.mlir", "--entry", "fill", "--arg", bad, "--arg", "6"),
                   "'" + str(bad) + "'")  # fmt: skip


# -- bytes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["cpu", "emu"])
def test_utf8_names_and_strings_work(fill, target):
    """Non-ASCII UTF-8, raw or escaped, in a symbol, a pl.name_hint and an attribute name."""
    src = GOOD.replace("@fill", '@"fill\\C3\\A9"').replace(
        "pl.parallel}", 'pl.parallel, pl.name_hint = "café", "x\\C3\\A9"}'
    )
    (fill / "utf8.mlir").write_text(src, encoding="utf-8")
    proc = run(RUN, fill / "utf8.mlir", "--target", target, "--entry", "fillé", "--arg",
               fill / "a.npy", "--arg", "6")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "arg0 = [1., 1., 1., 1., 1., 1.]" in proc.stdout
    proc = run(OPT, fill / "utf8.mlir", "-p", "builtin.module(pl-default, pl-outline-kernels)")
    assert proc.returncode == 0 and '@"caf\\C3\\A9"' in proc.stdout, proc.stderr


def test_non_utf8_in_bytecode_is_refused(tmp_path):
    """Bytecode has no text to point into: the same refusal, without a location."""
    src = tmp_path / "bad.mlir"
    src.write_text(GOOD.replace("pl.parallel}", 'pl.parallel, pl.name_hint = "k\\FF"}'))
    bytecode = tmp_path / "bad.mlirbc"
    mlir_opt = Path(np.__file__).parents[1] / "mlir" / "bin" / "mlir-opt"
    made = run(mlir_opt, src, "--emit-bytecode", "-o", bytecode)
    assert made.returncode == 0, made.stderr
    one_line_error(run(OPT, bytecode), 'pypto-opt: error: string "k\\FF" is not valid UTF-8')
    one_line_error(
        run(RUN, bytecode, "--entry", "fill", "--arg", "x", "--arg", "1"),
        'pypto-run: error: string "k\\FF" is not valid UTF-8',
    )


# -- dependencies --------------------------------------------------------------------------------


@pytest.mark.parametrize("module, dist", [("numpy", "numpy"), ("mlir", "xtc-mlir-python-bindings")])
def test_a_missing_dependency_says_how_to_install(fill, module, dist):
    code = (
        f"import sys; sys.modules[{module!r}] = None\n"
        "from pypto_mlir.tools.run import main\n"
        f"main([{str(fill / 'fill.mlir')!r}, '--entry', 'fill', '--arg', "
        f"{str(fill / 'a.npy')!r}, '--arg', '6'])"
    )
    proc = run(sys.executable, "-c", code)
    one_line_error(proc, f"pypto-run: error: the Python package '{dist}' is missing",
                   f"install it with: pip install '{dist}")  # fmt: skip


def test_a_failing_commit_leaves_the_target_and_no_temporary(tmp_path, monkeypatch):
    """A full disk shows when the file is flushed: the old file stays, the temporary goes."""
    from pypto_mlir.tools.output_files import OutputFile

    target = tmp_path / "out.txt"
    target.write_text("old\n")
    out = OutputFile(str(target))
    out.file.write("new\n")

    def full(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(out.file, "flush", full)
    with pytest.raises(OSError):
        out.commit()
    assert target.read_text() == "old\n" and leftovers(tmp_path) == []
