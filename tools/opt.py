"""pypto-opt: mlir-opt for pypto-mlir. Parses, verifies (pl-verify), runs a pass pipeline that
mixes our passes and upstream ones, and prints the result the way mlir-opt does."""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .cli import (
    ArgumentParser,
    UserError,
    exit_with,
    normalize_single_dash,
    one_blas_thread,
    os_error_reason,
    run_main,
)
from .opt_input import DEFAULT_SPLIT_MARKER
from .python_source import read_source

if TYPE_CHECKING:  # the bindings load slowly: imported at run time only where needed
    from ..dialect.diagnostics import Diagnostic

PROG = "pypto-opt"
_PASS_FLAG = re.compile(r"^--([A-Za-z0-9][A-Za-z0-9_.\-]*)(=.*)?$", re.S)


def _llvm_bool(text: str) -> bool:
    """A boolean flag's value, spelled as LLVM's command line accepts it."""
    low = text.lower()
    if low in ("", "1", "true"):
        return True
    if low in ("0", "false"):
        return False
    raise argparse.ArgumentTypeError(f"'{text}' is not a boolean value (true, false, 1 or 0)")


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not an unsigned integer")
    return int(text)


# Flags whose value may be left out (LLVM's `--flag` / `--flag=value`), and the value they
# then take: every boolean flag, --split-input-file[=MARKER] and --verify-diagnostics[=MODE].
Flags = dict[str, "bool | str"]


def _parser() -> tuple[ArgumentParser, Flags]:
    """The argument parser, and for each of its option strings: True when it takes a value,
    False when it takes none, or the value it takes when written without one."""
    p = ArgumentParser(
        prog=PROG,
        add_help=False,
        description="Parse, verify (pl-verify) and transform MLIR with pypto-mlir's passes and "
        "any upstream MLIR pass, like mlir-opt.",
        epilog="Per-pass flags build a pipeline in the order given: --pl-verify --canonicalize, "
        '--pl-split-chunked-loops=policy=leading_full, --canonicalize="max-iterations=3 '
        'region-simplify=disabled"; any upstream pass works as a flag (see --list-passes). '
        "Single-dash long flags (-split-input-file) are accepted, as in mlir-opt. Boolean "
        "flags take an optional =true/false/1/0 (--verify-each=0). The pipeline runs as given, "
        "except that an input with an integer loop whose span may overflow gets "
        "pl-normalize-int-loops before the first upstream pass (docs/cli.md, Integer loops; "
        "--dump-pass-pipeline shows what ran).",
    )
    takes_value: Flags = {}

    def add(*names, **kw):
        action = p.add_argument(*names, **kw)
        for n in action.option_strings:
            takes_value[n] = action.const if action.nargs == "?" else action.nargs != 0

    def flag(name: str, help: str, default: bool = False) -> None:
        add(name, nargs="?", const="true", default=default, type=_llvm_bool, help=help)

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
        nargs="?",
        const=DEFAULT_SPLIT_MARKER,
        metavar="MARKER",
        help=f"process each MARKER-separated chunk (default '{DEFAULT_SPLIT_MARKER}') on its own",
    )
    add(
        "--output-split-marker",
        default=DEFAULT_SPLIT_MARKER,
        metavar="MARKER",
        help=f"the line between the outputs of the chunks (default '{DEFAULT_SPLIT_MARKER}')",
    )
    add(
        "--verify-diagnostics",
        nargs="?",
        const="all",
        choices=("all", "only-expected", ""),  # empty: all, as in mlir-opt
        help="check diagnostics against // expected-{error,warning,remark,note} comments "
        "(only-expected: unexpected diagnostics are no error)",
    )
    flag("--verify-each", "verify the IR after each pass (default true; =0 turns it off)", True)
    flag("--dump-pass-pipeline", "print the pass pipeline to stderr before running it")
    flag("--mlir-print-ir-after-all", "print the IR after every pass")
    flag("--mlir-print-ir-before-all", "print the IR before every pass")
    flag("--mlir-print-ir-after-change", "print the IR after a pass only if the pass changed it")
    flag("--mlir-print-ir-after-failure", "print the IR after a pass only if the pass failed")
    flag("--mlir-print-ir-module-scope", "print the top-level op when printing the IR of a pass")
    add(
        "--mlir-print-ir-tree-dir",
        metavar="DIR",
        help="write the IR printed before/after passes to a file tree under DIR instead",
    )
    flag("--mlir-disable-threading", "run MLIR on one thread (needed by module-scope printing)")
    flag("--mlir-print-op-generic", "print ops in the generic form")
    flag("--mlir-print-debuginfo", "print the locations of ops (loc(...)), as mlir-opt does")
    flag("--mlir-print-local-scope", "print with local scope: attributes, types, locations inline")
    add(
        "--mlir-elide-elementsattrs-if-larger",
        type=_count,
        metavar="N",
        help='print elements attributes with more than N elements as "..."',
    )
    flag("--emit-bytecode", "write MLIR bytecode instead of text")
    flag("--no-implicit-module", "do not wrap the input in a module: it must hold one op")
    add(
        "--irdl-file",
        metavar="FILE",
        help="load the dialects defined in this IRDL file (pl is always loaded)",
    )
    flag("--mlir-timing", "report the time taken by parsing, each pass and the output")
    flag("--mlir-pass-statistics", "report the statistics of each pass")
    flag(
        "--allow-unregistered-dialect",
        "accept ops of unregistered dialects (off: an unknown op is an error)",
    )
    add(
        "--list-passes",
        action="store_true",
        help="list our passes and named pipelines with their options, then the upstream ones",
    )
    add(
        "--print-irdl-path",
        action="store_true",
        help="print the path of the pl dialect's IRDL file (for mlir-opt --irdl-file=) and exit",
    )
    add(
        "--print-tools-dir",
        action="store_true",
        help="print the directories of pypto-opt, mlir-opt, FileCheck and not (for lit) and exit",
    )
    add("--version", action="store_true", help="print versions and exit")
    add("-h", "--help", action="help", help="show this help and exit")
    return p, takes_value


