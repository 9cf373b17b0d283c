"""The Python front end's cost: reading a kernel's Python into MLIR and running `pl-default`,
against parsing the same MLIR from text and running `pl-default` (issue 17: at most 1.5x).

    .venv/bin/python bench/frontend_speed.py [--repeat N] [--kernels gemm,rms_norm,...]

For each acceptance kernel (test/frontend/kernels/chunked, pypto-lib's sizes): the front end
(a fresh Program: AST, MLIR text, parse) + pl-default, and the parse of that MLIR
text + pl-default, each the median CPU time (process_time: the machine may be shared) of N
alternating runs in one Context; their ratio, and the worst ratio against the limit of 1.5. It
checks that both paths give the same module: exit code 1 when they do not.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import helper_modules  # bench/helper_modules.py (this folder is on sys.path)
from mlir import ir

from pypto_mlir.dialect.context import make_context
from pypto_mlir.passes import build_pass_manager

(cases,) = helper_modules.load("test/frontend/kernels", "cases")  # the acceptance kernels' table

PIPELINE = "builtin.module(pl-default)"
LIMIT = 1.5


def _medians_ms(fns, repeat: int) -> list[float]:
    """Median time of each function; the runs alternate, so both see the same machine load."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, spent in zip(fns, times, strict=True):
            start = time.process_time()
            fn()
            spent.append(time.process_time() - start)
    return [statistics.median(t) * 1e3 for t in times]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=21)
    p.add_argument("--kernels", default=",".join(c.name for c in cases.CASES))
    ns = p.parse_args(argv)
    ctx = make_context()
    pm = build_pass_manager(PIPELINE, ctx)
    print("| kernel | front end + pl-default ms | parse + pl-default ms | ratio |")
    print("|---|---|---|---|")
    worst = 0.0
    for name in ns.kernels.split(","):
        case = cases.BY_NAME[name]
        module = cases.load("chunked", name)
        build = (
            (lambda m=module, c=case: getattr(m, c.builder)())
            if case.builder
            else (lambda m=module, c=case: _jit_program(getattr(m, c.entry)))
        )
        text = build().mlir()

        def front_end(build=build):
            out = build().module(ctx, verify_pl=False)  # pl-default starts with pl-verify
            pm.run(out.operation)
            return out

        def parse(text=text):
            out = ir.Module.parse(text, ctx)
            pm.run(out.operation)
            return out

        if str(front_end()) != str(parse()):
            print(f"{name}: the two paths give different modules", file=sys.stderr)
            return 1
        ours, theirs = _medians_ms([front_end, parse], ns.repeat)
        worst = max(worst, ours / theirs)
        print(f"| {name} | {ours:.2f} | {theirs:.2f} | {ours / theirs:.2f} |")
    verdict = "within" if worst <= LIMIT else "OVER"
    print(f"worst ratio {worst:.2f} ({verdict} the limit of {LIMIT})")
    return 0  # a timing depends on the machine's load: only a failed check exits 1


def _jit_program(jit):
    from pypto_mlir.frontend.program import _JitProgram

    return _JitProgram(jit)


if __name__ == "__main__":
    sys.exit(main())
