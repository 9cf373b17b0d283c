"""dialect/affine_values.py against execution: the form of each value, evaluated on the
arguments' values, is what the compiled function returns (CPU JIT), for every op the evaluator
models; and what it proves holds on every sample."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from mlir import ir

from pypto_mlir.dialect import affine_values as av
from pypto_mlir.dialect.context import make_context
from pypto_mlir.dialect.ir_queries import block_ops
from pypto_mlir.lowering.cpu import compile_module

# name -> body line defining %<name> from %x, %y (signed, any sign) and %d (a dim, >= 0).
EXPRS = {
    "one_x": "arith.muli %c1, %x : index",
    "lin": "arith.subi %x3, %y : index",
    "sq": "arith.muli %x, %y : index",
    "fdiv": "arith.floordivsi %x, %c4 : index",
    "cdiv": "arith.ceildivsi %x, %c4 : index",
    "tdiv": "arith.divsi %x, %c4 : index",
    "trem": "arith.remsi %x, %c4 : index",
    "exact": "arith.divsi %x12, %c4 : index",
    "udiv": "arith.divui %d, %c3 : index",
    "urem": "arith.remui %d, %c3 : index",
    "udiv_exact": "arith.divui %d3, %c3 : index",
    "udiv_signed": "arith.divui %x3, %c3 : index",
    "smin": "arith.minsi %x, %y : index",
    "smax": "arith.maxsi %y, %x : index",
    "umin": "arith.minui %d, %x : index",
    "sel_min": "arith.select %lt, %x, %y : index",
    "sel_max": "arith.select %lt, %y, %x : index",
    "sel_ugt": "arith.select %ugt, %y, %x : index",
    "aff": "affine.apply affine_map<(d0)[s0] -> (d0 * 3 + s0 floordiv 2 - s0 mod 5)>(%x)[%y]",
    "amin": "affine.min affine_map<(d0)[s0] -> (d0 + 16, s0, 7)>(%x)[%y]",
    "amax": "affine.max affine_map<(d0)[s0] -> (d0 ceildiv 3, s0 - 2)>(%x)[%y]",
    "dim": "arith.addi %d, %d2 : index",
    "cast": "arith.index_cast %x32s : i32 to index",
    "ucast": "arith.index_castui %d32 : i32 to index",
}
NAMES = list(EXPRS)
RESULTS = ", ".join(["index"] * len(NAMES))

SOURCE = f"""
func.func @exprs(%x: index, %y: index, %m: memref<?xf32>) -> ({RESULTS}) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c12 = arith.constant 12 : index
  %x3 = arith.muli %x, %c3 : index
  %x12 = arith.muli %c12, %x : index
  %d = memref.dim %m, %c0 : memref<?xf32>
  %d3 = arith.muli %d, %c3 : index
  %d2 = memref.dim %m, %c0 : memref<?xf32>
  %lt = arith.cmpi slt, %x, %y : index
  %ugt = arith.cmpi ugt, %x, %y : index
  %x32 = arith.index_cast %x : index to i32
  %c2_i32 = arith.constant 2 : i32
  %x32s = arith.muli %x32, %c2_i32 : i32
  %d32 = arith.index_cast %d : index to i32
{chr(10).join(f"  %{n} = {e}" for n, e in EXPRS.items())}
  return {", ".join(f"%{n}" for n in NAMES)} : {RESULTS}
}}
"""

MASK = (1 << 64) - 1


def _signed(v: int) -> int:
    v &= MASK
    return v - (1 << 64) if v >> 63 else v


def _trunc_div(a: int, c: int) -> int:
    q = abs(a) // c
    return q if a >= 0 else -q


def evaluate(values: av.AffineValues, form: av.Form, env: dict[ir.Value | str, int]) -> int:
    """A form's value when each leaf has the value `env` gives (a reference interpreter); a
    memref.dim's value is env["dim"]."""
    total = 0
    for mono, coefficient in form.terms:
        product = coefficient
        for atom_id in mono:
            product *= _atom_value(values, values.atom(atom_id), env)
        total += product
    return total


