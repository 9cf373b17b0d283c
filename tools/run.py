"""pypto-run: compile a module through a pipeline, lower it for the CPU and call one function on
numpy data.

    pypto-run INPUT.mlir --entry FUNC [--pass-pipeline PIPE] [--arg VALUE]... [--out-dir DIR]

The contract (issue 3) is fixed: later targets extend it but never change it.
"""

from __future__ import annotations

import math
import os
import sys
from typing import Any

from .cli import ArgumentParser, UserError, exit_with, os_error_reason, read_input, run_main

PROG = "pypto-run"
DEFAULT_PIPELINE = "builtin.module(pl-default)"

_EPILOG = """\
arguments:
  Give one --arg per function argument, in order: the path of a .npy file for a memref
  argument (its dtype and rank must match; static dimensions too), an integer literal for an
  integer or index argument (decimal, or 0x/0o/0b), a float literal for a float argument
  (1.5, -1e-3, inf, nan), and 0, 1, true or false for an i1. Negative values work as
  '--arg -7' and '--arg=-1e-3'. Input files are never modified: the function gets copies.

output:
  Without --out-dir, prints one line per result ('result<j> = VALUE') and then one per memref
  argument after the call ('arg<i> = ARRAY'; i counts every argument, scalars included).
  Floats print with the fewest digits that read back to the same value. With --out-dir,
  writes DIR/arg<i>.npy for every memref argument and DIR/result<j>.npy for every result
  (scalars as 0-d arrays) and prints nothing.

pipeline:
  Without --pass-pipeline, pl-default runs (pl-verify, pl-split-chunked-loops, canonicalize,
  cse). The CPU lowering to LLVM always runs after the pipeline; the code is JIT-compiled
  with LLVM -O3 and no fast-math. Errors print one line and exit with status 1.
"""


def _parser() -> ArgumentParser:
    import argparse

    p = ArgumentParser(prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Run one function of an MLIR module on the CPU (JIT), after "
                                   "a pass pipeline, with numpy arrays and scalars as arguments.",
                       epilog=_EPILOG)
    p.add_argument("input", help="input .mlir file, or - for stdin")
    p.add_argument("--entry", required=True, metavar="FUNC", help="the function to call")
    p.add_argument("-p", "--pass-pipeline", dest="pipeline", metavar="PIPE",
                   help="an anchored pipeline, e.g. 'builtin.module(pl-split-chunked-loops"
                        "{policy=leading_full}, canonicalize, cse)' (default: pl-default)")
    p.add_argument("--arg", dest="args", action="append", default=[], metavar="VALUE",
                   help="the next argument of the function (see below); repeat in order")
    p.add_argument("--out-dir", metavar="DIR", help="write arg<i>.npy and result<j>.npy here")
    return p


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
        if a in options and i + 1 < len(argv) and argv[i + 1].startswith("-") and argv[i + 1] != "-":
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
            return float(t)
        except ValueError:
            raise UserError(f"{what} ({kind.text}): expected a float literal, got '{text}'") from None
    try:
        return int(t, 0)
    except ValueError:
        raise UserError(f"{what} ({kind.text}): expected an integer literal, got '{text}'") from None


def _load_array(kind, path: str, what: str):
    import numpy as np

    try:
        with open(path, "rb") as f:
            if f.read(6) != b"\x93NUMPY":
                raise UserError(f"{what} ({kind.text}): '{path}' is not a .npy file")
            f.seek(0)
            arr = np.load(f, allow_pickle=False)
    except OSError as exc:
        raise UserError(f"{what} ({kind.text}): cannot read '{path}': {os_error_reason(exc)}") from None
    except ValueError as exc:
        raise UserError(f"{what} ({kind.text}): '{path}' is not a .npy array file ({exc})") from None
    if not isinstance(arr, np.ndarray):
        raise UserError(f"{what} ({kind.text}): '{path}' holds several arrays (.npz); give a .npy file")
    # A private, writable, dense copy: the function may write to it, the file never changes.
    return np.array(arr, copy=True, order="C")


def _arguments(signature, texts: list[str]) -> list:
    from ..lowering.abi import MemRefKind

    if len(texts) != len(signature.args):
        raise UserError(f"@{signature.name} takes {len(signature.args)} argument(s) "
                        f"{signature.describe()}, got {len(texts)} --arg value(s)")
    values = []
    for i, (kind, text) in enumerate(zip(signature.args, texts)):
        what = f"argument {i} of @{signature.name}"
        if isinstance(kind, MemRefKind):
            values.append(_load_array(kind, text, what))
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

    if a.dtype == np.bool_:
        return np.array2string(a, threshold=sys.maxsize, max_line_width=sys.maxsize, separator=", ",
                               formatter={"bool": lambda b: "true" if b else "false"})
    return np.array2string(a, threshold=sys.maxsize, max_line_width=sys.maxsize, separator=", ",
                           floatmode="unique")