def _split_argv(argv: list[str], takes_value: Flags) -> tuple[list[str], list[str]]:
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
            kind = takes_value[key]
            if not isinstance(kind, bool):  # an optional value: bare means `kind`
                if not sep:
                    value, sep = kind, "="
            elif kind and not sep:
                if i + 1 >= len(argv):
                    raise UserError(f"option '{key}' requires a value; try '{PROG} --help'")
                value, i = argv[i + 1], i + 1
                sep = "="
            elif not kind and sep:
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
    from .upstream_passes import load

    out = ["Passes of pypto-mlir (module-level: use them directly in builtin.module(...)):"]
    for name in sorted(PASSES):
        out.append(f"  {name}  -  {PASSES[name].summary}")
        out.extend(_option_lines(PASSES[name].options()))
    out.append("Pipelines of pypto-mlir:")
    for name in sorted(PIPELINES):
        out.append(f"  {name}  -  {PIPELINES[name].summary}")
        out.extend(_option_lines(PIPELINES[name].options))
    upstream = load()
    out.append(
        "Upstream MLIR passes (as the pinned mlir-opt lists them; their options: "
        "mlir-opt --help), by name in --pass-pipeline and as --flags:"
    )
    out.extend(f"  {name}  -  {summary}" for name, summary in upstream["passes"])
    out.append("Upstream MLIR pass pipelines:")
    out.extend(f"  {name}  -  {summary}" for name, summary in upstream["pipelines"])
    return "\n".join(out)


