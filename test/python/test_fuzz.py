"""pypto-fuzz: the quick fixed-seed sweep, and the fuzzer's own machinery (its programs cover
what they must, a planted bug is found, shrunk and written as a lit test that fails with the bug,
and a crashing or hanging worker is reported, not fatal)."""

from __future__ import annotations

import importlib
import importlib.util
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from mlir import ir

from pypto_mlir.dialect import attrs
from pypto_mlir.dialect.context import make_context
from pypto_mlir.dialect.ir_queries import defining_op
from pypto_mlir.dialect.static_values import constant_int, int_width
from pypto_mlir.lowering.cpu import compile_module
from pypto_mlir.passes import build_pass_manager
from pypto_mlir.passes.registry import PASSES, ModulePass, register_pass
from pypto_mlir.tools import fuzz, fuzz_check
from pypto_mlir.tools import fuzz_program as fp
from pypto_mlir.tools.fuzz_repro import write_reproducer

# The fuzzer runs whole programs in worker processes: the slow lane.
pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
FILECHECK = str(Path(importlib.util.find_spec("llvm").origin).parent / "bin" / "FileCheck")
SWEEP = 200


def test_quick_sweep(tmp_path):
    """The fixed-seed sweep `make test` runs: every case of every variant matches."""
    proc = subprocess.run(
        [
            str(BIN / "pypto-fuzz"),
            "--seed",
            "1",
            "--count",
            str(SWEEP),
            "--jobs",
            "2",
            "--out-dir",
            str(tmp_path / "failures"),
            "--progress",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = proc.stdout.strip().splitlines()[-1]
    assert proc.returncode == 0, proc.stderr + proc.stdout
    m = re.match(
        rf"pypto-fuzz: {SWEEP} cases \(seed 1\), (\d+) variant runs matched: "
        r"0 mismatches, 0 crashes in ",
        summary,
    )
    assert m, summary
    # Every case checks the 9 variants that apply to any program, store-only ones 2 more.
    n_any = len(fuzz_check.VARIANTS) - len(fuzz_check.POLICY_OVERRIDES)
    assert SWEEP * n_any < int(m.group(1)) <= SWEEP * len(fuzz_check.VARIANTS), summary
    assert not (tmp_path / "failures").exists()


def test_programs_cover_the_space():
    """What the issue asks the generator for: depth 1-3, chunk 1-9, steps 1-4, static and dynamic
    bounds with T at 0, 1, C-1, C, C+1 and large, every IV type with bounds at its limits, 0-3
    carried values of int and float types, pl.parallel on some loops."""
    seen: Counter[str] = Counter()
    for i in range(400):
        case = fp.draw_case(random.Random(f"cover:{i}"))
        p = case.program
        seen[f"depth{len(p.loops)}"] += 1
        seen["idempotent"] += p.idempotent  # shift_inwards runs on these
        seen[f"carried{len(p.carried)}"] += 1
        seen.update(f"type-{t}" for t in p.carried)
        for level, lp in enumerate(p.loops):
            seen[f"step{lp.step}"] += 1
            seen[f"iv-{lp.iv_type}"] += 1
            seen["parallel"] += lp.parallel
            seen["policy-attr"] += lp.policy is not None
            seen["static" if lp.static else "dynamic"] += 1
            if lp.chunk is not None:
                seen[f"chunk{lp.chunk}"] += 1
            lo, hi = fp._limits(lp.iv_type)
            for call in case.calls:
                lb, ub = call.bounds_of(p)[level]
                trips = len(range(lb, ub, lp.step))
                if lp.chunk is not None:
                    C = lp.chunk
                    for name, t in (
                        ("T0", 0),
                        ("T1", 1),
                        ("TC-1", C - 1),
                        ("TC", C),
                        ("TC+1", C + 1),
                    ):
                        seen[name] += trips == t
                    seen["T>=5C"] += trips >= 5 * C
                seen["near-min"] += lb - lo < 8
                seen["near-max"] += hi - ub < 8 + lp.step
    want = (
        [f"depth{d}" for d in (1, 2, 3)]
        + [f"carried{n}" for n in range(4)]
        + [f"type-{t}" for t in fp.CARRIED_TYPES]
        + [f"step{s}" for s in range(1, 5)]
        + [f"iv-{t}" for t in fp.IV_TYPES]
        + [f"chunk{c}" for c in range(1, 10)]
        + [
            "parallel",
            "policy-attr",
            "static",
            "dynamic",
            "T0",
            "T1",
            "TC-1",
            "TC",
            "TC+1",
            "T>=5C",
            "near-min",
            "near-max",
            "idempotent",
        ]
    )
    missing = [w for w in want if seen[w] < 3]
    assert not missing, (missing, seen)


def test_every_policy_is_a_variant():
    """Each policy of the split pass is checked: by a pipeline option, or (shift_inwards, which
    is asked for per loop) by an attribute on every chunked loop of idempotent programs."""
    from pypto_mlir.dialect import attrs as A

    pipelines = " ".join(fuzz_check.VARIANTS.values())
    for policy in A.OPTION_POLICIES:
        assert f"policy={policy}" in pipelines, policy
    assert "shift_inwards" in fuzz_check.POLICY_OVERRIDES.values()
    program = fp.Program((fp.Loop("index", 1, 4, None),), (), idempotent=True)
    assert set(fuzz_check.applicable(fuzz_check.VARIANTS, program)) == set(fuzz_check.VARIANTS)
    program = fp.Program((fp.Loop("index", 1, 4, None),), ("f32",))
    assert not set(fuzz_check.applicable(fuzz_check.VARIANTS, program)) & set(
        fuzz_check.POLICY_OVERRIDES
    )


def test_cases_are_reproducible_from_the_seed():
    a = fp.draw_case(random.Random("5:17"))
    b = fp.draw_case(random.Random("5:17"))
    c = fp.draw_case(random.Random("5:18"))
    assert a == b and a != c


def test_python_model_of_a_nest():
    loop = fp.Loop("i32", 2, 3, (5, 10), marker=True)
    inner = fp.Loop("index", 1, None, (0, 2))
    program = fp.Program((loop, inner), ())
    log = fp.expected_log(program, fp.Call(()), size=12)
    entries = []
    for i in (5, 7, 9):
        entries.append(fp.wrap64(i * fp.MIX) ^ fp.wrap64(fp.MARK))
        entries += [fp.wrap64(i * fp.MIX) ^ j for j in (0, 1)]
    assert log == [9] + entries + [0, 0]


# -- a planted bug -----------------------------------------------------------------------------


@pytest.fixture
def off_by_one_pass():
    """A test-only pass with a classic tail bug: every guard `k < T` becomes `k <= T`."""

    class OffByOne(ModulePass):
        name = "test-off-by-one-guard"
        summary = "test only: guards let one iteration too many through"

        def apply(self, module) -> None:
            ule = ir.IntegerAttr.get(ir.IntegerType.get_signless(64, module.context), 7)

            def visit(op):
                if op.name == "arith.cmpi" and attrs.LOOP_ORIGIN.get(op.parent) == "chunk_inner":
                    op.attributes["predicate"] = ule
                return ir.WalkResult.ADVANCE

            with module.operation.context:
                module.operation.walk(visit)

    register_pass(OffByOne)
    yield {
        "buggy": "pl-split-chunked-loops{policy=guarded}, test-off-by-one-guard, "
        "pl-normalize-int-loops"
    }
    del PASSES[OffByOne.name]


def _first_failing(variants):
    for i in range(60):
        case = fp.draw_case(random.Random(f"plant:{i}"))
        outcome = fuzz_check.check_case(case, variants)
        if not outcome.ok:
            return i, case, outcome
    raise AssertionError("the planted bug was not found in 60 cases")


def test_planted_bug_is_found_shrunk_and_written(off_by_one_pass, tmp_path):
    index, case, outcome = _first_failing(off_by_one_pass)
    assert outcome.variant == "buggy"
    small, small_outcome = fuzz_check.shrink(case, outcome, off_by_one_pass)
    assert not small_outcome.ok and fp.size(small) < fp.size(case)
    assert len(small.calls) == 1 and len(small.program.loops) <= len(case.program.loops)
    path = write_reproducer(
        str(tmp_path / "repro.mlir"), small, small_outcome, 0, index, off_by_one_pass
    )
    text = Path(path).read_text()
    assert "// RUN: %pypto-run %s --entry main -p 'builtin.module(" in text
    checks = [
        line.split(": ", 1)[1]
        for line in text.splitlines()
        if line.startswith(("// CHECK: ", "// CHECK-NEXT: "))
    ]
    # Whole lines, anchored: `result0 = 5` must not pass for `result0 = 57`.
    assert checks and all(c.startswith("{{^}}") and c.endswith("{{$}}") for c in checks)
    assert checks[0].startswith("{{^}}result")

    # The reproducer's @main, through the buggy pipeline, does not print what the CHECK lines
    # hold (so the test fails while the bug is there) ...
    ctx = make_context()
    module = ir.Module.parse(text, ctx)
    build_pass_manager(f"builtin.module({off_by_one_pass['buggy']})", ctx).run(module.operation)
    buggy = compile_module(module, entries=["main"])["main"].call()
    fixed_module = ir.Module.parse(text, ctx)
    build_pass_manager("builtin.module(pl-default)", ctx).run(fixed_module.operation)
    fixed = compile_module(fixed_module, entries=["main"])["main"].call()
    assert any(
        not np.array_equal(np.asarray(a), np.asarray(b)) for a, b in zip(buggy, fixed, strict=False)
    )

    # ... and once the RUN line names a correct pipeline, it passes: the CHECK lines are the
    # unchunked program's output. (The RUN line is run as lit would, with its substitutions.)
    fixed_path = tmp_path / "fixed.mlir"
    fixed_path.write_text(text.replace(off_by_one_pass["buggy"], "pl-default"))
    run = next(line for line in fixed_path.read_text().splitlines() if line.startswith("// RUN: "))
    command = (
        run[len("// RUN: ") :]
        .replace("%pypto-run", str(BIN / "pypto-run"))
        .replace("%FileCheck", FILECHECK)
        .replace("%s", str(fixed_path))
    )
    proc = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- crashes and hangs -------------------------------------------------------------------------

FAKE_WORKER = """
import json, os, sys, time
for line in sys.stdin:
    seed, index = map(int, line.split())
    if index == 2:
        os.abort()
    if index == 3:
        time.sleep(60)
    if index == 4:
        print("a stray line from native code", flush=True)
        continue
    print(json.dumps({"index": index, "status": "ok"}), flush=True)
"""


def test_crashing_and_hanging_workers_are_reported(tmp_path, monkeypatch, capsys):
    script = tmp_path / "worker.py"
    script.write_text(FAKE_WORKER)
    monkeypatch.setattr(fuzz.Worker, "command", lambda self: [sys.executable, str(script)])
    ns = fuzz._parser().parse_args(
        [
            "--count",
            "6",
            "--jobs",
            "2",
            "--timeout",
            "3",
            "--progress",
            "0",
            "--out-dir",
            str(tmp_path),
        ]
    )
    assert fuzz.fuzz(ns) == 1
    out, err = capsys.readouterr()
    assert (
        "CRASH in case 2 (pypto-fuzz --seed 0 --case 2): the worker died of signal 6 (SIGABRT)"
        in err
    )
    assert "CRASH in case 3 (pypto-fuzz --seed 0 --case 3): killed after the 3 s timeout" in err
    assert (
        "CRASH in case 4 (pypto-fuzz --seed 0 --case 4): the worker wrote something other "
        "than a report on stdout: 'a stray line from native code'"
    ) in err
    # The replaced workers ran the remaining cases.
    assert "pypto-fuzz: 6 cases (seed 0), 0 variant runs matched: 0 mismatches, 3 crashes" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--count", "0"], "pypto-fuzz: error: --count must be at least 1"),
        (["--jobs", "0"], "pypto-fuzz: error: --jobs must be at least 1"),
        (["--opt-level", "7"], "pypto-fuzz: error: argument --opt-level: invalid choice: 7"),
        (["--seed", "x"], "pypto-fuzz: error: argument --seed: invalid int value: 'x'"),
        (["--timeout", "nan"], "pypto-fuzz: error: --timeout must be a number of seconds"),
        (["--timeout", "inf"], "pypto-fuzz: error: --timeout must be a number of seconds"),
        (["--progress", "-1"], "pypto-fuzz: error: --progress must be a number of seconds"),
    ],
)
def test_bad_arguments(args, message):
    proc = subprocess.run(
        [str(BIN / "pypto-fuzz"), *args], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith(message), proc.stderr
    assert "Traceback" not in proc.stderr


def test_workers_are_replaced_after_their_cases(tmp_path):
    """With --cases-per-worker 2, 7 cases on one job take four worker processes, and every case
    is checked (none is lost or reported as a crash at a worker change)."""
    proc = subprocess.run(
        [
            str(BIN / "pypto-fuzz"),
            "--seed",
            "4",
            "--count",
            "7",
            "--jobs",
            "1",
            "--cases-per-worker",
            "2",
            "--progress",
            "0",
            "--out-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("pypto-fuzz: 7 cases (seed 4)") and "0 crashes" in proc.stdout


def test_one_case_alone(tmp_path):
    proc = subprocess.run(
        [
            str(BIN / "pypto-fuzz"),
            "--seed",
            "3",
            "--case",
            "11",
            "--progress",
            "0",
            "--out-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("pypto-fuzz: 1 cases (seed 3)")


# -- the classes of issue 15 -------------------------------------------------------------------


def test_each_class_is_at_least_five_percent_of_the_quick_sweep():
    from pypto_mlir.tools import fuzz_classes as fc

    shares = Counter(fc.class_of(i) for i in range(SWEEP))
    for klass in fc.CLASSES:
        assert shares[klass] >= 0.05 * SWEEP, (klass, shares)
    # The drawn program is of its class.
    for i in range(24):
        case = fc.draw(random.Random(f"1:{i}"), fc.class_of(i))
        assert case.program.klass == fc.class_of(i)


_norm = importlib.import_module("pypto_mlir.passes.normalize_int_loops")
_unswitch = importlib.import_module("pypto_mlir.passes.unswitch_guards")
_contract = importlib.import_module("pypto_mlir.dialect.chunk_contract")
_split = importlib.import_module("pypto_mlir.passes.split_chunked_loops")
_verify = importlib.import_module("pypto_mlir.dialect.verify")


def _all_constant(info) -> bool:
    return all(constant_int(v) is not None for v in (info.lb, info.ub, info.step))


def _extended_from_i32(v) -> bool:
    op = defining_op(v)
    return (
        op is not None
        and op.name in ("arith.extsi", "arith.extui")
        and int_width(op.operands[0].type) <= 32
    )


def _old_item1(info, exit_values=True):
    """Before: an i64 loop with bounds extended from 32 bits was safe whatever its step."""
    vals = (info.lb, info.ub, info.step)
    if info.width == 64 and not isinstance(info.lb.type, ir.IndexType) and not _all_constant(info):
        if all(_extended_from_i32(v) or constant_int(v) is not None for v in vals):
            return False
    return _original_needs_normalizing(info, exit_values)


def _old_item2(info, exit_values=True):
    """Before: an index loop with a bound that is not a constant (yet) was left alone."""
    if isinstance(info.lb.type, ir.IndexType) and not _all_constant(info):
        return False
    return _original_needs_normalizing(info, exit_values)


def _old_constant_rule(lb, ub, step, width, unsigned, exit_values=True):
    """Before: constant bounds were safe when span and exit value fit, whatever the step."""
    lb, ub, step = (_norm.as_type(v, width, unsigned) for v in (lb, ub, step))
    if step <= 0:
        return True
    trips = _norm.static_trip_count(lb, ub, step, width, unsigned)
    if not exit_values:
        return _norm._fits(ub - lb, width, unsigned) or ub <= lb
    return _norm._fits(ub - lb, width, unsigned) and _norm._fits(lb + trips * step, width, unsigned)


_original_needs_normalizing = _norm.needs_normalizing
_original_guard_of = _unswitch.guard_of


def _old_guard_of(loop):
    """Before the marker contract: pl-unswitch-guards read every `chunk_inner` loop as guarded,
    marked `pl.guarded` or not (hand-written ones included). The marker is set only for the
    duration of the reading."""
    op = loop.operation
    if attrs.loop_origin(op) != attrs.CHUNK_INNER or attrs.GUARDED.get(op):
        return _original_guard_of(op)
    attrs.GUARDED.set(op)
    try:
        return _original_guard_of(op)
    finally:
        attrs.GUARDED.remove(op)


_original_defined_outside = _contract.defined_outside


def _old_bound_rule(value, op) -> bool:
    """Before: a guard bound T carried in the in-chunk loop's iter_args counted as defined
    outside the loop (the fast path then used it before it exists)."""
    owner = value.owner
    if isinstance(owner, ir.Block) and owner.owner == op.operation:
        if value != owner.arguments[0]:  # an iter_arg, not the induction variable
            return True
    return _original_defined_outside(value, op)


# Each fix of issue 15 reverted (what the code did before it), and the case of the quick
# sweep's seed that finds the bug then: (module, attribute, old behaviour) (a list of them when
# the fix has two parts), seed, case index.
REVERTED_FIXES = {
    "extended bounds with a huge step (item 1)": (
        (_norm, "needs_normalizing", _old_item1),
        1,
        92,
    ),
    "bounds that fold later (item 2)": ((_norm, "needs_normalizing", _old_item2), 1, 67),
    "a hand-written chunk start that wraps (item 3)": (
        (_unswitch, "guard_of", _old_guard_of),
        1,
        106,
    ),
    "a hand-written guard bound in iter_args (item 3)": (
        [(_unswitch, "guard_of", _old_guard_of), (_contract, "defined_outside", _old_bound_rule)],
        1,
        22,
    ),
    "an unsigned step canonicalize reads as negative (found by the narrow class)": (
        (_norm, "constant_bounds_are_safe", _old_constant_rule),
        2,
        54,
    ),
    "nested leading_full without a growth limit (item 4)": (
        (_split, "copies_body", lambda policy, trips, chunk: False),
        1,
        323,
    ),
    "an unsigned step above the signed maximum, refused (item 9)": (
        (_verify, "as_type", lambda value, width, unsigned: value),
        1,
        45,
    ),
}


@pytest.mark.parametrize("name", list(REVERTED_FIXES))
def test_recorded_cases_find_the_bugs_of_issue_15(name, monkeypatch):
    """With its fix reverted, the recorded case of each bug fails; with the fix, it passes."""
    from pypto_mlir.tools import fuzz_classes as fc

    reverted, seed, index = REVERTED_FIXES[name]
    case = fc.draw(random.Random(f"{seed}:{index}"), fc.class_of(index))
    assert fuzz_check.check_case(case).ok
    for module, attribute, old in reverted if isinstance(reverted, list) else [reverted]:
        monkeypatch.setattr(module, attribute, old)
    try:
        outcome = fuzz_check.check_case(case)
    except Exception as exc:  # a pass error or invalid IR is the bug found too
        outcome = fuzz_check.Outcome(False, f"{type(exc).__name__}: {exc}")
    assert not outcome.ok, name
