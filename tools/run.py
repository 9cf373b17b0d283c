"""pypto-run: compile a module through a pipeline, lower it for a target and call one function
on numpy data.

    pypto-run INPUT.mlir --entry FUNC [--pass-pipeline PIPE] [--arg VALUE]... [--out-dir DIR]
              [--target cpu|emu[:MACHINE]] [--opt-level N] [--repeat N] [--print]
              [--deps MODEL] [--check-races] [--report-json FILE] [--trace FILE]
              [--timeline FILE]                                       (emu: tools/run_emu.py)

The contract of issue 3 (--entry, --pass-pipeline, --arg, --out-dir, the printout) is fixed:
later flags and targets extend it but never change it.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import run_emu
from .cli import (
    ArgumentParser,
    UserError,
    exit_with,
    one_blas_thread,
    os_error_reason,
    run_main,
)
from .output_files import OutputFile, prepare_out_dir, refuse_inputs
from .python_source import read_source

if TYPE_CHECKING:
    from ..lowering.numpy_abi import PyValue

PROG = "pypto-run"
DEFAULT_PIPELINE = "builtin.module(pl-default)"


# -- targets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where the entry runs. `compile(module, entry, opt_level)` returns an object whose
    `bind(*args)` checks and packs the arguments (ArgumentError) and returns a call with `run()`
    (the work alone, timed by --repeat) and `results()`; it raises CompileError (with the op's
    location when known) if the module cannot be compiled."""

    name: str
    summary: str
    compile: Callable[[Any, str, int], Any]
    default_pipeline: str = DEFAULT_PIPELINE  # when no --pass-pipeline is given


def _compile_cpu(module, entry: str, opt_level: int):
    from ..lowering.cpu import compile_module

    return compile_module(module, entries=[entry], opt_level=opt_level)[entry]


TARGETS = {
    t.name: t
    for t in [
        Target("cpu", "lower to LLVM and JIT-compile for this machine", _compile_cpu),
        Target(run_emu.NAME, run_emu.SUMMARY, run_emu.compile_entry, run_emu.DEFAULT_PIPELINE),
    ]
}
DEFAULT_TARGET = "cpu"
OPT_LEVELS = ("0", "1", "2", "3")

_EPILOG = f"""\
arguments:
  Give one --arg per function argument, in order: the path of a .npy file for a memref
  argument (its dtype and rank must match; static dimensions too), an integer literal for an
  integer or index argument (decimal, or 0x/0o/0b), a float literal for a float argument
  (1.5, -1e-3, inf, nan), and 0, 1, true or false for an i1. Negative values work as
  '--arg -7' and '--arg=-1e-3'. Input files are never modified: the function gets copies.

output:
  By default, prints one line per result ('result<j> = VALUE') and then one per memref
  argument after the call ('arg<i> = ARRAY'; i counts every argument, scalars included).
  Floats print with the fewest digits that read back to the same value. With --out-dir,
  writes DIR/arg<i>.npy for every memref argument and DIR/result<j>.npy for every result
  (scalars as 0-d arrays) and prints nothing. --print prints the results and arguments
  in any case (with --out-dir: after writing the files; with --repeat: before the time).

timing:
  --repeat N calls the function once (the warm-up, whose results and arguments are the
  ones printed or written) and then N more times, each on fresh copies of the input
  arrays, timing only the native call. It prints one line, last,
    time: min X ms, median Y ms (N runs)
  X and Y with 3 significant digits. With --repeat, results and arguments are printed
  only with --print (--out-dir still writes them).

targets and pipeline:
  --target NAME picks where the function runs: {", ".join(TARGETS)} (default {DEFAULT_TARGET}).
  cpu lowers the module to LLVM and JIT-compiles it with LLVM -O<--opt-level> (0-3,
  default 3), without fast-math. Without --pass-pipeline, the target's default pipeline
  runs before its lowering: pl-default on cpu, pl-accelerator on emu (see pypto-opt
  --list-passes); a --pass-pipeline replaces it on every target.

errors:
  Print one line, 'pypto-run: error: MESSAGE' or 'FILE:LINE:COL: error: MESSAGE' when an
  op or a line of the input is at fault, and exit with status 1.
"""


