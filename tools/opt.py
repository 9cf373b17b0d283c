"""pypto-opt: mlir-opt for pypto-mlir. Parses, verifies (pl-verify), runs a pass pipeline that
mixes our passes and upstream ones, and prints the result the way mlir-opt does."""

from __future__ import annotations

import gc
import os
import re
import sys
from typing import TYPE_CHECKING, TextIO

from .cli import ArgumentParser, UserError, exit_with, normalize_single_dash, run_main
from .python_source import read_source

if TYPE_CHECKING:  # imported at run time only where needed: the bindings load slowly
    from ..dialect.diagnostics import Diagnostic

PROG = "pypto-opt"
SPLIT_MARKER = "// -----"
_PASS_FLAG = re.compile(r"^--([A-Za-z0-9][A-Za-z0-9_.\-]*)(=.*)?$", re.S)


def _parser() -> tuple[ArgumentParser, dict[str, bool]]:
    """The argument parser, and for each of its option strings whether it takes a value."""
    p = ArgumentParser(
        prog=PROG,
        add_help=False,
        description="Parse, verify (pl-verify) and transform MLIR with pypto-mlir's passes and "
        "any upstream MLIR pass, like mlir-opt.",
        epilog="Per-pass flags build a pipeline in the order given: --pl-verify --canonicalize, "
        '--pl-split-chunked-loops=policy=leading_full, --canonicalize="max-iterations=3 '
        'region-simplify=disabled"; any upstream pass works as a flag (see --list-passes). '
        "Single-dash long flags (-split-input-file) are accepted, as in mlir-opt.",
    )
    takes_value: dict[str, bool] = {}

    def add(*names, **kw):
        action = p.add_argument(*names, **kw)
        for n in action.option_strings:
            takes_value[n] = action.nargs != 0

    p.add_argument("input", nargs="?", default="-", help="input file, or - for stdin (default)")
    add("-o", dest="output", default="-", metavar="FILE", help="output file (default: stdout)")
    add(
        "-p",
        "--pass-pipeline",
        dest="pipeline",
        metavar="PIPELINE",
        help="an anchored pipeline: 'builtin.module(pass1, pass2{opt=value}, func.func(cse))'",
    )
    add(
        "--split-input-file",
        action="store_true",
        help="process each '// -----'-separated chunk of the input on its own",
    )
    add(
        "--verify-diagnostics",
        action="store_true",
        help="check diagnostics against // expected-{error,warning,remark,note} comments",
    )
    add("--mlir-print-ir-after-all", action="store_true", help="print the IR after every pass")
    add("--mlir-print-ir-before-all", action="store_true", help="print the IR before every pass")
    add("--mlir-print-op-generic", action="store_true", help="print ops in the generic form")
    add("--mlir-timing", action="store_true", help="report the time taken by each pass")
    add(
        "--allow-unregistered-dialect",
        action="store_true",
        help="accept ops of unregistered dialects (off: an unknown op is an error)",
    )
    add(
        "--list-passes",
        action="store_true",
        help="list our passes and named pipelines with their options",
    )
    add(
        "--print-irdl-path",
        action="store_true",
        help="print the path of the pl dialect's IRDL file (for mlir-opt --irdl-file=) and exit",
    )
    add("--version", action="store_true", help="print versions and exit")
    add("-h", "--help", action="help", help="show this help and exit")
    return p, takes_value


def _split_argv(argv: list[str], takes_value: dict[str, bool]) -> tuple[list[str], list[str]]:
    """(arguments for argparse, per-pass flags in order). Flags of ours are recognised exactly
    (no abbreviations); any other `--name[=options]` is a pass flag; an option's value is the
    next argument even if it starts with '-' (as in mlir-opt: `-o -`)."""
    known, pass_flags = [], []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            known.extend(argv[i:])
            break
        if not arg.startswith("-") or arg == "-":
            known.append(arg)
            i += 1
            continue
        key, sep, value = arg.partition("=")
        if key in takes_value:
            if takes_value[key] and not sep:
                if i + 1 >= len(argv):
                    raise UserError(f"option '{key}' requires a value; try '{PROG} --help'")
                value, i = argv[i + 1], i + 1
                sep = "="
            elif not takes_value[key] and sep:
                raise UserError(f"option '{key}' does not take a value")
            known.append(f"{key}={value}" if sep else key)
        elif _PASS_FLAG.match(arg):
            pass_flags.append(arg)
        else:
            raise UserError(f"unknown command line argument '{arg}'; try '{PROG} --help'")
        i += 1
    return known, pass_flags