def _flags_to_pipeline(flags: list[str]) -> str:
    elements = []
    for flag in flags:
        name, sep, opts = flag[2:].partition("=")
        if len(opts) >= 2 and opts[0] == opts[-1] and opts[0] in "\"'":
            opts = opts[1:-1]
        elements.append(f"{name}{{{opts}}}" if sep else name)
    return "builtin.module(" + ", ".join(elements) + ")"


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
    if ns.print_tools_dir:
        from .tool_dirs import tool_dirs

        print(os.pathsep.join(tool_dirs()))
        return 0
    if ns.list_passes:
        print(_list_passes())
        return 0
    if ns.pipeline is not None and pass_flags:
        raise UserError(
            f"--pass-pipeline cannot be combined with per-pass flags ({' '.join(pass_flags)})"
        )
    if ns.split_input_file == "":  # as mlir-opt: an empty marker is the default one
        ns.split_input_file = DEFAULT_SPLIT_MARKER
    if ns.mlir_print_ir_tree_dir is not None:  # MLIR would only warn, then print nothing
        from .output_files import prepare_out_dir

        prepare_out_dir(ns.mlir_print_ir_tree_dir, "--mlir-print-ir-tree-dir")
    if ns.emit_bytecode and ns.split_input_file is not None:
        raise UserError("--emit-bytecode cannot be combined with --split-input-file")
    pipeline = (
        ns.pipeline
        if ns.pipeline is not None
        else (_flags_to_pipeline(pass_flags) if pass_flags else None)
    )
    if pipeline is not None and not pipeline.strip():
        pipeline = None  # as mlir-opt: an empty pipeline runs no pass

    # a .py kernel file becomes its MLIR (docs/frontend.md); MLIR bytecode is read as it is
    source = read_source(ns.input, bytecode=True)
    return _OptRun(ns, pipeline, bool(pass_flags), source).run()


