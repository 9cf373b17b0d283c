"""Test driver for the lit tests of test/emu: parses an .mlir file, runs a pipeline (default:
none), instruments the module for the emulator (lowering/emu/instrument.py) and prints it,
followed by the metadata as comment lines:

    // kernel 0: NAME
    // group 0: KERNEL LAUNCH [chained] at LOCATION
    // site 0: KIND at LOCATION of TYPE in KERNEL|host

    // waits: site S -> groups G... (with --footprints: host sites that use kernel results)

Usage: emu-instrument.py FILE [-p PIPELINE] [--memory BYTES] [--races] [--footprints]
(without --footprints the footprint log is left out, so that the other files pin the checks
alone; instrument-footprints.mlir pins the log)
Errors are printed as diagnostics (file:line:col: error: ...) and exit with 1.

(pypto-opt cannot run the instrumentation: it is part of the lowering, which passes must not
import, so it is not a registered pass; this script stands in for it in RUN lines.)
"""

from __future__ import annotations

import argparse
import sys

from mlir import ir

from pypto_mlir.dialect.context import make_context
from pypto_mlir.dialect.diagnostics import DiagnosedError, engine_of
from pypto_mlir.lowering.emu.instrument import instrument
from pypto_mlir.passes import build_pass_manager


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("-p", "--pipeline", default=None)
    parser.add_argument("--memory", type=int, default=192 * 1024)
    parser.add_argument("--races", action="store_true")
    parser.add_argument("--footprints", action="store_true")
    args = parser.parse_args()
    with open(args.file, encoding="utf-8") as f:
        text = f.read()
    ctx = make_context()
    engine_of(ctx).set_source(args.file, text)
    try:
        module = ir.Module.parse(text, ctx)
        if args.pipeline:
            build_pass_manager(args.pipeline, ctx).run(module.operation)
        meta = instrument(module, args.memory, args.races, footprints=args.footprints)
    except (DiagnosedError, ir.MLIRError):
        return 1
    if not module.operation.verify():
        return 1
    print(module)
    for i, name in enumerate(meta.kernels):
        print(f"// kernel {i}: {name}")
    for g in meta.groups:
        print(
            f"// group {g.id}: {g.kernel} {g.launch}{' chained' if g.chained else ''}"
            f" at {g.location}"
        )
    for s in meta.sites:
        print(
            f"// site {s.id}: {s.kind} at {s.location} of {s.memref_type} in {s.kernel or 'host'}"
        )
    for site, groups in sorted(meta.site_waits.items()):
        print(f"// waits: site {site} -> groups {' '.join(map(str, groups))}")
    for group, groups in sorted(meta.call_waits.items()):
        print(f"// waits: group {group} -> groups {' '.join(map(str, groups))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