def _values(o) -> str:
    if o.choices:
        return "|".join(o.choices)
    return "true|false" if o.type is bool else o.type.__name__


def _text(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _option_lines(options) -> list[str]:
    return [
        f"    {o.name}={_values(o)}  (default {_text(o.default)}): {o.help}"
        for o in options.values()
    ]


def _list_passes() -> str:
    from ..passes import PASSES, PIPELINES

    out = ["Passes of pypto-mlir (module-level: use them directly in builtin.module(...)):"]
    for name in sorted(PASSES):
        out.append(f"  {name}  -  {PASSES[name].summary}")
        out.extend(_option_lines(PASSES[name].options()))
    out.append("Pipelines of pypto-mlir:")
    for name in sorted(PIPELINES):
        out.append(f"  {name}  -  {PIPELINES[name].summary}")
        out.extend(_option_lines(PIPELINES[name].options))
    out.append(
        "Upstream MLIR passes and pipelines (canonicalize, cse, convert-scf-to-cf, ...) are "
        "accepted by name, in --pass-pipeline and as --flags; their options as in mlir-opt."
    )
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
    """(lines before the chunk, chunk text) pairs; the offsets keep the file's line numbers."""
    if not split:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for n, line in enumerate(text.split("\n")):
        line += "\n"
        if line.rstrip() == SPLIT_MARKER:
            out.append((start, "".join(current)))
            start, current = n + 1, []
        else:
            current.append(line)
    out.append((start, "".join(current)[:-1]))  # the last line had no "\n"
    return out


def _opt(argv: list[str]) -> int:
    parser, takes_value = _parser()
    known, pass_flags = _split_argv(normalize_single_dash(argv, short=("o", "p", "h")), takes_value)
    ns = parser.parse_args(known)

    if ns.version:
        from .. import __version__
        from ..dialect.context import make_context  # noqa: F401  (the bindings import)

        print(f"{PROG} (pypto-mlir) {__version__}\n  MLIR Python bindings: LLVM 22.1.8")
        return 0
    if ns.print_irdl_path:
        from ..dialect.context import irdl_path

        print(irdl_path())
        return 0
    if ns.list_passes:
        print(_list_passes())
        return 0
    if ns.pipeline is not None and pass_flags:
        raise UserError(
            f"--pass-pipeline cannot be combined with per-pass flags ({' '.join(pass_flags)})"
        )
    pipeline = (
        ns.pipeline
        if ns.pipeline is not None
        else (_flags_to_pipeline(pass_flags) if pass_flags else None)
    )
    if pipeline is not None and not pipeline.strip():
        pipeline = None  # as mlir-opt: an empty pipeline runs no pass

    source = read_source(ns.input)  # a .py kernel file becomes its MLIR (docs/frontend.md)
    return _OptRun(ns, pipeline, bool(pass_flags), source).run()


class _OptRun:
    def __init__(self, ns, pipeline: str | None, from_flags: bool, source):
        self.ns, self.pipeline, self.from_flags = ns, pipeline, from_flags
        self.name, self.text, self.source = source.name, source.text, source
        self.produced: list[Diagnostic] = []

    def _pass_manager(self, ctx):
        from ..passes import PipelineError, build_pass_manager

        if self.pipeline is None:
            return None
        try:
            pm = build_pass_manager(self.pipeline, ctx)
        except PipelineError as exc:
            msg = str(exc)
            if self.from_flags and getattr(exc, "unknown_pass", None):
                raise UserError(
                    f"unknown command line argument '--{exc.unknown_pass}' (neither a "
                    f"flag of {PROG} nor a pass of pypto-mlir or MLIR); try "
                    f"'{PROG} --help'"
                ) from None
            raise UserError(msg) from None
        if self.ns.mlir_print_ir_after_all or self.ns.mlir_print_ir_before_all:
            pm.enable_ir_printing(
                print_before_all=self.ns.mlir_print_ir_before_all,
                print_after_all=self.ns.mlir_print_ir_after_all,
                print_generic_op_form=self.ns.mlir_print_op_generic,
            )
        if self.ns.mlir_timing:
            pm.enable_timing()
        return pm

    def run(self) -> int:
        from mlir import ir

        from ..dialect.context import make_context
        from ..dialect.diagnostics import ERROR, context_engine
        from ..dialect.verify import verify
        from .expected_diagnostics import check

        verifying = self.ns.verify_diagnostics
        ctx = make_context(
            self.ns.allow_unregistered_dialect, sink=self.produced.append if verifying else None
        )
        engine = context_engine(ctx)
        engine.set_source(self.name, self.source.quoted)
        self.source.emit_remarks(ctx)
        pm = self._pass_manager(ctx)
        out = self._open_output()
        failed = False
        problems = []
        lines = self.text.split("\n") if verifying else []  # only the checker needs them
        for index, (offset, chunk) in enumerate(_chunks(self.text, self.ns.split_input_file)):
            if index:
                out.write(SPLIT_MARKER + "\n")
                out.flush()  # keep stdout and the diagnostics on stderr in order
            errors_before, produced_before = engine.counts[ERROR], len(self.produced)
            module = None
            try:
                module = ir.Module.parse("\n" * offset + chunk, ctx)
            except ir.MLIRError as exc:
                _report_captured(engine, exc)
            if module is not None and verify(module.operation) == 0 and pm is not None:
                try:
                    pm.run(module.operation)
                except ir.MLIRError as exc:
                    _report_captured(engine, exc)
                    if engine.counts[ERROR] == errors_before:  # failed without saying why
                        engine.report(
                            engine.make(ERROR, module.operation.location, "pass pipeline failed")
                        )
            if verifying:
                n_lines = chunk.count("\n") + 1
                problems += check(
                    self.name,
                    lines[offset : offset + n_lines],
                    offset + 1,
                    self.produced[produced_before:],
                )
            if module is None or engine.counts[ERROR] != errors_before:
                failed = True
                continue
            module.operation.print(
                file=out, print_generic_op_form=self.ns.mlir_print_op_generic, assume_verified=True
            )
            out.write("\n")
            out.flush()
        out.flush()
        # The timing report prints when the PassManager goes away: make that happen now.
        del pm
        gc.collect()
        if verifying:
            for p in problems:
                print(engine.format(p), file=sys.stderr)
            failed = bool(problems)
        if out is not sys.stdout:
            out.close()
            if failed:  # as mlir-opt: no output file from a failed run
                _remove(self.ns.output)
        return 1 if failed else 0

    def _open_output(self) -> TextIO:
        if self.ns.output == "-":
            return sys.stdout
        try:
            return open(self.ns.output, "w", encoding="utf-8")
        except OSError as exc:
            raise UserError(
                f"could not open output file '{self.ns.output}': {exc.strerror}"
            ) from None


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _report_captured(engine, exc) -> None:
    """Our Contexts send every diagnostic to the engine (see diagnostics.py), so an MLIRError
    normally carries none. Should the bindings still capture some, report them, once."""
    from ..dialect.diagnostics import ERROR, NOTE

    for d in exc.error_diagnostics:
        diag = engine.make(ERROR, d.location, d.message)
        diag.notes = [engine.make(NOTE, n.location, n.message) for n in d.notes]
        engine.report(diag)


def main(argv=None) -> None:
    exit_with(run_main(PROG, _opt, argv, big_stack=True))


if __name__ == "__main__":
    main()
