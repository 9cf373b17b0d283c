"""The classes of pypto-fuzz programs: which class case i of a run belongs to, and how a program
of each class is drawn.

`classic` is the original mix (tools/fuzz_program.draw_case). The other six come from issue 15,
each a kind of program that once miscompiled or blew up, so that the next bug of its kind is
found by the fuzzer:

* pipelines:   upstream passes in random order (canonicalize or inline first) before each
               variant's pipeline, run as pypto-run runs a pipeline of the user's;
* callees:     the nest in a private function called with its static bounds as constants, and
               `inline` first;
* folded:      bounds computed by arithmetic on constants (canonicalize folds them only later) or
               extended from i32 (constants or arguments), with steps up to the type's maximum;
* narrow:      i8 and i16 loops (and i32, i64), signed and `unsigned`, unsigned steps above the
               signed maximum;
* chunk_inner: hand-written chunk loops (`pl.loop_origin = "chunk_inner"`) whose flat index may
               wrap, some with their bound carried in iter_args;
* deep:        nests of 4-9 chunked loops with a policy per loop; each of our passes' output size
               is checked against its bound (passes/size_bounds.py).

Cases are assigned by index, `SCHEDULE[i % len(SCHEDULE)]`, so every class has a fixed share of
any run (1/12 each, the classic mix half).
"""

from __future__ import annotations

import random
from dataclasses import replace

from . import fuzz_program as fp

CLASSES = ("pipelines", "callees", "folded", "narrow", "chunk_inner", "deep")
SCHEDULE = ("classic",) * 6 + CLASSES
UPSTREAM = (
    "canonicalize",
    "cse",
    "sccp",
    "inline",
    "loop-invariant-code-motion",
    "scf-for-loop-canonicalization",
)
ALL_POLICIES = ("guarded", "leading_full", "clamped", "auto")


def class_of(index: int) -> str:
    return SCHEDULE[index % len(SCHEDULE)]


def draw(rng: random.Random, klass: str) -> fp.Case:
    if klass == "classic":
        return fp.draw_case(rng)
    return _DRAW[klass](rng)


def _pipeline(rng: random.Random, first: tuple[str, ...]) -> tuple[str, ...]:
    """Upstream passes in random order, starting with one of `first`."""
    rest = [p for p in UPSTREAM if rng.random() < 0.4]
    rng.shuffle(rest)
    return (rng.choice(first), *rest)


