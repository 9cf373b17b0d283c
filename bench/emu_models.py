#!/usr/bin/env python3
"""The real kernels of examples/kernels.py on the emulator under the three dependency models
(docs/emulator.md, "The kernels under each model"): tasks, makespan and mean utilisation under
barrier, regions and exact, for each tail policy, with each kernel's test inputs and the emu
target's default pipeline (pl-accelerator). Prints a Markdown table.

    .venv/bin/python bench/emu_models.py

The figures come from the cost model, not from timing: they do not depend on the machine's
load. Exit status 1 when a run was not clean (a fault, a race or results that differ from cpu).
"""

from __future__ import annotations

import sys

import numpy as np

from pypto_mlir.examples import kernels as K
from pypto_mlir.lowering.cpu import compile_module
from pypto_mlir.lowering.emu import MODELS, compile_emu

POLICIES = ("guarded", "leading_full")


def row(kernel, policy: str) -> tuple[list, bool]:
    variant = K.Variant(policy, f"builtin.module(pl-accelerator{{policy={policy}}})")
    args = kernel.make_args(np.random.default_rng(0))
    emu_args, cpu_args = kernel.fresh(args), kernel.fresh(args)
    program = compile_emu(K.prepare(kernel, variant), entries=[kernel.entry])
    _, report = program.run(kernel.entry, *emu_args)
    cpu = compile_module(K.prepare(kernel, variant), entries=[kernel.entry])[kernel.entry]
    cpu.call(*cpu_args)
    same = all(
        a.tobytes() == b.tobytes()
        for a, b in zip(emu_args, cpu_args, strict=True)
        if isinstance(a, np.ndarray)
    )
    cells = [kernel.name, policy, str(report.tasks)]
    for model in MODELS:
        sched = report.schedules[model]
        cells.append(f"{sched.makespan:.0f} ({sched.utilisation.mean() * 100:.1f}%)")
    return cells, report.ok and same


def main() -> int:
    clean = True
    head = ["kernel", "policy", "tasks"] + [f"{m}: makespan (mean util.)" for m in MODELS]
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
