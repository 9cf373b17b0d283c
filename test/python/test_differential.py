"""Differential execution: pl-split-chunked-loops is exact, bit for bit.

Every case is a function whose loop records what it does: the IV of each iteration in visit
order (a trace array), an order-sensitive float accumulation and integer hash in iter_args, and
stores at addresses derived from the IV. All cases live in one module, which runs through
twelve variants (the JIT is the expensive part: a function whose IR, its name aside, equals one
already compiled shares that code, as the same IR gives the same machine code):

* reference: the `pl.*` attributes removed, lowered as written. No canonicalize: upstream
  canonicalize (22.1.8) deletes i32 loops whose span ub - lb overflows.
* for P in guarded, leading_full: `pl-split-chunked-loops{policy=P}, canonicalize, cse`, the
  raw split alone, and `pl-default{policy=P}`; and the raw guarded split followed by
  `pl-unswitch-guards` (the fast path of each full chunk next to the guarded loop).
* the unchunked module through `pl-default` (pl-normalize-int-loops, then canonicalize).
* the clamped policy (raw and through pl-default) and the auto policy (through pl-default).
  (shift_inwards re-runs iterations, which these loops, all carrying values, forbid: pypto-fuzz
  checks it on store-only bodies.)

Each variant must give the reference's results and memory exactly; the reference trace must
also equal Python's own `range` (so the oracle itself is checked).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest
from mlir import ir
from mlir.dialects import arith, func, memref

from pypto_mlir.dialect.attrs import strip_pl
from pypto_mlir.dialect.context import make_context
from pypto_mlir.dialect.loop_builder import chunked_for
from pypto_mlir.lowering.cpu import Function, compile_module, copy_module
from pypto_mlir.passes import build_pass_manager

POLICIES = ("guarded", "leading_full")
SLACK = 24  # extra trace slots: a wrong split that runs too many iterations shows up in them
SENTINEL = -0x5A5A5A5A5A5A5A5A


@dataclass
class Call:
    """One run of a case: the scalar arguments and the IVs the loop must visit, in order."""

    scalars: tuple[int, ...]
    expected: list[int] | None = None  # None: not checked against Python (nested, contexts)
    trace_len: int = 64


@dataclass
class Case:
    name: str
    calls: list[Call]
    # Makes the array arguments of one call (fresh each time): trace first, then extras.
    arrays: Callable[[Call], list[np.ndarray]] = field(
        default=lambda call: [np.full(call.trace_len, SENTINEL, np.int64)]
    )


CASES: dict[str, Case] = {}
FUNCS: list[str] = []


def _add(name: str, text: str, calls: list[Call], arrays=None) -> None:
    FUNCS.append(text)
    case = Case(name, calls)
    if arrays is not None:
        case.arrays = arrays
    CASES[name] = case


# -- the loop kernel ---------------------------------------------------------------------------


def _to_i64(t: str, unsigned: bool, v: str, out: str) -> str:
    if t == "index":
        return f"    {out} = arith.index_cast {v} : index to i64\n"
    if t == "i64":
        return f"    {out} = arith.addi {v}, %zero64 : i64\n"
    ext = "extui" if unsigned else "extsi"
    return f"    {out} = arith.{ext} {v} : {t} to i64\n"


def _attrs(chunk: int, policy: str | None, extra: str = "") -> str:
    items = [f"pl.chunk = {chunk} : i64"]
    if policy:
        items.append(f'pl.chunk_policy = "{policy}"')
    if extra:
        items.append(extra)
    return "{" + ", ".join(items) + "}"


def loop_text(
    t: str,
    lb: str,
    ub: str,
    step: str,
    chunk: int,
    policy: str | None,
    unsigned: bool = False,
    trace: str = "%trace",
    n0: str = "%c0",
    acc0: str = "%f0",
    h0: str = "%h0",
    tag: str = "%zero64",
    res: str = "%r",
) -> str:
    """A chunked loop with iter_args (count: index, acc: f32, hash: i64) that appends each IV
    (plus `tag`) to `trace`. Results: {res}#0..2."""
    type_suffix = "" if t == "index" else f" : {t}"
    u = "unsigned " if unsigned else ""
    return (
        f"  {res}:3 = scf.for {u}%iv = {lb} to {ub} step {step} "
        f"iter_args(%n = {n0}, %acc = {acc0}, %h = {h0}) -> (index, f32, i64){type_suffix} {{\n"
        + _to_i64(t, unsigned, "%iv", "%v0")
        + f"    %v = arith.addi %v0, {tag} : i64\n"
        f"    memref.store %v, {trace}[%n] : memref<?xi64>\n"
        "    %n1 = arith.addi %n, %c1 : index\n"
        "    %fv = arith.sitofp %v : i64 to f32\n"
        "    %a1 = arith.mulf %acc, %fk : f32\n"
        "    %a2 = arith.addf %a1, %fv : f32\n"
        "    %h1 = arith.muli %h, %c31 : i64\n"
        "    %h2 = arith.xori %h1, %v : i64\n"
        "    scf.yield %n1, %a2, %h2 : index, f32, i64\n"
        f"  }} {_attrs(chunk, policy)}\n"
    )


