"""The schedulers' fast paths against their plain forms (lowering/emu/schedule.py,
native_schedule.py): the graph schedule and critical path compiled with MLIR's JIT against the
Python loops, and the barrier schedule worked out for all launch groups at once against the
group-by-group loop it replaced. Same floats, same core groups, on random graphs and runs."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import pytest

from pypto_mlir.lowering.emu import native_schedule
from pypto_mlir.lowering.emu import schedule as sched
from pypto_mlir.lowering.emu.deps import HOST, Preds
from pypto_mlir.lowering.emu.machine import MACHINES, with_changes


def _random_graph(rng, n: int, host_share: float, fan: int) -> tuple[np.ndarray, Preds]:
    """Nodes in program order (tasks numbered in order, some host nodes), preds of earlier
    nodes, ascending, at most `fan` each."""
    is_host = rng.random(n) < host_share
    task = np.where(is_host, HOST, np.cumsum(~is_host) - 1).astype(np.int64)
    lists: list[list[int]] = []
    for v in range(n):
        k = int(rng.integers(0, min(v, fan) + 1))
        lists.append(sorted(rng.choice(v, size=k, replace=False).tolist()) if k else [])
    return task, Preds.of_lists(lists)


def _costs(rng, n: int, kind: str) -> np.ndarray:
    if kind == "ties":  # few distinct costs: the core group tie-break decides
        return rng.integers(1, 4, n).astype(np.float64) * 100
    if kind == "fractions":
        return rng.random(n) * 1000
    return rng.integers(1, 5000, n).astype(np.float64) / 16  # the cost model's sixteenths


@pytest.mark.parametrize("seed", range(12))
def test_the_compiled_graph_schedule_equals_the_python_loop(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 3000))
    task, preds = _random_graph(
        rng, n, host_share=[0.0, 0.1, 0.5][seed % 3], fan=[0, 1, 4][seed % 3]
    )
    cost = _costs(rng, n, ["ties", "fractions", "sixteenths"][seed // 4])
    for groups in (1, 2, 3, 24, 257):
        want = sched._schedule_nodes(task, cost, preds, groups)
        got = native_schedule.schedule_nodes(task, cost, preds.indptr, preds.indices, groups)
        for w, g in zip(want, got, strict=True):
            assert w.dtype == g.dtype
            assert np.array_equal(w, g), (groups, np.flatnonzero(w != g)[:5])
    length, best = sched._longest_chains(cost, preds)
    got_length, got_best = native_schedule.longest_chains(cost, preds.indptr, preds.indices)
    assert got_length.tolist() == length
    assert got_best.tolist() == best


def test_graph_schedule_and_critical_path_take_the_compiled_loop_above_the_threshold(monkeypatch):
    rng = np.random.default_rng(7)
    task, preds = _random_graph(rng, 500, host_share=0.2, fan=3)
    cost = _costs(rng, 500, "ties")

    @dataclass
    class _Nodes:  # what schedule_graph reads of deps.Nodes
        task: np.ndarray
        cost: np.ndarray
        node_of_task: np.ndarray

    nodes = _Nodes(task, cost, np.flatnonzero(task >= 0))
    machine = with_changes(MACHINES["a2a3"], core_groups=5)
    python = sched.schedule_graph(nodes, preds, machine), sched.critical_path(cost, preds)
    calls: list[str] = []
    for name in ("schedule_nodes", "longest_chains"):
        real = getattr(native_schedule, name)
        monkeypatch.setattr(
            native_schedule, name, lambda *a, _f=real, _n=name: calls.append(_n) or _f(*a)
        )
    monkeypatch.setattr(native_schedule, "NATIVE_MIN_NODES", 100)
    native = sched.schedule_graph(nodes, preds, machine), sched.critical_path(cost, preds)
    assert calls == ["schedule_nodes", "longest_chains"]
    for field in ("core", "start", "end", "busy", "tasks_per_core", "node_start", "node_end"):
        assert np.array_equal(getattr(python[0], field), getattr(native[0], field)), field
    assert python[0].makespan == native[0].makespan
    assert python[1] == native[1]
    assert len(python[1][1]) > 3  # a real chain, not a single node


def test_no_edges_and_one_core_group():
    task = np.arange(20_001, dtype=np.int64)
    cost = np.full(20_001, 2.0)
    preds = Preds(np.zeros(20_002, np.int64), np.zeros(0, np.int64))
    start, end, core = native_schedule.schedule_nodes(task, cost, preds.indptr, preds.indices, 1)
    assert start.tolist() == [2.0 * i for i in range(20_001)]
    assert not core.any()
    length, best = native_schedule.longest_chains(cost, preds.indptr, preds.indices)
    assert set(length.tolist()) == {2.0} and set(best.tolist()) == {-1}


@pytest.mark.parametrize(
    ("n", "indptr", "indices", "message"),
    [
        (1, [0, 0], [0], "from 0 to 1"),  # indptr's end is not the edge count
        (3, [0, 1, 0, 1], [0], "must not decrease"),
        (3, [0, 0, 1, 1], [5], r"in \[0, 3\)"),  # a pred that is no node
        (3, [0, 0, 1, 1], [-1], r"in \[0, 3\)"),
        (3, [0, 1], [0], "4 entries"),  # indptr too short for the nodes
    ],
)
def test_a_malformed_graph_is_an_error_not_a_wild_read(n, indptr, indices, message):
    task = np.arange(n, dtype=np.int64)
    cost = np.ones(n)
    ptr, idx = np.array(indptr, np.int64), np.array(indices, np.int64)
    with pytest.raises(ValueError, match=message):
        native_schedule.schedule_nodes(task, cost, ptr, idx, 2)
    with pytest.raises(ValueError, match=message):
        native_schedule.longest_chains(cost, ptr, idx)


def test_tasks_out_of_order_and_no_core_groups_are_errors():
    ptr, idx = np.zeros(3, np.int64), np.zeros(0, np.int64)
    with pytest.raises(ValueError, match="numbered 0, 1"):
        native_schedule.schedule_nodes(np.array([1, 0]), np.ones(2), ptr, idx, 2)
    with pytest.raises(ValueError, match="at least 1"):
        native_schedule.schedule_nodes(np.array([0, 1]), np.ones(2), ptr, idx, 0)


# -- the barrier schedule --------------------------------------------------------------------


@dataclass
class _Group:
    group: int
    chained: bool
    first: int
    count: int


def _barrier_by_group(groups, cycles: np.ndarray, core_groups: int):
    """The barrier model group by group, as the emulator first wrote it: (core, start, end,
    makespan)."""
    n = len(cycles)
    core, start, end = np.zeros(n, np.int64), np.zeros(n), np.zeros(n)
    now = 0.0
    for g in groups:
        first, last = g.first, g.first + g.count
        if g.count == 0:
            continue
        if g.chained:
            ends = now + np.cumsum(cycles[first:last])
            end[first:last], start[first:last] = ends, ends - cycles[first:last]
            now = float(ends[-1])
            continue
        heap = [(now, c) for c in range(core_groups)]
        for t in range(first, last):
            free, c = heapq.heappop(heap)
            core[t], start[t], end[t] = c, free, free + cycles[t]
            heapq.heappush(heap, (end[t], c))
        now = float(end[first:last].max())
    return core, start, end, now


@pytest.mark.parametrize("seed", range(10))
def test_the_barrier_schedule_of_all_groups_at_once_equals_the_group_loop(seed):
    rng = np.random.default_rng(100 + seed)
    groups, first = [], 0
    for g in range(int(rng.integers(1, 40))):
        count = int(rng.choice([0, 1, 2, 5, 24, 25, 64, 200]))
        groups.append(_Group(g % 3, bool(rng.random() < 0.25), first, count))
        first += count
    cycles = rng.integers(1, 4000, first).astype(np.float64) / 16
    for g in groups[::2]:  # half the groups of one cost: the rounds path
        cycles[g.first : g.first + g.count] = cycles[g.first] if g.count else 0
    for core_groups in (1, 3, 24):
        machine = with_changes(MACHINES["a2a3"], core_groups=core_groups)
        got = sched.schedule(groups, cycles, machine)
        core, start, end, makespan = _barrier_by_group(groups, cycles, core_groups)
        assert np.array_equal(got.start, start)
        assert np.array_equal(got.end, end)
        assert np.array_equal(got.core, core)
        assert got.makespan == makespan
