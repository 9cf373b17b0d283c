#!/usr/bin/env python3
"""The pypto-lib corpus (corpus/, docs/kernels.md) on the emulator under the three dependency
models (docs/emulator.md, "The pypto-lib corpus under each model"): every kernel at each of its
shapes, form (a) under `guarded` and `leading_full`, form (b) as written and after the lint's
fix, with the emu target's default pipeline (pl-accelerator) on the corpus's seeded inputs. Per
run: tasks, then makespan in cycles (mean utilisation) under barrier, regions and exact. Prints a
Markdown table.

    .venv/bin/python bench/emu_corpus_models.py
    .venv/bin/python bench/emu_corpus_models.py --kernels hello_world,rope

The figures come from the cost model, not from timing: they do not depend on the machine's
load. A run that faults (every form at an `overrun` shape, whose own tile runs past the rows;
form (b) as written at a `tail` shape: the unclamped inner loop; docs/kernels.md) shows its
faulting sites instead. Exit status 1 when a run faulted or not as expected, or its outputs
missed the numpy reference.
"""

from __future__ import annotations

import argparse
import sys

import helper_modules  # bench/helper_modules.py (this folder is on sys.path)
import numpy as np
from emu_models import model_cells  # bench/emu_models.py

from pypto_mlir.lowering.emu import MODELS

_, harness = helper_modules.load("corpus", "corpus_kernels", "corpus_harness")
KERNELS = harness.KERNELS

# (form, variant, pipeline, entry attribute of the kernel)
RUNS = (
    ("auto", "guarded", "builtin.module(pl-accelerator{policy=guarded})", "auto"),
    ("auto", "leading_full", "builtin.module(pl-accelerator{policy=leading_full})", "auto"),
    ("explicit", "as written", "builtin.module(pl-accelerator)", "explicit"),
    (
        "explicit",
        "fix=true",
        "builtin.module(pl-check-chunk-bounds{fix=true}, pl-accelerator)",
        "explicit",
    ),
)


def row(name: str, shape_name: str, form: str, variant: str, pipeline: str, entry_of: str):
    """The table row of one run, and whether it is as expected (clean and right, or a fault
    where form (b) as written runs past its bound)."""
    kernel = KERNELS[name]
    shape = kernel.shapes[shape_name]
    entry = getattr(kernel, entry_of)
    parsed = harness.parse(kernel, shape)
    harness.run_pipeline(parsed, pipeline)
    args = kernel.make_args(np.random.default_rng(harness.SEED), shape)
    got = harness.call(kernel, parsed.module, entry, "emu", args)
    report = got.report
    cells = [name, shape_name, form, variant, str(report.tasks)]
    # An overrun shape's tile runs past the rows in every form; form (b) as written runs past
    # its bound at a tail (docs/kernels.md).
    expect_faults = shape_name == "overrun" or (variant == "as written" and shape_name == "tail")
    if report.run.faults:
        cells += [f"faults at {len(report.run.faults)} sites"] + [""] * (len(MODELS) - 1)
        return cells, expect_faults
    if expect_faults:
        return cells + [""] * len(MODELS), False
    cells += model_cells(report)
    expected = kernel.reference(args, shape)
    return cells, report.ok and harness.matches(kernel, got.outputs, expected)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kernels", default=",".join(KERNELS), help="comma-separated corpus kernels")
    names = ap.parse_args(argv).kernels.split(",")
    unknown = [n for n in names if n not in KERNELS]
    if unknown:
        ap.error(f"unknown kernel {', '.join(unknown)} (known: {', '.join(KERNELS)})")
    clean = True
    head = ["kernel", "shape", "form", "variant", "tasks", *MODELS]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * 4 + "---:|" * (1 + len(MODELS)))
    for name in names:
        for shape_name in KERNELS[name].shapes:
            for form, variant, pipeline, entry_of in RUNS:
                cells, ok = row(name, shape_name, form, variant, pipeline, entry_of)
                if not ok:
                    clean = False
                    cells[3] += " (UNEXPECTED)"
                print("| " + " | ".join(cells) + " |", flush=True)
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