PRELUDE = (
    "  %c0 = arith.constant 0 : index\n"
    "  %c1 = arith.constant 1 : index\n"
    "  %zero64 = arith.constant 0 : i64\n"
    "  %c31 = arith.constant 31 : i64\n"
    "  %h0 = arith.constant 7 : i64\n"
    "  %f0 = arith.constant 0.5 : f32\n"
    "  %fk = arith.constant 1.00012 : f32\n"
)


def _python_range(lb: int, ub: int, step: int, bits: int, unsigned: bool) -> list[int]:
    if unsigned:
        m = (1 << bits) - 1
        lb, ub, step = lb & m, ub & m, step & m
        values = list(range(lb, ub, step)) if step else []
        if bits == 64:  # the trace holds i64 bits: read them as signed
            values = [v - (1 << 64) if v >= 1 << 63 else v for v in values]
        return values
    return list(range(lb, ub, step))


def simple_case(
    name: str,
    t: str,
    bounds: tuple[int | None, ...],
    chunk: int,
    policy: str | None,
    runs: list[tuple[int, int, int]],
    unsigned: bool = False,
) -> None:
    """One loop. `bounds` = (lb, ub, step) with an int for a constant and None for a function
    argument; `runs` gives the full (lb, ub, step) of each call."""
    params, consts, names = ["%trace: memref<?xi64>"], "", []
    for label, b in zip(("lb", "ub", "st"), bounds, strict=False):
        if b is None:
            params.append(f"%{label}: {t}")
        else:
            consts += f"  %{label} = arith.constant {b} : {t}\n"
        names.append(f"%{label}")
    text = (
        f"func.func @{name}({', '.join(params)}) -> (index, f32, i64) {{\n"
        + PRELUDE
        + consts
        + loop_text(t, *names, chunk, policy, unsigned)
        + "  return %r#0, %r#1, %r#2 : index, f32, i64\n}\n"
    )
    bits = 64 if t == "index" else int(t[1:])
    calls = []
    for run in runs:
        scalars = tuple(v for v, b in zip(run, bounds, strict=False) if b is None)
        exp = _python_range(*run, bits, unsigned)
        calls.append(Call(scalars, exp, len(exp) + 2 * chunk + SLACK))
    _add(name, text, calls)


# -- the inventory -----------------------------------------------------------------------------


def _sweep() -> None:
    """T in {0, 1, C-1, C, C+1, 2C, 3C+r}, static and dynamic bounds, steps, lower bounds."""
    for C in (4, 5):
        trips = sorted({0, 1, C - 1, C, C + 1, 2 * C, 3 * C + 2})
        for T in trips:
            simple_case(f"static_c{C}_t{T}", "index", (0, T, 1), C, None, [(0, T, 1)])
            simple_case(
                f"static_step3_c{C}_t{T}",
                "index",
                (2, 2 + 3 * T - 1, 3),
                C,
                None,
                [(2, 2 + 3 * T - 1, 3)],
            )
        dyn = [(0, T, 1) for T in trips] + [
            (5, 5, 1),
            (9, 2, 1),
            (-5, -5 + 3 * C + 1, 1),
            (-7, 20, 3),
            (3, 3 + 2 * C * 4, 4),
            (0, 13, 13),
        ]
        simple_case(f"dyn_all_c{C}", "index", (None, None, None), C, None, dyn)
        simple_case(
            f"dyn_ub_c{C}",
            "index",
            (0, None, 1),
            C,
            None,
            [(0, T, 1) for T in trips] + [(0, -3, 1)],
        )
        simple_case(
            f"dyn_lb_c{C}",
            "index",
            (None, 40, 2),
            C,
            None,
            [(lb, 40, 2) for lb in (40, 39, 38, 30, 33, 0, -9, 41, 100)],
        )
    # A loop-own policy wins over the pass option, both ways.
    for p in POLICIES:
        simple_case(
            f"own_policy_{p}",
            "index",
            (0, None, 1),
            3,
            p,
            [(0, T, 1) for T in (0, 1, 2, 3, 4, 7, 11)],
        )


