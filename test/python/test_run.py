"""pypto-run and the CPU lowering's Python API: results, the calling convention, and errors
(one line, exit 1, never a traceback)."""

from __future__ import annotations

import ctypes
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from mlir import ir

from pypto_mlir.dialect.context import make_context
from pypto_mlir.lowering.cpu import CompileError, compile_module
from pypto_mlir.lowering.numpy_abi import ArgumentError, ResultError
from pypto_mlir.tools import run as run_tool
from pypto_mlir.tools.cli import one_blas_thread, run_main

PYPTO_RUN = str(Path(sys.executable).parent / "pypto-run")

KERNEL = """\
func.func @k(%out: memref<?xi64>, %n: index, %s: i32, %f: f64) -> (index, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f64
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%a = %c0, %acc = %z) -> (index, f64) {
    %v = arith.index_cast %i : index to i64
    %s64 = arith.extsi %s : i32 to i64
    %w = arith.muli %v, %s64 : i64
    memref.store %w, %out[%i] : memref<?xi64>
    %a2 = arith.addi %a, %i : index
    %acc2 = arith.addf %acc, %f : f64
    scf.yield %a2, %acc2 : index, f64
  } {pl.chunk = 4 : i64}
  return %r#0, %r#1 : index, f64
}
func.func @flag(%b: i1, %x: memref<2x3xf32>) -> (i1, memref<2x3xf32>) {
  return %b, %x : i1, memref<2x3xf32>
}
func.func private @decl(index)
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "k.mlir").write_text(KERNEL)
    np.save(tmp_path / "out.npy", np.zeros(7, np.int64))
    np.save(tmp_path / "f32.npy", np.zeros(7, np.float32))
    np.save(tmp_path / "m23.npy", np.arange(6, dtype=np.float32).reshape(2, 3))
    return tmp_path


def run_inproc(capsys, *argv):
    code = run_main(run_tool.PROG, run_tool._run, [str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# -- the tool ----------------------------------------------------------------------------------


def test_prints_results_and_memref_args(files, capsys):
    code, out, err = run_inproc(
        capsys,
        files / "k.mlir",
        "--entry",
        "k",
        "--arg",
        files / "out.npy",
        "--arg",
        "7",
        "--arg",
        "-7",
        "--arg=-1e-3",
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "result0 = 21"
    assert lines[1].startswith("result1 = -0.00")
    assert lines[2] == "arg0 = [  0,  -7, -14, -21, -28, -35, -42]"
    assert np.load(files / "out.npy").tolist() == [0] * 7  # the input file never changes


def test_negative_value_after_separate_arg_flag(files, capsys):
    code, out, _ = run_inproc(
        capsys,
        files / "k.mlir",
        "--entry",
        "k",
        "--arg",
        files / "out.npy",
        "--arg",
        "3",
        "--arg",
        "-2",
        "--arg",
        "-1e-3",
    )
    assert code == 0 and "arg0 = [ 0, -2, -4,  0,  0,  0,  0]" in out


def test_out_dir_files(files, capsys):
    d = files / "res"
    code, out, _ = run_inproc(
        capsys,
        files / "k.mlir",
        "--entry",
        "flag",
        "--arg",
        "true",
        "--arg",
        files / "m23.npy",
        "--out-dir",
        d,
    )
    assert code == 0 and out == ""
    assert sorted(os.listdir(d)) == ["arg1.npy", "result0.npy", "result1.npy"]
    assert np.load(d / "result0.npy").dtype == np.bool_ and bool(np.load(d / "result0.npy"))
    assert np.array_equal(np.load(d / "result1.npy"), np.arange(6, dtype=np.float32).reshape(2, 3))
    assert np.array_equal(np.load(d / "arg1.npy"), np.load(files / "m23.npy"))


def test_explicit_pipeline(files, capsys):
    code, out, _ = run_inproc(
        capsys,
        files / "k.mlir",
        "--entry",
        "k",
        "-p",
        "builtin.module(pl-split-chunked-loops{policy=leading_full})",
        "--arg",
        files / "out.npy",
        "--arg",
        "5",
        "--arg",
        "1",
        "--arg",
        "0.5",
    )
    assert code == 0 and out.splitlines()[:2] == ["result0 = 10", "result1 = 2.5"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--entry", "nope"], "no function @nope (functions: @decl, @flag, @k)"),
        (["--entry", "decl", "--arg", "1"], "@decl is only a declaration"),
        (
            ["--entry", "k", "--arg", "{out}"],
            "@k takes 4 argument(s) (memref<?xi64>, index, i32, f64), got 1",
        ),
        (
            ["--entry", "k", "--arg", "missing.npy", "--arg", "1", "--arg", "1", "--arg", "1"],
            "argument 0 of @k (memref<?xi64>): cannot read 'missing.npy': no such file",
        ),
        (
            ["--entry", "k", "--arg", "{f32}", "--arg", "1", "--arg", "1", "--arg", "1"],
            "expected dtype int64, got float32",
        ),
        (["--entry", "flag", "--arg", "1", "--arg", "{out}"], "expected dtype float32, got int64"),
        (
            ["--entry", "flag", "--arg", "1", "--arg", "{m32}"],
            "dimension 0 must be 2, got shape (3, 2)",
        ),
        (
            ["--entry", "flag", "--arg", "2", "--arg", "{m23}"],
            "expected 0, 1, true or false, got '2'",
        ),
        (
            ["--entry", "k", "--arg", "{out}", "--arg", "1.5", "--arg", "1", "--arg", "1"],
            "argument 1 of @k (index): expected an integer literal, got '1.5'",
        ),
        (
            ["--entry", "k", "--arg", "{out}", "--arg", "1", "--arg", "4294967296", "--arg", "1"],
            "does not fit in 32 bits",
        ),
        (
            ["--entry", "k", "--arg", "{out}", "--arg", "1", "--arg", "1", "--arg", "x"],
            "expected a float literal, got 'x'",
        ),
        (
            ["--entry", "k", "--arg", "{mlir}", "--arg", "1", "--arg", "1", "--arg", "1"],
            "is not a .npy file",
        ),
        (
            ["--entry", "k", "-p", "builtin.module(bogus-pass)"],
            "unknown pass or pipeline 'bogus-pass'",
        ),
        (
            [
                "--entry",
                "k",
                "--arg",
                "{out}",
                "--arg",
                "1",
                "--arg",
                "1",
                "--arg",
                "1",
                "-p",
                "builtin.module(convert-to-llvm)",
            ],
            "the pass pipeline removed or converted func.func @k (func.func ops left: none)",
        ),
        (
            ["--entry", "k", "--arg", "{out}", "--arg", "1", "--arg", "1", "--arg", "1e400"],
            "argument 3 of @k (f64): '1e400' is out of the range of a double",
        ),
        (["--arg", "1"], "the following arguments are required: --entry"),
    ],
)
def test_errors_are_one_line(files, capsys, argv, message):
    np.save(files / "m32.npy", np.zeros((3, 2), np.float32))
    subst = {
        "{out}": files / "out.npy",
        "{f32}": files / "f32.npy",
        "{m23}": files / "m23.npy",
        "{m32}": files / "m32.npy",
        "{mlir}": files / "k.mlir",
    }
    argv = [str(subst.get(a, a)) for a in argv]
    os.chdir(files)
    code, out, err = run_inproc(capsys, "k.mlir", *argv)
    assert code == 1 and out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("pypto-run: error: ") or re.match(r"k\.mlir:\d+:\d+: error: ", err), err
    assert message in err


def test_invalid_ir_and_pl_errors(files, capsys):
    (files / "bad.mlir").write_text("func.func @f( {\n")
    code, _, err = run_inproc(capsys, files / "bad.mlir", "--entry", "f")
    assert code == 1 and err.count("\n") == 1 and re.match(r".*bad\.mlir:1:\d+: error: ", err), err
    (files / "chunk0.mlir").write_text(KERNEL.replace("pl.chunk = 4", "pl.chunk = 0"))
    code, _, err = run_inproc(capsys, files / "chunk0.mlir", "--entry", "k")
    assert code == 1 and err.count("\n") == 1
    assert re.match(r".*chunk0\.mlir:5:10: error: 'pl\.chunk' must be a positive", err), err


def test_end_to_end_subprocess(files):
    """The installed console script: exit codes, stdout, and no traceback on errors."""
    ok = subprocess.run(
        [
            PYPTO_RUN,
            "k.mlir",
            "--entry",
            "k",
            "--arg",
            "out.npy",
            "--arg",
            "2",
            "--arg",
            "-7",
            "--arg=-1e-3",
        ],
        cwd=files,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0 and ok.stderr == ""
    assert ok.stdout.splitlines()[0] == "result0 = 1"
    bad = subprocess.run(
        [
            PYPTO_RUN,
            "k.mlir",
            "--entry",
            "k",
            "--arg",
            "nothere.npy",
            "--arg",
            "1",
            "--arg",
            "1",
            "--arg",
            "1",
        ],
        cwd=files,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    binary = files / "bin.mlir"
    binary.write_bytes(b"\x00\xff\xfe")
    bad = subprocess.run(
        [PYPTO_RUN, "bin.mlir", "--entry", "k"], cwd=files, capture_output=True, text=True
    )
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


# -- the Python API ----------------------------------------------------------------------------

API = """\
func.func @scale(%a: memref<?xf32>, %n: index, %s: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> f32 {
    %v = memref.load %a[%i] : memref<?xf32>
    %w = arith.mulf %v, %s : f32
    memref.store %w, %a[%i] : memref<?xf32>
    %acc2 = arith.addf %acc, %w : f32
    scf.yield %acc2 : f32
  }
  return %r : f32
}
func.func @many(%a: memref<2x3xi32>, %b: i1, %h: f16, %i8: i8, %i16: i16) -> (i64, memref<2x3xi32>, i1, f16, memref<f64>, i16) {
  %c = arith.constant -5 : i64
  %m = memref.alloc() : memref<f64>
  %f = arith.constant 2.5 : f64
  memref.store %f, %m[] : memref<f64>
  %sv = memref.subview %a[1, 1] [1, 2] [1, 1] : memref<2x3xi32> to memref<1x2xi32, strided<[3, 1], offset: 4>>
  %c0 = arith.constant 0 : index
  %x = arith.extsi %i8 : i8 to i32
  memref.store %x, %sv[%c0, %c0] : memref<1x2xi32, strided<[3, 1], offset: 4>>
  %t = math.sqrt %h : f16
  return %c, %a, %b, %t, %m, %i16 : i64, memref<2x3xi32>, i1, f16, memref<f64>, i16
}
func.func @nothing(%a: memref<4xi8>) {
  return
}
func.func @power(%x: f64, %y: f64) -> f64 {
  %r = math.powf %x, %y : f64
  return %r : f64
}
func.func @double_into(%dst: memref<?xf32>, %src: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %src[%i] : memref<?xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %dst[%i] : memref<?xf32>
  }
  return
}
func.func @alloc(%n: index) -> memref<?xf32> {
  %m = memref.alloc(%n) : memref<?xf32>
  return %m : memref<?xf32>
}
"""  # noqa: E501 - MLIR input keeps one op per line


@pytest.fixture(scope="module")
def api():
    ctx = make_context()
    module = ir.Module.parse(API, ctx)
    before = str(module)
    compiled = compile_module(module, opt_level=0)
    assert str(module) == before  # the lowering works on a copy
    return compiled


def test_api_in_place_and_results(api):
    a = np.arange(5, dtype=np.float32)
    assert api["scale"](a, 5, 2.0) == 20.0
    assert a.tolist() == [0, 2, 4, 6, 8]
    assert api["scale"](a, 2, 0.5) == 1.0  # compiled once, called again


def test_api_non_contiguous_array_is_written_back(api):
    big = np.ones(10, np.float32)
    api["scale"](big[::2], 5, 3.0)
    assert big.tolist() == [3, 1] * 5


def test_api_many_types(api):
    x = np.zeros((2, 3), np.int32)
    r = api["many"](x, True, 2.25, -3, -300)
    assert r[0] == -5 and r[2] is True and r[3] == 1.5 and r[5] == -300
    assert r[1].tolist() == [[0, 0, 0], [0, -3, 0]] and x.tolist() == r[1].tolist()
    assert r[4].shape == () and r[4].dtype == np.float64 and float(r[4]) == 2.5
    assert api["nothing"](np.zeros(4, np.int8)) is None


def test_api_math_is_exact(api):
    assert api["power"](1.0001, 1234.5) == 1.0001**1234.5


@pytest.mark.parametrize(
    "fn, args, match",
    [
        (
            "scale",
            (np.zeros(3, np.float32),),
            r"@scale takes 3 argument\(s\) \(memref<\?xf32>, index, f32\), got 1",
        ),
        (
            "scale",
            (np.zeros(3, np.float64), 1, 1.0),
            "argument 0 of @scale .* expected dtype float32, got float64",
        ),
        ("scale", (np.zeros((1, 3), np.float32), 1, 1.0), "argument 0 .* expected rank 1"),
        ("scale", ([1.0], 1, 1.0), "argument 0 .* expected a numpy array, got list"),
        (
            "scale",
            (np.zeros(3, np.float32), 1.5, 1.0),
            r"argument 1 of @scale \(index\): expected an integer",
        ),
        (
            "scale",
            (np.zeros(3, np.float32), 1, "x"),
            r"argument 2 of @scale \(f32\): expected a float",
        ),
        ("nothing", (np.zeros(5, np.int8),), "dimension 0 must be 4, got shape"),
        ("many", (np.zeros((2, 3), np.int32), 2, 1.0, 0, 0), "expected 0, 1, True or False"),
        ("many", (np.zeros((2, 3), np.int32), 1, 1.0, 300, 0), "300 does not fit in 8 bits"),
        ("scale", (np.zeros(3, np.float32), 1, 1e40), r"1e\+40 does not fit in f32"),
        ("many", (np.zeros((2, 3), np.int32), 1, 1e6, 0, 0), r"1000000.0 does not fit in f16"),
    ],
)
def test_api_argument_errors(api, fn, args, match):
    with pytest.raises(ArgumentError, match=match):
        api[fn](*args)


def test_api_arguments_sharing_memory(api):
    # Contiguous and shared: passed as they are, the function sees its own writes.
    a = np.arange(4, dtype=np.float32)
    api["double_into"](a, a, 4)
    assert a.tolist() == [0, 2, 4, 6]
    # Shared but not contiguous: a copy per argument would lose the writes; refused.
    v = np.arange(8, dtype=np.float32)[::2]
    with pytest.raises(
        ArgumentError,
        match="argument 1 of @double_into shares memory with "
        "argument 0, and one of them is not contiguous",
    ):
        api["double_into"](v, v, 4)
    # Not contiguous and not shared: copied and written back.
    w, x = np.zeros(8, np.float32), np.arange(4, dtype=np.float32)
    api["double_into"](w[::2], x, 4)
    assert w.tolist() == [0, 0, 2, 0, 4, 0, 6, 0]


def test_api_null_memref_result_is_an_error(api):
    assert api["alloc"](3).shape == (3,)
    with pytest.raises(ResultError, match="returned a memref with a null data pointer"):
        api["alloc"](-1)  # malloc fails


def test_api_signed_and_unsigned_integer_types_are_refused():
    module = ir.Module.parse(
        "func.func @u(%x: ui32) -> ui32 {\n  return %x : ui32\n}\n", make_context()
    )
    with pytest.raises(CompileError, match="ui32"):
        compile_module(module, entries=["u"])


def test_api_read_only_array_is_rejected(api):
    a = np.zeros(3, np.float32)
    a.flags.writeable = False
    with pytest.raises(ArgumentError, match="read-only"):
        api["scale"](a, 3, 1.0)


def test_api_compile_errors():
    ctx = make_context()
    module = ir.Module.parse(API, ctx)
    with pytest.raises(CompileError, match="no function @missing"):
        compile_module(module, entries="missing")
    tensor = ir.Module.parse("func.func @t(%x: tensor<4xf32>) { return }", ctx)
    with pytest.raises(CompileError, match="argument 0 of @t has type tensor<4xf32>"):
        compile_module(tensor, entries="t")
    with pytest.raises(CompileError, match="'func.func' cannot be lowered to LLVM"):
        compile_module(tensor)  # a tensor function does not lower at all
    vec = ir.Module.parse(
        "func.func @v(%x: vector<4xf32>) { return }\n"
        "func.func @ok(%n: index) -> index { return %n : index }",
        ctx,
    )
    compiled = compile_module(vec, opt_level=0)  # @v lowers but cannot be called: skipped
    assert compiled["ok"](5) == 5
    with pytest.raises(KeyError, match="@v cannot be called from Python: argument 0"):
        compiled["v"]
    with pytest.raises(KeyError, match="no entry function @power"):
        compile_module(module, entries=["scale"], opt_level=0)["power"]


# -- pypto-run: targets, optimization levels, timing, --print ------------------------------------

INC = """\
func.func @inc(%m: memref<?xi64>, %n: index) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1 : i64
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %m[%i] : memref<?xi64>
    %w = arith.addi %v, %one : i64
    memref.store %w, %m[%i] : memref<?xi64>
  }
  %first = memref.load %m[%c0] : memref<?xi64>
  return %first : i64
}
"""
TIME_LINE = re.compile(r"time: min (\d+(\.\d+)?) ms, median (\d+(\.\d+)?) ms \((\d+) runs\)")


@pytest.fixture
def inc(tmp_path):
    (tmp_path / "inc.mlir").write_text(INC)
    np.save(tmp_path / "m.npy", np.arange(4, dtype=np.int64) * 10)
    return tmp_path


def run_inc(capsys, inc, *flags):
    return run_inproc(
        capsys, inc / "inc.mlir", "--entry", "inc", "--arg", inc / "m.npy", "--arg", "4", *flags
    )


def test_target_cpu_and_print_are_the_default_output(inc, capsys):
    plain = run_inc(capsys, inc)
    assert plain == (0, "result0 = 1\narg0 = [ 1, 11, 21, 31]\n", "")
    assert run_inc(capsys, inc, "--target", "cpu") == plain
    assert run_inc(capsys, inc, "--print") == plain


@pytest.mark.parametrize("level", ["0", "1", "2", "3"])
def test_opt_level_reaches_the_execution_engine(inc, capsys, monkeypatch, level):
    import pypto_mlir.lowering.cpu as cpu

    seen = []
    real = cpu.ExecutionEngine

    def recording(module, opt_level, shared_libs=()):
        seen.append(opt_level)
        return real(module, opt_level=opt_level, shared_libs=shared_libs)

    monkeypatch.setattr(cpu, "ExecutionEngine", recording)
    code, out, _ = run_inc(capsys, inc, "--opt-level", level)
    assert code == 0 and out.startswith("result0 = 1\n")
    code, _, _ = run_inc(capsys, inc)
    assert code == 0 and seen == [int(level), 3]  # 3 when the flag is not given


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--target", "gpu"], "pypto-run: error: unknown target 'gpu' (accepted: cpu, emu)"),
        (["--target="], "pypto-run: error: unknown target '' (accepted: cpu, emu)"),
        (["--opt-level", "4"], "pypto-run: error: invalid --opt-level '4' (expected 0, 1, 2 or 3)"),
        (
            ["--opt-level", "-1"],
            "pypto-run: error: invalid --opt-level '-1' (expected 0, 1, 2 or 3)",
        ),
        (
            ["--opt-level", "O2"],
            "pypto-run: error: invalid --opt-level 'O2' (expected 0, 1, 2 or 3)",
        ),
        (["--repeat", "0"], "pypto-run: error: invalid --repeat '0' (expected a positive integer)"),
        (
            ["--repeat", "-3"],
            "pypto-run: error: invalid --repeat '-3' (expected a positive integer)",
        ),
        (
            ["--repeat", "2.5"],
            "pypto-run: error: invalid --repeat '2.5' (expected a positive integer)",
        ),
        (["--repeat"], "pypto-run: error: argument --repeat: expected one argument"),
    ],
)
def test_flag_errors(inc, capsys, flags, message):
    code, out, err = run_inc(capsys, inc, *flags)
    assert (code, out, err) == (1, "", message + "\n")


def test_repeat_prints_only_the_time_line(inc, capsys):
    code, out, err = run_inc(capsys, inc, "--repeat", "5")
    assert code == 0 and err == ""
    assert out.count("\n") == 1 and TIME_LINE.fullmatch(out.rstrip("\n")), out
    m = TIME_LINE.fullmatch(out.rstrip("\n"))
    assert m.group(5) == "5" and float(m.group(1)) <= float(m.group(3))


def test_repeat_with_print_and_out_dir_show_the_first_call(inc, capsys):
    code, out, _ = run_inc(capsys, inc, "--repeat", "3", "--print")
    lines = out.splitlines()
    # The warm-up's results: one increment, although the function ran 4 times.
    assert code == 0 and lines[:2] == ["result0 = 1", "arg0 = [ 1, 11, 21, 31]"]
    assert len(lines) == 3 and TIME_LINE.fullmatch(lines[2])
    code, out, _ = run_inc(capsys, inc, "--repeat", "3", "--out-dir", inc / "res")
    assert code == 0 and TIME_LINE.fullmatch(out.rstrip("\n")) and out.count("\n") == 1
    assert np.load(inc / "res" / "arg0.npy").tolist() == [1, 11, 21, 31]
    assert np.load(inc / "res" / "result0.npy").tolist() == 1
    code, out, _ = run_inc(capsys, inc, "--out-dir", inc / "res2", "--print")
    assert code == 0 and out == "result0 = 1\narg0 = [ 1, 11, 21, 31]\n"
    assert sorted(os.listdir(inc / "res2")) == ["arg0.npy", "result0.npy"]
    assert np.load(inc / "m.npy").tolist() == [0, 10, 20, 30]  # the input never changes


def test_repeat_gives_every_call_fresh_arguments(inc, capsys, monkeypatch):
    """Each timed call starts from the input file's data, and only the native call is timed."""
    import pypto_mlir.lowering.cpu as cpu

    before_each_run = []
    real_run = cpu.BoundCall.run

    def run(self):
        before_each_run.append(self.args[0].tolist())
        return real_run(self)

    monkeypatch.setattr(cpu.BoundCall, "run", run)
    code, out, _ = run_inc(capsys, inc, "--repeat", "4")
    assert code == 0 and TIME_LINE.fullmatch(out.rstrip("\n"))
    assert before_each_run == [[0, 10, 20, 30]] * 5  # warm-up + 4 timed calls

    timed = []
    real_counter = run_tool.time.perf_counter

    def counter():
        timed.append(len(before_each_run))  # how many runs had started when the clock was read
        return real_counter()

    monkeypatch.setattr(run_tool.time, "perf_counter", counter)
    before_each_run.clear()
    assert run_inc(capsys, inc, "--repeat", "2")[0] == 0
    # The clock is read right before and right after each timed run, nothing else in between.
    assert timed == [1, 2, 2, 3]


