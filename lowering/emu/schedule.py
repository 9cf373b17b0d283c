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
    return machine.launch_overhead_cycles + counters.astype(np.float64) @ cost


def schedule(groups, cycles: np.ndarray, machine: Machine) -> Schedule:
    """Schedules the tasks of `groups` (runtime.GroupRun, in launch order; each covers the
    task sequence numbers first .. first + count - 1) whose costs are `cycles`."""
    cycles = np.asarray(cycles, np.float64)
    n = len(cycles)
    P = machine.core_groups
    core = np.zeros(n, np.int64)
    start = np.zeros(n, np.float64)
    end = np.zeros(n, np.float64)
    now = 0.0  # the barrier: when the previous group finished
    for g in groups:
        first, count = g.first, g.count
        if count == 0:
            continue
        last = first + count
        if g.chained:  # one after the other, on core group 0
            ends = now + np.cumsum(cycles[first:last])
            end[first:last] = ends
            start[first:last] = ends - cycles[first:last]
            now = float(ends[-1])
        elif count <= P:  # all at once on core groups 0 .. count-1
            core[first:last] = np.arange(count)
            start[first:last] = now
            end[first:last] = now + cycles[first:last]
            now = float(end[first:last].max())
        elif (cycles[first:last] == cycles[first]).all():
            # more tasks than core groups, of one cost: round after round of P tasks on core
            # groups 0 .. P-1 (what the heap below does then), the starts summed in order
            rounds = np.cumsum(np.r_[now, np.full((count - 1) // P, cycles[first])])
            core[first:last] = np.arange(count) % P
            start[first:last] = np.repeat(rounds, P)[:count]
            end[first:last] = start[first:last] + cycles[first:last]
            now = float(end[first:last].max())
        else:  # more tasks than core groups: each on the earliest-free one
            heap = [(now, c) for c in range(P)]  # sorted: already a heap
            pop, push = heapq.heappop, heapq.heappush
            cs, ts = [], []
            for cost in cycles[first:last].tolist():
                t, c = pop(heap)
                cs.append(c)
                ts.append(t)
                push(heap, (t + cost, c))
            core[first:last] = cs
            start[first:last] = ts
            end[first:last] = start[first:last] + cycles[first:last]
            now = float(end[first:last].max())
    busy = np.bincount(core, weights=cycles, minlength=P).astype(np.float64)
    per_core = np.bincount(core, minlength=P).astype(np.int64)
    return Schedule(
        core=core,
        start=start,
        end=end,
        cycles=cycles,
        busy=busy,
        tasks_per_core=per_core,
        makespan=now,
    )


def schedule_graph(nodes, preds: list[list[int]], machine: Machine) -> Schedule:
    """Schedules deps.Nodes under the edges `preds` (see the module's docstring)."""
    task, cost = nodes.task.tolist(), nodes.cost.tolist()
    n_tasks = len(nodes.node_of_task)
    P = machine.core_groups
    start, end = [0.0] * len(task), [0.0] * len(task)
    cores = [0] * n_tasks
    heap = [(0.0, c) for c in range(P)]
    replace = heapq.heapreplace  # pop the earliest-free core group, push it back busy
    host = 0.0
    for v, t in enumerate(task):
        ready = 0.0
        for u in preds[v]:
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
    core = np.array(cores, np.int64)
    node_start, node_end = np.array(start), np.array(end)
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


def critical_path(cost: np.ndarray, preds: list[list[int]]) -> tuple[float, list[int]]:
    """The longest chain of nodes under `preds` (costs summed, machine size ignored): its
    length in cycles and its nodes, first to last."""
    cost_l = cost.tolist()
    length = [0.0] * len(cost_l)
    best: list[int] = [-1] * len(cost_l)
    for v, ps in enumerate(preds):
        top, arg = 0.0, -1
        for u in ps:
            if length[u] > top:
                top, arg = length[u], u
        length[v] = top + cost_l[v]
        best[v] = arg
    if not length:
        return 0.0, []
    v = max(range(len(length)), key=length.__getitem__)
    chain = []
    while v >= 0:
        chain.append(v)
        v = best[v]
    chain.reverse()
    return max(length), chain


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
