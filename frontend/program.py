"""`@pl.program` classes: their functions lowered to one MLIR module.

P = build_gemm_program()          # a Program
P.mlir()                          # the module's text, ops located at the Python lines
P.module(ctx)                     # parsed and verified (pl-verify) in a Context of ours
P.gemm(a, b, c, target="emu")     # runs it (installed from above: pypto_mlir.language)
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from mlir import ir

from ..dialect.diagnostics import emit_remark
from ..dialect.verify import verify_or_raise
from .errors import FrontendError
from .language import JitFunction, KernelFunction
from .lower import FunctionInfo, FunctionLowering, Remark

# Runs a program's function on numpy data: (program, function name, args, target, options)
# -> the returned values. Installed by pypto_mlir.language (it needs the lowering layer).
RUNNER: Callable[..., Any] | None = None


class Program:
    """A `@pl.program` class: its `@pl.function`s, lowered on first use."""

    def __init__(self, cls):
        self.name = cls.__name__
        self.functions: dict[str, Any] = {
            n: v for n, v in vars(cls).items() if isinstance(v, KernelFunction)
        }
        self.is_method = True
        self._lowered: dict[str, FunctionInfo] = {}
        self._complete = False  # every function lowered
        self._active: set[str] = set()  # being lowered (a call back to one is recursion)
        self.remarks: list[Remark] = []

    def __getattr__(self, name: str):
        functions = self.__dict__.get("functions", {})
        if name in functions:
            return BoundFunction(self, name)
        raise AttributeError(f"program {self.__dict__.get('name')} has no function {name}")

    def __repr__(self) -> str:
        return f"<pl.program {self.name}: {', '.join(self.functions)}>"

    # -- lowering -----------------------------------------------------------------------------

    def lower(self) -> dict[str, FunctionInfo]:
        """Every function's MLIR (FrontendError on unsupported input)."""
        if not self._complete:
            for name in self.functions:
                self.lower_function(name)
            self._complete = True
        return self._lowered

    def lower_function(self, name: str, call: ast.AST | None = None, caller=None) -> FunctionInfo:
        done = self._lowered
        if name in done:
            return done[name]
        if name not in self.functions:
            raise caller.error(call, f"program {self.name} has no function {name}")
        if name in self._active:
            raise caller.error(call, f"recursive call of {name} is not supported")
        self._active.add(name)
        kernel = self.functions[name]
        done[name] = FunctionLowering(kernel.fn, name, self, self.is_method).lower()
        self._active.discard(name)
        return done[name]

    def mlir(self) -> str:
        """The module's text (functions in definition order)."""
        lowered = self.lower()
        body = "\n".join(lowered[n].text for n in self.functions)
        return "module {\n" + body + "\n}\n"

    def module(self, ctx: ir.Context, verify_pl: bool = True) -> ir.Module:
        """The parsed module (parsing verifies it), with its `pl` attributes verified unless
        `verify_pl` is false (a pipeline that starts with pl-verify does it); the front end's
        remarks (ignored optimizations) go to the Context's diagnostics. MLIRError or
        DiagnosedError after located errors."""
        module = ir.Module.parse(self.mlir(), ctx)
        with ctx:
            for r in self.remarks:
                emit_remark(ir.Location.file(r.file, r.line, r.col), r.message)
        if verify_pl:
            verify_or_raise(module.operation)
        return module

    def info(self, name: str) -> FunctionInfo:
        return self.lower()[name]


class BoundFunction:
    """`Program.fn`: call it on numpy arrays and numbers, with `target=` and the options of
    the target's compile function (opt_level, pipeline, machine, check_races)."""

    def __init__(self, program: Program, name: str):
        self.program = program
        self.name = name

    def __call__(self, *args, target: str = "cpu", **options):
        if RUNNER is None:
            raise FrontendError("running a kernel needs `import pypto_mlir.language`")
        return RUNNER(self.program, self.name, args, target, options)

    def __repr__(self) -> str:
        return f"<pl.function {self.program.name}.{self.name}>"


class _JitProgram(Program):
    """The program of a module-level `@pl.jit` function: that function alone."""

    def __init__(self, jit: JitFunction):
        self.name = jit.name
        self.functions = {jit.name: jit}
        self.is_method = False
        self._lowered = {}
        self._complete = False
        self._active = set()
        self.remarks = []


_JIT_PROGRAMS: dict[int, _JitProgram] = {}


def program_of_jit(jit: JitFunction) -> BoundFunction:
    program = _JIT_PROGRAMS.setdefault(id(jit), _JitProgram(jit))
    return BoundFunction(program, jit.name)
