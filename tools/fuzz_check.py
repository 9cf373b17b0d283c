"""Checking one pypto-fuzz case: every variant of the program against the unchunked reference.

All variants of a case are built into one module (one function each) and JIT-compiled once, at
a low opt level: compiling is what costs. Each call runs the reference and every variant on
fresh copies of the same inputs; results, the iteration log and the data array must be equal
bit for bit. The reference's log must also equal the Python model's (fuzz_program.expected_log),
so the oracle itself is checked.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np
from mlir import ir

from ..dialect import attrs
from ..dialect.context import make_context
from ..lowering.cpu import compile_module
from ..passes import build_pass_manager, normalize_int_loops
from ..passes.size_bounds import Size, bound, copies_bound
from . import fuzz_program as fp

# variant -> pipeline. The reference is the program built without pl.* attributes, lowered with
# no canonicalize (upstream canonicalize miscounts some integer loops). Every pipeline, the
# reference's included, ends with pl-normalize-int-loops, so that each loop's trip count is
# T = max(ceildiv(ub - lb, step), 0) even where `iv + step` passes the IV type's limit.
REFERENCE = "pl-normalize-int-loops"
VARIANTS = {
    "guarded": "pl-default{policy=guarded unswitch=false}",
    "guarded+unswitch": "pl-default{policy=guarded}",
    "leading_full": "pl-default{policy=leading_full}",
    "clamped": "pl-default{policy=clamped}",
    "auto": "pl-default{policy=auto}",
    "guarded-raw": "pl-split-chunked-loops{policy=guarded}, pl-normalize-int-loops",
    "unswitch-raw": (
        "pl-split-chunked-loops{policy=guarded}, pl-unswitch-guards, pl-normalize-int-loops"
    ),
    "leading_full-raw": "pl-split-chunked-loops{policy=leading_full}, pl-normalize-int-loops",
    "clamped-raw": "pl-split-chunked-loops{policy=clamped}, pl-normalize-int-loops",
    # Every chunked loop asks for shift_inwards; legal (and so checked) for idempotent bodies only.
    "shift_inwards": "pl-default",
    "shift_inwards-raw": "pl-split-chunked-loops, pl-normalize-int-loops",
}
# Variants that set pl.chunk_policy on every chunked loop, and run only on idempotent programs.
POLICY_OVERRIDES = {"shift_inwards": "shift_inwards", "shift_inwards-raw": "shift_inwards"}


def applicable(variants: dict[str, str], program: fp.Program) -> dict[str, str]:
    """The variants that run on `program`, each with its full pipeline (the program's upstream
    passes first, when it has some)."""
    prefix = "".join(f"{p}, " for p in program.pipeline)
    return {
        n: prefix + p
        for n, p in variants.items()
        if n not in POLICY_OVERRIDES or program.idempotent
    }


def run_pipeline(module: ir.Module, pipeline: str, user_pipeline: bool) -> None:
    """Runs `pipeline` on `module` as pypto-run does: a pipeline of the user's (one with upstream
    passes of the program's own) runs after pl-normalize-int-loops (docs/policies.md, the
    integer rule)."""
    if user_pipeline:
        normalize_int_loops(module, exit_values=False)
    build_pass_manager(f"builtin.module({pipeline})", module.context).run(module.operation)


def _symbol(variant: str) -> str:
    return "k_" + variant.replace("+", "_").replace("-", "_")


@dataclass
class Outcome:
    ok: bool
    detail: str = ""
    variant: str | None = None
    call: int | None = None


def build_variants(case: fp.Case, variants: dict[str, str], opt_level: int = 0):
    """{"reference" or variant: JIT-compiled function} for one case, compiled as one module."""
    ctx = make_context()
    with ctx, ir.Location.unknown():
        combined = ir.Module.create()
        for name, pipeline in [("reference", REFERENCE), *variants.items()]:
            m = ir.Module.create()
            with ir.InsertionPoint(m.body):
                fp.build_kernel(
                    case.program,
                    _symbol(name),
                    with_pl=name != "reference",
                    policy=POLICY_OVERRIDES.get(name),
                )
            user = name != "reference" and bool(case.program.pipeline)
            run_pipeline(m, pipeline, user)
            for op in list(m.body.operations):
                combined.body.append(op.operation)  # moves the function
    compiled = compile_module(combined, opt_level=opt_level)
    return {name: compiled[_symbol(name)] for name in ["reference", *variants]}


def data_init() -> np.ndarray:
    return np.arange(fp.DATA_SIZE, dtype=np.int64) * 7 - 100


def run_call(fn, program: fp.Program, call: fp.Call, log_size: int = fp.LOG_CAP):
    log = np.zeros(log_size, np.int64)
    data = data_init()
    dynamic = [program.loops[i] for i in program.dynamic]
    scalars: list[int | float] = [
        fp.arg_value(lp, v) for lp, pair in zip(dynamic, call.bounds, strict=True) for v in pair
    ]
    scalars += list(call.inits)
    results = fn.call(log, data, *scalars)
    return results, log, data


def _bits(v) -> tuple[str, object]:
    if isinstance(v, float):
        return ("f", struct.pack("<d", v))
    return (type(v).__name__, v)


def _describe_difference(ref, got) -> str:
    (r_res, r_log, r_data), (g_res, g_log, g_data) = ref, got
    if [_bits(v) for v in r_res] != [_bits(v) for v in g_res]:
        return f"results {r_res!r} (reference) vs {g_res!r}"
    if not np.array_equal(r_log, g_log):
        if r_log[0] != g_log[0]:
            return f"{g_log[0]} iterations logged, the reference logs {r_log[0]}"
        first = int(np.nonzero(r_log != g_log)[0][0])
        return f"iteration log differs first at entry {first}: {r_log[first]} vs {g_log[first]}"
    if not np.array_equal(r_data, g_data):
        return "data array differs"
    return ""


# What the size check of deep programs runs: each policy of the split pass, then the passes that
# follow it in pl-default, each checked against its bound (passes/size_bounds.py).
SIZE_CHECKS = tuple(f"pl-split-chunked-loops{{policy={p}}}" for p in attrs.OPTION_POLICIES)


def check_sizes(case: fp.Case) -> Outcome:
    """Runs our passes one at a time on the chunked program and checks each output's size."""
    for split in SIZE_CHECKS:
        ctx = make_context()
        with ctx, ir.Location.unknown():
            m = ir.Module.create()
            with ir.InsertionPoint(m.body):
                fp.build_kernel(case.program, "k", with_pl=True)
            for step in (split, "pl-unswitch-guards", "pl-normalize-int-loops"):
                before = Size.of(m.operation)
                build_pass_manager(f"builtin.module({step})", ctx).run(m.operation)
                after = Size.of(m.operation)
                limit = bound(step.split("{")[0], before)
                if after.ops > limit:
                    detail = f"{after.ops} ops out of {before.ops} (bound {limit})"
                    return Outcome(False, detail, f"size:{split}, {step}")
                if step == split and after.stores > copies_bound(before):
                    detail = f"{after.stores} copies of {before.stores} stores"
                    return Outcome(False, detail, f"size:{split}")
    return Outcome(True)