I32_MAX, I64_MAX = 2**31 - 1, 2**63 - 1


def _limits() -> None:
    """i32/i64 IVs near the type limits: spans that overflow, chunks past the maximum. Every
    source loop is itself free of overflow (its last IV + step still fits the type): scf.for
    wraps otherwise, and the reference would loop forever."""
    i32 = [
        (-2000000000, 1500000000, 1200000000, 2),  # span overflows i32, T = 3
        (2**31 - 20, 2**31 - 9, 3, 8),  # chunk larger than what is left
        (2**31 - 20, 2**31 - 1, 1, 8),
        (-(2**31), -(2**31) + 10, 4, 4),
        (-(2**31), 2**31 - 1, 1431655765, 2),  # the whole range, T = 3
        (I32_MAX - 1, I32_MAX, 1, 5),
    ]
    i64 = [
        (-8000000000000000000, 6000000000000000000, 5000000000000000000, 2),
        (2**63 - 20, 2**63 - 9, 3, 8),
        (2**63 - 20, 2**63 - 1, 1, 8),
        (-(2**63), -(2**63) + 10, 4, 4),
        (-(2**63), 2**63 - 1, 6148914691236517205, 2),
    ]
    for t, rows in (("i32", i32), ("i64", i64), ("index", i64)):
        for n, (lb, ub, step, C) in enumerate(rows):
            simple_case(f"limit_{t}_{n}_static", t, (lb, ub, step), C, None, [(lb, ub, step)])
            simple_case(
                f"limit_{t}_{n}_dyn",
                t,
                (None, None, None),
                C,
                None,
                [(lb, ub, step), (ub, lb, step), (lb, lb + 1, step)],
            )
    # scf.for unsigned: the bounds compare as unsigned numbers.
    simple_case(
        "unsigned_i32_static",
        "i32",
        (2**31 - 5, -(2**31) + 6, 2),
        4,
        None,
        [(2**31 - 5, -(2**31) + 6, 2)],
        unsigned=True,
    )
    simple_case(
        "unsigned_i32_dyn",
        "i32",
        (None, None, None),
        4,
        None,
        [(2**31 - 5, -(2**31) + 6, 2), (-10, -1, 1), (-5, 5, 3), (7, 3, 1), (-1, 0, 1)],
        unsigned=True,
    )
    simple_case(
        "unsigned_i64_dyn",
        "i64",
        (None, None, None),
        3,
        None,
        [(2**63 - 5, -(2**63) + 6, 2), (-10, -1, 1), (0, 10, 3)],
        unsigned=True,
    )
    simple_case(
        "unsigned_index_dyn",
        "index",
        (None, None, None),
        4,
        None,
        [(0, 9, 1), (-3, -1, 1), (4, 2, 1)],
        unsigned=True,
    )


