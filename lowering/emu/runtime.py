"""The emulator's runtime: the ctypes callbacks behind the hooks of runtime_hooks.py, and what a
run left.

    rt = EmuRuntime(metadata, machine)
    compiled = cpu.compile_module(module, runtime_symbols=rt.callbacks)  # registered before lookup
    rt.reset(); compiled[entry](...); run = rt.collect()

The callbacks only append a tuple to a list (a ctypes callback costs ~0.2 µs; the tuple a few
tens of ns): everything else (tasks, groups, fault and race records) is worked out after the
run by `collect`, mostly with numpy, and cycles and the schedule later still (report.py,
schedule.py). The lists, in the order the JIT code called the hooks:

    begins   kernel id of each task_begin
    ends     (kernel, counter...) of each task_end: the hook's own arguments
    groups   (group, flags, tasks ended so far) of each group_begin; (group, -1, tasks ended
             so far) of each group_end
    faults   (tasks begun so far, tasks ended so far, site, lane, i0, ..., i3, d0, ..., d3)
    races    [tasks begun so far, tasks ended so far, site, other site, other task, address,
              then for a write: the element's bytes before it (what the other task left) and
              after the task (what this one left)]: identical bytes are a benign overlap
    rows     arrays of footprint rows (footprints.py), each a copy of the log when it was full
             or when an entry returned

A fault or race happened inside a task when more tasks had begun than ended: the task whose
sequence number is the number of tasks ended so far.

Task numbering: tasks are numbered in the order they began during one run, from 0 (the *task
sequence number*). The race hook's "other task" is the other task's index within the launch
group instance of the current task (races.py counts tasks per group instance). Reports show a
task as its index among the tasks of its kernel (the n-th task of kernel K in this run, from 0),
which for a kernel launched by one loop is the loop's iteration (chunk) number.

A task that ends outside any launch group forms a launch group of its own (one task).
"""

from __future__ import annotations

import ctypes
import itertools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

import numpy as np

from . import footprints, runtime_hooks
from .machine import Machine, load_machine

if TYPE_CHECKING:
    from .deps import Buffer

# A race hook's event (the module docstring's `races`): six ints (the counts, the sites, the
# other task, the address), then for a write the element's bytes before and after the task.
RaceEvent = list[int | bytes]


def _prototype(n: int):
    return ctypes.CFUNCTYPE(None, *([ctypes.c_int64] * n))


@dataclass(frozen=True)
class GroupRun:
    """One execution of a launch group: tasks first .. first + count - 1 (sequence numbers)."""

    group: int  # the metadata's group id; -1 for a task launched outside any group
    chained: bool
    first: int
    count: int


@dataclass
class FaultRecord:
    """One faulting site: its first occurrence and how many times it faulted."""

    site: runtime_hooks.Site
    count: int
    kernel: str | None  # None: in host (orchestration) code
    task: int | None  # index among the kernel's tasks
    indices: tuple[int, ...]
    lane: int  # the faulting lane of a vector access, -1 otherwise
    # run-time sizes of the memref's first dimensions (runtime_hooks.py)
    sizes: tuple[int, ...] = ()


@dataclass
class RaceRecord:
    """One pair of conflicting sites (the current access, the earlier one of another task)."""

    site: runtime_hooks.Site
    other_site: runtime_hooks.Site
    count: int
    kernel: str | None
    task: int | None
    other_kernel: str | None
    other_task: int | None  # index among its kernel's tasks (or the raw number if unknown)
    address: int
    benign: bool = False  # every conflict was a write of the bits the memory already held
    # every pair of tasks in conflict at these sites, sorted: (the current access's task, the
    # other task) as sequence numbers (-1: unknown), and whether every conflict of the pair
    # was benign (a write of the bits already there)
    pairs: tuple[tuple[int, int, bool], ...] = ()