class _OptRun:
    def __init__(self, ns, pipeline: str | None, from_flags: bool, source):
        self.ns, self.pipeline, self.from_flags = ns, pipeline, from_flags
        # source.text: MLIR text or bytecode; source.quoted: what diagnostics echo
        self.name, self.source, self.input = source.name, source.text, source
        self.produced: list[Diagnostic] = []
        # Locations name the input (not the bindings' "-") wherever they leave the process.
        self.name_locations = bool(
            ns.mlir_print_debuginfo or ns.emit_bytecode or ns.mlir_print_ir_tree_dir
        )
        self.parse_seconds = self.output_seconds = 0.0
        # The integer rule (passes/integer_rule.py): the pipeline with pl-normalize-int-loops
        # before its first upstream pass, run instead of it on an input with a loop that pass
        # could miscount; built when first needed.
        self.protected: str | None = None
        self.protected_pm = None
        self.dumped: list[object] = []  # the pass managers --dump-pass-pipeline has shown

    def _load_irdl(self, ctx, engine) -> bool:
        """--irdl-file; False after reporting why it cannot be loaded."""
        from mlir import ir

        from ..dialect.context import load_irdl_file
        from ..dialect.diagnostics import DiagnosedError

        path = self.ns.irdl_file
        try:
            load_irdl_file(ctx, path)
        except OSError as exc:
            raise UserError(f"could not open IRDL file '{path}': {os_error_reason(exc)}") from None
        except UnicodeDecodeError:
            raise UserError(f"IRDL file '{path}' is not valid UTF-8 text") from None
        except ir.MLIRError as exc:
            _report_captured(engine, exc)
            return False
        except DiagnosedError:
            return False
        return True

    def _pass_manager(self, ctx, pipeline: str | None):
        from ..passes import PipelineError, build_pass_manager

        if pipeline is None:
            return None
        ns = self.ns
        try:
            pm = build_pass_manager(pipeline, ctx, verify_each=ns.verify_each)
        except PipelineError as exc:
            msg = str(exc)
            if self.from_flags and getattr(exc, "unknown_pass", None):
                raise UserError(
                    f"unknown command line argument '--{exc.unknown_pass}' (neither a "
                    f"flag of {PROG} nor a pass of pypto-mlir or MLIR); try "
                    f"'{PROG} --help'"
                ) from None
            raise UserError(msg) from None
        printing = (
            ns.mlir_print_ir_after_all,
            ns.mlir_print_ir_before_all,
            ns.mlir_print_ir_after_change,
            ns.mlir_print_ir_after_failure,
        )
        if any(printing):
            if ns.mlir_print_ir_module_scope and not ns.mlir_disable_threading:
                # MLIR aborts the process in this case; mlir-opt reports it as an error.
                raise UserError(
                    "IR print for module scope can't be setup on a pass-manager without "
                    "disabling multi-threading first (add --mlir-disable-threading)"
                )
            pm.enable_ir_printing(
                print_before_all=ns.mlir_print_ir_before_all,
                # As mlir-opt: after-change and after-failure filter the printing after
                # passes; after-failure also turns it on by itself.
                print_after_all=ns.mlir_print_ir_after_all or ns.mlir_print_ir_after_failure,
                print_module_scope=ns.mlir_print_ir_module_scope,
                print_after_change=ns.mlir_print_ir_after_change,
                print_after_failure=ns.mlir_print_ir_after_failure,
                large_elements_limit=ns.mlir_elide_elementsattrs_if_larger,
                enable_debug_info=ns.mlir_print_debuginfo,
                print_generic_op_form=ns.mlir_print_op_generic,
                tree_printing_dir_path=ns.mlir_print_ir_tree_dir,
            )
        if ns.mlir_timing:
            pm.enable_timing()
        if ns.mlir_pass_statistics:
            pm.enable_statistics()
        return pm

    def _parse(self, ctx, engine, chunk):
        """The chunk's top-level op, or None after reporting why it does not parse."""
        from mlir import ir

        from .opt_input import name_locations, parse_chunk
        from .string_literals import refuse_non_utf8_in_bytecode

        start = time.perf_counter()
        try:
            op = parse_chunk(ctx, self.name, chunk, implicit_module=not self.ns.no_implicit_module)
        except ir.MLIRError as exc:
            _report_captured(engine, exc)
            return None
        finally:
            self.parse_seconds += time.perf_counter() - start
        if isinstance(chunk.source, bytes):
            refuse_non_utf8_in_bytecode(op)
        if self.name_locations:
            name_locations(op, self.name)
        return op

    def _print(self, op, out) -> None:
        ns = self.ns
        start = time.perf_counter()
        if ns.emit_bytecode:
            op.write_bytecode(out)
        else:
            op.print(
                file=out,
                print_generic_op_form=ns.mlir_print_op_generic,
                enable_debug_info=ns.mlir_print_debuginfo,
                use_local_scope=ns.mlir_print_local_scope,
                large_elements_limit=ns.mlir_elide_elementsattrs_if_larger,
                assume_verified=True,
            )
            out.write("\n")
        out.flush()
        self.output_seconds += time.perf_counter() - start

    def run(self) -> int:
        from ..dialect.context import make_context
        from ..dialect.diagnostics import ERROR, context_engine
        from ..dialect.verify import verify
        from .expected_diagnostics import check
        from .opt_input import split_chunks
        from .output_files import OutputFile

        ns = self.ns
        verifying = ns.verify_diagnostics is not None
        ctx = make_context(
            ns.allow_unregistered_dialect, sink=self.produced.append if verifying else None
        )
        if ns.mlir_disable_threading:
            ctx.enable_multithreading(False)
        engine = context_engine(ctx)
        if isinstance(self.source, str):
            engine.set_source(self.name, self.input.quoted)
        self.input.emit_remarks(ctx)
        if ns.irdl_file is not None and not self._load_irdl(ctx, engine):
            return 1
        pm = self._pass_manager(ctx, self.pipeline)
        if self.pipeline is not None:
            from ..passes.integer_rule import protected_pipeline

            protected = protected_pipeline(self.pipeline)
            self.protected = protected if protected != self.pipeline else None
        output = OutputFile(ns.output, binary=ns.emit_bytecode)
        out = output.file
        failed = False
        problems = []
        lines = self.source.split("\n") if verifying and isinstance(self.source, str) else []
        try:
            for index, chunk in enumerate(split_chunks(self.source, ns.split_input_file)):
                if index:
                    out.write(ns.output_split_marker + "\n")
                    out.flush()  # keep stdout and the diagnostics on stderr in order
                errors_before, produced_before = engine.counts[ERROR], len(self.produced)
                op = self._parse(ctx, engine, chunk)
                if op is not None and verify(op) == 0:
                    self._run_pipeline(pm, op, engine)
                if verifying:
                    text = chunk.source if isinstance(chunk.source, str) else ""
                    n_lines = text.count("\n") + 1
                    problems += check(
                        self.name,
                        lines[chunk.line : chunk.line + n_lines],
                        chunk.line + 1,
                        self.produced[produced_before:],
                        only_expected=ns.verify_diagnostics == "only-expected",
                    )
                if op is None or engine.counts[ERROR] != errors_before:
                    failed = True
                    continue
                self._print(op, out)
            with self._reports():
                del pm  # MLIR prints its statistics and timing reports now
                self.protected_pm = None
                self.dumped.clear()
                if ns.mlir_timing or ns.mlir_pass_statistics:  # the only reports (saves 7 ms)
                    gc.collect()
        except BaseException:
            output.discard()
            raise
        if verifying:
            for p in problems:
                print(engine.format(p), file=sys.stderr)
            failed = bool(problems)
        # As mlir-opt, nothing is written by a failed run; unlike it, an existing file stays.
        if failed:
            output.discard()
        else:
            output.commit()
        return 1 if failed else 0

    def _run_pipeline(self, pm, op, engine) -> None:
        from mlir import ir

        from ..dialect.diagnostics import ERROR

        if pm is None:
            return
        if op.name != "builtin.module":  # --no-implicit-module; mlir-opt's words
            message = f"can't run 'builtin.module' pass manager on '{op.name}' op"
            engine.report(engine.make(ERROR, op.location, message))
            return
        pm = self._protect(pm, op)
        errors_before = engine.counts[ERROR]
        try:
            pm.run(op)
            if not self.ns.verify_each:
                op.verify()  # never print unverified IR (the printer assumes it is valid)
        except ir.MLIRError as exc:
            _report_captured(engine, exc)
            if engine.counts[ERROR] == errors_before:  # failed without saying why
                engine.report(engine.make(ERROR, op.location, "pass pipeline failed"))

    def _protect(self, pm, op):
        """The pass manager to run on `op`: the protected pipeline's when `op` has a loop that
        an upstream pass of the pipeline could miscount (the integer rule), `pm` otherwise;
        shown by --dump-pass-pipeline the first time it runs."""
        from ..passes.integer_rule import needs_protection
        from ..passes.pipeline_parser import describe_pass_manager

        if self.protected is not None and needs_protection(op):
            if self.protected_pm is None:
                self.protected_pm = self._pass_manager(op.context, self.protected)
            pm = self.protected_pm
        if self.ns.dump_pass_pipeline and not any(pm is seen for seen in self.dumped):
            self.dumped.append(pm)
            sys.stdout.flush()
            sys.stderr.write(describe_pass_manager(pm))
            sys.stderr.flush()
        return pm

    @contextmanager
    def _reports(self):
        """Around the end of the PassManager, when MLIR prints its statistics and timing
        reports: the timing report gets mlir-opt's Parser and Output rows."""
        from ..passes.pipeline_parser import stderr_captured
        from .timing_report import merge_timing

        sys.stdout.flush()
        sys.stderr.flush()
        if not self.ns.mlir_timing:
            yield
            return
        with stderr_captured() as said:
            yield
        sys.stderr.write(merge_timing("".join(said), self.parse_seconds, self.output_seconds))
        sys.stderr.flush()


def _report_captured(engine, exc) -> None:
    """Our Contexts send every diagnostic to the engine (see diagnostics.py), so an MLIRError
    normally carries none. Should the bindings still capture some, report them, once."""
    from ..dialect.diagnostics import ERROR, NOTE

    for d in exc.error_diagnostics:
        diag = engine.make(ERROR, d.location, d.message)
        diag.notes = [engine.make(NOTE, n.location, n.message) for n in d.notes]
        engine.report(diag)


def main(argv=None) -> None:
    one_blas_thread()
    exit_with(run_main(PROG, _opt, argv, big_stack=True))


if __name__ == "__main__":
    main()
