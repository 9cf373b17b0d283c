"""List scheduling of a run's tasks onto the machine's core groups, under each dependency model
(deps.py).

`schedule` is the barrier model. The rules (docs/emulator.md, "Scheduling"):

* Launch groups run in orchestration order, and each starts when the previous one has finished:
  a barrier between groups. (The JIT code runs the orchestration sequentially and a group's
  inputs may be the previous group's outputs; the emulator does not track data dependences
  between groups, so it assumes the worst.)
* Within a group, tasks are independent, unless the group is chained (the kernel takes and
  returns the loop's iter_args): then each task starts when the previous one has ended.
* Each task goes to the core group that is free earliest; among core groups already free when
  the task is ready, the lowest-numbered one. At a barrier all core groups are free, so a group
  of n tasks with n <= core groups runs its tasks on core groups 0 .. n-1, and a chained group
  runs on core group 0.
* A task takes `launch overhead + counters . costs` cycles (machine.py).

`schedule_graph` is the regions and exact models: nodes (tasks and host nodes) in program order,
each starting when its predecessors in the graph have ended.

* The host runs its nodes one after another (the host clock) and launches each task when it
  reaches it: a task starts no earlier than the host clock at its launch. A host node that must
  wait for a predecessor does not hold the host up: it runs when its predecessors end, and the
  host goes on launching.
* A task goes to the core group that became free earliest (all free at first: core groups
  0, 1, ... in order) and starts when that core group is free and its predecessors have ended.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from . import native_schedule
from .deps import Preds
from .live_boxes import candidate_pairs
from .machine import Machine


@dataclass
class Schedule:
    core: np.ndarray  # int64 [tasks]: the core group each task ran on
    start: np.ndarray  # float64 [tasks]: cycles from the start of the run
    end: np.ndarray  # float64 [tasks]
    cycles: np.ndarray  # float64 [tasks]: the task's cost
    busy: np.ndarray  # float64 [core groups]: cycles each core group spent on tasks
    tasks_per_core: np.ndarray  # int64 [core groups]
    makespan: float  # cycles from the first group's start to the last group's end
    node_start: np.ndarray | None = None  # float64 [nodes] (schedule_graph: host nodes too)
    node_end: np.ndarray | None = None

    @property
    def utilisation(self) -> np.ndarray:
        """busy / makespan per core group (0 when nothing ran)."""
        if self.makespan <= 0:
            return np.zeros_like(self.busy)
        return self.busy / self.makespan


def task_cycles(counters: np.ndarray, machine: Machine) -> np.ndarray:
    """Cost of each task (rows of `counters`) under the machine's cost model."""
    cost = np.asarray(machine.cost, dtype=np.float64)
    if len(counters) == 0:
        return np.zeros(0, np.float64)
    # einsum, not `@`: a matrix product goes to BLAS, whose threads then spin on every core
    return machine.launch_overhead_cycles + np.einsum("tc,c->t", counters.astype(np.float64), cost)