@dataclass
class Run:
    """What one run of the instrumented program did. Per-task arrays are indexed by sequence
    number."""

    kernels: list[str]  # kernel id -> name
    task_kernel: np.ndarray  # int64 [tasks]: kernel id
    task_index: np.ndarray  # int64 [tasks]: index among the tasks of its kernel
    task_group: np.ndarray  # int64 [tasks]: index into `groups`
    counters: np.ndarray  # int64 [tasks, len(runtime_hooks.COUNTERS)]
    groups: list[GroupRun]  # in launch order
    faults: list[FaultRecord] = field(default_factory=list)  # in order of first occurrence
    races: list[RaceRecord] = field(default_factory=list)  # in order of first occurrence
    # (benign ones included: RaceRecord.benign)
    problems: list[str] = field(default_factory=list)  # unbalanced hooks (an instrumentation bug)
    rows: np.ndarray | None = None  # int64 [rows, 5]: the footprint log (None: not recorded)
    buffers: list[Buffer] = field(default_factory=list)  # of the call's memref arguments

    @property
    def tasks(self) -> int:
        return len(self.task_kernel)


class EmuRuntime:
    """Callbacks for every hook of runtime_hooks.HOOKS (`callbacks`: name -> ctypes function, to
    register on an ExecutionEngine before its first lookup), and the event log they fill. The
    callback objects live as long as this runtime: keep it alive as long as the engine."""

    def __init__(self, metadata: runtime_hooks.EmuMetadata, machine=None):
        self.metadata = metadata
        self.machine: Machine = load_machine(machine)
        self._log = _Log()
        log = self._log
        begins, ends, groups = log.begins.append, log.ends.append, log.groups.append
        faults, rows = log.faults.append, log.rows.append
        nb, ne = log.begins, log.ends
        written = _written_bytes(metadata.sites)
        # race events of the running task waiting for the bytes it left
        pending: list[RaceEvent] = []
        self.readable: list[tuple[int, int]] = []  # byte ranges of the call's arrays
        readable = self.readable

        def race(site, other, other_task, address):
            event = [len(nb), len(ne), site, other, other_task, address]
            size = written.get(site)
            if size is not None and any(
                lo <= address and address + size <= hi for lo, hi in readable
            ):
                # the bytes the other task left, before this write
                event.append(ctypes.string_at(address, size))
                pending.append(event)
            log.races.append(event)

        def task_end(*a):
            ends(a)
            if pending:  # the bytes this task left
                for event in pending:
                    event.append(ctypes.string_at(event[5], len(event[6])))
                pending.clear()

        handlers = {
            runtime_hooks.HOOK_GROUP_BEGIN: lambda g, f: groups((g, f, len(ne))),
            runtime_hooks.HOOK_GROUP_END: lambda g: groups((g, -1, len(ne))),
            runtime_hooks.HOOK_TASK_BEGIN: begins,
            runtime_hooks.HOOK_TASK_END: task_end,
            runtime_hooks.HOOK_FAULT: lambda *a: faults((len(nb), len(ne)) + a),
            runtime_hooks.HOOK_RACE: race,
            runtime_hooks.HOOK_FOOTPRINTS: lambda p, n: rows(footprints.read_rows(p, n)),
        }
        missing = set(runtime_hooks.HOOKS) - set(handlers)
        if missing:
            raise RuntimeError(f"the emulator runtime has no callback for {sorted(missing)}")
        self.callbacks = {
            name: _prototype(n)(handlers[name]) for name, n in runtime_hooks.HOOKS.items()
        }

    def reset(self, arrays=()) -> None:
        """Forgets the events of the previous run (call before each run). `arrays`: the call's
        numpy arrays, whose bytes a race may read to compare the bits of two writes (other
        memory is not read: such a conflict stays a race)."""
        self._log.clear()
        self.readable[:] = [
            (a.ctypes.data, a.ctypes.data + a.nbytes) for a in arrays if isinstance(a, np.ndarray)
        ]

    def take(self) -> _Log:
        """The events since reset() (a copy), and a reset: each call of a program keeps its own
        events, whatever runs after it."""
        taken = self._log.copy()
        self._log.clear()
        return taken

    def collect(self, log: _Log | None = None) -> Run:
        """Works out the tasks, launch groups, faults and races of `log` (default: the events
        since reset())."""
        return collect(self._log if log is None else log, self.metadata)


@dataclass
class _Log:
    begins: list[int] = field(default_factory=list)
    ends: list[tuple[int, ...]] = field(default_factory=list)
    groups: list[tuple[int, int, int]] = field(default_factory=list)
    faults: list[tuple[int, ...]] = field(default_factory=list)
    races: list[RaceEvent] = field(default_factory=list)
    rows: list[np.ndarray] = field(default_factory=list)

    def clear(self) -> None:
        for events in (self.begins, self.ends, self.groups, self.faults, self.races, self.rows):
            events.clear()

    def copy(self) -> _Log:
        return _Log(
            list(self.begins),
            list(self.ends),
            list(self.groups),
            list(self.faults),
            list(self.races),
            list(self.rows),
        )


