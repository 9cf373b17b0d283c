"""pypto-run's emulator target: `--target emu[:MACHINE]`, `--check-races`, `--report-json FILE`,
`--trace FILE` (docs/cli.md, docs/emulator.md). tools/run.py adds
`Target(NAME, SUMMARY, compile_entry)` to its targets and calls the four functions below;
everything specific to the emulator stays here.

    add_arguments(parser)          the flags
    check_flags(ns)                'emu:MACHINE' -> target 'emu' + ns.machine; flags need emu
    configured(ns, target)         the target to compile with (emu: with the machine, races)
    finish(ns, call) -> status     after the first call: reports, summary, diagnostics, 0 or 1

Output: the summary table and one error line per fault site (with its count) and per race go
to stderr, so stdout keeps the contract of the cpu target (results and arguments, or nothing
with --out-dir). The exit status is 1 when the run had a fault or a race, after --out-dir and
the reports are written.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from .cli import UserError, os_error_reason
from .output_files import OutputFile, refuse_inputs

NAME = "emu"
# PyPTO ran chunk interchange by default: nested parallel chunk loops become one grid of tasks.
DEFAULT_PIPELINE = "builtin.module(pl-accelerator)"
SUMMARY = (
    "emulate the accelerator: kernels as tasks on core groups, with bounds checks, a cost "
    "model and a schedule (emu:MACHINE, MACHINE = a2a3, a5 or a .toml/.json file)"
)

EPILOG = """
emulator (--target emu[:MACHINE]):
  Outlines the kernels (pl-outline-kernels, after the pipeline) and runs them as tasks of an
  emulated accelerator (MACHINE: a2a3, the default, a5, or a .toml/.json machine file; see
  docs/emulator.md). Every memory access is bounds-checked: a faulting access is suppressed
  and reported. Results and --out-dir are those of --target cpu. A summary table (kernels,
  tasks, masked iterations, makespan, utilisation, bytes moved, faults) and one error per
  fault site or race go to stderr; the exit status is 1 when there was a fault or a race.
  --deps MODEL      the dependency model of the schedule: barrier (each launch group after the
                    previous one), regions (the default: boxes of the buffers each task
                    touched, as PyPTO's runtime), exact (the bytes each task touched); the
                    summary shows the makespan under all three
  --check-races     also detect tasks of one launch group that touch the same element (slower)
  --report-json F   write the report as JSON to F
  --trace F         write a Chrome trace (one track per core group) to F: open it in
                    https://ui.perfetto.dev or chrome://tracing
  --timeline F      write the schedule as a self-contained HTML page to F (no network needed)
"""


def add_arguments(p) -> None:
    p.add_argument(
        "--check-races",
        action="store_true",
        help="emu: report tasks of one launch group that touch the same element",
    )
    from ..lowering.emu.deps import MODELS

    p.add_argument(
        "--deps",
        choices=MODELS,
        default=None,
        help="emu: the dependency model of the schedule (default regions)",
    )
    p.add_argument("--report-json", metavar="FILE", help="emu: write the report as JSON to FILE")
    p.add_argument(
        "--trace",
        metavar="FILE",
        help="emu: write a Chrome trace-event JSON to FILE (Perfetto, chrome://tracing)",
    )
    p.add_argument(
        "--timeline",
        metavar="FILE",
        help="emu: write the schedule as a self-contained HTML page to FILE",
    )


def check_flags(ns) -> None:
    """Splits `emu:MACHINE` into the target and the machine (MachineError -> UserError), and
    rejects the emulator's flags on another target."""
    ns.machine = None
    if ns.target == NAME or ns.target.startswith(NAME + ":"):
        from ..lowering.emu.machine import MachineError, load_machine

        spec = ns.target[len(NAME) + 1 :] or None
        if ns.target.startswith(NAME + ":") and spec is None:
            raise UserError(
                "--target emu: expects a machine after the colon (a2a3, a5 or a .toml/.json file)"
            )
        try:
            ns.machine = load_machine(spec)
        except MachineError as exc:
            raise UserError(str(exc)) from None
        ns.target = NAME
        return
    given = [
        flag
        for flag, value in (
            ("--check-races", ns.check_races),
            ("--deps", ns.deps),
            ("--report-json", ns.report_json),
            ("--trace", ns.trace),
            ("--timeline", ns.timeline),
        )
        if value
    ]
    if given:
        raise UserError(f"{given[0]} needs --target emu (the target is '{ns.target}')")


def compile_entry(
    module,
    entry: str,
    opt_level: int,
    machine=None,
    check_races: bool = False,
    deps: str | None = None,
):
    """Compiles `module` for the emulator; returns what run.py binds (`bind(*args)` -> a call
    with run(), results() and report()). A located error of the instrumentation (e.g. an on-chip
    buffer too large for the machine) has been reported through the Context's diagnostics: it
    becomes a CompileError without location, and run.py shows the located one."""
    from ..dialect.diagnostics import DiagnosedError
    from ..lowering.cpu import CompileError
    from ..lowering.emu import DEFAULT_MODEL, compile_emu

    try:
        program = compile_emu(
            module,
            entries=[entry],
            machine=machine,
            check_races=check_races,
            opt_level=opt_level,
            deps=deps or DEFAULT_MODEL,
        )
    except DiagnosedError as exc:
        raise CompileError(str(exc) or "cannot compile for the emulator") from None
    return _EntryOf(program, entry)


class _EntryOf:
    """An EmuProgram seen as one function (what run.py binds and calls)."""

    def __init__(self, program, entry: str):
        self.program = program
        self.entry = entry

    def bind(self, *args):
        return self.program.bind(self.entry, *args)


def configured(ns, target):
    """`target`, or for emu a copy that compiles for ns.machine, with ns.check_races."""
    if target.name != NAME:
        return target
    machine, races, deps = ns.machine, ns.check_races, ns.deps
    return replace(
        target,
        compile=lambda module, entry, opt: compile_entry(module, entry, opt, machine, races, deps),
    )


def finish(ns, call, inputs: list[str]) -> int:
    """After the first call: writes --report-json, --trace and --timeline (never over one of
    `inputs`, and through tools/output_files.py: only complete files appear), prints the summary
    and the diagnostics to stderr; 1 if the run had a fault or a race. 0 for other targets."""
    if ns.target != NAME:
        return 0
    report = call.report()
    for flag, path, write in (
        ("--report-json", ns.report_json, report.write_json),
        ("--trace", ns.trace, report.write_trace),
        ("--timeline", ns.timeline, report.write_timeline),
    ):
        if path is None:
            continue
        refuse_inputs(path, inputs, f"{flag} file")
        try:
            with OutputFile(path, f"{flag} file") as f:
                write(f)
        except OSError as exc:
            raise UserError(f"cannot write '{path}': {os_error_reason(exc)}") from None
    sys.stdout.flush()
    for line in report.diagnostics():
        print(line, file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    return 0 if report.ok else 1
