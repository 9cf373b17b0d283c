"""What an emulated run shows: the summary table, the fault and race diagnostics, the JSON report
(`--report-json`) and the Chrome trace (`--trace`). docs/emulator.md describes every field.

    report = build_report(run, machine, races_checked=False, deps="regions", metadata=metadata)
    print(report.summary())                   # the table
    for line in report.diagnostics(): ...     # one error per fault site / race pair
    json.dump(report.to_json(), f); json.dump(report.trace(), f)
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TextIO, TypedDict

import numpy as np

from . import deps as dependencies
from . import fault_causes, runtime_hooks
from .machine import Machine
from .runtime import FaultRecord, RaceRecord, Run
from .schedule import (
    Schedule,
    barrier_critical_path,
    critical_path,
    schedule,
    schedule_graph,
    task_cycles,
)

_C = {name: i for i, name in enumerate(runtime_hooks.COUNTERS)}


def build_report(
    run: Run,
    machine: Machine,
    races_checked: bool = False,
    deps: str = dependencies.DEFAULT_MODEL,
    metadata: runtime_hooks.EmuMetadata | None = None,
) -> EmuReport:
    """Costs every task, schedules the run under every dependency model (regions and exact
    need the run's footprints: without them, only barrier) and returns its report, whose
    `schedule` is the one of `deps`."""
    if deps not in dependencies.MODELS:
        raise ValueError(f"unknown dependency model {deps!r} (one of {dependencies.MODELS})")
    cycles = task_cycles(run.counters, machine)
    schedules: dict[str, Schedule | None] = {m: None for m in dependencies.MODELS}
    graph = None
    with _collector_paused():
        barrier = schedules["barrier"] = schedule(run.groups, cycles, machine)
        if dependencies.recorded(run):
            graph = dependencies.build_graph(
                run, metadata or runtime_hooks.EmuMetadata(), cycles, machine
            )
            exact = schedules["exact"] = schedule_graph(graph.nodes, graph.preds["exact"], machine)
            same = graph.preds["regions"] == graph.preds["exact"]  # then so is the schedule
            schedules["regions"] = (
                exact if same else schedule_graph(graph.nodes, graph.preds["regions"], machine)
            )
    picked = schedules[deps] or barrier
    chosen = deps if schedules[deps] is not None else "barrier"
    return EmuReport(
        run=run,
        machine=machine,
        schedule=picked,
        races_checked=races_checked,
        deps=chosen,
        schedules=schedules,
        graph=graph,
    )


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused: the graph of a large run is millions of small
    tuples and lists, none in a cycle, and each collection would walk them all again (a third
    of the scheduling time per 100,000 tasks, bench/emu.py). Reference counting still frees."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class KernelSummary:
    name: str
    tasks: int
    masked_iterations: int
    cycles: float
    counters: dict[str, int]  # runtime_hooks.COUNTERS -> the sum over the kernel's tasks


@dataclass
class EmuReport:
    run: Run
    machine: Machine
    schedule: Schedule  # under the chosen model, `deps`
    races_checked: bool = False
    deps: str = "barrier"
    # model -> Schedule (None: not available)
    schedules: dict[str, Schedule | None] = field(default_factory=dict)
    graph: dependencies.Graph | None = None
    _kernels: list[KernelSummary] | None = field(default=None, init=False, repr=False)
    _critical: tuple[float, list[str]] | None = field(default=None, init=False, repr=False)

    # -- figures -------------------------------------------------------------------------------

    @property
    def ok(self) -> bool:
        """No fault and no race (a benign overlap is not a race)."""
        return not self.run.faults and not self.races()

    def races(self) -> list[RaceRecord]:
        """The races: conflicting accesses of two tasks of one parallel launch, one pair of
        sites each, where some write changed the bits (RaceRecord)."""
        return [r for r in self.run.races if not r.benign]

    def benign_overlaps(self) -> list[RaceRecord]:
        """Pairs of sites where every conflict was a write of the bits already there (the
        overlapping chunks of a shift_inwards loop): reported, not an error."""
        return [r for r in self.run.races if r.benign]

    @property
    def tasks(self) -> int:
        return self.run.tasks

    @property
    def makespan_cycles(self) -> float:
        return self.schedule.makespan

    def makespans(self) -> dict[str, float | None]:
        """Model -> makespan in cycles (None: the model needs footprints the run lacks)."""
        return {m: (None if s is None else s.makespan) for m, s in self.schedules.items()}

    def critical_path(self) -> tuple[float, list[str]]:
        """The chosen model's critical path: its length in cycles and its nodes' names (a
        kernel's name, or "host"), first to last. Worked out once (the summary and the JSON
        report both show it)."""
        if self._critical is None:
            self._critical = self._work_out_critical_path()
        length, names = self._critical
        return length, list(names)

    def _work_out_critical_path(self) -> tuple[float, list[str]]:
        run, names = self.run, self.run.kernels
        if self.deps == "barrier" or self.graph is None:
            length, tasks = barrier_critical_path(run.groups, self.schedule.cycles)
            return length, [names[run.task_kernel[t]] for t in tasks]
        nodes = self.graph.nodes
        length, chain = critical_path(nodes.cost, self.graph.preds[self.deps])
        task = nodes.task.tolist()
        kernel = run.task_kernel.tolist()
        return length, [
            "host" if task[v] == dependencies.HOST else names[kernel[task[v]]] for v in chain
        ]

    def _total(self, counter: str) -> int:
        return int(self.run.counters[:, _C[counter]].sum()) if self.run.tasks else 0

    @property
    def launch_groups(self) -> tuple[int, int]:
        """(launch groups that ran tasks, launch groups that ran none: a loop of zero trips)."""
        empty = sum(1 for g in self.run.groups if g.count == 0)
        return len(self.run.groups) - empty, empty

    @property
    def masked_iterations(self) -> int:
        return self._total("masked_iterations")

    @property
    def bytes_loaded(self) -> int:
        return self._total("bytes_loaded")

    @property
    def bytes_stored(self) -> int:
        return self._total("bytes_stored")

    def kernels(self) -> list[KernelSummary]:
        """One KernelSummary per kernel of the module (tasks 0 for a kernel that never ran)."""
        if self._kernels is None:
            run = self.run
            nk = max(len(run.kernels), int(run.task_kernel.max(initial=-1)) + 1)
            kid = run.task_kernel
            tasks = np.bincount(kid, minlength=nk)
            cyc = np.bincount(kid, weights=self.schedule.cycles, minlength=nk)
            sums = [
                np.bincount(kid, weights=run.counters[:, i], minlength=nk)
                for i in range(len(runtime_hooks.COUNTERS))
            ]
            self._kernels = []
            for k, name in enumerate(run.kernels):
                counters = {c: int(sums[i][k]) for i, c in enumerate(runtime_hooks.COUNTERS)}
                self._kernels.append(
                    KernelSummary(
                        name, int(tasks[k]), counters["masked_iterations"], float(cyc[k]), counters
                    )
                )
        return list(self._kernels)

    # -- diagnostics ---------------------------------------------------------------------------

    def fault_lines(self) -> list[str]:
        return [fault_message(f, self.machine, self.run.faults) for f in self.run.faults]

    def race_lines(self) -> list[str]:
        out: list[str] = []
        for r in self.run.races:
            out.extend(race_message(r))
        return out

    def diagnostics(self) -> list[str]:
        """Every fault site once (with its count), then every race pair (error + note)."""
        return self.fault_lines() + self.race_lines()

    # -- the table -----------------------------------------------------------------------------

    def summary(self) -> str:
        m, s, run = self.machine, self.schedule, self.run
        lines = [f"emu {m.describe()} (a cost model, not a hardware measurement)"]
        kernels = self.kernels()
        width = max([len("kernel"), len("total")] + [len(k.name) for k in kernels])
        head = (
            f"{'kernel':<{width}}  {'tasks':>7}  {'masked iter':>11}  {'cycles':>12}  "
            f"{'loaded':>10}  {'stored':>10}"
        )
        lines.append(head)
        for k in kernels:
            lines.append(
                f"{k.name:<{width}}  {k.tasks:>7}  {k.masked_iterations:>11}  "
                f"{round(k.cycles):>12}  {_bytes(k.counters['bytes_loaded']):>10}  "
                f"{_bytes(k.counters['bytes_stored']):>10}"
            )
        lines.append(
            f"{'total':<{width}}  {run.tasks:>7}  {self.masked_iterations:>11}  "
            f"{round(float(s.cycles.sum())):>12}  {_bytes(self.bytes_loaded):>10}  "
            f"{_bytes(self.bytes_stored):>10}"
        )
        launched, empty = self.launch_groups
        idle = f" ({empty} more launched no task)" if empty else ""
        lines.append(
            f"launch groups: {launched}{idle}; dependencies: {self.deps} (--deps barrier, "
            f"regions or exact)"
        )
        lines += self._models_table()
        length, chain = self.critical_path()
        lines.append(
            f"critical path ({self.deps}): {round(length)} cycles, {len(chain)} "
            f"node{'s' if len(chain) != 1 else ''}: {_chain(chain)}"
        )
        util = s.utilisation * 100
        if len(util):
            lines.append(
                f"utilisation per core group ({self.deps}; busy cycles / makespan): "
                f"min {util.min():.1f}%  mean {util.mean():.1f}%  max {util.max():.1f}%"
            )
            for c, u in enumerate(util.tolist()):
                lines.append(f"  {c:>3} {_bar(u)} {u:5.1f}%")
        lines.append(
            f"bytes moved: {_bytes(self.bytes_loaded + self.bytes_stored)} "
            f"({_bytes(self.bytes_loaded)} loaded, {_bytes(self.bytes_stored)} stored)"
        )
        nf = sum(f.count for f in run.faults)
        faults = (
            f"{nf} at {len(run.faults)} site{'s' if len(run.faults) != 1 else ''}"
            if run.faults
            else "none"
        )
        if not self.races_checked:
            races = "not checked (--check-races)"
        else:
            real, benign = self.races(), self.benign_overlaps()
            races = f"{len(real)} pair{'s' if len(real) != 1 else ''} of sites" if real else "none"
            if benign:
                races += (
                    f" ({len(benign)} benign overlap{'s' if len(benign) != 1 else ''}: "
                    f"identical bits)"
                )
        lines.append(f"faults: {faults}; races: {races}")
        for p in run.problems:
            lines.append(f"warning: instrumentation: {p}")
        return "\n".join(lines)

    def _models_table(self) -> list[str]:
        m = self.machine
        lines = [f"  {'model':<10} {'makespan':>12}  {'time':>10}  {'mean utilisation':>16}"]
        for model, sched in self.schedules.items():
            mark = "*" if model == self.deps else " "
            if sched is None:
                lines.append(f"  {model:<8}{mark}  (no footprints recorded)")
                continue
            mean = float(sched.utilisation.mean() * 100) if len(sched.busy) else 0.0
            lines.append(
                f"  {model:<8}{mark} {round(sched.makespan):>12}  "
                f"{_duration(m.ms(sched.makespan)):>10}  {mean:>15.1f}%"
            )
        return lines

    # -- JSON ----------------------------------------------------------------------------------

    def to_json(self) -> ReportJSON:
        s, run = self.schedule, self.run
        return {
            "machine": self.machine.to_json(),
            "kernels": [
                {
                    "name": k.name,
                    "tasks": k.tasks,
                    "masked_iterations": k.masked_iterations,
                    "cycles": round(k.cycles),
                    "counters": k.counters,
                }
                for k in self.kernels()
            ],
            "tasks": run.tasks,
            "launch_groups": self.launch_groups[0],
            "empty_launch_groups": self.launch_groups[1],
            "masked_iterations": self.masked_iterations,
            "makespan_cycles": round(s.makespan),
            "makespan_ms": self.machine.ms(s.makespan),
            "deps": self.deps,
            "makespans": {
                model: (None if c is None else round(c)) for model, c in self.makespans().items()
            },
            "critical_path": dict(
                zip(("cycles", "nodes"), _rounded_path(self.critical_path()), strict=True)
            ),
            "cores": [round(float(b)) for b in s.busy],
            "core_tasks": [int(t) for t in s.tasks_per_core],
            "utilisation": [float(u) for u in s.utilisation],
            "counters": {c: self._total(c) for c in runtime_hooks.COUNTERS},
            "bytes_loaded": self.bytes_loaded,
            "bytes_stored": self.bytes_stored,
            "faults": [_fault_json(f, self.machine, run.faults) for f in run.faults],
            "races_checked": self.races_checked,
            "races": [_race_json(r, run.task_index) for r in self.races()],
            "benign_overlaps": [_race_json(r, run.task_index) for r in self.benign_overlaps()],
            "ok": self.ok,
        }

    def write_json(self, f: TextIO) -> None:
        json.dump(self.to_json(), f, indent=1)
        f.write("\n")

    # -- Chrome trace --------------------------------------------------------------------------

    def trace(self) -> JSON:
        """Chrome trace-event JSON (Perfetto, chrome://tracing): one thread per core group, one
        complete event per task named after its kernel; times in microseconds at the machine's
        clock. Under regions and exact: a "host" thread with the host nodes, and a flow event
        per dependency edge; instant events for faults and races (at their task's start)."""
        with _collector_paused():  # a few events per task, each a small dict
            return self._trace()

    def _trace(self) -> JSON:
        m, s, run = self.machine, self.schedule, self.run
        per_us = m.clock_ghz * 1e3  # cycles per microsecond
        events: list[JSON] = [
            {
                "name": "process_name",
                "ph": "M",
                "pid": 0,
                "tid": 0,
                "args": {"name": f"emu {m.name} (cost model)"},
            }
        ]
        for c in range(m.core_groups):
            events.append(
                {
                    "name": "thread_name",
                    "ph": "M",
                    "pid": 0,
                    "tid": c,
                    "args": {"name": f"core group {c}"},
                }
            )
            events.append(
                {
                    "name": "thread_sort_index",
                    "ph": "M",
                    "pid": 0,
                    "tid": c,
                    "args": {"sort_index": c},
                }
            )
        names = run.kernels
        kernel, index, group = (
            run.task_kernel.tolist(),
            run.task_index.tolist(),
            run.task_group.tolist(),
        )
        core, start, cyc = s.core.tolist(), s.start.tolist(), s.cycles.tolist()
        counters = run.counters.tolist()
        for i in range(run.tasks):
            k = kernel[i]
            args = {
                "task": index[i],
                "sequence": i,
                "launch_group": group[i],
                "cycles": round(cyc[i]),
            }
            args.update(zip(runtime_hooks.COUNTERS, counters[i], strict=False))
            events.append(
                {
                    "name": names[k] if 0 <= k < len(names) else f"kernel {k}",
                    "cat": "task",
                    "ph": "X",
                    "pid": 0,
                    "tid": core[i],
                    "ts": start[i] / per_us,
                    "dur": cyc[i] / per_us,
                    "args": args,
                }
            )
        events += self._host_and_flows(per_us)
        events += self._instants(per_us)
        return {
            "traceEvents": events,
            "displayTimeUnit": "ns",
            "otherData": {
                "machine": m.name,
                "makespan_cycles": round(s.makespan),
                "clock_ghz": m.clock_ghz,
            },
        }

    def _host_and_flows(self, per_us: float) -> list[JSON]:
        """The host nodes on their own thread, and one flow (start at the predecessor, end at
        the successor) per edge of the chosen model."""
        s, graph = self.schedule, self.graph
        if self.deps == "barrier" or graph is None or s.node_start is None or s.node_end is None:
            return []
        host_tid = self.machine.core_groups
        events: list[JSON] = [
            {"name": "thread_name", "ph": "M", "pid": 0, "tid": host_tid, "args": {"name": "host"}},
            {
                "name": "thread_sort_index",
                "ph": "M",
                "pid": 0,
                "tid": host_tid,
                "args": {"sort_index": host_tid},
            },
        ]
        task = graph.nodes.task.tolist()
        core = s.core.tolist()
        start, end = s.node_start.tolist(), s.node_end.tolist()
        tid = [host_tid if t == dependencies.HOST else core[t] for t in task]
        for v, t in enumerate(task):
            if t == dependencies.HOST:
                events.append(
                    {
                        "name": "host",
                        "cat": "host",
                        "ph": "X",
                        "pid": 0,
                        "tid": host_tid,
                        "ts": start[v] / per_us,
                        "dur": (end[v] - start[v]) / per_us,
                        "args": {"node": v, "cycles": round(end[v] - start[v])},
                    }
                )
        flow = 0
        for v, preds in enumerate(graph.preds[self.deps].lists()):
            for u in preds:
                common = {"name": "dependency", "cat": self.deps, "pid": 0, "id": flow}
                events.append({**common, "ph": "s", "tid": tid[u], "ts": start[u] / per_us})
                events.append(
                    {**common, "ph": "f", "bp": "e", "tid": tid[v], "ts": start[v] / per_us}
                )
                flow += 1
        return events

    def _instants(self, per_us: float) -> list[JSON]:
        """An instant event per fault site, at the start of the task it happened in, and per
        pair of tasks in conflict at a race's sites, at the start of the task of the current
        access (host code, or a task not known: on the first core group's track at 0)."""
        run, s = self.run, self.schedule
        kernel, index = run.task_kernel.tolist(), run.task_index.tolist()
        seq = {(run.kernels[k], i): n for n, (k, i) in enumerate(zip(kernel, index, strict=True))}
        marks: list[tuple[str, int | None, JSON]] = [
            ("fault", seq.get((f.kernel, f.task)), {"message": fault_message(f, self.machine)})
            for f in run.faults
        ]
        for r in run.races:
            for t, o, benign in r.pairs:
                pair = replace(
                    r,
                    task=index[t] if t >= 0 else r.task,
                    other_task=index[o] if o >= 0 else r.other_task,
                    count=1,
                    benign=benign,
                )
                args: JSON = {"message": race_message(pair)[0], "sequence": t, "other_sequence": o}
                marks.append(("benign overlap" if benign else "race", t if t >= 0 else None, args))
        return [
            {
                "name": what,
                "cat": what,
                "ph": "i",
                "s": "t",
                "pid": 0,
                "tid": int(s.core[n]) if n is not None else 0,
                "ts": float(s.start[n]) / per_us if n is not None else 0.0,
                "args": args,
            }
            for what, n, args in marks
        ]

    def write_timeline(self, f: TextIO) -> None:
        """The schedule as a self-contained HTML page (timeline.py)."""
        from .timeline import render

        f.write(render(self))

    def write_trace(self, f: TextIO) -> None:
        json.dump(self.trace(), f, separators=(",", ":"))
        f.write("\n")


# -- messages --------------------------------------------------------------------------------------


def _duration(ms: float) -> str:
    """4 significant digits in the largest unit that keeps the value at least 1 (never an
    exponent)."""
    for unit, scale in (("s", 1e-3), ("ms", 1.0), ("µs", 1e3)):
        if ms * scale >= 1:
            return f"{ms * scale:.4g} {unit}"
    return f"{ms * 1e6:.4g} ns"


def _bar(percent: float, width: int = 40) -> str:
    """A bar of `width` cells for 0..100%, in eighths of a cell."""
    eighths = round(max(0.0, min(percent, 100.0)) / 100 * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
    return f"|{text:<{width}}|"


def _chain(names: list[str], limit: int = 8) -> str:
    """Names in order, repeats folded (`k0 x3`), at most `limit` entries then `...`."""
    runs: list[tuple[str, int]] = []  # (name, repeats)
    for n in names:
        if runs and runs[-1][0] == n:
            runs[-1] = (n, runs[-1][1] + 1)
        else:
            runs.append((n, 1))
    parts = [n if k == 1 else f"{n} x{k}" for n, k in runs]
    if len(parts) > limit:
        parts = parts[:limit] + [f"... ({len(parts) - limit} more)"]
    return " -> ".join(parts) if parts else "none"


def _rounded_path(path: tuple[float, list[str]]) -> tuple[int, list[str]]:
    return round(path[0]), path[1]


def _bytes(n: int) -> str:
    n = int(n)
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} B"


_MEMREF = re.compile(r"^(?:memref|vector|tensor)<((?:(?:\?|\d+)x)*)")


def static_shape(memref_type: str) -> list[str]:
    """The dimensions of a memref type as printed (`memref<?x4xf32, ...>` -> ['?', '4'])."""
    m = _MEMREF.match(memref_type)
    if not m or not m.group(1):
        return []
    return m.group(1).rstrip("x").split("x")


def _shape(f: FaultRecord) -> list[str]:
    """The memref's shape at the fault: the run-time sizes the hook passed (the first
    runtime_hooks.MAX_FAULT_RANK dimensions), the static type for the others."""
    shape = static_shape(f.site.memref_type)
    for i, d in enumerate(f.sizes[: len(shape)]):
        shape[i] = str(d)
    return shape


def _where_task(kernel: str | None, task: int | None) -> str:
    if kernel is None:
        return "in host code"
    return f"in kernel {kernel}, task {task}"


def fault_message(f: FaultRecord, machine: Machine, faults: Sequence[FaultRecord] = ()) -> str:
    """The error line of a faulting site (runtime_hooks.SITE_KINDS), at its first fault;
    `faults`: every fault of the run (an access names the faulting views it goes through)."""
    s = f.site
    where = _where_task(f.kernel, f.task)
    values = ", ".join(str(i) for i in f.indices)
    if s.rank > runtime_hooks.MAX_FAULT_RANK and s.kind in ("load", "store"):
        values += ", ..."  # the hook carries the first MAX_FAULT_RANK indices only
    if s.kind == "alloca":
        size = f" of {f.indices[0]} bytes" if f.indices else ""
        text = (
            f"on-chip memory exceeded: memref.alloca{size} ({s.memref_type}) does not fit, "
            f"with the buffers live with it, in the {machine.memory_bytes} bytes of on-chip "
            f"memory of a core group ({machine.name}) {where}"
        )
    elif s.kind == "copy":
        text = (
            f"invalid memref.copy of {s.memref_type} (an invalid view, or shapes that differ): "
            f"nothing copied {where}{fault_causes.through_views(f, [], faults, _shape)}"
        )
    elif s.kind in ("subview", "reinterpret_cast", "view"):
        what = "offsets" if s.kind != "view" else "byte shift or sizes"
        dims = "; ".join(fault_causes.offending_dimensions(f, _shape(f)))
        text = (
            f"out-of-bounds {s.kind} of {s.memref_type} at {what} [{values}]"
            f"{fault_causes.window(f)} (shape [{', '.join(_shape(f))}]) {where}: "
            f"{dims + '; ' if dims else ''}every access through it faults too"
        )
    else:
        lane = f" lane {f.lane}" if f.lane >= 0 else ""
        shape = _shape(f)
        text = (
            f"out-of-bounds {s.kind} of {s.memref_type} at [{values}]{lane} "
            f"(shape [{', '.join(shape)}]) {where}"
            f"{fault_causes.through_views(f, shape, faults, _shape)}"
        )
    if f.count > 1:
        text += f" (and {f.count - 1} more fault{'s' if f.count > 2 else ''} at this site)"
    return f"{s.location}: error: {text}"


def race_message(r: RaceRecord) -> list[str]:
    """An error at the current access and a note at the other one (a warning for a benign
    overlap: every write stored the bits already there)."""
    s, o = r.site, r.other_site
    other = (
        f"task {r.other_task}"
        if r.other_kernel in (None, r.kernel)
        else f"kernel {r.other_kernel}, task {r.other_task}"
    )
    more = f" (and {r.count - 1} more at these sites)" if r.count > 1 else ""
    if r.benign:
        return [
            f"{s.location}: warning: benign overlap: {_access(s)} of {s.memref_type} "
            f"{_where_task(r.kernel, r.task)} stores the bits already there (a {_access(o)} "
            f"in {other} of the same launch group, at {o.location}){more}",
            f"{o.location}: note: the other {_access(o)}, in {other}",
        ]
    return [
        f"{s.location}: error: data race: {_access(s)} of {s.memref_type} "
        f"{_where_task(r.kernel, r.task)} conflicts with a {_access(o)} in {other} of the "
        f"same launch group (at {o.location}){more}",
        f"{o.location}: note: the conflicting {_access(o)}, in {other}",
    ]


def _access(site: runtime_hooks.Site) -> str:
    return {"load": "read", "store": "write"}.get(site.kind, site.kind)


# -- the JSON report's entries (docs/emulator.md, `--report-json`) and the trace's events -------

# A JSON object whose values differ in type from key to key: a Chrome trace event (its `args`
# depend on its phase), the trace itself, the machine (Machine.to_json).
JSON = dict[str, object]


class KernelJSON(TypedDict):
    name: str
    tasks: int
    masked_iterations: int
    cycles: int
    counters: dict[str, int]


class FaultJSON(TypedDict):
    kind: str
    location: str
    memref_type: str
    kernel: str | None
    task: int | None
    indices: list[int]
    lane: int
    shape: list[int | None]
    count: int
    message: str


class RacePairJSON(TypedDict):
    task: int | None
    other_task: int | None
    benign: bool


class RaceJSON(TypedDict):
    kind: str
    location: str
    memref_type: str
    kernel: str | None
    task: int | None
    other_kind: str
    other_location: str
    other_kernel: str | None
    other_task: int | None
    address: int
    count: int
    pairs: list[RacePairJSON]
    message: str


class ReportJSON(TypedDict):
    machine: JSON
    kernels: list[KernelJSON]
    tasks: int
    launch_groups: int
    empty_launch_groups: int
    masked_iterations: int
    makespan_cycles: int
    makespan_ms: float
    deps: str
    makespans: dict[str, int | None]
    critical_path: JSON  # cycles (int), nodes (list[str])
    cores: list[int]
    core_tasks: list[int]
    utilisation: list[float]
    counters: dict[str, int]
    bytes_loaded: int
    bytes_stored: int
    faults: list[FaultJSON]
    races_checked: bool
    races: list[RaceJSON]
    benign_overlaps: list[RaceJSON]
    ok: bool


def _fault_json(f: FaultRecord, machine: Machine, faults: Sequence[FaultRecord]) -> FaultJSON:
    return {
        "kind": f.site.kind,
        "location": f.site.location,
        "memref_type": f.site.memref_type,
        "kernel": f.kernel,
        "task": f.task,
        "indices": list(f.indices),
        "lane": f.lane,
        "shape": [int(d) if d.isdigit() else None for d in _shape(f)],
        "count": f.count,
        "message": fault_message(f, machine, faults),
    }


def _race_json(r: RaceRecord, index: np.ndarray) -> RaceJSON:
    """`index`: each task's index among its kernel's tasks, by sequence number."""
    return {
        "kind": r.site.kind,
        "location": r.site.location,
        "memref_type": r.site.memref_type,
        "kernel": r.kernel,
        "task": r.task,
        "other_kind": r.other_site.kind,
        "other_location": r.other_site.location,
        "other_kernel": r.other_kernel,
        "other_task": r.other_task,
        "address": r.address,
        "count": r.count,
        "pairs": [
            {
                "task": int(index[t]) if t >= 0 else None,
                "other_task": int(index[o]) if o >= 0 else None,
                "benign": benign,
            }
            for t, o, benign in r.pairs
        ],
        "message": race_message(r)[0],
    }


__all__ = [
    "EmuReport",
    "KernelSummary",
    "build_report",
    "fault_message",
    "race_message",
    "static_shape",
]