def collect(log: _Log, metadata: runtime_hooks.EmuMetadata) -> Run:
    kernels = list(metadata.kernels)
    nk = len(kernels)
    n_counters = len(runtime_hooks.COUNTERS)
    problems: list[str] = []
    n = len(log.ends)
    if len(log.begins) != n:
        problems.append(f"{len(log.begins)} task_begin calls for {n} task_end calls")
    if n:
        width = len(log.ends[0])  # every call of the hook passes as many (its prototype)
        if width != 1 + n_counters:
            raise RuntimeError(
                f"task_end passed {width - 1} counters, runtime_hooks.COUNTERS has {n_counters}"
            )
        # fromiter over the flattened tuples: several times faster than np.array on tuples
        table = np.fromiter(
            itertools.chain.from_iterable(log.ends), np.int64, count=n * width
        ).reshape(n, width)
        task_kernel, counters = table[:, 0].copy(), table[:, 1:].copy()
        began = np.fromiter(log.begins[:n], np.int64)
        if len(began) == n and np.any(began != task_kernel):
            problems.append("task_end of another kernel than its task_begin")
    else:
        task_kernel, counters = np.zeros(0, np.int64), np.zeros((0, n_counters), np.int64)
    # the index of each task among its kernel's tasks
    task_index = np.zeros(n, np.int64)
    for k in np.unique(task_kernel).tolist():
        mask = task_kernel == k
        task_index[mask] = np.arange(int(mask.sum()))
    groups = _groups(log.groups, n, metadata, problems)
    counts = np.array([g.count for g in groups], dtype=np.int64)
    task_group = np.repeat(np.arange(len(groups), dtype=np.int64), counts)
    rows = np.concatenate(log.rows) if log.rows else None
    if not (log.faults or log.races):
        return Run(
            kernels=kernels,
            task_kernel=task_kernel,
            task_index=task_index,
            task_group=task_group,
            counters=counters,
            groups=groups,
            problems=problems,
            rows=rows,
        )

    def name(k: int) -> str | None:
        return kernels[k] if 0 <= k < nk else None

    index = task_index.tolist()
    kernel_of = task_kernel.tolist()

    def task_at(nb: int, ne: int):
        """(kernel name, task index) of the task running when nb tasks had begun and ne ended."""
        if nb <= ne:
            return None, None
        k = log.begins[ne]
        return name(k), _index_of(ne, k, index, kernel_of, log.begins)

    faults: dict[int, FaultRecord] = {}  # by site
    for ev in log.faults:
        site = ev[2]
        rec = faults.get(site)
        if rec is not None:
            rec.count += 1
            continue
        s = _site(metadata.sites, site)
        rank = min(s.rank, runtime_hooks.MAX_FAULT_RANK)
        kernel, task = task_at(ev[0], ev[1])
        faults[site] = FaultRecord(
            site=s,
            count=1,
            kernel=kernel,
            task=task,
            indices=tuple(ev[4 : 4 + rank]),
            lane=ev[3],
            sizes=tuple(
                ev[4 + runtime_hooks.MAX_FAULT_RANK : 4 + 2 * runtime_hooks.MAX_FAULT_RANK]
            ),
        )
    # per task: the first task of its group instance and their number (the race hook's other
    # task is an index within the group instance)
    group_first = np.repeat(np.array([g.first for g in groups], np.int64), counts).tolist()
    group_size = np.repeat(counts, counts).tolist()
    races: dict[tuple[int, int], RaceRecord] = {}  # by (site, other site)
    pairs: dict[tuple[int, int], dict[tuple[int, int], bool]] = {}  # the same: pair -> benign
    for event in log.races:
        nb, ne, site, other_site, other_task, address = cast("list[int]", event[:6])
        same = len(event) == 8 and event[6] == event[7]
        other_seq = (
            group_first[ne] + other_task if ne < n and 0 <= other_task < group_size[ne] else -1
        )
        pair, key = (ne if nb > ne else -1, other_seq), (site, other_site)
        record = races.get(key)
        if record is not None:
            record.count += 1
            seen = pairs[key]
            seen[pair] = seen.get(pair, True) and same
            continue
        kernel, task = task_at(nb, ne)
        other_kernel, other = (
            (None, other_task) if other_seq < 0 else (name(kernel_of[other_seq]), index[other_seq])
        )
        pairs[key] = {pair: same}
        races[key] = RaceRecord(
            site=_site(metadata.sites, site),
            other_site=_site(metadata.sites, other_site),
            count=1,
            kernel=kernel,
            task=task,
            other_kernel=other_kernel,
            other_task=other,
            address=address,
        )
    for key, record in races.items():
        record.pairs = tuple(sorted((t, o, b) for (t, o), b in pairs[key].items()))
        record.benign = all(b for _, _, b in record.pairs)
    return Run(
        kernels=kernels,
        task_kernel=task_kernel,
        task_index=task_index,
        task_group=task_group,
        counters=counters,
        groups=groups,
        faults=list(faults.values()),
        races=list(races.values()),
        problems=problems,
        rows=rows,
    )


