"""Kernel files in PyPTO's language as input of pypto-opt and pypto-run (`kernel.py`).

The file is run as a module (not as `__main__`), then its programs are collected: `@pl.program`
classes bound at module level, module-level `@pl.jit` functions, and what each `build_*`
function with defaults for all its parameters returns (pypto-lib's builder functions). The MLIR
module holds the functions of every program, or of the one `--entry Program.fn` names.
"""

from __future__ import annotations

import ast
import inspect
import os
import runpy
import sys
import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from .cli import UserError, read_input

if TYPE_CHECKING:
    from ..frontend.lower import Remark
    from ..frontend.program import Program

# A build_* function of a kernel file and its keyword arguments (Python literals).
BuilderCall: TypeAlias = "tuple[str, dict[str, Any]]"


def _location_of(exc: BaseException, path: str) -> str | None:
    """file:line:col of the innermost frame of `exc` in `path`."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if os.path.abspath(frame.filename) == os.path.abspath(path):
            col = (getattr(frame, "colno", None) or 0) + 1
            return f"{path}:{frame.lineno}:{col}"
    return None


def _builder_call(entry: str | None) -> BuilderCall | None:
    """`build_x(m=320, n=64).fn` -> ("build_x", {"m": 320, "n": 64}); None for other entries."""
    if entry is None or "(" not in entry:
        return None
    try:
        node = ast.parse(entry.rpartition(".")[0], mode="eval").body
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.args):
            raise ValueError
        kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg is not None}
        if len(kwargs) != len(node.keywords):
            raise ValueError  # **mapping: only name=literal
        return node.func.id, kwargs
    except (SyntaxError, ValueError):
        raise UserError(
            f"--entry {entry}: expected Program.fn or build_function(name=literal, ...).fn"
        ) from None


def load_programs(path: str, builder: BuilderCall | None = None) -> dict[str, Program]:
    """name -> Program of a kernel file (UserError when the file fails or defines none); with
    `builder` (a build_* function and its keyword arguments), the program it builds alone."""
    from ..frontend.errors import FrontendError
    from ..frontend.language import JitFunction
    from ..frontend.program import Program, program_of_jit

    read_input(path, mlir=False)  # the checks of any input: exists, readable, text
    # The kernel file runs as `python kernel.py` would run it: its folder first on sys.path, so
    # it imports its siblings; removed again below.
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    try:
        scope = runpy.run_path(path, run_name="__pypto_kernel__")
        programs: dict[str, Program] = {}
        if builder is not None:
            function = scope.get(builder[0])
            if not inspect.isfunction(function):
                raise UserError(f"{path}: no function {builder[0]}")
            built = function(**builder[1])
            if not isinstance(built, Program):
                raise UserError(f"{path}: {builder[0]}(...) returned {built!r}, not a program")
            return {built.name: built}
        for name, value in scope.items():
            if isinstance(value, Program):
                programs[value.name] = value
            elif isinstance(value, JitFunction) and not value.inline:
                programs[value.name] = program_of_jit(value).program
            elif name.startswith("build_") and inspect.isfunction(value):
                params = inspect.signature(value).parameters.values()
                if value.__module__ == "__pypto_kernel__" and all(
                    p.default is not inspect.Parameter.empty for p in params
                ):
                    built = value()
                    if isinstance(built, Program):
                        programs[built.name] = built
    except UserError:
        raise
    except FrontendError as exc:
        raise UserError(exc.message, where=_where(exc)) from None
    except SyntaxError as exc:
        raise UserError(
            f"invalid Python: {exc.msg}", where=f"{path}:{exc.lineno}:{exc.offset}"
        ) from None
    except Exception as exc:  # the user's module failed: say where, without a traceback
        raise UserError(f"{type(exc).__name__}: {exc}", where=_location_of(exc, path)) from None
    finally:
        sys.path.pop(0)
    if not programs:
        raise UserError(
            f"{path}: no @pl.program, @pl.jit function or build_* function with default "
            "arguments returning a program"
        )
    return programs


def _where(exc) -> str | None:
    return None if exc.file is None else f"{exc.file}:{exc.line}:{exc.col}"


@dataclass
class Source:
    """An input file: its name, the MLIR text to parse, the text diagnostics quote (the Python
    source for a kernel file), the entry function, and the front end's remarks."""

    name: str
    text: str | bytes  # MLIR text, or MLIR bytecode (read_source(bytecode=True))
    quoted: str
    entry: str | None = None
    remarks: list[Remark] = field(default_factory=list)

    def emit_remarks(self, ctx) -> None:
        from mlir import ir

        from ..dialect.diagnostics import emit_remark

        with ctx:
            for r in self.remarks:
                emit_remark(ir.Location.file(r.file, r.line, r.col), r.message)


def read_source(path: str, entry: str | None = None, bytecode: bool = False) -> Source:
    """A .mlir file (or stdin) as it is, or a kernel file (.py) lowered to MLIR; for a kernel
    file, `entry` may be `Program.fn` (the entry becomes `fn`). With `bytecode`, MLIR bytecode
    is accepted too (as bytes, with nothing to quote)."""
    if not path.endswith(".py"):
        name, text = read_input(path, bytecode=bytecode)
        return Source(name, text, text if isinstance(text, str) else "", entry)
    text, function, remarks = mlir_of(path, entry)
    with open(path, encoding="utf-8") as f:
        quoted = f.read()
    return Source(path, text, quoted, function, remarks)


def mlir_of(path: str, entry: str | None = None) -> tuple[str, str | None, list[Remark]]:
    """(MLIR text of the kernel file, the function name of `entry`, remarks). `entry` is
    `Program.fn`, or `fn` when one program has it."""
    from ..frontend.errors import FrontendError

    builder = _builder_call(entry)
    programs = load_programs(path, builder)
    chosen = list(programs.values())
    if builder is not None and entry is not None:
        entry = f"{chosen[0].name}.{entry.rpartition('.')[2]}"
    function = entry
    if entry is not None:
        program_name, _, function = entry.rpartition(".")
        if program_name:
            if program_name not in programs:
                raise UserError(
                    f"{path}: no program {program_name} (programs: {', '.join(programs)})"
                )
            chosen = [programs[program_name]]
        else:
            chosen = [p for p in chosen if function in p.functions] or chosen[:1]
    try:
        seen: dict[str, str] = {}
        for p in chosen:
            for fn in p.functions:
                if fn in seen:
                    raise UserError(
                        f"{path}: programs {seen[fn]} and {p.name} both define {fn}; "
                        f"name one with --entry {p.name}.{fn}"
                    )
                seen[fn] = p.name
        functions = [p.lower()[fn].text for p in chosen for fn in p.functions]
    except FrontendError as exc:
        raise UserError(exc.message, where=_where(exc)) from None
    remarks = [r for p in chosen for r in p.remarks]
    return "module {\n" + "\n".join(functions) + "\n}\n", function, remarks
