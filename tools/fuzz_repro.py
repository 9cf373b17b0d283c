"""A failing pypto-fuzz case as a self-contained lit test.

The file holds the chunked kernel and a `@main` that allocates the log and data arrays, calls the
kernel with the failing call's arguments and returns its results and both arrays. Its RUN line
runs `@main` through the failing variant's pipeline with pypto-run; its CHECK lines are what the
unchunked program prints. Dropped into test/ it fails until the bug is fixed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from mlir import ir
from mlir.dialects import arith, func, memref, scf

from ..dialect.context import make_context
from . import fuzz_program as fp
from .fuzz_check import POLICY_OVERRIDES, REFERENCE, VARIANTS, Outcome, applicable, data_init


def _build_main(program: fp.Program, call: fp.Call, log_size: int) -> None:
    i64, index = ir.IntegerType.get_signless(64), ir.IndexType.get()
    log_t = ir.MemRefType.get([log_size], i64)
    data_t = ir.MemRefType.get([fp.DATA_SIZE], i64)
    dyn_t = ir.MemRefType.get([ir.ShapedType.get_dynamic_size()], i64)
    carried = [fp._type(t) for t in program.carried]
    fn = func.FuncOp("main", ([], carried + [log_t, data_t]))
    with ir.InsertionPoint(fn.add_entry_block()):
        log, data = memref.alloc(log_t, [], []), memref.alloc(data_t, [], [])
        c0, c1 = arith.constant(index, 0), arith.constant(index, 1)
        for buf, n, init in ((log, log_size, None), (data, fp.DATA_SIZE, data_init())):
            loop = scf.ForOp(c0, arith.constant(index, n), c1)
            with ir.InsertionPoint(loop.body):
                i = arith.index_cast(i64, loop.induction_variable)
                # data[i] = 7*i - 100, as fuzz_check.data_init; the log starts at zero.
                v = (
                    arith.constant(i64, 0)
                    if init is None
                    else arith.subi(arith.muli(i, arith.constant(i64, 7)), arith.constant(i64, 100))
                )
                memref.store(v, buf, [loop.induction_variable])
                scf.YieldOp([])
        args = [memref.cast(dyn_t, log), memref.cast(dyn_t, data)]
        for level, (lb, ub) in zip(program.dynamic, call.bounds, strict=False):
            lp = program.loops[level]
            t = fp._type(fp.arg_type(lp))
            args += [
                arith.constant(t, fp.arg_value(lp, lb)),
                arith.constant(t, fp.arg_value(lp, ub)),
            ]
        for t, v in zip(program.carried, call.inits, strict=False):
            args.append(arith.constant(fp._type(t), v))
        results = list(func.CallOp(carried, ir.FlatSymbolRefAttr.get("kernel"), args).results)
        func.ReturnOp(results + [log, data])


def module_text(
    program: fp.Program, call: fp.Call, with_pl: bool, log_size: int, policy: str | None = None
) -> str:
    ctx = make_context()
    with ctx, ir.Location.unknown():
        module = ir.Module.create()
        with ir.InsertionPoint(module.body):
            fp.build_kernel(program, "kernel", with_pl=with_pl, policy=policy)
            _build_main(program, call, log_size)
        assert module.operation.verify()
        return str(module)


def _run_reference(text: str) -> str:
    """What pypto-run prints for the unchunked program."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "reference.mlir")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pypto_mlir.tools.run",
                path,
                "--entry",
                "main",
                "-p",
                f"builtin.module({REFERENCE})",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    if proc.returncode != 0:
        raise RuntimeError(f"the reference program failed: {proc.stderr.strip()}")
    return proc.stdout


def write_reproducer(
    path: str,
    case: fp.Case,
    outcome: Outcome,
    seed: int,
    index: int,
    variants: dict[str, str] = VARIANTS,
    shrunk: bool = True,
) -> str:
    """Writes the lit test for `case` (one failing call; shrunk unless `shrunk` is False) and
    returns its path."""
    call = case.calls[outcome.call or 0]
    model = fp.expected_log(case.program, call)
    log_size = max(2, min((model[0] if model else fp.LOG_CAP) + 2, fp.LOG_CAP))
    policy = POLICY_OVERRIDES.get(outcome.variant) if outcome.variant is not None else None
    chunked = module_text(case.program, call, True, log_size, policy)
    lines = [
        f"// pypto-fuzz --seed {seed} --case {index}{', shrunk' if shrunk else ''}: "
        f"variant '{outcome.variant}' differs: {outcome.detail}."
    ]
    if outcome.variant in variants:
        expected = _run_reference(module_text(case.program, call, False, log_size))
        pipeline = applicable(variants, case.program)[outcome.variant]
        lines.append(
            f"// RUN: %pypto-run %s --entry main -p 'builtin.module({pipeline})' | %FileCheck %s"
        )
        lines.append("// The unchunked program (pl.* attributes removed) prints:")
        out = expected.splitlines()
        # Whole lines: `result0 = 5` must not match `result0 = 57`.
        lines += [f"// CHECK: {{{{^}}}}{out[0]}{{{{$}}}}"] + [
            f"// CHECK-NEXT: {{{{^}}}}{line}{{{{$}}}}" for line in out[1:]
        ]
    elif outcome.variant is not None and outcome.variant.startswith("size:"):
        passes = outcome.variant.split(":", 1)[1]
        lines.append(
            f"// The output of {passes} is larger than its bound (passes/size_bounds.py): "
            f"{outcome.detail}."
        )
        lines.append("// RUN: false")
    else:
        lines.append(
            "// The unchunked reference itself disagrees with the Python model of the loop "
            "nest: its log must be"
        )
        lines.append(f"// {model}")
        lines.append(
            "// (No program to compare with: the test fails until the reference is right.)"
        )
        lines.append("// RUN: false")
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n\n" + chunked)
    return path