def _step(rng: random.Random, t: str, unsigned: bool) -> int:
    lo, hi = fp._limits(t, unsigned)
    if rng.random() < 0.5:
        return rng.randint(1, 4)
    if unsigned:  # above the signed maximum
        return rng.randint(1 << (fp._bits(t) - 1), hi)
    return rng.choice((hi, hi - 1, rng.randint(max(1, hi // 3), hi)))


def _wide_bounds(rng: random.Random, t: str, unsigned: bool, step: int, trips: int):
    """(lb, ub) with exactly `trips` iterations (fewer when the type cannot hold them), placed
    anywhere in the type's range: spans that overflow the type, exits at its limits."""
    lo, hi = fp._limits(t, unsigned)
    trips = min(trips, (hi - lo - 1) // step + 1)  # (trips - 1) * step + 1 <= hi - lo
    if trips == 0:
        lb = rng.choice((lo, hi, rng.randint(lo, hi), 0 if lo <= 0 else lo))
        return lb, rng.randint(max(lo, lb - 9), lb)
    room = hi - lo - (trips - 1) * step
    span = (trips - 1) * step + rng.randint(1, min(step, room))
    lb = rng.choice((lo, lo + rng.randint(0, 3), hi - span, rng.randint(lo, hi - span)))
    lb = max(lo, min(lb, hi - span))
    return lb, lb + span


def _int_loop(
    rng: random.Random, types: tuple[str, ...], forms: tuple[str, ...], innermost: bool
) -> fp.Loop:
    t = rng.choice(types)
    unsigned = t != "index" and rng.random() < 0.5
    form = rng.choice(forms) if t in ("i64", "index") else rng.choice(("plain", "folded"))
    chunk = rng.randint(1, 6) if rng.random() < 0.8 else None
    return fp.Loop(
        iv_type=t,
        step=_step(rng, t, unsigned),
        chunk=chunk,
        static=None,
        parallel=rng.random() < 0.3,
        policy=rng.choice(fp.POLICIES) if chunk is not None and rng.random() < 0.3 else None,
        marker=not innermost and rng.random() < 0.4,
        update_after=not innermost and rng.random() < 0.4,
        unsigned=unsigned,
        form=form,
    )


def _loop_bounds(rng: random.Random, lp: fp.Loop, per_level: int) -> tuple[int, int]:
    trips = rng.choice((0, 1, 2, 3, lp.chunk or 2, (lp.chunk or 2) + 1, per_level))
    trips = min(trips, per_level)
    bound_type = "i32" if lp.form == "extended" else lp.iv_type
    return _wide_bounds(rng, bound_type, lp.unsigned, lp.step, trips)


def _integer_case(
    rng: random.Random,
    klass: str,
    types: tuple[str, ...] = ("index", "i64", "i32", "i16", "i8"),
    forms: tuple[str, ...] = ("plain",),
    static_share: float = 0.5,
    pipeline: tuple[str, ...] = (),
    callee: bool = False,
) -> fp.Case:
    depth = rng.choice((1, 1, 2, 2, 3))
    loops = [_int_loop(rng, types, forms, level == depth - 1) for level in range(depth)]
    if all(lp.chunk is None for lp in loops):
        i = rng.randrange(depth)
        loops[i] = replace(loops[i], chunk=rng.randint(1, 6))
    per_level = max(2, int(round(fp.MAX_ITERATIONS ** (1 / depth))))
    for i, lp in enumerate(loops):
        if rng.random() < static_share:
            loops[i] = replace(lp, static=_loop_bounds(rng, lp, per_level))
    carried = tuple(rng.choice(fp.CARRIED_TYPES) for _ in range(rng.choice((0, 1, 2))))
    idempotent = not carried and rng.random() < 0.4
    if idempotent:
        loops = [replace(lp, marker=False, update_after=False) for lp in loops]
    program = fp.Program(
        tuple(loops), carried, idempotent, pipeline=pipeline, callee=callee, klass=klass
    )
    return _with_calls(rng, program, lambda lp: _loop_bounds(rng, lp, per_level))


def _with_calls(rng: random.Random, program: fp.Program, bounds_of) -> fp.Case:
    case = fp.Case(program)
    for _ in range(2 if program.dynamic else 1):
        bounds = tuple(bounds_of(program.loops[i]) for i in program.dynamic)
        case.calls.append(fp.Call(bounds, tuple(fp._init(rng, t) for t in program.carried)))
    return case


def _pipelines(rng: random.Random) -> fp.Case:
    prefix = _pipeline(rng, ("canonicalize", "inline"))
    return _integer_case(rng, "pipelines", forms=("plain", "folded"), pipeline=prefix)


def _callees(rng: random.Random) -> fp.Case:
    prefix = ("inline", *_pipeline(rng, ("canonicalize", "sccp", "cse"))[: rng.randint(0, 3)])
    return _integer_case(
        rng, "callees", forms=("plain", "extended"), static_share=0.7, pipeline=prefix, callee=True
    )


def _folded(rng: random.Random) -> fp.Case:
    prefix = _pipeline(rng, ("canonicalize", "cse", "sccp")) if rng.random() < 0.5 else ()
    return _integer_case(
        rng,
        "folded",
        types=("index", "i64"),
        forms=("folded", "extended"),
        static_share=0.6,
        pipeline=prefix,
    )


def _narrow(rng: random.Random) -> fp.Case:
    prefix = _pipeline(rng, ("canonicalize", "inline")) if rng.random() < 0.3 else ()
    return _integer_case(
        rng, "narrow", types=("i8", "i16", "i8", "i16", "i32", "i64"), pipeline=prefix
    )


def _chunk_inner(rng: random.Random) -> fp.Case:
    chunk = rng.randint(2, 8)
    inner = fp.Loop("index", 1, chunk, None, handwritten=True, carried_bound=rng.random() < 0.3)
    loops = [inner]
    if rng.random() < 0.7:
        outer_chunk = rng.choice((None, None, rng.randint(1, 4)))
        outer = fp.Loop("index", 1, outer_chunk, None, parallel=rng.random() < 0.3)
        if rng.random() < 0.5:
            outer = replace(outer, static=(0, rng.randint(0, 5)))
        loops = [outer, inner]
    carried = tuple(rng.choice(fp.CARRIED_TYPES) for _ in range(rng.choice((0, 1, 2))))
    idempotent = not carried and rng.random() < 0.3
    program = fp.Program(tuple(loops), carried, idempotent, klass="chunk_inner")

    def bounds_of(lp: fp.Loop) -> tuple[int, int]:
        if not lp.handwritten:
            return 0, rng.randint(0, 5)
        # A start within C of 2^64 makes k wrap; T of -1 is 2^64 - 1 unsigned.
        off = rng.choice(
            (0, rng.randint(1, 20), -rng.randint(1, chunk), rng.randint(-(2**63), 2**63 - 1))
        )
        trips = rng.choice(
            (0, rng.randint(0, chunk * 5 + 2), -1, -rng.randint(1, chunk), 2**63 - 1)
        )
        return off, trips

    return _with_calls(rng, program, bounds_of)


def _deep(rng: random.Random) -> fp.Case:
    depth = rng.randint(4, 9)
    most = 3 if depth <= 7 else 2  # trips per level: 3**7 and 2**9 iterations fit the budget
    idempotent = rng.random() < 0.5
    policies = ALL_POLICIES + (("shift_inwards",) if idempotent else ())
    loops = []
    for _level in range(depth):
        loops.append(
            fp.Loop(
                iv_type=rng.choice(fp.IV_TYPES),
                step=rng.randint(1, 2),
                chunk=rng.randint(1, 3),
                static=None,
                parallel=rng.random() < 0.3,
                policy=rng.choice(policies) if rng.random() < 0.7 else None,
            )
        )
    for i, lp in enumerate(loops):
        if rng.random() < 0.5:
            loops[i] = replace(
                lp, static=fp.draw_bounds(rng, lp.iv_type, lp.step, rng.randint(0, most))
            )
    carried = (
        () if idempotent else tuple(rng.choice(fp.CARRIED_TYPES) for _ in range(rng.choice((0, 1))))
    )
    program = fp.Program(tuple(loops), carried, idempotent, klass="deep")
    return _with_calls(
        rng, program, lambda lp: fp.draw_bounds(rng, lp.iv_type, lp.step, rng.randint(0, most))
    )


_DRAW = {
    "pipelines": _pipelines,
    "callees": _callees,
    "folded": _folded,
    "narrow": _narrow,
    "chunk_inner": _chunk_inner,
    "deep": _deep,
}