def _atom_value(values: av.AffineValues, atom: av.Atom, env: dict[ir.Value | str, int]) -> int:
    if atom.kind in (av.LEAF, av.IV):
        return env[atom.value]
    if atom.kind == av.DIM:
        return env["dim"]
    xs = [evaluate(values, f, env) for f in atom.forms]
    c = atom.divisor
    return {
        av.MIN: lambda: min(xs),
        av.MAX: lambda: max(xs),
        av.UMIN: lambda: _signed(min(x & MASK for x in xs)),
        av.UMAX: lambda: _signed(max(x & MASK for x in xs)),
        av.FLOORDIV: lambda: xs[0] // c,
        av.CEILDIV: lambda: -(-xs[0] // c),
        av.MOD: lambda: xs[0] % c,
        av.DIVSI: lambda: _trunc_div(xs[0], c),
        av.REMSI: lambda: xs[0] - _trunc_div(xs[0], c) * c,
        av.DIVUI: lambda: _signed((xs[0] & MASK) // c),
        av.REMUI: lambda: _signed((xs[0] & MASK) % c),
        av.ZEXT: lambda: xs[0] & ((1 << 32) - 1),
    }[atom.kind]()


@pytest.fixture(scope="module")
def setup():
    with make_context():
        module = ir.Module.parse(SOURCE)
        fn = block_ops(module.body)[0]
        args = list(fn.regions[0].blocks[0].arguments)
        returned = block_ops(fn.regions[0].blocks[0])[-1].operands
        values = av.AffineValues()
        forms = {n: values.form(v) for n, v in zip(NAMES, returned, strict=True)}
        compiled = compile_module(module, opt_level=0)
        yield values, forms, args, compiled


SAMPLES = list(itertools.product([-37, -8, -5, -1, 0, 1, 3, 4, 11, 40], [-9, -4, 0, 2, 5, 31]))


def test_forms_compute_what_the_program_computes(setup):
    values, forms, args, compiled = setup
    x, y = args[0], args[1]
    for (xv, yv), dim in zip(SAMPLES, itertools.cycle([0, 1, 5, 12, 7]), strict=False):
        got = compiled["exprs"](xv, yv, np.zeros(dim, np.float32))
        env = {x: xv, y: yv, "dim": dim}
        for name, result in zip(NAMES, got, strict=True):
            assert evaluate(values, forms[name], env) == result, (name, xv, yv, dim)


def test_spellings_give_one_form(setup):
    values, forms, args, _ = setup
    x = values.form(args[0])
    assert forms["one_x"] == x
    assert forms["exact"] == x.scale(3)  # (12 * x) / 4
    assert forms["sel_min"] == forms["smin"]  # select(x < y, x, y)
    assert forms["sel_max"] == forms["smax"]
    assert forms["dim"].terms[0][1] == 2  # the same memref.dim twice: one atom, twice
    assert forms["cast"] == x.scale(2)
    assert forms["udiv_exact"] == forms["dim"].divided_by(2)  # (3 * d) / 3 = d, d >= 0
    assert forms["udiv_signed"] != x  # 3 * x / 3 unsigned is x only when x >= 0


# (question, provable): each provable one must hold on every sample.
PROOFS = [
    ("trem <= 3", True),
    ("-3 <= trem", True),
    ("urem <= 2", True),
    ("0 <= urem", True),
    ("0 <= dim", True),
    ("smin <= smax", True),
    ("amin <= 7", True),
    ("umin <= dim", True),
    ("0 <= ucast", True),
    ("trem <= 2", False),
    ("smax <= smin", False),
    ("0 <= fdiv", False),
]


@pytest.mark.parametrize("question,provable", PROOFS)
def test_proofs_hold(setup, question, provable):
    values, forms, args, compiled = setup
    lhs, rhs = (s.strip() for s in question.split("<="))

    def form(s: str) -> av.Form:
        return forms[s] if s in forms else av.Form.constant(int(s))

    assert values.prove_le(form(lhs), form(rhs)) is provable
    x, y = args[0], args[1]
    for (xv, yv), dim in zip(SAMPLES, itertools.cycle([0, 1, 5, 12]), strict=False):
        env = {x: xv, y: yv, "dim": dim}
        if provable:
            assert evaluate(values, form(lhs), env) <= evaluate(values, form(rhs), env)


def test_leaves_name_the_values(setup):
    values, forms, args, _ = setup
    described = [av.describe_value(v, lambda op: "here") for v in values.leaves([forms["lin"]])]
    assert described == ["%arg0 of @exprs", "%arg1 of @exprs"]
    dims = values.leaves([forms["dim"]])
    assert [av.describe_value(v, lambda op: "here") for v in dims] == [
        "the result of memref.dim at here"
    ]