def _mixed_iter_args() -> None:
    """index, i32, f32, f64 and memrefs in iter_args; two memrefs swap every iteration, and the
    IV indexes the stores, so a wrong iteration set or order changes memory."""
    for C, policy in ((4, None), (3, "leading_full"), (5, "guarded")):
        name = f"mixed_c{C}_{policy or 'opt'}"
        text = f"""func.func @{name}(%trace: memref<?xi64>, %a: memref<32xf32>, %b: memref<32xf32>, %lb: index, %ub: index) -> (index, i32, f32, f64, memref<32xf32>) {{
{PRELUDE}  %i0 = arith.constant 3 : i32
  %d0 = arith.constant 0.25 : f64
  %dk = arith.constant 0.999 : f64
  %r:6 = scf.for %iv = %lb to %ub step %c1 iter_args(%n = %c0, %x = %i0, %acc = %f0, %d = %d0, %p = %a, %q = %b) -> (index, i32, f32, f64, memref<32xf32>, memref<32xf32>) {{
    %v = arith.index_cast %iv : index to i64
    memref.store %v, %trace[%n] : memref<?xi64>
    %n1 = arith.addi %n, %c1 : index
    %vi = arith.index_cast %iv : index to i32
    %x1 = arith.muli %x, %vi : i32
    %x2 = arith.addi %x1, %i0 : i32
    %fv = arith.sitofp %v : i64 to f32
    %a1 = arith.mulf %acc, %fk : f32
    %a2 = arith.addf %a1, %fv : f32
    %dv = arith.sitofp %v : i64 to f64
    %d1 = arith.mulf %d, %dk : f64
    %d2 = arith.subf %d1, %dv : f64
    %old = memref.load %q[%iv] : memref<32xf32>
    %new = arith.addf %old, %a2 : f32
    memref.store %new, %p[%iv] : memref<32xf32>
    scf.yield %n1, %x2, %a2, %d2, %q, %p : index, i32, f32, f64, memref<32xf32>, memref<32xf32>
  }} {_attrs(C, policy)}
  return %r#0, %r#1, %r#2, %r#3, %r#4 : index, i32, f32, f64, memref<32xf32>
}}
"""  # noqa: E501 - MLIR input keeps one op per line
        calls = [
            Call((lb, ub), list(range(lb, ub)), 64)
            for lb, ub in (
                (0, 0),
                (0, 1),
                (0, C - 1),
                (0, C),
                (0, C + 1),
                (0, 2 * C),
                (2, 3 * C + 4),
                (5, 32),
                (7, 3),
            )
        ]
        _add(
            name,
            text,
            calls,
            arrays=lambda call: [
                np.full(call.trace_len, SENTINEL, np.int64),
                np.arange(32, dtype=np.float32) * np.float32(0.1),
                np.arange(32, dtype=np.float32),
            ],
        )


def _nested() -> None:
    """Nested chunked loops in every policy combination; the inner bound may depend on the
    outer IV. The trace holds outer*1000 + inner."""
    shapes = ((8, 4, 3, 2), (6, 4, 3, 2), (9, 4, 3, 2), (12, 4, 12, 4))
    combos = [(a, b) for a in (None,) + POLICIES for b in (None,) + POLICIES]
    for po, pi in combos:
        tag = f"{po or 'opt'}_{pi or 'opt'}"
        for N1, C1, N2, C2 in shapes:
            _add_nested(
                f"nested_{N1}x{C1}_{N2}x{C2}_{tag}",
                str(N1),
                str(N2),
                C1,
                C2,
                po,
                pi,
                [Call((), [o * 1000 + i for o in range(N1) for i in range(N2)], N1 * N2 + SLACK)],
            )
        runs = [(n1, n2) for n1, n2 in ((0, 3), (3, 0), (1, 1), (5, 3), (8, 7), (7, 9))]
        _add_nested(
            f"nested_dyn_{tag}",
            "%d1",
            "%d2",
            4,
            2,
            po,
            pi,
            [
                Call((a, b), [o * 1000 + i for o in range(a) for i in range(b)], a * b + SLACK)
                for a, b in runs
            ],
            params=", %d1: index, %d2: index",
        )
    # Triangular: the inner upper bound is the outer IV.
    _add_nested(
        "nested_triangular",
        "%d1",
        "%io",
        3,
        2,
        "leading_full",
        "guarded",
        [
            Call((n,), [o * 1000 + i for o in range(n) for i in range(o)], n * n + SLACK)
            for n in (0, 1, 2, 5, 7)
        ],
        params=", %d1: index",
    )


def _add_nested(name, ub1, ub2, C1, C2, po, pi, calls, params="") -> None:
    consts = ""
    if not ub1.startswith("%"):
        consts += f"  %ub1 = arith.constant {ub1} : index\n"
        ub1 = "%ub1"
    if not ub2.startswith("%"):
        consts += f"  %ub2 = arith.constant {ub2} : index\n"
        ub2 = "%ub2"
    text = f"""func.func @{name}(%trace: memref<?xi64>{params}) -> (index, f32, i64) {{
{PRELUDE}{consts}  %c1000 = arith.constant 1000 : i64
  %s:3 = scf.for %io = %c0 to {ub1} step %c1 iter_args(%on = %c0, %oacc = %f0, %oh = %h0) -> (index, f32, i64) {{
    %o64 = arith.index_cast %io : index to i64
    %otag = arith.muli %o64, %c1000 : i64
{loop_text("index", "%c0", ub2, "%c1", C2, pi, n0="%on", acc0="%oacc", h0="%oh", tag="%otag")}    scf.yield %r#0, %r#1, %r#2 : index, f32, i64
  }} {_attrs(C1, po, "pl.parallel")}
  return %s#0, %s#1, %s#2 : index, f32, i64
}}
"""  # noqa: E501 - MLIR input keeps one op per line
    _add(name, text, calls)