def _parser() -> ArgumentParser:
    import argparse

    p = ArgumentParser(
        prog=PROG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run one function of an MLIR module on a target (the CPU: LLVM "
        "JIT), after a pass pipeline, with numpy arrays and scalars as "
        "arguments.",
        epilog=_EPILOG + run_emu.EPILOG,
    )
    p.add_argument("input", help="input .mlir file, or - for stdin")
    p.add_argument("--entry", required=True, metavar="FUNC", help="the function to call")
    p.add_argument(
        "-p",
        "--pass-pipeline",
        dest="pipeline",
        metavar="PIPE",
        help="an anchored pipeline, e.g. 'builtin.module(pl-split-chunked-loops"
        "{policy=leading_full}, canonicalize, cse)' (default: pl-default)",
    )
    p.add_argument(
        "--arg",
        dest="args",
        action="append",
        default=[],
        metavar="VALUE",
        help="the next argument of the function (see below); repeat in order",
    )
    p.add_argument("--out-dir", metavar="DIR", help="write arg<i>.npy and result<j>.npy here")
    p.add_argument(
        "--target",
        default=DEFAULT_TARGET,
        metavar="NAME",
        help=f"where to run: {', '.join(TARGETS)} (default {DEFAULT_TARGET})",
    )
    p.add_argument(
        "--opt-level",
        default="3",
        metavar="N",
        help="LLVM optimization level of the JIT, 0 to 3 (default 3)",
    )
    p.add_argument(
        "--repeat", metavar="N", help="after a warm-up call, call N more times and print the time"
    )
    p.add_argument(
        "--print",
        dest="print_outputs",
        action="store_true",
        help="print results and memref arguments even with --out-dir or --repeat",
    )
    run_emu.add_arguments(p)
    return p


def _check_flags(ns) -> None:
    """Values argparse cannot check as we want them worded; fills ns.opt and ns.runs."""
    run_emu.check_flags(ns)  # emu[:MACHINE] -> emu and ns.machine; emu's flags need emu
    if ns.target not in TARGETS:
        raise UserError(f"unknown target '{ns.target}' (accepted: {', '.join(TARGETS)})")
    if ns.opt_level not in OPT_LEVELS:
        raise UserError(f"invalid --opt-level '{ns.opt_level}' (expected 0, 1, 2 or 3)")
    ns.opt = int(ns.opt_level)
    ns.runs = None
    if ns.repeat is not None:
        try:
            ns.runs = int(ns.repeat, 10)
        except ValueError:
            ns.runs = 0
        if ns.runs < 1:
            raise UserError(f"invalid --repeat '{ns.repeat}' (expected a positive integer)")


def join_option_values(argv: list[str], options: tuple[str, ...] = ("--arg",)) -> list[str]:
    """`--arg -1e-3` -> `--arg=-1e-3`: argparse takes a value that starts with '-' for an
    option unless it looks like a plain negative integer or decimal."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            out.extend(argv[i:])
            break
        if (
            a in options
            and i + 1 < len(argv)
            and argv[i + 1].startswith("-")
            and argv[i + 1] != "-"
        ):
            out.append(f"{a}={argv[i + 1]}")
            i += 2
            continue
        out.append(a)
        i += 1
    return out


# -- arguments -------------------------------------------------------------------------------


def _parse_scalar(kind, text: str, what: str) -> Any:
    t = text.strip()
    if kind.dtype.kind == "b":
        low = t.lower()
        if low in ("1", "true"):
            return True
        if low in ("0", "false"):
            return False
        raise UserError(f"{what} ({kind.text}): expected 0, 1, true or false, got '{text}'")
    if kind.is_float:
        try:
            value = float(t)
        except ValueError:
            raise UserError(
                f"{what} ({kind.text}): expected a float literal, got '{text}'"
            ) from None
        if math.isinf(value) and "inf" not in t.lower():  # 1e400: not what the user wrote
            raise UserError(f"{what} ({kind.text}): '{text}' is out of the range of a double")
        return value
    try:
        return int(t, 0)
    except ValueError:
        raise UserError(
            f"{what} ({kind.text}): expected an integer literal, got '{text}'"
        ) from None


def _check_npy_header(f, path: str, what: str) -> None:
    """The shape and dtype a .npy header declares must fit the bytes the file holds: checked
    before numpy allocates anything (a 100-byte file may declare terabytes)."""
    import numpy as np

    fmt = np.lib.format
    try:
        version = fmt.read_magic(f)
        read_header = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
        shape, _, dtype = read_header(f)
    except (ValueError, TypeError, SyntaxError, OverflowError) as exc:
        raise UserError(f"{what}: '{path}' has an invalid .npy header ({exc})") from None
    if dtype.hasobject:
        return  # refused by np.load (allow_pickle=False), with its own message
    declared = math.prod(shape) * dtype.itemsize
    held = os.fstat(f.fileno()).st_size - f.tell()
    if declared > held:
        raise UserError(
            f"{what}: '{path}' declares an array of shape {tuple(shape)} and dtype {dtype} "
            f"({declared} bytes) but holds only {held} bytes of data"
        )
    f.seek(0)


def _load_array(kind, path: str, what: str):
    import numpy as np

    try:
        with open(path, "rb") as f:
            if f.read(6) != b"\x93NUMPY":
                raise UserError(f"{what} ({kind.text}): '{path}' is not a .npy file")
            f.seek(0)
            _check_npy_header(f, path, f"{what} ({kind.text})")
            arr = np.load(f, allow_pickle=False)
    except OSError as exc:
        raise UserError(
            f"{what} ({kind.text}): cannot read '{path}': {os_error_reason(exc)}"
        ) from None
    except ValueError as exc:
        raise UserError(
            f"{what} ({kind.text}): '{path}' is not a .npy array file ({exc})"
        ) from None
    if not isinstance(arr, np.ndarray):
        raise UserError(
            f"{what} ({kind.text}): '{path}' holds several arrays (.npz); give a .npy file"
        )
    # A private, writable, dense copy: the function may write to it, the file never changes.
    return np.array(arr, copy=True, order="C")


def _arguments(signature, texts: list[str]) -> list[PyValue]:
    from ..lowering.numpy_abi import ArgumentError, MemRefKind, from_raw_bits

    if len(texts) != len(signature.args):
        raise UserError(
            f"@{signature.name} takes {len(signature.args)} argument(s) "
            f"{signature.describe()}, got {len(texts)} --arg value(s)"
        )
    values: list[PyValue] = []
    for i, (kind, text) in enumerate(zip(signature.args, texts, strict=False)):
        what = f"argument {i} of @{signature.name}"
        if isinstance(kind, MemRefKind):
            try:  # bf16: the file holds uint16 raw bits
                values.append(from_raw_bits(kind, _load_array(kind, text, what), what))
            except ArgumentError as exc:
                raise UserError(str(exc)) from None
        else:
            values.append(_parse_scalar(kind, text, what))
    return values


# -- output ----------------------------------------------------------------------------------


def _format_scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        return repr(v)
    return str(v)


def _format_array(a) -> str:
    import numpy as np

    from ..lowering.numpy_abi import BF16

    if a.dtype == BF16:
        a = a.astype(np.float32)  # exactly the bf16 values, printed as floats are

    if a.dtype == np.bool_:
        return np.array2string(
            a,
            threshold=sys.maxsize,
            max_line_width=sys.maxsize,
            separator=", ",
            formatter={"bool": lambda b: "true" if b else "false"},
        )
    return np.array2string(
        a, threshold=sys.maxsize, max_line_width=sys.maxsize, separator=", ", floatmode="unique"
    )


def input_files(ns, signature) -> list[str]:
    """The files a run reads: the module and the .npy of each memref argument."""
    from ..lowering.numpy_abi import MemRefKind

    memrefs = [
        t for k, t in zip(signature.args, ns.args, strict=False) if isinstance(k, MemRefKind)
    ]
    return [ns.input, *memrefs]


def _write_outputs(
    out_dir: str,
    signature,
    values: list[PyValue],
    results: list[PyValue],
    inputs: list[str],
):
    """DIR/arg<i>.npy and DIR/result<j>.npy, none of them an input of the run; each is written
    to a temporary file first and all are renamed into place together at the end."""
    import numpy as np

    from ..lowering.numpy_abi import MemRefKind, raw_bits

    prepare_out_dir(out_dir)
    arrays = [
        (f"arg{i}.npy", np.asarray(v))  # (the array itself: memref arguments are arrays)
        for i, (kind, v) in enumerate(zip(signature.args, values, strict=False))
        if isinstance(kind, MemRefKind)
    ] + [
        (f"result{j}.npy", r if isinstance(r, np.ndarray) else np.array(r, dtype=kind.dtype))
        for j, (kind, r) in enumerate(zip(signature.results, results, strict=False))
    ]
    targets = [os.path.join(out_dir, name) for name, _ in arrays]
    for path in targets:
        refuse_inputs(path, inputs, "--out-dir file")
    files: list[OutputFile] = []
    try:
        for path, (_, arr) in zip(targets, arrays, strict=True):
            files.append(OutputFile(path, "--out-dir file", binary=True))
            np.save(files[-1].file, raw_bits(arr))  # bf16: uint16 raw bits
        for f in files:
            f.commit()
    except OSError as exc:
        raise UserError(f"cannot write to '{out_dir}': {exc.strerror or exc}") from None
    finally:
        for f in files:
            f.discard()  # no-op once committed


def _print_outputs(signature, values: list[PyValue], results: list[PyValue]) -> None:
    from ..lowering.numpy_abi import MemRefKind

    for j, r in enumerate(results):
        text = (
            _format_array(r) if isinstance(signature.results[j], MemRefKind) else _format_scalar(r)
        )
        print(f"result{j} = {text}")
    for i, (kind, v) in enumerate(zip(signature.args, values, strict=False)):
        if isinstance(kind, MemRefKind):
            print(f"arg{i} = {_format_array(v)}")


# -- the run ---------------------------------------------------------------------------------


class _Errors:
    """Collects the diagnostics of our Context; the first error becomes the one-line message."""

    def __init__(self):
        self.diags = []
        self.shown = 0  # warnings and remarks before this index have been printed

    def __call__(self, diag) -> None:
        self.diags.append(diag)

    def first_error(self) -> UserError | None:
        for d in self.diags:
            if d.severity == "error":
                return _located(d)
        return None

    def show_warnings(self) -> None:
        """Prints the warnings and remarks not yet shown (only once the step that produced them
        succeeded: a failing run prints its one error line and nothing else)."""
        for d in self.diags[self.shown :]:
            if d.severity in ("warning", "remark"):
                print(f"{d.where}{d.severity}: {d.message}", file=sys.stderr)
        self.shown = len(self.diags)


def _located(diag) -> UserError:
    """`file:line:col: error: message`, or `pypto-run: error: message` without a location."""
    where = f"{diag.file}:{diag.line}:{diag.col}" if diag.file is not None else None
    return UserError(diag.message, where=where)


def _fail_from(ctx, errors: _Errors, exc: Exception | None, what: str) -> UserError:
    from ..dialect.diagnostics import context_engine

    first = errors.first_error()
    if first is not None:
        return first
    diags = list(getattr(exc, "error_diagnostics", []) or [])
    if diags:
        return _located(context_engine(ctx).make("error", diags[0].location, diags[0].message))
    return UserError(what)


def _fresh(values: list[PyValue]) -> list[PyValue]:
    """Private copies of the array arguments (a call may write to them); scalars as they are."""
    import numpy as np

    return [np.array(v, copy=True) if isinstance(v, np.ndarray) else v for v in values]


def _format_ms(seconds: float) -> str:
    """Milliseconds with 3 significant digits, never in exponent form (all the digits of the
    integer part from 1000 ms up)."""
    ms = seconds * 1e3
    if ms <= 0:
        return "0"
    decimals = max(0, 2 - math.floor(math.log10(ms)))
    return f"{ms:.{decimals}f}"


def _time_calls(function, values: list[PyValue], runs: int) -> list[float]:
    """Seconds of each of `runs` calls, each bound to fresh copies of `values` (copying and
    packing happen outside the timed region: only the native call is timed)."""
    times: list[float] = []
    for _ in range(runs):
        call = function.bind(*_fresh(values))
        start = time.perf_counter()
        call.run()
        times.append(time.perf_counter() - start)
        del call  # its copies can go before the next ones are made
    return times


# -- the run ---------------------------------------------------------------------------------


@dataclass
class _Session:
    """What the steps of a run share: the parsed flags, the Context with its diagnostics, and
    the input's name (for messages)."""

    ns: Any
    ctx: Any
    errors: _Errors
    name: str


@dataclass
class _Compiled:
    """A compiled entry, its signature, and the checked argument values."""

    function: Any
    signature: Any
    values: list[PyValue]


def _function_names(module) -> list[str]:
    from ..dialect.ir_queries import symbol_name

    return [
        symbol_name(op) or "" for op in module.body.operations if op.operation.name == "func.func"
    ]


def _parse(argv: list[str]) -> tuple[_Session, Any, Any]:
    """Flags and input: the session, the target, and the parsed module."""
    ns = _parser().parse_args(
        join_option_values(argv, ("--arg", "--repeat", "--opt-level", "--target"))
    )
    _check_flags(ns)
    target = run_emu.configured(ns, TARGETS[ns.target])
    # kernel.py --entry Program.fn: docs/frontend.md; MLIR bytecode is read as it is
    source = read_source(ns.input, ns.entry, bytecode=True)
    name, text, ns.entry = source.name, source.text, source.entry

    from mlir import ir

    from ..dialect.context import make_context
    from ..dialect.diagnostics import context_engine

    errors = _Errors()
    ctx = make_context(sink=errors)
    if isinstance(text, str):
        context_engine(ctx).set_source(name, source.quoted)
    source.emit_remarks(ctx)
    session = _Session(ns, ctx, errors, name)
    try:
        module = ir.Module.parse(text, ctx)
    except ir.MLIRError as exc:
        raise _fail_from(ctx, errors, exc, f"{name}: cannot parse the input") from None
    if isinstance(text, bytes):
        from .string_literals import refuse_non_utf8_in_bytecode

        refuse_non_utf8_in_bytecode(module.operation)
    funcs = _function_names(module)
    if ns.entry not in funcs:
        known = ", ".join(f"@{f}" for f in sorted(funcs)) or "none"
        raise UserError(f"{name}: no function @{ns.entry} (functions: {known})")
    return session, target, module


def _run_pipeline(session: _Session, module, default: str) -> None:
    """The user's pipeline (or the target's `default`) on the module; warnings shown once it
    succeeded."""
    from mlir import ir

    from ..passes import PipelineError, build_pass_manager

    ns, ctx, errors = session.ns, session.ctx, session.errors
    try:
        pm = build_pass_manager(ns.pipeline or default, ctx)
    except PipelineError as exc:
        raise UserError(str(exc)) from None
    if ns.pipeline:
        # As pypto-opt: the pl attributes are checked whatever the pipeline (pl-default starts
        # with pl-verify; a pipeline of the user's may not, and bad metadata must not run).
        from ..dialect.diagnostics import DiagnosedError
        from ..dialect.verify import verify_or_raise

        try:
            verify_or_raise(module.operation)
        except DiagnosedError:
            raise _fail_from(ctx, errors, None, "invalid pl attributes") from None
        # Upstream canonicalize deletes integer loops whose span overflows their type (or whose
        # unsigned step it reads as negative); a user's pipeline may run it before the lowering
        # can make such loops safe. Exit values that wrap are the lowering's (it runs the full
        # pass), so loops such as hand-written chunk loops stay as written for the pipeline.
        from ..passes.normalize_int_loops import normalize_int_loops

        normalize_int_loops(module, exit_values=False)
    try:
        pm.run(module.operation)
    except ir.MLIRError as exc:
        raise _fail_from(ctx, errors, exc, "pass pipeline failed") from None
    errors.show_warnings()


def _compile(session: _Session, target, module) -> _Compiled:
    """Pipeline, entry signature, argument values (checked before compiling: a typo fails
    fast), then the target's compilation."""
    from ..dialect.diagnostics import context_engine
    from ..dialect.ir_queries import symbol_name
    from ..lowering.cpu import CompileError
    from ..lowering.numpy_abi import Signature, SignatureError

    ns, ctx, errors = session.ns, session.ctx, session.errors
    _run_pipeline(session, module, target.default_pipeline)
    entry = next(
        (
            op.operation
            for op in module.body.operations
            if op.operation.name == "func.func" and symbol_name(op) == ns.entry
        ),
        None,
    )
    if entry is None:
        left = _function_names(module)
        raise UserError(
            f"the pass pipeline removed or converted func.func @{ns.entry} "
            f"(func.func ops left: {', '.join('@' + n for n in left) or 'none'}); "
            f"pypto-run lowers the module itself: give a pipeline that stops before "
            f"LLVM"
        )
    try:
        signature = Signature.of(entry)
    except SignatureError as exc:
        raise UserError(str(exc)) from None
    values = _arguments(signature, ns.args)
    try:
        function = target.compile(module, ns.entry, ns.opt)
    except CompileError as exc:
        if exc.location is not None:
            raise _located(context_engine(ctx).make("error", exc.location, exc.message)) from None
        raise errors.first_error() or UserError(exc.message) from None
    errors.show_warnings()
    return _Compiled(function, signature, values)


def _call(ns, compiled: _Compiled) -> tuple[Any, list[PyValue], list[PyValue], list[float]]:
    """The first call (whose results are shown; with --repeat also the warm-up), then the timed
    ones, each on its own copies of the arrays so that each computes the same thing. Returns
    the first call, its argument values, its results and the times."""
    from ..lowering.numpy_abi import ArgumentError, ResultError

    values = compiled.values
    first_values = _fresh(values) if ns.runs else values
    try:
        call = compiled.function.bind(*first_values)
    except ArgumentError as exc:
        raise UserError(str(exc)) from None
    call.run()
    try:
        results = call.results()
    except ResultError as exc:
        raise UserError(f"@{ns.entry}: {exc}") from None
    times = _time_calls(compiled.function, values, ns.runs) if ns.runs else []
    return call, first_values, results, times


def _output(
    ns, signature, values: list[PyValue], results: list[PyValue], times: list[float]
) -> None:
    """--out-dir files, the printout, and the --repeat timing line."""
    if ns.out_dir is not None:
        _write_outputs(ns.out_dir, signature, values, results, input_files(ns, signature))
    if ns.print_outputs or (ns.out_dir is None and not ns.runs):
        _print_outputs(signature, values, results)
    if times:
        print(
            f"time: min {_format_ms(min(times))} ms, "
            f"median {_format_ms(statistics.median(times))} ms ({ns.runs} runs)"
        )


def _run(argv: list[str]) -> int:
    """parse -> compile -> call -> output; the emu target then prints its reports."""
    session, target, module = _parse(argv)
    compiled = _compile(session, target, module)
    call, values, results, times = _call(session.ns, compiled)
    _output(session.ns, compiled.signature, values, results, times)
    # emu: --report-json and --trace may not overwrite an input either
    return run_emu.finish(
        session.ns, call, input_files(session.ns, compiled.signature)
    )  # emu: reports and summary; 1 on a fault


def main(argv=None) -> None:
    one_blas_thread()
    exit_with(run_main(PROG, _run, argv, big_stack=True))


if __name__ == "__main__":
    main()
