"""The emulator target: run a module's kernels as tasks of an emulated multi-core accelerator,
natively (JIT), with out-of-bounds checks, optional race checks, a cost model, a schedule, a
report and a trace. docs/emulator.md describes the model and every output.

    from pypto_mlir.lowering.emu import compile_emu
    program = compile_emu(module, entries=["attention"], machine="a2a3", deps="regions")
    results, report = program.run("attention", q, k, v, seq_lens, out)
    print(report.summary()); report.ok; report.to_json(); report.trace()

Steps: a copy of the module is outlined (`pl-outline-kernels`, unless it has `pl.kernel`
functions already), instrumented (instrument.py: hooks at launch groups and tasks, task
counters, bounds checks, on-chip memory checks, race checks) and compiled by the CPU target
with the runtime hooks (runtime.py) registered on the engine. The caller's module is unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ...dialect import attrs
from . import runtime_hooks
from .deps import DEFAULT_MODEL, MODELS, buffers_of
from .machine import DEFAULT_MACHINE, MACHINES, Machine, MachineError, load_machine
from .report import EmuReport, build_report
from .runtime import EmuRuntime, Run, _Log

if TYPE_CHECKING:
    from ..cpu import BoundCall, CompiledModule
    from ..numpy_abi import PyValue

OUTLINE_PIPELINE = "builtin.module(pl-outline-kernels)"


def has_kernels(module) -> bool:
    """Whether the module has functions marked `pl.kernel` (outlining ran already)."""
    return any(
        op.operation.name == "func.func" and attrs.KERNEL.get(op.operation)
        for op in module.body.operations
    )


def prepare(
    module,
    machine: Machine,
    check_races: bool = False,
    entries: str | Sequence[str] | None = None,
    footprints: bool = True,
):
    """Outlines (if needed) and instruments `module` in place; returns its EmuMetadata. With
    `entries`, only the kernels they can reach must fit the on-chip memory."""
    if not has_kernels(module):
        from mlir import ir

        from ...dialect.diagnostics import DiagnosedError
        from ...passes import build_pass_manager
        from ..cpu import CompileError

        try:
            build_pass_manager(OUTLINE_PIPELINE, module.context).run(module.operation)
        except ir.MLIRError as exc:
            found = exc.error_diagnostics or []
            if found:  # a Context without our diagnostic engine keeps them in the exception
                raise CompileError(found[0].message, found[0].location) from None
            raise DiagnosedError("pl-outline-kernels failed") from None  # reported already
    from .instrument import instrument

    if isinstance(entries, str):
        entries = [entries]
    return instrument(
        module, machine.memory_bytes, check_races, entries=entries, footprints=footprints
    )


def compile_emu(
    module,
    entries: str | Sequence[str] | None = None,
    machine: str | Machine | None = None,
    check_races: bool = False,
    opt_level: int = 3,
    deps: str = DEFAULT_MODEL,
    footprints: bool = True,
) -> EmuProgram:
    """Outlines, instruments and JIT-compiles a copy of `module` for the emulator.

    `entries` as for cpu.compile_module (default: every public function Python can call);
    `machine`: a Machine, a built-in name (a2a3, a5) or a .toml/.json file (MachineError);
    `check_races`: shadow-memory race checking (slower); `deps`: the dependency model of the
    reports' schedule (barrier, regions, exact: all three are computed); `footprints=False`:
    no footprint log (faster; the reports then know the barrier model only). Raises
    CompileError (and DiagnosedError after located errors, e.g. a static on-chip buffer that
    does not fit) when the module cannot be compiled."""
    from ..cpu import copy_module

    machine = load_machine(machine)
    work = copy_module(module)
    if deps not in MODELS:
        raise ValueError(f"unknown dependency model {deps!r} (one of {', '.join(MODELS)})")
    metadata = prepare(work, machine, check_races, entries, footprints)
    program = compile_instrumented(work, metadata, entries, machine, check_races, opt_level)
    program.deps = deps
    return program


def compile_instrumented(
    module,
    metadata: runtime_hooks.EmuMetadata,
    entries: str | Sequence[str] | None = None,
    machine: str | Machine | None = None,
    check_races: bool = False,
    opt_level: int = 3,
) -> EmuProgram:
    """JIT-compiles a module that already calls the hooks of runtime_hooks.py, described by
    `metadata` (what `prepare` returns; tests hand-write both)."""
    from ..cpu import compile_module

    runtime = EmuRuntime(metadata, load_machine(machine))
    compiled = compile_module(
        module, entries=entries, opt_level=opt_level, runtime_symbols=runtime.callbacks
    )
    return EmuProgram(compiled, runtime, check_races)


class EmuCall:
    """One prepared call (arguments checked and packed): `run()` runs it and keeps the events of
    that run, `results()` converts the results, `report()` models the last run."""

    def __init__(self, program: EmuProgram, bound: BoundCall):
        self._program = program
        self._bound = bound
        self.args = bound.args
        self._log: _Log | None = None
        self._report: EmuReport | None = None

    def run(self) -> None:
        runtime = self._program.runtime
        runtime.reset(self.args)
        self._bound.run()
        self._log = runtime.take()
        self._report = None

    def results(self) -> list[PyValue]:
        return self._bound.results()

    def collect(self) -> Run:
        """The raw record of the last run (tasks, groups, faults, races)."""
        if self._log is None:
            raise RuntimeError("collect() before run()")
        run = self._program.runtime.collect(self._log)
        run.buffers = buffers_of(self.args)
        return run

    def report(self) -> EmuReport:
        if self._report is None:
            program = self._program
            self._report = build_report(
                self.collect(),
                program.machine,
                program.check_races,
                deps=program.deps,
                metadata=program.metadata,
            )
        return self._report


class EmuProgram:
    """A module compiled for the emulator. Runs are sequential (one event log per program)."""

    def __init__(self, compiled: CompiledModule, runtime: EmuRuntime, check_races: bool):
        self.compiled = compiled  # cpu.CompiledModule (keeps the engine alive)
        self.runtime = runtime  # keeps the callbacks alive as long as the engine
        self.machine = runtime.machine
        self.metadata = runtime.metadata
        self.check_races = check_races
        self.deps = DEFAULT_MODEL  # the dependency model of the reports' schedule

    @property
    def kernels(self) -> list[str]:
        return list(self.metadata.kernels)

    def bind(self, entry: str, *args: Any) -> EmuCall:
        return EmuCall(self, self.compiled[entry].bind(*args))

    def run(self, entry: str, *args: Any) -> tuple[list[PyValue], EmuReport]:
        """Calls `entry` on numpy arrays / scalars (arrays written in place, as on the CPU
        target); returns (results, EmuReport)."""
        call = self.bind(entry, *args)
        call.run()
        return call.results(), call.report()


__all__ = [
    "DEFAULT_MACHINE",
    "DEFAULT_MODEL",
    "MODELS",
    "MACHINES",
    "EmuCall",
    "EmuProgram",
    "EmuReport",
    "EmuRuntime",
    "Machine",
    "MachineError",
    "abi",
    "compile_emu",
    "compile_instrumented",
    "has_kernels",
    "load_machine",
    "prepare",
]