def check_case(case: fp.Case, variants: dict[str, str] = VARIANTS, opt_level: int = 0) -> Outcome:
    """Builds, compiles and runs every variant of `case`; the first difference found, if any.
    Deep programs also have the size of each of our passes' output checked."""
    if case.program.klass == "deep" and variants is VARIANTS:
        sizes = check_sizes(case)
        if not sizes.ok:
            return sizes
    variants = applicable(variants, case.program)
    fns = build_variants(case, variants, opt_level)
    for i, call in enumerate(case.calls):
        ref = run_call(fns["reference"], case.program, call)
        model = fp.expected_log(case.program, call)
        if model is not None and ref[1].tolist() != model:
            return Outcome(
                False,
                "the unchunked reference does not visit the iterations of the Python model",
                "reference",
                i,
            )
        for name in variants:
            got = run_call(fns[name], case.program, call)
            diff = _describe_difference(ref, got)
            if diff:
                return Outcome(False, diff, name, i)
    return Outcome(True)


def shrink(
    case: fp.Case, outcome: Outcome, variants: dict[str, str] = VARIANTS, budget: int = 150
) -> tuple[fp.Case, Outcome]:
    """Greedily replaces the failing case by smaller ones that still fail the same variant (or
    the reference), within `budget` checks."""
    variants = {outcome.variant: variants[outcome.variant]} if outcome.variant in variants else {}
    sizes = (outcome.variant or "").startswith("size:")

    def check(candidate: fp.Case) -> Outcome:
        return check_sizes(candidate) if sizes else check_case(candidate, variants)

    checks = 0
    improved = True
    while improved and checks < budget:
        improved = False
        for candidate in fp.shrink_candidates(case):
            if fp.size(candidate) >= fp.size(case) or not fp.valid(candidate):
                continue
            checks += 1
            try:
                result = check(candidate)
            except Exception:  # a candidate the pipeline rejects is not the bug we hunt
                result = Outcome(True)
            if not result.ok:
                case, outcome = candidate, result
                improved = True
                break
            if checks >= budget:
                break
    return case, outcome
