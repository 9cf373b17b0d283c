"""Differential execution for the transforms that change the order or the number of runs of
iterations: `pl-interchange-chunk-loops` and the `shift_inwards` policy. Where they apply (and
where they refuse to), the result equals the unchunked program's, bit for bit.

(test_differential.py cannot cover them: its loops carry values, which both forbid.)

Interchange cases are nests of `pl.parallel` chunked loops over an i64 matrix, some eligible,
some that must be left alone (work with effects before the inner loop). shift_inwards cases
are store-only loops, so re-running an iteration is invisible.
"""

from __future__ import annotations

import numpy as np
import pytest
from mlir import ir

from pypto_mlir.dialect.attrs import strip_pl
from pypto_mlir.dialect.context import make_context
from pypto_mlir.lowering.cpu import CompiledModule, compile_module, copy_module
from pypto_mlir.passes import build_pass_manager, interchange_chunk_loops

# m[i, j] = m[i, j] * 31 + i * 1000 + j: a wrong, missing or repeated iteration shows.
_UPDATE = """
      %x = memref.load %m[{i}, {j}] : memref<?x?xi64>
      %i64 = arith.index_cast {i} : index to i64
      %j64 = arith.index_cast {j} : index to i64
      %a = arith.muli %x, %c31 : i64
      %b = arith.muli %i64, %c1000 : i64
      %c = arith.addi %a, %b : i64
      %d = arith.addi %c, %j64 : i64
      memref.store %d, %m[{i}, {j}] : memref<?x?xi64>"""

_PRELUDE = """  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c31 = arith.constant 31 : i64
  %c1000 = arith.constant 1000 : i64
"""


def _nest(name: str, c1: int, c2: int, before: str = "") -> str:
    return f"""func.func @{name}(%m: memref<?x?xi64>, %flag: memref<?xi64>, %n1: index, %n2: index) {{
{_PRELUDE}  scf.for %i = %c0 to %n1 step %c1 {{{before}
    scf.for %j = %c0 to %n2 step %c1 {{{_UPDATE.format(i="%i", j="%j")}
    }} {{pl.chunk = {c2}, pl.parallel}}
  }} {{pl.chunk = {c1}, pl.parallel}}
  return
}}
"""  # noqa: E501 - MLIR input keeps one op per line


def _three(
    name: str, chunks: tuple[int, int, int], n3: str, row: str = "%j", before: str = ""
) -> str:
    """Three nested parallel chunked loops: m[i, row] = m[i, row] * 31 + k for k < n3, in k
    order per element (what interchange keeps)."""
    c1, c2, c3 = chunks
    return f"""func.func @{name}(%m: memref<?x?xi64>, %flag: memref<?xi64>, %n1: index, %n2: index) {{
{_PRELUDE}  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %n1 step %c1 {{
    scf.for %j = %c0 to %n2 step %c1 {{{before}
      scf.for %k = %c0 to {n3} step %c1 {{
        %x = memref.load %m[%i, {row}] : memref<?x?xi64>
        %k64 = arith.index_cast %k : index to i64
        %y = arith.muli %x, %c31 : i64
        %z = arith.addi %y, %k64 : i64
        memref.store %z, %m[%i, {row}] : memref<?x?xi64>
      }} {{pl.chunk = {c3}, pl.parallel}}
    }} {{pl.chunk = {c2}, pl.parallel}}
  }} {{pl.chunk = {c1}, pl.parallel}}
  return
}}
"""  # noqa: E501 - MLIR input keeps one op per line