def _written_bytes(sites: list[runtime_hooks.Site]) -> dict[int, int]:
    """Site id -> element size of each store site (whose written bits a race compares)."""
    out: dict[int, int] = {}
    for s in sites:
        if s.kind == "store":
            size = _element_size(s.memref_type)
            if size:
                out[s.id] = size
    return out


_SIZES = {"f16": 2, "bf16": 2, "f32": 4, "f64": 8, "index": 8}


def _element_size(memref_type: str) -> int | None:
    """Bytes per element of a memref type as printed (`memref<?x4xf32, ...>` -> 4)."""
    inner = memref_type.partition("<")[2].split(",")[0].rstrip(">").strip()
    elem = re.sub(r"^(?:(?:\?|\d+)x)*", "", inner)
    if elem in _SIZES:
        return _SIZES[elem]
    if elem.startswith("i") and elem[1:].isdigit():
        return max(1, (int(elem[1:]) + 7) // 8)
    return None


def _index_of(
    seq: int, kernel: int, index: list[int], kernel_of: list[int], begins: list[int]
) -> int:
    """The index among its kernel's tasks of task `seq`, which may not have ended (a fault in
    the last task of a run that ended inside it): counted from the task_begin calls then."""
    if seq < len(index):
        return index[seq]
    return sum(1 for k in begins[:seq] if k == kernel)


def _site(sites: list[runtime_hooks.Site], site: int) -> runtime_hooks.Site:
    if 0 <= site < len(sites):
        return sites[site]
    return runtime_hooks.Site(
        id=site, kind="access", location="<unknown site>", memref_type="?", kernel=None
    )


def _groups(
    events: list[tuple[int, int, int]],
    n: int,
    metadata: runtime_hooks.EmuMetadata,
    problems: list[str],
) -> list[GroupRun]:
    """GroupRun per launch group, in order, covering tasks 0 .. n-1: a task outside any group is
    a group of its own."""
    meta = metadata.groups
    out: list[GroupRun] = []
    covered = 0  # tasks assigned to a group so far
    open_: list[tuple[int, bool, int]] = []  # (group, chained, first)
    for g, flags, ended in events:
        if flags >= 0:  # group_begin
            if open_:
                problems.append(f"group_begin of group {g} inside group {open_[-1][0]}")
                continue
            out.extend(GroupRun(-1, False, t, 1) for t in range(covered, ended))
            chained = bool(flags & 1) or (0 <= g < len(meta) and meta[g].chained)
            open_.append((g, chained, ended))
            covered = ended
        else:  # group_end
            if not open_ or open_[-1][0] != g:
                problems.append(f"group_end of group {g} that is not open")
                continue
            gid, chained, first = open_.pop()
            out.append(GroupRun(gid, chained, first, ended - first))
            covered = ended
    if open_:
        problems.append("the run ended inside a launch group (group_begin without group_end)")
        gid, chained, first = open_.pop()
        out.append(GroupRun(gid, chained, first, n - first))
        covered = n
    out.extend(GroupRun(-1, False, t, 1) for t in range(covered, n))
    return out


__all__ = ["EmuRuntime", "FaultRecord", "GroupRun", "RaceRecord", "Run", "collect"]