def schedule(groups, cycles: np.ndarray, machine: Machine) -> Schedule:
    """Schedules the tasks of `groups` (runtime.GroupRun, in launch order; each covers the
    task sequence numbers first .. first + count - 1) whose costs are `cycles`.

    Each launch group starts with every core group free, so its tasks' places relative to its
    start, and its length, do not depend on the groups before it: they are worked out for all
    groups at once, and the groups' starts are the running sum of their lengths."""
    cycles = np.asarray(cycles, np.float64)
    n = len(cycles)
    P = machine.core_groups
    core = np.zeros(n, np.int64)
    start = np.zeros(n, np.float64)
    end = np.zeros(n, np.float64)
    ran = [g for g in groups if g.count]
    makespan = 0.0
    if ran:
        first = np.array([g.first for g in ran], np.int64)
        count = np.array([g.count for g in ran], np.int64)
        chained = np.array([g.chained for g in ran], bool)
        base = np.zeros(len(ran) + 1, np.int64)  # each group's first row below
        np.cumsum(count, out=base[1:])
        # a row per task, group by group: its group and its sequence number
        gid, pos = candidate_pairs(first, first + count)
        i = pos - first[gid]  # the task's place in its group
        c = cycles[pos]
        lo = np.minimum.reduceat(c, base[:-1])
        hi = np.maximum.reduceat(c, base[:-1])
        rel = np.zeros(len(c), np.float64)  # start, from its group's start
        on = np.zeros(len(c), np.int64)
        length = np.zeros(len(ran), np.float64)
        wide = count > P
        # at most one task per core group: all at once on core groups 0 .. count-1
        few = ~chained & ~wide
        on[few[gid]] = i[few[gid]]
        length[few] = hi[few]
        # more tasks than core groups, of one cost: round after round of P tasks
        rounds = ~chained & wide & (lo == hi)
        r = rounds[gid]
        on[r] = i[r] % P
        rel[r] = (i[r] // P) * c[r]
        length[rounds] = ((count[rounds] - 1) // P + 1) * lo[rounds]
        for k in np.flatnonzero(~(few | rounds)).tolist():
            a, b = int(base[k]), int(base[k + 1])
            if chained[k]:  # one after the other, on core group 0
                ends = np.cumsum(c[a:b])
                rel[a:b] = ends - c[a:b]
                length[k] = ends[-1]
            else:  # more tasks than core groups: each on the earliest-free one
                alone = Preds(np.zeros(b - a + 1, np.int64), np.zeros(0, np.int64))
                rel[a:b], ends, on[a:b] = _node_schedule(np.arange(b - a), c[a:b], alone, P)
                length[k] = ends.max()
        group_start = np.zeros(len(ran), np.float64)
        np.cumsum(length[:-1], out=group_start[1:])
        core[pos] = on
        start[pos] = group_start[gid] + rel
        end[pos] = start[pos] + c
        makespan = float(group_start[-1] + length[-1])
    busy = np.bincount(core, weights=cycles, minlength=P).astype(np.float64)
    per_core = np.bincount(core, minlength=P).astype(np.int64)
    return Schedule(
        core=core,
        start=start,
        end=end,
        cycles=cycles,
        busy=busy,
        tasks_per_core=per_core,
        makespan=makespan,
    )


def schedule_graph(nodes, preds: Preds, machine: Machine) -> Schedule:
    """Schedules deps.Nodes under the edges `preds` (see the module's docstring)."""
    n_tasks = len(nodes.node_of_task)
    P = machine.core_groups
    node_start, node_end, core = _node_schedule(nodes.task, nodes.cost, preds, P)
    of_task = nodes.node_of_task
    cycles = nodes.cost[of_task] if n_tasks else np.zeros(0)
    return Schedule(
        core=core,
        start=node_start[of_task] if n_tasks else np.zeros(0),
        end=node_end[of_task] if n_tasks else np.zeros(0),
        cycles=cycles,
        busy=np.bincount(core, weights=cycles, minlength=P).astype(np.float64),
        tasks_per_core=np.bincount(core, minlength=P).astype(np.int64),
        makespan=float(node_end.max(initial=0.0)),
        node_start=node_start,
        node_end=node_end,
    )


def _node_schedule(
    task: np.ndarray, cost: np.ndarray, preds: Preds, P: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, end) per node and the core group per task: compiled for a large graph
    (native_schedule.py), in Python below NATIVE_MIN_NODES."""
    if len(task) >= native_schedule.NATIVE_MIN_NODES:
        return native_schedule.schedule_nodes(task, cost, preds.indptr, preds.indices, P)
    return _schedule_nodes(task, cost, preds, P)


def _schedule_nodes(
    task_of: np.ndarray, cost_of: np.ndarray, preds: Preds, P: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, end) per node and the core group per task, in Python (native_schedule.py has the
    same loop compiled, for large graphs)."""
    task, cost = task_of.tolist(), cost_of.tolist()
    start, end = [0.0] * len(task), [0.0] * len(task)
    cores = [0] * int((task_of >= 0).sum())
    heap = [(0.0, c) for c in range(P)]
    replace = heapq.heapreplace  # pop the earliest-free core group, push it back busy
    host = 0.0
    for v, (t, ps) in enumerate(zip(task, preds.lists(), strict=True)):
        ready = 0.0
        for u in ps:
            if end[u] > ready:
                ready = end[u]
        if t < 0:  # a host node
            if ready <= host:
                ready = host
                host += cost[v]
        else:
            free, c = heap[0]
            if host > ready:
                ready = host
            if free > ready:
                ready = free
            replace(heap, (ready + cost[v], c))
            cores[t] = c
        start[v], end[v] = ready, ready + cost[v]
    return np.array(start, np.float64), np.array(end, np.float64), np.array(cores, np.int64)


def critical_path(cost: np.ndarray, preds: Preds) -> tuple[float, list[int]]:
    """The longest chain of nodes under `preds` (costs summed, machine size ignored): its
    length in cycles and its nodes, first to last. Among equally long chains, the one ending
    at the earliest node, through the earliest preds."""
    if len(cost) == 0:
        return 0.0, []
    if len(cost) >= native_schedule.NATIVE_MIN_NODES:
        length_a, best_a = native_schedule.longest_chains(cost, preds.indptr, preds.indices)
    else:
        length_l, best_l = _longest_chains(cost, preds)
        length_a, best_a = np.array(length_l, np.float64), np.array(best_l, np.int64)
    v = int(np.argmax(length_a))  # the first of the longest
    top = float(length_a[v])
    chain = []
    while v >= 0:
        chain.append(v)
        v = int(best_a[v])
    chain.reverse()
    return top, chain


def _longest_chains(cost: np.ndarray, preds: Preds) -> tuple[list[float], list[int]]:
    """Per node, the length of the longest chain ending at it and its pred on that chain (-1:
    none), in Python (native_schedule.py has the same loop compiled)."""
    cost_l = cost.tolist()
    length = [0.0] * len(cost_l)
    best: list[int] = [-1] * len(cost_l)
    for v, ps in enumerate(preds.lists()):
        top, arg = 0.0, -1
        for u in ps:
            if length[u] > top:
                top, arg = length[u], u
        length[v] = top + cost_l[v]
        best[v] = arg
    return length, best


def barrier_critical_path(groups, cycles: np.ndarray) -> tuple[float, list[int]]:
    """The critical path of the barrier model: through every launch group that ran tasks, its
    longest task (a chained group: all its tasks). Its length and its tasks, first to last."""
    total = 0.0
    chain: list[int] = []
    for g in groups:
        if g.count == 0:
            continue
        part = cycles[g.first : g.first + g.count]
        if g.chained:
            total += float(part.sum())
            chain.extend(range(g.first, g.first + g.count))
        else:
            i = int(np.argmax(part))
            total += float(part[i])
            chain.append(g.first + i)
    return total, chain


__all__ = [
    "Schedule",
    "barrier_critical_path",
    "critical_path",
    "schedule",
    "schedule_graph",
    "task_cycles",
]
