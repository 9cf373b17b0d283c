"""Prints a corpus kernel at one of its shapes, as MLIR that pypto-opt and pypto-run read.

    .venv/bin/python corpus/render.py rope tail | .venv/bin/pypto-opt - -p ...
    .venv/bin/python corpus/render.py rope tail -o /tmp/rope.mlir

Rendering keeps every line in place, so diagnostics point at the lines of corpus/<file>.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np
from corpus_kernels import KERNELS

SEED = 12  # the seed of the tests (corpus_harness.SEED)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="corpus/render.py", description=__doc__.split("\n")[0])
    p.add_argument("kernel", help=", ".join(KERNELS))
    p.add_argument("shape", help="a shape of the kernel (divisible, tail, overrun, large)")
    p.add_argument("-o", dest="output", help="write to this file instead of stdout")
    p.add_argument("--args", metavar="DIR", help="also save its seeded inputs as DIR/a<i>.npy")
    try:
        ns = p.parse_args(argv)
    except SystemExit as exc:  # usage errors exit 1, as the project's tools do
        return 0 if exc.code == 0 else 1
    kernel = KERNELS.get(ns.kernel)
    if kernel is None:
        print(f"error: no kernel '{ns.kernel}' (kernels: {', '.join(KERNELS)})", file=sys.stderr)
        return 1
    shapes = dict(kernel.shapes, **({"large": kernel.large} if kernel.large else {}))
    if ns.shape not in shapes:
        print(
            f"error: {ns.kernel} has no shape '{ns.shape}' ({', '.join(shapes)})", file=sys.stderr
        )
        return 1
    text = kernel.render(shapes[ns.shape])
    if ns.output:
        with open(ns.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    if ns.args:
        os.makedirs(ns.args, exist_ok=True)
        args = kernel.make_args(np.random.default_rng(SEED), shapes[ns.shape])
        for i, a in enumerate(args):
            np.save(os.path.join(ns.args, f"a{i}.npy"), np.asarray(a))
    return 0


if __name__ == "__main__":
    sys.exit(main())