# name -> (source, interchanged by the pass)
INTERCHANGE = {
    "plain_2x4": (_nest("plain_2x4", 2, 4), True),
    "plain_3x3": (_nest("plain_3x3", 3, 3), True),
    "plain_4x1": (_nest("plain_4x1", 4, 1), True),
    # Per-row computation before the inner loop (i mod n1 = i) moves into the innermost guard.
    "row_math": (
        """func.func @row_math(%m: memref<?x?xi64>, %flag: memref<?xi64>, %n1: index, %n2: index) {
"""
        + _PRELUDE
        + """  scf.for %i = %c0 to %n1 step %c1 {
    %r = arith.remui %i, %n1 : index
    scf.for %j = %c0 to %n2 step %c1 {"""
        + _UPDATE.format(i="%r", j="%j")
        + """
    } {pl.chunk = 4, pl.parallel}
  } {pl.chunk = 2, pl.parallel}
  return
}
""",
        True,
    ),
    # Effects before the inner loop: left alone.
    "store_before": (
        _nest(
            "store_before",
            2,
            4,
            before="""
    %i64s = arith.index_cast %i : index to i64
    memref.store %i64s, %flag[%i] : memref<?xi64>""",
        ),
        False,
    ),
    "invariant_store": (
        _nest(
            "invariant_store",
            2,
            4,
            before="""
    memref.store %c31, %flag[%c0] : memref<?xi64>""",
        ),
        False,
    ),
    "load_before": (
        """func.func @load_before(%m: memref<?x?xi64>, %flag: memref<?xi64>, %n1: index, %n2: index) {
"""  # noqa: E501 - MLIR input keeps one op per line
        + _PRELUDE
        + """  scf.for %i = %c0 to %n1 step %c1 {
    %b = memref.load %m[%i, %c0] : memref<?x?xi64>
    scf.for %j = %c0 to %n2 step %c1 {
      %x = memref.load %m[%i, %j] : memref<?x?xi64>
      %y = arith.addi %x, %b : i64
      memref.store %y, %m[%i, %j] : memref<?x?xi64>
    } {pl.chunk = 4, pl.parallel}
  } {pl.chunk = 2, pl.parallel}
  return
}
""",
        False,
    ),
    # Three levels, all interchanged.
    "three_levels": (_three("three_levels", (2, 4, 2), "%c3"), True),
    # Three dynamic levels (the third runs n2 times).
    "three_dynamic": (
        _three(
            "three_dynamic",
            (2, 3, 2),
            "%n2",
            row="%r",
            before="""
      %r = arith.remui %j, %n2 : index""",
        ),
        True,
    ),
    # Four levels, two of them static.
    "four_levels": (
        """func.func @four_levels(%m: memref<?x?xi64>, %flag: memref<?xi64>, %n1: index, %n2: index) {
"""  # noqa: E501 - MLIR input keeps one op per line
        + _PRELUDE
        + """  %c2 = arith.constant 2 : index
  %c5 = arith.constant 5 : index
  scf.for %i = %c0 to %n1 step %c1 {
    scf.for %a = %c0 to %c2 step %c1 {
      scf.for %j = %c0 to %n2 step %c1 {
        scf.for %k = %c0 to %c5 step %c1 {
          %x = memref.load %m[%i, %j] : memref<?x?xi64>
          %a64 = arith.index_cast %a : index to i64
          %k64 = arith.index_cast %k : index to i64
          %y = arith.muli %x, %c31 : i64
          %z = arith.addi %y, %k64 : i64
          %w = arith.addi %z, %a64 : i64
          memref.store %w, %m[%i, %j] : memref<?x?xi64>
        } {pl.chunk = 2, pl.parallel}
      } {pl.chunk = 4, pl.parallel}
    } {pl.chunk = 1, pl.parallel}
  } {pl.chunk = 3, pl.parallel}
  return
}
""",
        True,
    ),
    # Three levels, a store before the third: the outer two are interchanged, the third stays.
    "two_of_three": (
        _three(
            "two_of_three",
            (2, 4, 2),
            "%c3",
            before="""
      %i64 = arith.index_cast %i : index to i64
      memref.store %i64, %flag[%i] : memref<?xi64>""",
        ),
        True,
    ),
}

SIZES = [(0, 3), (3, 0), (1, 1), (2, 4), (5, 7), (8, 8), (9, 13)]

INTERCHANGE_PIPELINES = {
    "guarded-raw": "pl-split-chunked-loops{policy=guarded}, pl-interchange-chunk-loops",
    "guarded": "pl-split-chunked-loops{policy=guarded}, pl-interchange-chunk-loops, "
    "canonicalize, cse",
    "guarded+unswitch": "pl-split-chunked-loops{policy=guarded}, pl-interchange-chunk-loops, "
    "pl-unswitch-guards, pl-normalize-int-loops, canonicalize, cse",
    "leading_full": "pl-split-chunked-loops{policy=leading_full}, pl-interchange-chunk-loops, "
    "canonicalize, cse",
    "auto": "pl-split-chunked-loops{policy=auto}, pl-interchange-chunk-loops, canonicalize, cse",
}


def _compile_variants(source: str, pipelines: dict[str, str]) -> dict[str, CompiledModule]:
    """The module compiled as it is (its `pl.*` attributes stripped: "reference") and after each
    of `pipelines` (name -> passes), at -O0."""
    ctx = make_context()
    with ctx:
        module = ir.Module.parse(source)
    ref = copy_module(module)
    strip_pl(ref)
    out = {"reference": compile_module(ref, opt_level=0)}
    for name, pipe in pipelines.items():
        m = copy_module(module)
        build_pass_manager(f"builtin.module({pipe})", ctx).run(m.operation)
        assert "pl.chunk =" not in str(m)
        out[name] = compile_module(m, opt_level=0)
    return out


@pytest.fixture(scope="module")
def interchange_variants():
    return _compile_variants("".join(src for src, _ in INTERCHANGE.values()), INTERCHANGE_PIPELINES)


