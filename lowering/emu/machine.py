"""The emulated machine: how many core groups, how much on-chip memory each has, and a cycle
cost model over the task counters of runtime_hooks.COUNTERS.

This is a MODEL for comparing schedules, policies and kernels with each other, not a claim about
any hardware: the figures of the built-in machines (core groups and on-chip memory) follow
PyPTO's simulator platforms (a2a3: 24 core groups of 1 AIC + 2 AIV with 192 KiB of UB each;
a5: 36 groups with 256 KiB), the cycle costs are round numbers chosen so that memory traffic,
vector work and task launches weigh in plausible proportions.

    machine = load_machine("a2a3")            # a built-in name
    machine = load_machine("my_npu.toml")     # or a TOML / JSON file (see docs/emulator.md)
    cycles = machine.task_cycles(counters)    # launch overhead + counters . costs

A machine file holds any of the keys below; the others come from `base` (a built-in machine,
default a2a3):

    base = "a2a3"
    name = "my_npu"                 # default: the file name without its extension
    core_groups = 24
    memory_bytes = 196608           # on-chip memory per core group
    clock_ghz = 1.8                 # only for the milliseconds of the report and the trace
    launch_overhead_cycles = 2000   # added to every task
    [cost]                          # cycles per unit of each counter (runtime_hooks.COUNTERS)
    scalar_ops = 1
    ...
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .runtime_hooks import COUNTERS


class MachineError(ValueError):
    """A machine name or file that cannot be used; the message is one line naming the file and
    the key at fault."""


@dataclass(frozen=True)
class Machine:
    name: str
    core_groups: int
    memory_bytes: int  # on-chip memory (UB) per core group
    cost: tuple[float, ...]  # cycles per unit of each counter, in runtime_hooks.COUNTERS order
    launch_overhead_cycles: float  # per task
    clock_ghz: float
    cores_per_group: str = "1 AIC + 2 AIV"  # descriptive: the emulator runs a task as a whole
    source: str = "built-in"  # "built-in" or the file it came from

    def task_cycles(self, counters: Sequence[int]) -> float:
        """Cycles of one task under the cost model: launch overhead + counters . costs."""
        return self.launch_overhead_cycles + sum(
            c * w for c, w in zip(counters, self.cost, strict=False)
        )

    def cost_of(self, counter: str) -> float:
        return self.cost[COUNTERS.index(counter)]

    def ms(self, cycles: float) -> float:
        return cycles / (self.clock_ghz * 1e6)

    def describe(self) -> str:
        return (
            f"{self.name}: {self.core_groups} core groups ({self.cores_per_group}), "
            f"{_kib(self.memory_bytes)} on-chip memory each, {self.clock_ghz:g} GHz"
        )

    def to_json(self) -> dict[str, Any]:  # JSON: values of several types
        return {
            "name": self.name,
            "core_groups": self.core_groups,
            "memory_bytes": self.memory_bytes,
            "clock_ghz": self.clock_ghz,
            "launch_overhead_cycles": self.launch_overhead_cycles,
            "cost": dict(zip(COUNTERS, self.cost, strict=False)),
            "source": self.source,
        }


def _kib(n: int) -> str:
    return f"{n // 1024} KiB" if n % 1024 == 0 else f"{n} bytes"


# Default costs, in cycles per unit of each counter (a model, see the module docstring):
# a scalar or vector instruction issues in one cycle, a math function (exp, sqrt, ...) takes
# eight, a load or store instruction one more, and data moves at 16 bytes per cycle each way;
# a masked (guard-false) iteration still evaluates its guard and loop control: two cycles.
_DEFAULT_COST = {
    "scalar_ops": 1.0,
    "vector_ops": 1.0,
    "math_ops": 8.0,
    "loads": 1.0,
    "stores": 1.0,
    "bytes_loaded": 1 / 16,
    "bytes_stored": 1 / 16,
    "masked_iterations": 2.0,
}
assert set(_DEFAULT_COST) == set(COUNTERS), (
    "a counter of runtime_hooks.COUNTERS has no default cost"
)


def _builtin(name: str, core_groups: int, memory_bytes: int) -> Machine:
    return Machine(
        name=name,
        core_groups=core_groups,
        memory_bytes=memory_bytes,
        cost=tuple(_DEFAULT_COST[c] for c in COUNTERS),
        launch_overhead_cycles=2000.0,
        clock_ghz=1.8,
    )


MACHINES: dict[str, Machine] = {
    m.name: m
    for m in [
        _builtin("a2a3", 24, 192 * 1024),
        _builtin("a5", 36, 256 * 1024),
    ]
}
DEFAULT_MACHINE = "a2a3"

_TOP_KEYS = (
    "base",
    "name",
    "core_groups",
    "memory_bytes",
    "clock_ghz",
    "launch_overhead_cycles",
    "cost",
)


def load_machine(spec: str | os.PathLike[str] | Machine | None = None) -> Machine:
    """A built-in machine by name (a2a3, a5), a TOML (.toml) or JSON (.json) file, or a Machine
    (returned as is). None: the default (a2a3). Raises MachineError."""
    if spec is None:
        return MACHINES[DEFAULT_MACHINE]
    if isinstance(spec, Machine):
        return spec
    text = os.fspath(spec)
    if text in MACHINES:
        return MACHINES[text]
    ext = os.path.splitext(text)[1].lower()
    if ext not in (".toml", ".json"):
        raise MachineError(
            f"unknown machine '{text}': use {', '.join(MACHINES)} or a .toml or .json file"
        )
    try:
        with open(text, "rb") as f:
            raw = f.read()
    except OSError as exc:
        why = (
            "no such file"
            if isinstance(exc, FileNotFoundError)
            else "is a directory"
            if isinstance(exc, IsADirectoryError)
            else exc.strerror or str(exc)
        )
        raise MachineError(f"{text}: cannot read the machine file: {why}") from None
    try:
        if ext == ".toml":
            data = _toml(text).loads(raw.decode("utf-8"))
        else:
            data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise MachineError(f"{text}: not a UTF-8 text file") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError and json.JSONDecodeError
        raise MachineError(f"{text}: invalid {ext[1:].upper()}: {_one_line(exc)}") from None
    except RecursionError:
        raise MachineError(f"{text}: invalid {ext[1:].upper()}: nested too deeply") from None
    return machine_from_dict(data, text)


def _toml(where: str):
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        try:
            import tomli as tomllib
        except ImportError:
            raise MachineError(
                f"{where}: TOML machine files need Python 3.11 or the tomli package; "
                "write the machine as JSON instead"
            ) from None
    return tomllib


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def machine_from_dict(data: Any, where: str = "<machine>") -> Machine:
    """Builds a Machine from the content of a machine file; `where` names it in errors."""
    if not isinstance(data, Mapping):
        raise MachineError(
            f"{where}: a machine file must be a table of keys, not {type(data).__name__}"
        )
    for key in data:
        if key not in _TOP_KEYS:
            raise MachineError(f"{where}: unknown key '{key}' (known: {', '.join(_TOP_KEYS)})")
    base_name = data.get("base", DEFAULT_MACHINE)
    if not isinstance(base_name, str) or base_name not in MACHINES:
        raise MachineError(
            f"{where}: key 'base' must be one of {', '.join(MACHINES)}, got {base_name!r}"
        )
    base = MACHINES[base_name]
    stem = os.path.splitext(os.path.basename(where))[0] or base.name
    name = data.get("name", stem)
    if not isinstance(name, str) or not name.strip():
        raise MachineError(f"{where}: key 'name' must be a non-empty string, got {name!r}")
    # The maxima keep the model's arithmetic (i64 in the JIT code, floats in the report) exact
    # and finite; they are far above any real machine.
    core_groups = _number(
        data, "core_groups", base.core_groups, where, integer=True, minimum=1, maximum=1 << 16
    )
    memory = _number(
        data, "memory_bytes", base.memory_bytes, where, integer=True, minimum=1, maximum=1 << 40
    )
    clock = _number(
        data, "clock_ghz", base.clock_ghz, where, positive=True, minimum=1e-3, maximum=1e3
    )
    launch = _number(
        data, "launch_overhead_cycles", base.launch_overhead_cycles, where, minimum=0, maximum=1e9
    )
    cost = dict(zip(COUNTERS, base.cost, strict=False))
    table = data.get("cost", {})
    if not isinstance(table, Mapping):
        raise MachineError(f"{where}: key 'cost' must be a table of cycles per counter")
    for key in table:
        if key not in cost:
            raise MachineError(
                f"{where}: unknown key 'cost.{key}' (counters: {', '.join(COUNTERS)})"
            )
        cost[key] = _number(table, key, None, where, minimum=0, maximum=1e6, prefix="cost.")
    return Machine(
        name=name,
        core_groups=core_groups,
        memory_bytes=memory,
        cost=tuple(float(cost[c]) for c in COUNTERS),
        launch_overhead_cycles=float(launch),
        clock_ghz=float(clock),
        source=where,
    )


def _number(
    data: Mapping[str, Any],  # parsed TOML/JSON
    key: str,
    default,
    where: str,
    integer: bool = False,
    minimum: float | None = None,
    positive: bool = False,
    prefix: str = "",
    maximum: float | None = None,
):
    if key not in data:
        return default
    value = data[key]
    kind = "an integer" if integer else "a number"
    ok = isinstance(value, int) if integer else isinstance(value, (int, float))
    if isinstance(value, bool) or not ok or (isinstance(value, float) and not math.isfinite(value)):
        raise MachineError(f"{where}: key '{prefix}{key}' must be {kind}, got {value!r}")
    if positive and value <= 0:
        raise MachineError(f"{where}: key '{prefix}{key}' must be positive, got {value!r}")
    if minimum is not None and value < minimum:
        raise MachineError(
            f"{where}: key '{prefix}{key}' must be at least {minimum:g}, got {value!r}"
        )
    if maximum is not None and value > maximum:
        most = int(maximum) if integer else f"{maximum:g}"
        raise MachineError(f"{where}: key '{prefix}{key}' must be at most {most}, got {value!r}")
    return value


def with_changes(machine: Machine, **changes) -> Machine:
    """A copy of `machine` with some fields replaced (tests, benchmarks)."""
    return replace(machine, **changes)


__all__ = [
    "DEFAULT_MACHINE",
    "MACHINES",
    "Machine",
    "MachineError",
    "load_machine",
    "machine_from_dict",
    "with_changes",
]
