#!/usr/bin/env python3
"""The real kernels of examples/kernels.py on the emulator under the three dependency models
(docs/emulator.md, "The kernels under each model"): tasks, makespan and mean utilisation under
barrier, regions and exact, for each tail policy, with each kernel's test inputs and the emu
target's default pipeline (pl-accelerator). Prints a Markdown table.

    .venv/bin/python bench/emu_models.py

The figures come from the cost model, not from timing: they do not depend on the machine's
load. Exit status 1 when a run was not clean (a fault, a race, results that differ from cpu, or
a warning or error from the pipeline, printed to stderr). The pipeline's remarks are expected
(e.g. gemm under leading_full: pl-interchange-chunk-loops leaves the outer chunk loop whole, as
docs/emulator.md says) and are not printed.
"""

from __future__ import annotations

import sys

import numpy as np

from pypto_mlir.dialect.diagnostics import REMARK, Diagnostic
from pypto_mlir.examples import kernels as K
from pypto_mlir.lowering.cpu import compile_module
from pypto_mlir.lowering.emu import MODELS, compile_emu
from pypto_mlir.lowering.emu.report import EmuReport

POLICIES = ("guarded", "leading_full")


def row(kernel: K.Kernel, policy: str) -> tuple[list[str], bool]:
    """The table row of one kernel under one policy, and whether its run was clean."""
    variant = K.Variant(policy, f"builtin.module(pl-accelerator{{policy={policy}}})")
    args = kernel.make_args(np.random.default_rng(0))
    emu_args, cpu_args = kernel.fresh(args), kernel.fresh(args)
    diagnostics: list[Diagnostic] = []
    program = compile_emu(K.prepare(kernel, variant, diagnostics.append), entries=[kernel.entry])
    _, report = program.run(kernel.entry, *emu_args)
    cpu_module = K.prepare(kernel, variant, diagnostics.append)
    cpu = compile_module(cpu_module, entries=[kernel.entry])[kernel.entry]
    cpu.call(*cpu_args)
    unexpected = [d for d in diagnostics if d.severity != REMARK]
    for d in unexpected:
        print(
            f"emu_models: {kernel.name} {policy}: {d.where}{d.severity}: {d.message}",
            file=sys.stderr,
        )
    same = all(
        a.tobytes() == b.tobytes()
        for a, b in zip(emu_args, cpu_args, strict=True)
        if isinstance(a, np.ndarray)
    )
    cells = [kernel.name, policy, str(report.tasks), *model_cells(report)]
    return cells, report.ok and same and not unexpected


def model_cells(report: EmuReport) -> list[str]:
    """A table cell per dependency model: makespan in cycles (mean utilisation)."""
    cells = []
    for model in MODELS:
        sched = report.schedules[model]
        cells.append(f"{sched.makespan:.0f} ({sched.utilisation.mean() * 100:.1f}%)")
    return cells


def main() -> int:
    clean = True
    # Each model's cell: makespan in cycles (mean utilisation), as the page says above it.
    head = ["kernel", "policy", "tasks", *MODELS]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for kernel in K.KERNELS.values():
        for policy in POLICIES:
            cells, ok = row(kernel, policy)
            clean &= ok
            print("| " + " | ".join(cells) + " |")
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