def _matrix(n1: int, n2: int) -> np.ndarray:
    return (np.arange(max(n1, 1) * max(n2, 1), dtype=np.int64) * 7 - 50).reshape(
        max(n1, 1), max(n2, 1)
    )


@pytest.mark.parametrize("name", sorted(INTERCHANGE))
def test_interchange_is_exact(interchange_variants, name):
    for n1, n2 in SIZES:
        m, flag = _matrix(n1, n2), np.full(max(n1, 1), -1, dtype=np.int64)
        interchange_variants["reference"][name].call(m, flag, n1, n2)
        for variant in INTERCHANGE_PIPELINES:
            got_m, got_flag = _matrix(n1, n2), np.full(max(n1, 1), -1, dtype=np.int64)
            interchange_variants[variant][name].call(got_m, got_flag, n1, n2)
            assert np.array_equal(got_m, m), f"{name}({n1}, {n2}): {variant} differs"
            assert np.array_equal(got_flag, flag), f"{name}({n1}, {n2}): {variant} flag differs"


def test_interchange_applies_where_it_should():
    """The eligible nests really are interchanged (else the test above proves little), the
    others are not."""
    for name, (source, eligible) in INTERCHANGE.items():
        ctx = make_context()
        with ctx:
            module = ir.Module.parse(source)
        build_pass_manager("builtin.module(pl-split-chunked-loops{policy=guarded})", ctx).run(
            module.operation
        )
        assert interchange_chunk_loops(module) == (1 if eligible else 0), name


# -- shift_inwards ---------------------------------------------------------------------------


def _shift_1d(name: str, c: int) -> str:
    return f"""func.func @{name}(%a: memref<?xi64>, %lb: index, %ub: index) {{
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : i64
  scf.for %i = %lb to %ub step %c1 {{
    %i64 = arith.index_cast %i : index to i64
    %v = arith.muli %i64, %c7 : i64
    memref.store %v, %a[%i] : memref<?xi64>
  }} {{pl.chunk = {c}, pl.chunk_policy = "shift_inwards"}}
  return
}}
"""


SHIFT = {f"shift_c{c}": _shift_1d(f"shift_c{c}", c) for c in (1, 3, 4, 8)}
SHIFT[
    "shift_2d"
] = """func.func @shift_2d(%m: memref<?x?xi64> {llvm.noalias}, %x: memref<?x?xi64> {llvm.noalias}, %n1: index, %n2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n1 step %c1 {
    scf.for %j = %c0 to %n2 step %c1 {
      %v = memref.load %x[%i, %j] : memref<?x?xi64>
      %w = arith.addi %v, %v : i64
      memref.store %w, %m[%i, %j] : memref<?x?xi64>
    } {pl.chunk = 4, pl.chunk_policy = "shift_inwards", pl.parallel}
  } {pl.chunk = 3, pl.chunk_policy = "shift_inwards"}
  return
}
"""  # noqa: E501 - MLIR input keeps one op per line
SHIFT_PIPELINES = {
    "raw": "pl-split-chunked-loops",
    "pl-default": "pl-default",
    "pl-default-no-unswitch": "pl-default{unswitch=false}",
}
# (lb, ub): T = 0, 1, and around 1, 2 and 3 chunks of every C above, and a descending range.
BOUNDS = [(0, 0), (5, 5), (9, 3), (0, 1), (2, 3)] + [(1, 1 + t) for t in range(2, 26)]


@pytest.fixture(scope="module")
def shift_variants():
    return _compile_variants("".join(SHIFT.values()), SHIFT_PIPELINES)


@pytest.mark.parametrize("name", sorted(n for n in SHIFT if n != "shift_2d"))
def test_shift_inwards_is_exact(shift_variants, name):
    for lb, ub in BOUNDS:
        ref = np.full(32, -1, dtype=np.int64)
        shift_variants["reference"][name].call(ref, lb, ub)
        for variant in SHIFT_PIPELINES:
            got = np.full(32, -1, dtype=np.int64)
            shift_variants[variant][name].call(got, lb, ub)
            assert np.array_equal(got, ref), f"{name}({lb}, {ub}): {variant} differs"


def test_shift_inwards_nested_is_exact(shift_variants):
    for n1, n2 in SIZES + [(4, 3), (3, 4), (7, 11)]:
        x = _matrix(n1, n2)
        ref = np.zeros_like(x)
        shift_variants["reference"]["shift_2d"].call(ref, x, n1, n2)
        for variant in SHIFT_PIPELINES:
            got = np.zeros_like(x)
            shift_variants[variant]["shift_2d"].call(got, x, n1, n2)
            assert np.array_equal(got, ref), f"shift_2d({n1}, {n2}): {variant} differs"