def _contexts() -> None:
    """Chunked loops inside scf.if, a plain scf.for, scf.execute_region and scf.while."""
    body = loop_text("index", "%lb", "%ub", "%c1", 3, None)
    _add(
        "in_if",
        f"""func.func @in_if(%trace: memref<?xi64>, %cond: i1, %lb: index, %ub: index) -> (index, f32, i64) {{
{PRELUDE}  %x:3 = scf.if %cond -> (index, f32, i64) {{
{body}    scf.yield %r#0, %r#1, %r#2 : index, f32, i64
  }} else {{
    scf.yield %c0, %f0, %h0 : index, f32, i64
  }}
  return %x#0, %x#1, %x#2 : index, f32, i64
}}
""",  # noqa: E501 - MLIR input keeps one op per line
        [
            Call((True, 0, 7), list(range(7)), 40),
            Call((False, 0, 7), [], 40),
            Call((True, 4, 5), [4], 40),
        ],
    )
    _add(
        "in_region",
        f"""func.func @in_region(%trace: memref<?xi64>, %lb: index, %ub: index) -> (index, f32, i64) {{
{PRELUDE}  %x:3 = scf.execute_region -> (index, f32, i64) no_inline {{
{body}    scf.yield %r#0, %r#1, %r#2 : index, f32, i64
  }}
  return %x#0, %x#1, %x#2 : index, f32, i64
}}
""",  # noqa: E501 - MLIR input keeps one op per line
        [Call((0, 10), list(range(10)), 40), Call((3, 3), [], 40)],
    )
    inner = loop_text(
        "index", "%c0", "%m", "%c1", 4, None, n0="%on", acc0="%oacc", h0="%oh", tag="%otag"
    )
    _add(
        "in_plain_for",
        f"""func.func @in_plain_for(%trace: memref<?xi64>, %k: index, %m: index) -> (index, f32, i64) {{
{PRELUDE}  %c1000 = arith.constant 1000 : i64
  %s:3 = scf.for %io = %c0 to %k step %c1 iter_args(%on = %c0, %oacc = %f0, %oh = %h0) -> (index, f32, i64) {{
    %o64 = arith.index_cast %io : index to i64
    %otag = arith.muli %o64, %c1000 : i64
{inner}    scf.yield %r#0, %r#1, %r#2 : index, f32, i64
  }}
  return %s#0, %s#1, %s#2 : index, f32, i64
}}
""",  # noqa: E501 - MLIR input keeps one op per line
        [
            Call((k, m), [o * 1000 + i for o in range(k) for i in range(m)], k * m + SLACK)
            for k, m in ((3, 5), (2, 4), (0, 9), (4, 0))
        ],
    )
    inner_w = loop_text(
        "index",
        "%c0",
        "%w",
        "%c1",
        2,
        "leading_full",
        n0="%on",
        acc0="%oacc",
        h0="%oh",
        tag="%otag",
    )
    _add(
        "in_while",
        f"""func.func @in_while(%trace: memref<?xi64>, %start: index) -> (index, f32, i64) {{
{PRELUDE}  %c1000 = arith.constant 1000 : i64
  %s:4 = scf.while (%w0 = %start, %a0 = %c0, %b0 = %f0, %d0 = %h0) : (index, index, f32, i64) -> (index, index, f32, i64) {{
    %more = arith.cmpi sgt, %w0, %c0 : index
    scf.condition(%more) %w0, %a0, %b0, %d0 : index, index, f32, i64
  }} do {{
  ^bb0(%w: index, %on: index, %oacc: f32, %oh: i64):
    %o64 = arith.index_cast %w : index to i64
    %otag = arith.muli %o64, %c1000 : i64
{inner_w}    %w1 = arith.subi %w, %c1 : index
    scf.yield %w1, %r#0, %r#1, %r#2 : index, index, f32, i64
  }}
  return %s#1, %s#2, %s#3 : index, f32, i64
}}
""",  # noqa: E501 - MLIR input keeps one op per line
        [
            Call((s,), [w * 1000 + i for w in range(s, 0, -1) for i in range(w)], s * s + SLACK)
            for s in (0, 1, 4, 5)
        ],
    )


