"""Running the corpus: parse a kernel at a shape, run the lint, compile for the CPU or the
emulator under a policy, call it. In process, one fresh Context per module; the diagnostics of
each Context are collected, not printed.

    import corpus_harness as harness, corpus_kernels as kernels
    k = kernels.KERNELS["rope"]
    shape = k.shapes["tail"]
    run = harness.run(k, shape, k.auto, "emu", policy="guarded")
    run.outputs, run.report.tasks, run.report.fault_lines()
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field

import numpy as np
from corpus_kernels import KERNELS, POLICIES, Args, CorpusKernel, Counts, Outputs, Shape
from mlir import ir

from pypto_mlir.dialect import attrs
from pypto_mlir.dialect.context import make_context
from pypto_mlir.dialect.diagnostics import Diagnostic, engine_of
from pypto_mlir.dialect.ir_queries import walk_ops
from pypto_mlir.examples.kernels import same_bits, within  # noqa: F401 (shared comparisons)
from pypto_mlir.passes import build_pass_manager

SEED = 12
LINT = "builtin.module(pl-check-chunk-bounds)"
LINT_FIX = "builtin.module(pl-check-chunk-bounds{fix=true})"
OUTLINE = "builtin.module(pl-outline-kernels)"
# Ops that write memory through a memref operand (what host code must not do after outlining).
STORES = (
    "memref.store",
    "vector.store",
    "vector.transfer_write",
    "vector.maskedstore",
    "memref.copy",
    "vector.scatter",
)


@dataclass
class Parsed:
    module: ir.Module
    diagnostics: list[Diagnostic] = field(default_factory=list)


def parse(kernel: CorpusKernel, shape: Shape) -> Parsed:
    """The kernel's module at `shape`, in a fresh Context whose diagnostics are collected."""
    diagnostics: list[Diagnostic] = []
    ctx = make_context(sink=diagnostics.append)
    text = kernel.render(shape)
    engine_of(ctx).set_source(f"corpus/{kernel.file}", text)
    return Parsed(ir.Module.parse(text, ctx), diagnostics)


def run_pipeline(parsed: Parsed, pipeline: str) -> None:
    build_pass_manager(pipeline, parsed.module.context).run(parsed.module.operation)


def set_policy(module: ir.Module, policy: str) -> None:
    """pl.chunk_policy = policy on every chunked loop."""
    for op in walk_ops(module.operation, lambda op: attrs.CHUNK.get(op) is not None):
        attrs.CHUNK_POLICY.set(op, policy)


def compiled(
    kernel: CorpusKernel, shape: Shape, entry: str, policy: str | None, pipeline: str | None = None
) -> Parsed:
    """The module after a policy's pipeline (or `pipeline`)."""
    parsed = parse(kernel, shape)
    if policy is not None:
        pipeline, chunk_policy = POLICIES[policy]
        if chunk_policy is not None:
            set_policy(parsed.module, chunk_policy)
    run_pipeline(parsed, pipeline or "builtin.module(pl-default)")
    return parsed


@dataclass
class Run:
    outputs: Outputs
    report: object | None  # EmuReport on the emulator


def call(kernel: CorpusKernel, module: ir.Module, entry: str, target: str, args: Args) -> Run:
    """Calls `entry` of an already compiled-through-pipeline module on fresh copies of `args`."""
    args = kernel.fresh(args)
    if target == "cpu":
        from pypto_mlir.lowering.cpu import compile_module

        compile_module(module, entries=[entry])[entry].call(*args)
        return Run([args[i] for i in kernel.outputs], None)
    from pypto_mlir.lowering.emu import compile_emu

    _, report = compile_emu(module, entries=[entry]).run(entry, *args)
    return Run([args[i] for i in kernel.outputs], report)


def run(
    kernel: CorpusKernel,
    shape: Shape,
    entry: str,
    target: str,
    policy: str | None = None,
    pipeline: str | None = None,
    args: Args | None = None,
) -> Run:
    parsed = compiled(kernel, shape, entry, policy, pipeline)
    if args is None:
        args = kernel.make_args(np.random.default_rng(SEED), shape)
    return call(kernel, parsed.module, entry, target, args)


