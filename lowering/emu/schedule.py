"""List scheduling of a run's tasks onto the machine's core groups.

The rules (docs/emulator.md, "Scheduling"):

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


__all__ = ["Schedule", "schedule", "task_cycles"]