def _build_descending(module: ir.Module) -> None:
    """Descending loops from the builder (negative steps), chunked in both policies."""
    rows = [
        ("down_10_0_m1", "index", 10, 0, -1, 4, None),
        ("down_10_0_m3", "index", 10, 0, -3, 4, "leading_full"),
        ("down_dyn_m2", "index", None, None, -2, 3, None),
        ("down_i32_whole", "i32", 2**31 - 1, -(2**31), -1000000000, 2, None),
        ("down_i32_dyn", "i32", None, None, -7, 4, "guarded"),
        ("down_i64_dyn", "i64", None, None, -(2**62), 2, None),
    ]
    with module.context, ir.Location.unknown():
        i64 = ir.IntegerType.get_signless(64)
        idx = ir.IndexType.get()
        f32 = ir.F32Type.get()
        trace_t = ir.MemRefType.get([ir.ShapedType.get_dynamic_size()], i64)
        for name, tname, start, stop, step, C, policy in rows:
            t = idx if tname == "index" else ir.IntegerType.get_signless(int(tname[1:]))
            dyn = start is None
            inputs = [trace_t] + ([t, t] if dyn else [])
            with ir.InsertionPoint(module.body):
                fn = func.FuncOp(name, (inputs, [idx, f32]))
            with ir.InsertionPoint(fn.add_entry_block()):
                args = list(fn.arguments)
                lo, hi = (args[1], args[2]) if dyn else (start, stop)
                c0, c1 = arith.constant(idx, 0), arith.constant(idx, 1)
                acc0, k = arith.constant(f32, 0.5), arith.constant(f32, 1.00012)
                with chunked_for(
                    lo, hi, step, chunk=C, policy=policy, iter_args=[c0, acc0], iv_type=t
                ) as loop:
                    n, acc = loop.iter_args
                    v = (
                        arith.index_cast(i64, loop.iv)
                        if tname == "index"
                        else (loop.iv if tname == "i64" else arith.extsi(i64, loop.iv))
                    )
                    memref.store(v, args[0], [n])
                    loop.yield_(
                        arith.addi(n, c1), arith.addf(arith.mulf(acc, k), arith.sitofp(f32, v))
                    )
                func.ReturnOp(list(loop.results))
            if dyn:
                runs = {
                    "index": [(10, 0), (9, 0), (0, 10), (5, 5), (-3, -20)],
                    "i32": [(2**31 - 1, 2**31 - 40), (5, -30), (0, 1), (-(2**31) + 20, -(2**31))],
                    "i64": [(2**63 - 1, -(2**63)), (3, -(2**62)), (-5, 0)],
                }[tname]
                calls = [
                    Call((a, b), list(range(a, b, step)), len(range(a, b, step)) + 2 * C + SLACK)
                    for a, b in runs
                ]
            else:
                exp = list(range(start, stop, step))
                calls = [Call((), exp, len(exp) + 2 * C + SLACK)]
            CASES[name] = Case(name, calls)


def _inventory() -> None:
    _sweep()
    _limits()
    _mixed_iter_args()
    _nested()
    _contexts()


_inventory()


# -- compiling the variants once ---------------------------------------------------------------

# variant -> the pipeline it runs on the chunked module.
VARIANTS = {
    **{f"{p}-raw": f"pl-split-chunked-loops{{policy={p}}}" for p in POLICIES},
    **{
        f"{p}+canonicalize": f"pl-split-chunked-loops{{policy={p}}}, canonicalize, cse"
        for p in POLICIES
    },
    "guarded+unswitch-raw": "pl-split-chunked-loops{policy=guarded}, pl-unswitch-guards",
    **{f"pl-default-{p}": f"pl-default{{policy={p}}}" for p in POLICIES},
    # Loops without their own pl.chunk_policy take these; the others keep theirs.
    "clamped-raw": "pl-split-chunked-loops{policy=clamped}",
    "pl-default-clamped": "pl-default{policy=clamped}",
    "pl-default-auto": "pl-default{policy=auto}",
}