def matches(kernel: CorpusKernel, got: Outputs, expected: Outputs) -> bool:
    """Every output within the kernel's bound of the reference, elementwise (nan never is)."""
    return within(got, expected, kernel.bound(expected))


def counts(report) -> Counts:
    ran = [k for k in report.kernels() if k.tasks > 0]
    return Counts(len(ran), report.tasks, report.masked_iterations)


def host_stores(module: ir.Module) -> list[ir.Operation]:
    """Stores left in functions that are not kernels."""
    found: list[ir.Operation] = []
    for fn in module.body.operations:
        if fn.operation.name == "func.func" and not attrs.KERNEL.get(fn.operation):
            found += walk_ops(fn.operation, lambda op: op.name in STORES)
    return found


def lint(kernel: CorpusKernel, shape: Shape, fix: bool = False) -> Parsed:
    """The kernel after pl-check-chunk-bounds (its diagnostics in `.diagnostics`)."""
    parsed = parse(kernel, shape)
    run_pipeline(parsed, LINT_FIX if fix else LINT)
    return parsed


def lines_of(parsed: Parsed, severity: str) -> list[int]:
    """Lines of the diagnostics of one severity, notes included."""
    out = []
    for d in parsed.diagnostics:
        for x in [d, *d.notes]:
            if x.severity == severity:
                out.append(x.line)
    return sorted(out)


def fault_lines(report) -> list[int]:
    """Lines of the faulting sites the emulator reported (their `file:line:col`)."""
    return sorted({int(f.site.location.rsplit(":", 2)[1]) for f in report.run.faults})


# -- cached runs: the tests and make_table.py share them within one process ----------------------

# Form (b) variants: the kernel as written, and after the lint's fix.
EXPLICIT = {
    "as written": "builtin.module(pl-default)",
    "fix=true": "builtin.module(pl-check-chunk-bounds{fix=true}, pl-default)",
}


@dataclass(frozen=True)
class Outcome:
    """What one compiled kernel did on both targets (same inputs)."""

    expected: Outputs  # the reference outputs
    cpu: Outputs | None  # None: not run on the CPU (an out-of-bounds kernel is undefined there)
    emu: Outputs
    counts: Counts
    ok: bool  # the emulator reported no fault and no race
    faults: int  # faulting sites the emulator reported
    fault_lines: list[int]
    host_stores: int  # stores left in non-kernel functions after pl-outline-kernels


@functools.cache
def outcome(kernel_name: str, shape_name: str, form: str, variant: str) -> Outcome:
    """Form "auto" under a policy of POLICIES, or form "explicit" under a variant of
    EXPLICIT; the CPU runs only what the emulator ran without a fault."""
    kernel = KERNELS[kernel_name]
    shape = kernel.shapes[shape_name]
    if form == "auto":
        entry, parsed = kernel.auto, compiled(kernel, shape, kernel.auto, variant)
    else:
        entry, parsed = (
            kernel.explicit,
            compiled(kernel, shape, kernel.explicit, None, EXPLICIT[variant]),
        )
    args = kernel.make_args(np.random.default_rng(SEED), shape)
    expected = kernel.reference(args, shape)
    emu = call(kernel, parsed.module, entry, "emu", args)
    report = emu.report
    cpu = call(kernel, parsed.module, entry, "cpu", args).outputs if report.ok else None
    run_pipeline(parsed, OUTLINE)
    return Outcome(
        expected,
        cpu,
        emu.outputs,
        counts(report),
        report.ok,
        len(report.run.faults),
        fault_lines(report),
        len(host_stores(parsed.module)),
    )


if __name__ == "__main__":  # a look at one kernel: python corpus/corpus_harness.py NAME
    k = KERNELS[sys.argv[1]]
    for sname in k.shapes:
        for pol in POLICIES:
            o = outcome(k.name, sname, "auto", pol)
            print(sname, pol, o.counts, k.counts(k.shapes[sname], pol), o.ok, o.fault_lines)
