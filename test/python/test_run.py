"""pypto-run and the CPU lowering's Python API: results, the calling convention, and errors
(one line, exit 1, never a traceback)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from mlir import ir

from pypto_mlir.dialect.context import make_context
from pypto_mlir.lowering.abi import ArgumentError
from pypto_mlir.lowering.cpu import CompileError, compile_module
from pypto_mlir.tools import run as run_tool
from pypto_mlir.tools.cli import run_main

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
    code, out, err = run_inproc(capsys, files / "k.mlir", "--entry", "k", "--arg", files / "out.npy",
                                "--arg", "7", "--arg", "-7", "--arg=-1e-3")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "result0 = 21"
    assert lines[1].startswith("result1 = -0.00")
    assert lines[2] == "arg0 = [  0,  -7, -14, -21, -28, -35, -42]"
    assert np.load(files / "out.npy").tolist() == [0] * 7  # the input file never changes


def test_negative_value_after_separate_arg_flag(files, capsys):
    code, out, _ = run_inproc(capsys, files / "k.mlir", "--entry", "k", "--arg", files / "out.npy",
                              "--arg", "3", "--arg", "-2", "--arg", "-1e-3")
    assert code == 0 and "arg0 = [ 0, -2, -4,  0,  0,  0,  0]" in out


def test_out_dir_files(files, capsys):
    d = files / "res"
    code, out, _ = run_inproc(capsys, files / "k.mlir", "--entry", "flag", "--arg", "true",
                              "--arg", files / "m23.npy", "--out-dir", d)
    assert code == 0 and out == ""
    assert sorted(os.listdir(d)) == ["arg1.npy", "result0.npy", "result1.npy"]
    assert np.load(d / "result0.npy").dtype == np.bool_ and bool(np.load(d / "result0.npy"))
    assert np.array_equal(np.load(d / "result1.npy"), np.arange(6, dtype=np.float32).reshape(2, 3))
    assert np.array_equal(np.load(d / "arg1.npy"), np.load(files / "m23.npy"))


def test_explicit_pipeline(files, capsys):
    code, out, _ = run_inproc(capsys, files / "k.mlir", "--entry", "k", "-p",
                              "builtin.module(pl-split-chunked-loops{policy=leading_full})",
                              "--arg", files / "out.npy", "--arg", "5", "--arg", "1", "--arg", "0.5")
    assert code == 0 and out.splitlines()[:2] == ["result0 = 10", "result1 = 2.5"]


@pytest.mark.parametrize("argv, message", [
    (["--entry", "nope"], "no function @nope (functions: @decl, @flag, @k)"),
    (["--entry", "decl", "--arg", "1"], "@decl is only a declaration"),
    (["--entry", "k", "--arg", "{out}"], "@k takes 4 argument(s) (memref<?xi64>, index, i32, f64), got 1"),
    (["--entry", "k", "--arg", "missing.npy", "--arg", "1", "--arg", "1", "--arg", "1"],
     "argument 0 of @k (memref<?xi64>): cannot read 'missing.npy': no such file"),
    (["--entry", "k", "--arg", "{f32}", "--arg", "1", "--arg", "1", "--arg", "1"],
     "expected dtype int64, got float32"),
    (["--entry", "flag", "--arg", "1", "--arg", "{out}"], "expected dtype float32, got int64"),
    (["--entry", "flag", "--arg", "1", "--arg", "{m32}"], "dimension 0 must be 2, got shape (3, 2)"),
    (["--entry", "flag", "--arg", "2", "--arg", "{m23}"], "expected 0, 1, true or false, got '2'"),
    (["--entry", "k", "--arg", "{out}", "--arg", "1.5", "--arg", "1", "--arg", "1"],
     "argument 1 of @k (index): expected an integer literal, got '1.5'"),
    (["--entry", "k", "--arg", "{out}", "--arg", "1", "--arg", "4294967296", "--arg", "1"],
     "does not fit in 32 bits"),
    (["--entry", "k", "--arg", "{out}", "--arg", "1", "--arg", "1", "--arg", "x"],
     "expected a float literal, got 'x'"),
    (["--entry", "k", "--arg", "{mlir}", "--arg", "1", "--arg", "1", "--arg", "1"], "is not a .npy file"),
    (["--entry", "k", "-p", "builtin.module(bogus-pass)"], "unknown pass or pipeline 'bogus-pass'"),
    (["--arg", "1"], "the following arguments are required: --entry"),
])
def test_errors_are_one_line(files, capsys, argv, message):
    np.save(files / "m32.npy", np.zeros((3, 2), np.float32))
    subst = {"{out}": files / "out.npy", "{f32}": files / "f32.npy", "{m23}": files / "m23.npy",
             "{m32}": files / "m32.npy", "{mlir}": files / "k.mlir"}
    argv = [str(subst.get(a, a)) for a in argv]
    os.chdir(files)
    code, out, err = run_inproc(capsys, "k.mlir", *argv)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("pypto-run: error: "), err
    assert message in err


def test_invalid_ir_and_pl_errors(files, capsys):
    (files / "bad.mlir").write_text("func.func @f( {\n")
    code, _, err = run_inproc(capsys, files / "bad.mlir", "--entry", "f")
    assert code == 1 and err.count("\n") == 1 and "bad.mlir:1:" in err
    (files / "chunk0.mlir").write_text(KERNEL.replace("pl.chunk = 4", "pl.chunk = 0"))
    code, _, err = run_inproc(capsys, files / "chunk0.mlir", "--entry", "k")
    assert code == 1 and err.count("\n") == 1
    assert "chunk0.mlir:5:" in err and "positive" in err


def test_end_to_end_subprocess(files):
    """The installed console script: exit codes, stdout, and no traceback on errors."""
    ok = subprocess.run([PYPTO_RUN, "k.mlir", "--entry", "k", "--arg", "out.npy", "--arg", "2",
                         "--arg", "-7", "--arg=-1e-3"], cwd=files, capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stderr == ""
    assert ok.stdout.splitlines()[0] == "result0 = 1"
    bad = subprocess.run([PYPTO_RUN, "k.mlir", "--entry", "k", "--arg", "nothere.npy", "--arg", "1",
                          "--arg", "1", "--arg", "1"], cwd=files, capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    binary = files / "bin.mlir"
    binary.write_bytes(b"\x00\xff\xfe")
    bad = subprocess.run([PYPTO_RUN, "bin.mlir", "--entry", "k"], cwd=files, capture_output=True, text=True)
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
"""


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
    assert api["power"](1.0001, 1234.5) == 1.0001 ** 1234.5