def _compile_distinct(module: ir.Module, done: dict[str, Function]) -> dict[str, Function]:
    """Each function of `module`, compiled. One whose text (its name aside) is in `done` (the
    functions compiled so far, by text) or earlier in `module` shares that compiled code; the
    others are compiled together and added to `done`: fewer than half of them are compiled."""
    texts: dict[str, str] = {}  # function name -> its text, the name replaced
    first: dict[str, str] = {}  # text -> the function of `module` that is compiled for it
    for op in list(module.body.operations):
        name = ir.StringAttr(op.attributes["sym_name"]).value
        # local scope: printing a nested op otherwise names the values of the whole module
        asm = op.get_asm(use_local_scope=True, assume_verified=True)
        texts[name] = text = asm.replace(f"@{name}(", "@f(", 1)
        if text in done or text in first:
            op.erase()  # no case calls another: nothing refers to it
        else:
            first[text] = name
    assert set(texts) == set(CASES), "a pipeline added or removed a function"
    if first:
        code = compile_module(module, entries=list(first.values()), opt_level=0)
        for text, name in first.items():
            done[text] = code[name]
    return {name: done[text] for name, text in texts.items()}


@pytest.fixture(scope="module")
def compiled():
    ctx = make_context()
    with ctx:
        source = ir.Module.parse("module {\n" + "".join(FUNCS) + "}\n")
    _build_descending(source)
    assert source.operation.verify()
    out = {}
    done: dict[str, Function] = {}
    ref = copy_module(source)
    strip_pl(ref)
    out["reference"] = _compile_distinct(copy_module(ref), done)
    # The unchunked loops through pl-default: pl-normalize-int-loops must keep canonicalize from
    # miscounting the integer loops whose span overflows (the limit cases have such loops).
    build_pass_manager("builtin.module(pl-default)", ctx).run(ref.operation)
    out["unchunked+pl-default"] = _compile_distinct(ref, done)
    for variant, pipe in VARIANTS.items():
        m = copy_module(source)
        build_pass_manager(f"builtin.module({pipe})", ctx).run(m.operation)
        text = str(m)
        assert "pl.chunk" not in text
        if "unswitch" in variant or variant == "pl-default-guarded":
            assert text.count('pl.loop_origin = "chunk_inner"') > text.count("chunk_outer"), (
                f"{variant}: no guard was unswitched"
            )
        out[variant] = _compile_distinct(m, done)
    return out


def _bits(v):
    """A value as exact bytes: floats bitwise, arrays by dtype, shape and contents."""
    if isinstance(v, np.ndarray):
        return (v.dtype.str, v.shape, v.tobytes())
    if isinstance(v, float):
        return ("f", struct.pack("<d", v))
    return (type(v).__name__, v)


def _run(fn, case: Case, call: Call):
    arrays = case.arrays(call)
    results = fn.call(*arrays, *call.scalars)
    return [_bits(r) for r in results] + [_bits(a) for a in arrays], arrays, results


@pytest.mark.parametrize(
    "name",
    sorted(CASES)
    + [
        "down_10_0_m1",
        "down_10_0_m3",
        "down_dyn_m2",
        "down_i32_whole",
        "down_i32_dyn",
        "down_i64_dyn",
    ],
)
def test_split_is_exact(compiled, name):
    case = CASES[name]
    for call in case.calls:
        ref, arrays, results = _run(compiled["reference"][name], case, call)
        trace = arrays[0]
        count = results[0]
        if call.expected is not None:
            # The oracle itself: the unchunked loop visits exactly Python's range.
            assert count == len(call.expected), f"{name}{call.scalars}: reference ran {count} times"
            assert trace[:count].tolist() == call.expected, f"{name}{call.scalars}"
        assert (trace[count:] == SENTINEL).all()
        for variant in ["unchunked+pl-default", *VARIANTS]:
            got, _, _ = _run(compiled[variant][name], case, call)
            assert got == ref, f"{name}{call.scalars}: {variant} differs from the reference"


def test_inventory_is_large_enough():
    # Guards against the generator silently losing cases.
    total_calls = sum(len(c.calls) for c in CASES.values())
    assert len(CASES) >= 100 and total_calls >= 200, (len(CASES), total_calls)
