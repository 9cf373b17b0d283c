"""Running a front-end kernel from Python: `Program.fn(*args, target="cpu"|"emu", ...)`.

The program's module goes through a pipeline (default `pl-default`, as pypto-run) and the
target's compile function (lowering/cpu.py's compile_module, lowering/emu's compile_emu), once
per (function, target, options); then the function runs on the numpy arrays given, in place.
It returns what the Python function returns: a tensor it was given (the same array, written),
a tensor it created, a scalar, or a tuple of them.

On emu, faults and races raise KernelFault with the emulator's located diagnostics (Python
lines); `report=True` returns `(values, report)` instead and raises nothing.
"""

from __future__ import annotations

from typing import Any

DEFAULT_PIPELINE = "builtin.module(pl-default)"
TARGETS = ("cpu", "emu")


class KernelFault(RuntimeError):
    """An emulator run with out-of-bounds accesses or races; the message lists them."""

    def __init__(self, report):
        self.report = report
        super().__init__("\n".join([*report.diagnostics(), report.summary().splitlines()[-1]]))


def _compile(program, name: str, target: str, options: dict[str, Any]):
    from ..dialect.context import make_context
    from ..dialect.diagnostics import DiagnosedError
    from ..passes import build_pass_manager

    ctx = make_context()
    pipeline = options.get("pipeline")
    module = program.module(ctx, verify_pl=pipeline is not None)  # pl-default starts with it
    try:
        build_pass_manager(pipeline or DEFAULT_PIPELINE, ctx).run(module.operation)
    except Exception as exc:  # MLIRError after located diagnostics, PipelineError
        raise DiagnosedError(f"{program.name}.{name}: the pipeline failed: {exc}") from None
    # the compilers' own default level unless the caller names one
    level = {"opt_level": options["opt_level"]} if "opt_level" in options else {}
    if target == "cpu":
        from ..lowering.cpu import compile_module

        return ctx, compile_module(module, entries=[name], **level)[name]
    from ..lowering.emu import compile_emu

    program_emu = compile_emu(
        module,
        entries=[name],
        machine=options.get("machine"),
        check_races=options.get("check_races", False),
        **level,
    )
    return ctx, program_emu


OPTIONS = ("pipeline", "opt_level", "machine", "check_races", "report")


# args: numpy arrays and Python scalars; options: keyword options of several types (OPTIONS).
def run_function(
    program, name: str, args: tuple[Any, ...], target: str, options: dict[str, Any]
) -> Any:
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise TypeError(
            f"{program.name}.{name}: unknown option {unknown[0]!r} ({', '.join(OPTIONS)})"
        )
    if target not in TARGETS:
        raise ValueError(f"target must be one of {', '.join(TARGETS)}, got {target!r}")
    want_report = options.pop("report", False)
    if target == "cpu" and ("machine" in options or "check_races" in options):
        raise TypeError("machine= and check_races= are options of target='emu'")
    cache = program.__dict__.setdefault("_compiled", {})
    key = (name, target, tuple(sorted(options.items())))
    if key not in cache:
        cache[key] = _compile(program, name, target, options)
    _ctx, compiled = cache[key]
    report = None
    if target == "cpu":
        results = compiled.call(*args)
    else:
        call = compiled.bind(name, *args)
        call.run()
        results = call.results()
        report = call.report()
    values = [args[i] if kind == "arg" else results[i] for kind, i in program.info(name).results]
    value = None if not values else values[0] if len(values) == 1 else tuple(values)
    if want_report:
        return value, report
    if report is not None and not report.ok:
        raise KernelFault(report)
    return value
