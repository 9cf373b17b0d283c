"""pypto-opt: mlir-opt for pypto-mlir. Parses, verifies (pl-verify), runs a pass pipeline that
mixes our passes and upstream ones, and prints the result."""

from __future__ import annotations

import sys
from typing import TextIO

from .cli import ArgumentParser, UserError, exit_with, normalize_single_dash, read_input, run_main

PROG = "pypto-opt"
SPLIT_MARKER = "// -----"


def _parser() -> ArgumentParser:
    p = ArgumentParser(
        prog=PROG,
        description="Parse, verify and transform MLIR with pypto-mlir's passes and any upstream "
                    "pass. Per-pass flags (--pl-split-chunked-loops, --canonicalize, "
                    "--name=\"opt=value ...\") build a pipeline in the order given.",
        epilog="Single-dash long flags (-split-input-file) are accepted, as in mlir-opt.")
    p.add_argument("input", nargs="?", default="-", help="input file, or - for stdin (default)")
    p.add_argument("-o", dest="output", default="-", metavar="FILE", help="output file (default stdout)")
    p.add_argument("-p", "--pass-pipeline", dest="pipeline", metavar="PIPELINE",
                   help="an anchored pipeline: 'builtin.module(pass1, pass2{opt=value}, ...)'")
    p.add_argument("--split-input-file", action="store_true",
                   help="process each '// -----'-separated chunk of the input on its own")
    p.add_argument("--verify-diagnostics", action="store_true",
                   help="check diagnostics against // expected-{error,warning,remark,note} comments")
    p.add_argument("--mlir-print-ir-after-all", action="store_true", help="print the IR after every pass")
    p.add_argument("--mlir-print-ir-before-all", action="store_true", help="print the IR before every pass")
    p.add_argument("--mlir-print-op-generic", action="store_true", help="print ops in the generic form")
    p.add_argument("--mlir-timing", action="store_true", help="report the time of each pass")
    p.add_argument("--allow-unregistered-dialect", action="store_true",
                   help="accept ops of unregistered dialects")
    p.add_argument("--list-passes", action="store_true", help="list our passes and named pipelines")
    p.add_argument("--print-irdl-path", action="store_true",
                   help="print the path of the pl dialect's IRDL file (for mlir-opt --irdl-file=)")
    p.add_argument("--version", action="store_true", help="print versions and exit")
    return p


def _list_passes() -> str:
    from ..passes import PASSES, PIPELINES

    out = ["Passes of pypto-mlir (module-level; use them directly in builtin.module(...)):"]
    for name in sorted(PASSES):
        cls = PASSES[name]
        out.append(f"  {name}  -  {cls.summary}")
        for opt in cls.options().values():
            out.append(f"    {opt.name}={'|'.join(opt.choices) or opt.type.__name__}  "
                       f"(default {opt.default}): {opt.help}")
    out.append("Pipelines:")
    for name in sorted(PIPELINES):
        pl = PIPELINES[name]
        out.append(f"  {name}  -  {pl.summary}")
        for opt in pl.options.values():
            out.append(f"    {opt.name}={'|'.join(opt.choices) or opt.type.__name__}  "
                       f"(default {opt.default}): {opt.help}")
    out.append("Any upstream MLIR pass or pipeline (canonicalize, cse, convert-scf-to-cf, ...) is "
               "accepted by name in --pass-pipeline and as a --flag.")
    return "\n".join(out)


def _flags_to_pipeline(flags: list[str]) -> str:
    elements = []
    for flag in flags:
        name, sep, opts = flag[2:].partition("=")
        if len(opts) >= 2 and opts[0] == opts[-1] and opts[0] in "\"'":
            opts = opts[1:-1]
        elements.append(f"{name}{{{opts}}}" if sep else name)
    return "builtin.module(" + ", ".join(elements) + ")"


def _chunks(text: str, split: bool) -> list[tuple[int, str]]:
    """(first line - 1, chunk text) pairs; the offsets keep diagnostics on the file's lines."""
    if not split:
        return [(0, text)]
    out, start, current = [], 0, []
    for n, line in enumerate(text.splitlines(keepends=True)):
        if line.rstrip() == SPLIT_MARKER:
            out.append((start, "".join(current)))
            start, current = n + 1, []
        else:
            current.append(line)
    out.append((start, "".join(current)))
    return out