@pytest.mark.parametrize("fn, args, match", [
    ("scale", (np.zeros(3, np.float32),), r"@scale takes 3 argument\(s\) \(memref<\?xf32>, index, f32\), got 1"),
    ("scale", (np.zeros(3, np.float64), 1, 1.0), "argument 0 of @scale .* expected dtype float32, got float64"),
    ("scale", (np.zeros((1, 3), np.float32), 1, 1.0), "argument 0 .* expected rank 1"),
    ("scale", ([1.0], 1, 1.0), "argument 0 .* expected a numpy array, got list"),
    ("scale", (np.zeros(3, np.float32), 1.5, 1.0), r"argument 1 of @scale \(index\): expected an integer"),
    ("scale", (np.zeros(3, np.float32), 1, "x"), r"argument 2 of @scale \(f32\): expected a float"),
    ("nothing", (np.zeros(5, np.int8),), "dimension 0 must be 4, got shape"),
    ("many", (np.zeros((2, 3), np.int32), 2, 1.0, 0, 0), "expected 0, 1, True or False"),
    ("many", (np.zeros((2, 3), np.int32), 1, 1.0, 300, 0), "300 does not fit in 8 bits"),
])
def test_api_argument_errors(api, fn, args, match):
    with pytest.raises(ArgumentError, match=match):
        api[fn](*args)


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
    vec = ir.Module.parse("func.func @v(%x: vector<4xf32>) { return }\n"
                          "func.func @ok(%n: index) -> index { return %n : index }", ctx)
    compiled = compile_module(vec, opt_level=0)  # @v lowers but cannot be called: skipped
    assert compiled["ok"](5) == 5
    with pytest.raises(KeyError, match="@v cannot be called from Python: argument 0"):
        compiled["v"]
    with pytest.raises(KeyError, match="no entry function @power"):
        compile_module(module, entries=["scale"], opt_level=0)["power"]


def test_unlowerable_op_is_named_with_its_location(tmp_path, capsys):
    (tmp_path / "fill.mlir").write_text(
        "func.func @f(%m: memref<4xf32>) {\n"
        "  %c = arith.constant 1.0 : f32\n"
        "  linalg.fill ins(%c : f32) outs(%m : memref<4xf32>)\n"
        "  return\n}\n")
    np.save(tmp_path / "m.npy", np.zeros(4, np.float32))
    code, out, err = run_inproc(capsys, tmp_path / "fill.mlir", "--entry", "f", "--arg", tmp_path / "m.npy")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "fill.mlir:3:3: 'linalg.fill' cannot be lowered to LLVM" in err