@pytest.mark.parametrize(
    "seconds, text",
    [
        (1.23456e-6, "0.00123"),
        (0.0001, "0.100"),
        (0.0123456, "12.3"),
        (0.99949, "999"),
        (1.5, "1500"),
        (12.3456, "12346"),
        (0.0, "0"),
    ],
)
def test_time_format_has_three_significant_digits(seconds, text):
    assert run_tool._format_ms(seconds) == text


def test_help_documents_the_flags(capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_tool._parser().parse_args(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for text in (
        "--target NAME",
        "--opt-level N",
        "--repeat N",
        "--print",
        "time: min X ms, median Y ms (N runs)",
        "-O<--opt-level>",
        "cpu, emu (default cpu)",
    ):
        assert text in out, text
    assert "-O3" not in out


def test_repeat_in_a_subprocess(inc):
    done = subprocess.run(
        [
            PYPTO_RUN,
            "inc.mlir",
            "--entry",
            "inc",
            "--arg",
            "m.npy",
            "--arg",
            "4",
            "--repeat",
            "3",
            "--opt-level",
            "0",
        ],
        cwd=inc,
        capture_output=True,
        text=True,
    )
    assert (
        done.returncode == 0 and done.stderr == "" and TIME_LINE.fullmatch(done.stdout.rstrip("\n"))
    )


# -- errors of the lowering, located ----------------------------------------------------------


def write_and_run(capsys, tmp_path, text, *argv):
    (tmp_path / "t.mlir").write_text(text)
    os.chdir(tmp_path)
    return run_inproc(capsys, "t.mlir", *argv)


def test_unlowerable_op_is_a_located_error(tmp_path, capsys):
    code, out, err = write_and_run(
        capsys,
        tmp_path,
        (
            "func.func @f(%n: index) -> index {\n"
            "  %c = complex.constant [1.0 : f32, 2.0 : f32] : complex<f32>\n"
            "  %e = complex.exp %c : complex<f32>\n"
            "  %r = complex.re %e : complex<f32>\n"
            "  return %r : f32\n}\n"
        ).replace("%n: index) -> index", "%n: index) -> f32"),
        "--entry",
        "f",
        "--arg",
        "3",
    )
    assert (code, out) == (1, "")
    assert err == (
        "t.mlir:3:8: error: 'complex.exp' cannot be lowered to LLVM by the CPU target "
        "(supported: func, scf, cf, arith, math, memref, vector, affine, linalg on memrefs)\n"
    )


def test_failing_lowering_pass_reports_mlir_error(tmp_path, capsys):
    """A pass of the lowering fails: its own located message, not 'Failure while executing'."""
    text = (
        "func.func @f(%x: f32) -> f32 {\n  return %x : f32\n}\n"
        "func.func @_mlir_ciface_f(%x: f32) -> f32 {\n  return %x : f32\n}\n"
    )
    code, out, err = write_and_run(capsys, tmp_path, text, "--entry", "f", "--arg", "1")
    assert (code, out) == (1, "")
    assert (
        err == "t.mlir:4:1: error: lowering to LLVM failed: "
        "redefinition of symbol named '_mlir_ciface_f'\n"
    )
    ctx = make_context()
    with pytest.raises(CompileError) as info:
        compile_module(ir.Module.parse(text, ctx), entries=["f"])
    assert (
        info.value.message
        == "lowering to LLVM failed: redefinition of symbol named '_mlir_ciface_f'"
    )
    assert str(info.value) == "<stdin>:4:1: " + info.value.message
    assert (info.value.location.start_line, info.value.location.start_col) == (4, 1)


def test_lowering_error_on_a_users_own_context():
    """A Context without our diagnostic engine: MLIR keeps the error in the MLIRError."""
    ctx = ir.Context()
    text = (
        "func.func @f(%x: f32) -> f32 {\n  return %x : f32\n}\n"
        "func.func @_mlir_ciface_f(%x: f32) -> f32 {\n  return %x : f32\n}\n"
    )
    with pytest.raises(
        CompileError, match=r"^-:4:1: lowering to LLVM failed: redefinition of symbol"
    ):
        compile_module(ir.Module.parse(text, ctx), entries=["f"])


LIBM_CLASH = """\
func.func @expf(%x: f32) -> f32 {
  %r = math.exp %x : f32
  return %r : f32
}
func.func @main(%x: f32) -> f32 {
  %r = func.call @expf(%x) : (f32) -> f32
  return %r : f32
}
"""


def test_function_named_like_a_libm_symbol_is_an_error(tmp_path, capsys):
    code, out, err = write_and_run(capsys, tmp_path, LIBM_CLASH, "--entry", "main", "--arg", "1")
    assert (code, out) == (1, "")
    assert err == (
        "t.mlir:1:1: error: function @expf has the name of a C library function that the "
        "compiled code may call for the op at t.mlir:2:8: the call would reach @expf instead "
        "(a recursion or a wrong result); rename the function\n"
    )
    # Renamed, the same module runs.
    code, out, _ = write_and_run(
        capsys, tmp_path, LIBM_CLASH.replace("@expf", "@my_exp"), "--entry", "main", "--arg", "1"
    )
    assert (code, out) == (0, f"result0 = {float(np.float32(math.e))!r}\n")


@pytest.mark.parametrize(
    "text, name, line",
    [
        # A wrong result rather than a recursion: math.tanh would call the user's tanhf.
        (
            "func.func @tanhf(%x: f32) -> f32 {\n  return %x : f32\n}\n"
            "func.func @k(%x: f32) -> f32 {\n  %r = math.tanh %x : f32\n  return %r : f32\n}\n",
            "tanhf",
            1,
        ),
        # f64 math.sqrt, through an intrinsic.
        (
            "func.func @k(%x: f64) -> f64 {\n  %r = math.sqrt %x : f64\n  return %r : f64\n}\n"
            "func.func @sqrt(%x: f64) -> f64 {\n  return %x : f64\n}\n",
            "sqrt",
            5,
        ),
        # math.erf becomes a libm call (convert-math-to-libm), not an intrinsic.
        (
            "func.func @erff(%x: f32) -> f32 {\n  return %x : f32\n}\n"
            "func.func @k(%x: f32) -> f32 {\n  %r = math.erf %x : f32\n  return %r : f32\n}\n",
            "erff",
            1,
        ),
        # math.expm1 becomes a libm call before the pipeline (it would be approximated otherwise).
        (
            "func.func @expm1(%x: f64) -> f64 {\n"
            "  %r = math.expm1 %x : f64\n  return %r : f64\n}\n",
            "expm1",
            1,
        ),
        # memcpy may be called by any code that copies memory.
        ("func.func @memcpy(%x: f32) -> f32 {\n  return %x : f32\n}\n", "memcpy", 1),
    ],
)
def test_libm_clash_through_the_api(text, name, line):
    with pytest.raises(
        CompileError, match=f"function @{name} has the name of a C library function"
    ) as info:
        compile_module(ir.Module.parse(text, make_context()), opt_level=0)
    assert info.value.location.start_line == line


def test_libm_names_without_a_clash_compile():
    """A libm name is fine when nothing calls the library function, or when it only declares it."""
    ctx = make_context()
    unused = compile_module(
        ir.Module.parse(
            "func.func @expf(%x: f32) -> f32 {\n  %r = math.sqrt %x : f32\n  return %r : f32\n}\n",
            ctx,
        ),
        opt_level=0,
    )
    assert unused["expf"](4.0) == 2.0
    declared = compile_module(
        ir.Module.parse(
            "func.func private @exp(f64) -> f64\n"
            "func.func @k(%x: f64) -> f64 {\n  %r = func.call @exp(%x) : (f64) -> f64\n"
            "  %s = math.exp %r : f64\n  return %s : f64\n}\n",
            ctx,
        ),
        opt_level=0,
    )
    assert declared["k"](0.5) == math.exp(math.exp(0.5))


def test_missing_external_function_is_a_located_error(tmp_path, capsys):
    text = (
        "func.func private @nowhere(f64) -> f64\n"
        "func.func @k(%x: f64) -> f64 {\n"
        "  %r = func.call @nowhere(%x) : (f64) -> f64\n  return %r : f64\n}\n"
    )
    code, out, err = write_and_run(capsys, tmp_path, text, "--entry", "k", "--arg", "1")
    assert (code, out) == (1, "")
    assert err == (
        "t.mlir:3:8: error: the compiled code calls 'nowhere', which is not defined in the "
        "module nor found in this process\n"
    )
    copy = (
        "func.func @k(%m: memref<4x4xf32>, %o: memref<2x2xf32>) {\n"
        "  %s = memref.subview %m[1, 1] [2, 2] [1, 1]"
        " : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1], offset: 5>>\n"
        "  %us = memref.cast %s : memref<2x2xf32, strided<[4, 1], offset: 5>> to memref<*xf32>\n"
        "  %uo = memref.cast %o : memref<2x2xf32> to memref<*xf32>\n"
        "  memref.copy %us, %uo : memref<*xf32> to memref<*xf32>\n"
        "  return\n}\n"
    )
    with pytest.raises(CompileError, match="calls 'memrefCopy'.*copy ranked memrefs") as info:
        compile_module(ir.Module.parse(copy, make_context()))
    assert info.value.location.start_line == 5


@pytest.mark.skipif(
    hasattr(ctypes.CDLL(None), "__divti3"), reason="this process can resolve __divti3"
)
def test_jit_failure_is_one_clear_line(tmp_path, capsys):
    """i128 division calls compiler-rt's __divti3, which the JIT does not find here."""
    text = (
        "func.func @k(%x: i64, %y: i64) -> i64 {\n"
        "  %a = arith.extsi %x : i64 to i128\n  %b = arith.extsi %y : i64 to i128\n"
        "  %c = arith.divsi %a, %b : i128\n  %d = arith.trunci %c : i128 to i64\n"
        "  return %d : i64\n}\n"
    )
    (tmp_path / "t.mlir").write_text(text)
    done = subprocess.run(
        [PYPTO_RUN, "t.mlir", "--entry", "k", "--arg", "7", "--arg", "2"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert (
        done.stderr == "pypto-run: error: JIT compilation failed: Symbols not found: [ __divti3 ]\n"
    )


# -- the lowering: linalg, vectors, exact math ------------------------------------------------

LINALG_VECTOR = """\
#id = affine_map<(d0) -> (d0)>
func.func @mm(%a: memref<4x6xf32>, %b: memref<6x5xf32>, %c: memref<3x3xf32>) {
  %sa = memref.subview %a[1, 0] [3, 6] [1, 1] : memref<4x6xf32> to memref<3x6xf32, strided<[6, 1], offset: 6>>
  %sb = memref.subview %b[0, 1] [6, 3] [1, 1] : memref<6x5xf32> to memref<6x3xf32, strided<[5, 1], offset: 1>>
  %h = arith.constant 0.5 : f32
  linalg.fill ins(%h : f32) outs(%c : memref<3x3xf32>)
  linalg.matmul ins(%sa, %sb : memref<3x6xf32, strided<[6, 1], offset: 6>>, memref<6x3xf32, strided<[5, 1], offset: 1>>)
                outs(%c : memref<3x3xf32>)
  return
}
func.func @ordered_sum(%a: memref<?xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %p = arith.constant 0.0 : f32
  %v = vector.transfer_read %a[%c0], %p : memref<?xf32>, vector<4xf32>
  %s = vector.reduction <add>, %v : vector<4xf32> into f32
  return %s : f32
}
func.func @expm1_k(%x: f64, %m: memref<4xf32>) -> f64 {
  %r = math.expm1 %x : f64
  %c0 = arith.constant 0 : index
  %v = vector.load %m[%c0] : memref<4xf32>, vector<4xf32>
  %w = math.expm1 %v : vector<4xf32>
  vector.store %w, %m[%c0] : memref<4xf32>, vector<4xf32>
  return %r : f64
}
func.func @powi(%x: f64, %n: i32) -> f64 {
  %r = math.fpowi %x, %n : f64, i32
  return %r : f64
}
"""  # noqa: E501 - MLIR input keeps one op per line


@pytest.fixture(scope="module")
def lowered():
    return compile_module(ir.Module.parse(LINALG_VECTOR, make_context()), opt_level=3)


def test_linalg_matmul_on_subviews(lowered):
    a = np.arange(24, dtype=np.float32).reshape(4, 6) / 8
    b = np.arange(30, dtype=np.float32).reshape(6, 5) / 4
    c = np.full((3, 3), np.nan, np.float32)
    lowered["mm"](a, b, c)
    expect = np.full((3, 3), 0.5, np.float32)
    for k in range(6):  # the order of linalg.matmul's reduction, in f32
        expect = (expect + a[1:, k : k + 1] * b[k : k + 1, 1:4]).astype(np.float32)
    assert c.tobytes() == expect.tobytes()


def test_vector_reduction_is_in_order(lowered):
    # In order: ((1e8 + 1) - 1e8) + 1 = 1 in f32; reassociated pairwise it would be 2.
    assert lowered["ordered_sum"](np.array([1e8, 1, -1e8, 1], np.float32)) == 1.0
    # A transfer past the end reads the padding (0) instead.
    assert lowered["ordered_sum"](np.array([1.5, 2.0], np.float32)) == 3.5


def test_expm1_is_exact(lowered):
    """convert-math-to-llvm would compute exp(x) - 1 (0 or 1.19e-7 for tiny x): libm's expm1."""
    m = np.array([1e-10, -1e-9, 0.5, -3.0], np.float32)
    expect = np.array([math.expm1(float(v)) for v in m], np.float32)  # f32 of the exact value
    assert lowered["expm1_k"](1e-10, m) == math.expm1(1e-10)
    assert np.array_equal(m, expect)


def test_fpowi_runs_without_compiler_rt(lowered):
    assert lowered["powi"](1.5, 7) == 1.5**7 and lowered["powi"](2.0, -2) == 0.25


# -- the calling convention ---------------------------------------------------------------------

ROUND_TRIP = """\
func.func @rt(%m: memref<?xT>, %s: T, %z: memref<T>, %st: memref<2x3xT>) -> (T, memref<?xT>, T, memref<T>, memref<2x3xT>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %old = memref.load %m[%c1] : memref<?xT>
  memref.store %s, %m[%c0] : memref<?xT>
  %zold = memref.load %z[] : memref<T>
  memref.store %s, %z[] : memref<T>
  %x = memref.load %st[%c1, %c2] : memref<2x3xT>
  memref.store %x, %st[%c0, %c0] : memref<2x3xT>
  return %old, %m, %zold, %z, %st : T, memref<?xT>, T, memref<T>, memref<2x3xT>
}
func.func @one(%s: T) -> T {
  return %s : T
}
func.func @one_memref(%m: memref<3xT>) -> memref<3xT> {
  return %m : memref<3xT>
}
"""  # noqa: E501 - MLIR input keeps one op per line

# (MLIR type, numpy dtype, s: the scalar argument, b: a value stored in the arrays, fill)
ELEMENT_TYPES = [
    ("f16", np.float16, 2.0**-24, -65504.0, 7.0),
    ("f32", np.float32, 1 / 3, -3.4028234663852886e38, 7.0),
    ("f64", np.float64, 1 / 3, 5e-324, 7.0),
    ("i8", np.int8, -128, 127, 7),
    ("i16", np.int16, -32768, 32767, 7),
    ("i32", np.int32, -(2**31), 2**31 - 1, 7),
    ("i64", np.int64, -(2**63), 2**63 - 1, 7),
    ("index", np.int64, -(2**63), 2**63 - 1, 7),
]


def bits(value, dtype) -> bytes:
    return np.array(value, dtype=dtype).tobytes()


@pytest.mark.parametrize(
    "mlir_type, dtype, s, b, fill", ELEMENT_TYPES, ids=[t[0] for t in ELEMENT_TYPES]
)
def test_every_element_type_round_trips(mlir_type, dtype, s, b, fill):
    compiled = compile_module(
        ir.Module.parse(ROUND_TRIP.replace("T", mlir_type), make_context()), opt_level=0
    )
    m = np.array([fill, b, fill, fill], dtype)
    z = np.array(b, dtype)
    st = np.full((2, 3), fill, dtype)
    st[1, 2] = b
    old, m_out, zold, z_out, st_out = compiled["rt"](m, s, z, st)
    # memref argument -> scalar result
    assert bits(old, dtype) == bits(b, dtype) and bits(zold, dtype) == bits(b, dtype)
    assert type(old) is (bool if dtype == np.bool_ else float if dtype().dtype.kind == "f" else int)
    # scalar argument -> memref (dynamic and 0-d), written in place
    assert bits(m[0], dtype) == bits(s, dtype) and bits(z, dtype) == bits(s, dtype)
    assert bits(m[1:], dtype) == bits([b, fill, fill], dtype)
    assert bits(st[0, 0], dtype) == bits(b, dtype)
    # memref results: fresh arrays with the contents the function left
    for got, arg in ((m_out, m), (z_out, z), (st_out, st)):
        assert got.dtype == dtype and got.shape == arg.shape and got.tobytes() == arg.tobytes()
        assert not np.shares_memory(got, arg)
    # a single scalar result (returned by value) and a single memref result
    assert bits(compiled["one"](s), dtype) == bits(s, dtype)
    three = np.array([b, fill, s], dtype)
    assert compiled["one_memref"](three).tobytes() == three.tobytes()
    # dtype and static shape mismatches name the argument
    other = np.float64 if dtype != np.float64 else np.float32
    with pytest.raises(
        ArgumentError, match=f"argument 0 of @rt \\(memref<\\?x{mlir_type}>\\): expected dtype"
    ):
        compiled["rt"](m.astype(other), s, z, st)
    with pytest.raises(
        ArgumentError, match=f"argument 2 of @rt \\(memref<{mlir_type}>\\): expected rank 0"
    ):
        compiled["rt"](m, s, m, st)
    with pytest.raises(
        ArgumentError,
        match=f"argument 3 of @rt \\(memref<2x3x{mlir_type}>\\): dimension 0 must be 2",
    ):
        compiled["rt"](m, s, z, st.T.copy())
    with pytest.raises(ArgumentError, match=r"argument 1 of @rt \(" + mlir_type + r"\): expected"):
        compiled["rt"](m, "x", z, st)
    with pytest.raises(ArgumentError, match=r"@rt takes 4 argument\(s\)"):
        compiled["rt"](m, s, z)


def test_i1_scalars_round_trip():
    compiled = compile_module(
        ir.Module.parse(
            "func.func @b(%s: i1, %m: memref<2xi8>) -> (i1, i1) {\n"
            "  %c0 = arith.constant 0 : index\n  %c1 = arith.constant 1 : index\n"
            "  %e = arith.extui %s : i1 to i8\n  memref.store %e, %m[%c0] : memref<2xi8>\n"
            "  %v = memref.load %m[%c1] : memref<2xi8>\n  %t = arith.trunci %v : i8 to i1\n"
            "  return %s, %t : i1, i1\n}\n"
            "func.func @not(%s: i1) -> i1 {\n  %t = arith.constant true\n"
            "  %r = arith.xori %s, %t : i1\n  return %r : i1\n}\n",
            make_context(),
        ),
        opt_level=0,
    )
    for s, stored in ((True, 0), (False, 1), (1, 1), (0, 0)):
        m = np.array([7, stored], np.int8)
        assert compiled["b"](s, m) == (bool(s), bool(stored))
        assert m.tolist() == [int(s), stored]
        assert compiled["not"](s) is (not s)
    with pytest.raises(
        ArgumentError, match=r"argument 0 of @not \(i1\): expected 0, 1, True or False, got int 2"
    ):
        compiled["not"](2)


def test_sub_byte_memrefs_are_rejected_not_aborted():
    """MLIR 22 aborts the process lowering a load from a memref of i1: a clear error instead."""
    with pytest.raises(
        CompileError,
        match=r"^<stdin>:1:1: argument 0 of @rt has type memref<\?xi1>: memrefs of "
        r"integers narrower than 8 bits \(i1...i7\) are not supported",
    ):
        compile_module(ir.Module.parse(ROUND_TRIP.replace("T", "i1"), make_context()), entries="rt")
    inner = (
        "func.func @k(%n: index) -> i1 {\n  %m = memref.alloc(%n) : memref<?xi1>\n"
        "  %c0 = arith.constant 0 : index\n  %v = memref.load %m[%c0] : memref<?xi1>\n"
        "  memref.dealloc %m : memref<?xi1>\n  return %v : i1\n}\n"
    )
    with pytest.raises(
        CompileError, match=r"^<stdin>:4:8: 'memref.load' on a memref of i1: memrefs of integers"
    ):
        compile_module(ir.Module.parse(inner, make_context()))
    fill = (
        "func.func @k(%m: memref<4xi8>) {\n  %a = memref.alloca() : memref<4xi2>\n"
        "  %z = arith.constant 0 : i2\n  linalg.fill ins(%z : i2) outs(%a : memref<4xi2>)\n"
        "  return\n}\n"
    )
    with pytest.raises(CompileError, match=r"^<stdin>:4:3: 'linalg.fill' on a memref of i2"):
        compile_module(ir.Module.parse(fill, make_context()))


def test_signless_integers_accept_unsigned_arrays_and_values():
    compiled = compile_module(
        ir.Module.parse(ROUND_TRIP.replace("T", "i8"), make_context()), opt_level=0
    )
    m = np.array([0, 200, 0, 0], np.uint8)
    old, *_ = compiled["rt"](m, 255, np.array(0, np.int8), np.zeros((2, 3), np.int8))
    assert old == -56 and m.tolist() == [255, 200, 0, 0]  # the same bits, read as i8 and u8
    with pytest.raises(ArgumentError, match="256 does not fit in 8 bits"):
        compiled["one"](256)


POSITIONS = """\
func.func @pos(%m: memref<?x?xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = memref.dim %m, %c0 : memref<?x?xf64>
  %cols = memref.dim %m, %c1 : memref<?x?xf64>
  %k = arith.constant 1000.0 : f64
  scf.for %i = %c0 to %rows step %c1 {
    scf.for %j = %c0 to %cols step %c1 {
      %v = memref.load %m[%i, %j] : memref<?x?xf64>
      %i10 = arith.muli %i, %c10 : index
      %p = arith.addi %i10, %j : index
      %pi = arith.index_cast %p : index to i64
      %pf = arith.sitofp %pi : i64 to f64
      %w = arith.mulf %v, %k : f64
      %x = arith.addf %w, %pf : f64
      memref.store %x, %m[%i, %j] : memref<?x?xf64>
    }
  }
  return
}
func.func @pos_static(%m: memref<3x4xf64>) {
  %d = memref.cast %m : memref<3x4xf64> to memref<?x?xf64>
  func.call @pos(%d) : (memref<?x?xf64>) -> ()
  return
}
""".replace(
    "%c1 = arith.constant 1 : index\n",
    "%c1 = arith.constant 1 : index\n  %c10 = arith.constant 10 : index\n",
    1,
)


@pytest.fixture(scope="module")
def positions():
    return compile_module(ir.Module.parse(POSITIONS, make_context()), opt_level=0)


def expected_positions(before):
    i, j = np.indices(before.shape)
    return before * 1000 + i * 10 + j


# Views of a (6, 8) base array, all of shape (3, 4) but one, none C-contiguous in native order.
VIEWS = {
    "transposed": lambda base: base[:4, :3].T,
    "strided": lambda base: base[::2, 1::2],
    "reversed": lambda base: base[2::-1, ::-2],
}
COPIES = {
    "fortran": lambda base: np.asfortranarray(base[:3, :4]),
    "byteswapped": lambda base: base[:3, :4].astype(">f8"),
}


# An empty array fits only the dynamic memref (memref<3x4xf64> cannot be empty).
LAYOUTS = [
    (layout, entry)
    for layout in list(VIEWS) + list(COPIES) + ["empty"]
    for entry in ("pos", "pos_static")
    if not (layout == "empty" and entry == "pos_static")
]


@pytest.mark.parametrize("layout, entry", LAYOUTS)
def test_non_contiguous_arrays_are_written_back(positions, layout, entry):
    """Dynamic and static memrefs read such arrays right, and the writes land in the array
    (in the base array, for a view: there and nowhere else)."""
    base = np.arange(48, dtype=np.float64).reshape(6, 8)
    if layout == "empty":
        view = base[:0, 3:]
        positions[entry](view)
        assert np.array_equal(base, np.arange(48).reshape(6, 8))
        return
    view = (VIEWS.get(layout) or COPIES[layout])(base)
    assert view.shape == (3, 4) and not (view.flags.c_contiguous and view.dtype.isnative)
    before = view.astype(np.float64)
    positions[entry](view)
    assert np.array_equal(view, expected_positions(before))
    if layout in VIEWS:
        expect = np.arange(48, dtype=np.float64).reshape(6, 8)
        VIEWS[layout](expect)[...] = expected_positions(before)
        assert np.array_equal(base, expect)


def test_read_only_and_wrong_rank_arrays_are_rejected(positions):
    with pytest.raises(
        ArgumentError, match=r"argument 0 of @pos \(memref<\?x\?xf64>\): the array is read-only"
    ):
        positions["pos"](np.broadcast_to(np.zeros(4), (3, 4)))
    with pytest.raises(
        ArgumentError,
        match=r"argument 0 of @pos_static \(memref<3x4xf64>\): "
        r"expected rank 2, got an array of rank 1",
    ):
        positions["pos_static"](np.zeros(12))


def test_compiled_once_called_many_times(monkeypatch):
    """The ExecutionEngine is built once per compile_module and entries are looked up once."""
    import pypto_mlir.lowering.cpu as cpu

    built, looked_up = [], []
    real = cpu.ExecutionEngine

    class Counting(real):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__(*args, **kwargs)

        def lookup(self, name):
            looked_up.append(name)
            return super().lookup(name)

    monkeypatch.setattr(cpu, "ExecutionEngine", Counting)
    compiled = compile_module(
        ir.Module.parse(API, make_context()), entries=["scale", "power"], opt_level=0
    )
    a = np.ones(3, np.float32)
    for _ in range(5):
        compiled["scale"](a, 3, 2.0)
        compiled["power"](2.0, 0.5)
    for _ in range(3):
        compiled["scale"].bind(a, 3, 1.0).run()
    assert a.tolist() == [32.0] * 3
    assert built == [1] and sorted(looked_up) == ["power", "scale"]


def test_bind_run_results(api):
    a = np.arange(4, dtype=np.float32)
    call = api["scale"].bind(a, 4, 2.0)
    assert a.tolist() == [0, 1, 2, 3]  # binding runs nothing
    with pytest.raises(RuntimeError, match="results\\(\\) before run\\(\\)"):
        call.results()
    call.run()
    assert call.results() == [12.0] and a.tolist() == [0, 2, 4, 6]
    call.run()  # the same memory again: each run sees what the previous one wrote
    assert call.results() == [24.0] and a.tolist() == [0, 4, 8, 12]
    with pytest.raises(ArgumentError, match="argument 2 of @scale"):
        api["scale"].bind(a, 4, None)
    strided = np.ones(8, np.float32)[::2]
    call = api["scale"].bind(strided, 4, 3.0)
    call.run()
    assert strided.tolist() == [1.0] * 4  # written back by results(), not by run()
    assert call.results() == [12.0] and strided.tolist() == [3.0] * 4


def test_optional_lowering_passes_run_only_when_needed(monkeypatch):
    import pypto_mlir.lowering.cpu as cpu

    pipelines = []
    real = cpu.PassManager

    class Recording:
        @staticmethod
        def parse(text):
            pipelines.append(text)
            return real.parse(text)

    monkeypatch.setattr(cpu, "PassManager", Recording)
    ctx = make_context()
    compile_module(ir.Module.parse(API, ctx), entries=["scale"], opt_level=0)
    compile_module(ir.Module.parse(LINALG_VECTOR, ctx), opt_level=0)
    assert pipelines[0] == cpu.lowering_pipeline(linalg=False, vector=False, powi=False)
    assert (
        "linalg" not in pipelines[0]
        and "vector" not in pipelines[0]
        and "math-to-funcs" not in pipelines[0]
    )
    assert pipelines[1] == cpu.LOWERING_PIPELINE  # matmul, vector ops and fpowi: everything


def test_one_blas_thread_unless_chosen_or_numpy_is_loaded(monkeypatch):
    """The tools' first step (tools/cli.py one_blas_thread): one OpenBLAS thread when numpy is
    not loaded yet, unless the environment chose a number; nothing once numpy is loaded."""
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    one_blas_thread()  # numpy is loaded in this process: too late to matter, left alone
    assert "OPENBLAS_NUM_THREADS" not in os.environ
    monkeypatch.delitem(sys.modules, "numpy")
    one_blas_thread()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")
    one_blas_thread()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "3"