def _opt(argv: list[str]) -> int:
    ns, extra = _parser().parse_known_args(normalize_single_dash(argv, short=("o", "p", "h")))
    pass_flags = []
    for arg in extra:
        if not arg.startswith("--") or arg == "--":
            raise UserError(f"unexpected argument '{arg}' (one input file is allowed)")
        pass_flags.append(arg)

    if ns.version:
        from .. import __version__
        print(f"pypto-opt (pypto-mlir) {__version__}\n  MLIR Python bindings: LLVM version 22.1.8")
        return 0
    if ns.print_irdl_path:
        from ..dialect.context import irdl_path
        print(irdl_path())
        return 0
    if ns.list_passes:
        from .. import passes  # noqa: F401  (registers them)
        print(_list_passes())
        return 0
    if ns.pipeline is not None and pass_flags:
        raise UserError("--pass-pipeline cannot be used together with per-pass flags "
                        f"({', '.join(pass_flags)})")
    pipeline = ns.pipeline if ns.pipeline is not None else (
        _flags_to_pipeline(pass_flags) if pass_flags else None)

    name, text = read_input(ns.input)
    return _OptRun(ns, pipeline, pass_flags, name, text).run()


class _OptRun:
    def __init__(self, ns, pipeline, pass_flags, name, text):
        self.ns, self.pipeline, self.pass_flags = ns, pipeline, pass_flags
        self.name, self.text = name, text
        self.produced = []

    def _pass_manager(self, ctx):
        from ..passes import PipelineError, build_pass_manager

        if self.pipeline is None:
            return None
        try:
            pm = build_pass_manager(self.pipeline, ctx)
        except PipelineError as exc:
            msg = str(exc)
            if self.pass_flags and msg.startswith("unknown pass"):
                bad = msg.split("'")[1]
                raise UserError(f"unknown command line argument '--{bad}' (not a flag of pypto-opt "
                                f"nor a pass of pypto-mlir or MLIR); try '{PROG} --help'") from None
            raise UserError(msg) from None
        if self.ns.mlir_print_ir_after_all or self.ns.mlir_print_ir_before_all:
            pm.enable_ir_printing(print_before_all=self.ns.mlir_print_ir_before_all,
                                  print_after_all=self.ns.mlir_print_ir_after_all,
                                  print_generic_op_form=self.ns.mlir_print_op_generic)
        if self.ns.mlir_timing:
            pm.enable_timing()
        return pm

    def run(self) -> int:
        from mlir import ir

        from ..dialect.context import make_context
        from ..dialect.diagnostics import ERROR
        from ..dialect.verify import verify

        sink = self.produced.append if self.ns.verify_diagnostics else None
        ctx = make_context(self.ns.allow_unregistered_dialect, sink=sink)
        engine = _engine(ctx)
        engine.set_source(self.name, self.text)
        pm = self._pass_manager(ctx)
        out = self._open_output()
        failed = False
        first = True
        for offset, chunk in _chunks(self.text, self.ns.split_input_file):
            errors_before = engine.counts[ERROR]
            module = None
            try:
                module = ir.Module.parse("\n" * offset + chunk, ctx)
            except ir.MLIRError as exc:
                _report_mlir_error(engine, exc)
            if module is not None and verify(module.operation) == 0 and pm is not None:
                try:
                    pm.run(module.operation)
                except ir.MLIRError as exc:
                    _report_mlir_error(engine, exc)
            ok = module is not None and engine.counts[ERROR] == errors_before
            if not ok:
                if engine.counts[ERROR] == errors_before:  # failed without saying why
                    engine.report(engine.make(ERROR, None, "pass pipeline failed"))
                failed = True
                continue
            if not first:
                out.write(SPLIT_MARKER + "\n")
            first = False
            module.operation.print(file=out, print_generic_op_form=self.ns.mlir_print_op_generic,
                                   assume_verified=True)
        out.flush()
        if out is not sys.stdout:
            out.close()
        if self.ns.verify_diagnostics:
            from .expected_diagnostics import check

            problems = check(self.name, self.text, self.produced)
            for p in problems:
                print(p, file=sys.stderr)
            return 1 if problems else 0
        return 1 if failed else 0

    def _open_output(self) -> TextIO:
        if self.ns.output == "-":
            return sys.stdout
        try:
            return open(self.ns.output, "w", encoding="utf-8")
        except OSError as exc:
            raise UserError(f"could not open output file '{self.ns.output}': {exc.strerror}") from None


def _engine(ctx):
    from ..dialect.diagnostics import engine_of

    return engine_of(ctx)


def _report_mlir_error(engine, exc) -> None:
    """Diagnostics the bindings captured into an MLIRError (parse errors) go to our engine; a
    failure whose diagnostics already reached the engine adds nothing."""
    from ..dialect.diagnostics import ERROR, NOTE

    for d in exc.error_diagnostics:
        diag = engine.make(ERROR, d.location, d.message)
        diag.notes = [engine.make(NOTE, n.location, n.message) for n in d.notes]
        engine.report(diag)


def main(argv=None) -> None:
    exit_with(run_main(PROG, _opt, argv))


if __name__ == "__main__":
    main()