def _write_outputs(out_dir: str, signature, values: list, results: list) -> None:
    import numpy as np

    from ..lowering.abi import MemRefKind

    try:
        os.makedirs(out_dir, exist_ok=True)
        for i, (kind, v) in enumerate(zip(signature.args, values)):
            if isinstance(kind, MemRefKind):
                np.save(os.path.join(out_dir, f"arg{i}.npy"), v)
        for j, (kind, r) in enumerate(zip(signature.results, results)):
            arr = r if isinstance(r, np.ndarray) else np.array(r, dtype=kind.dtype)
            np.save(os.path.join(out_dir, f"result{j}.npy"), arr)
    except OSError as exc:
        raise UserError(f"cannot write to '{out_dir}': {exc.strerror or exc}") from None


def _print_outputs(signature, values: list, results: list) -> None:
    from ..lowering.abi import MemRefKind

    for j, r in enumerate(results):
        text = _format_array(r) if isinstance(signature.results[j], MemRefKind) else _format_scalar(r)
        print(f"result{j} = {text}")
    for i, (kind, v) in enumerate(zip(signature.args, values)):
        if isinstance(kind, MemRefKind):
            print(f"arg{i} = {_format_array(v)}")


# -- the run ---------------------------------------------------------------------------------

class _Errors:
    """Collects the diagnostics of our Context; the first error becomes the one-line message."""

    def __init__(self):
        self.diags = []

    def __call__(self, diag) -> None:
        self.diags.append(diag)

    def first_error(self) -> str | None:
        for d in self.diags:
            if d.severity == "error":
                return f"{d.where}{d.message}"
        return None


def _warnings_to_stderr(errors: _Errors) -> None:
    for d in errors.diags:
        if d.severity in ("warning", "remark"):
            print(f"{d.where}{d.severity}: {d.message}", file=sys.stderr)


def _fail_from(errors: _Errors, exc: Exception | None, what: str) -> UserError:
    msg = errors.first_error()
    if msg is None and exc is not None:
        diags = list(getattr(exc, "error_diagnostics", []) or [])
        if diags:
            msg = f"{diags[0].location}: {diags[0].message}"
    return UserError(msg or what)


def _run(argv: list[str]) -> int:
    ns = _parser().parse_args(join_option_values(argv))
    name, text = read_input(ns.input)

    from mlir import ir

    from ..dialect.context import make_context
    from ..dialect.diagnostics import engine_of
    from ..lowering.abi import ArgumentError, Signature, SignatureError
    from ..lowering.cpu import CompileError, compile_module
    from ..passes import PipelineError, build_pass_manager

    errors = _Errors()
    ctx = make_context(sink=errors)
    engine_of(ctx).set_source(name, text)
    try:
        module = ir.Module.parse(text, ctx)
    except ir.MLIRError as exc:
        diags = list(exc.error_diagnostics)
        if diags:
            d = engine_of(ctx).make("error", diags[0].location, diags[0].message)
            raise UserError(f"{d.where}{d.message}") from None
        raise _fail_from(errors, exc, f"{name}: cannot parse the input") from None

    funcs = {ir.StringAttr(op.operation.attributes["sym_name"]).value
             for op in module.body.operations if op.operation.name == "func.func"}
    if ns.entry not in funcs:
        known = ", ".join(f"@{f}" for f in sorted(funcs)) or "none"
        raise UserError(f"{name}: no function @{ns.entry} (functions: {known})")

    try:
        pm = build_pass_manager(ns.pipeline or DEFAULT_PIPELINE, ctx)
    except PipelineError as exc:
        raise UserError(str(exc)) from None
    try:
        pm.run(module.operation)
    except ir.MLIRError as exc:
        raise _fail_from(errors, exc, "pass pipeline failed") from None
    _warnings_to_stderr(errors)

    entry = next(op.operation for op in module.body.operations
                 if op.operation.name == "func.func"
                 and ir.StringAttr(op.operation.attributes["sym_name"]).value == ns.entry)
    try:
        signature = Signature.of(entry)
    except SignatureError as exc:
        raise UserError(str(exc)) from None
    values = _arguments(signature, ns.args)
    try:
        compiled = compile_module(module, entries=[ns.entry], opt_level=3)
    except CompileError as exc:
        if exc.location is not None:
            d = engine_of(ctx).make("error", exc.location, str(exc))
            raise UserError(f"{d.where}{d.message}") from None
        raise UserError(errors.first_error() or str(exc)) from None
    try:
        results = compiled[ns.entry].call(*values)
    except ArgumentError as exc:
        raise UserError(str(exc)) from None
    if ns.out_dir is not None:
        _write_outputs(ns.out_dir, signature, values, results)
    else:
        _print_outputs(signature, values, results)
    return 0


def main(argv=None) -> None:
    exit_with(run_main(PROG, _run, argv))


if __name__ == "__main__":
    main()
