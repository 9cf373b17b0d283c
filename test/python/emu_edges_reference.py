"""The dependency graph's edges found node by node (the emulator's first implementation, kept
as the reference the batched lowering/emu/deps.edges is checked against in
test_emu_edges.py): a bisect-sorted footprint list per key and direction, queried and updated
once per footprint, in program order."""

from __future__ import annotations

import bisect

from pypto_mlir.lowering.emu.deps import HOST, Footprints, Nodes, _last_task_of, _launches

Box = tuple[tuple[int, int], ...]
Footprint = tuple[int, Box, bool, bool]  # (key, box, reads, writes)


def footprint_lists(fps: Footprints, n: int) -> list[list[Footprint]]:
    """The footprints of each of the n nodes as tuples."""
    out: list[list[Footprint]] = [[] for _ in range(n)]
    for v, k, lo, hi, r, w in zip(
        fps.owner.tolist(),
        fps.key.tolist(),
        fps.lo.tolist(),
        fps.hi.tolist(),
        fps.read.tolist(),
        fps.write.tolist(),
        strict=True,
    ):
        out[v].append((k, tuple(zip(lo, hi, strict=True)), r, w))
    return out


class _Index:
    """Footprints of one key, sorted by their first range's start, for overlap queries."""

    def __init__(self):
        self.starts: list[int] = []
        self.items: list[tuple[tuple[tuple[int, int], ...], int]] = []  # (box, node)
        # per item: -1, or the parallel launch whose task overwrote it whole: it is gone for
        # every node but that launch's later tasks (they do not wait for the overwriter)
        self.gone: list[int] = []
        self.longest = 0

    def add(self, box, node: int) -> None:
        lo, hi = box[0]
        i = bisect.bisect_right(self.starts, lo)
        self.starts.insert(i, lo)
        self.items.insert(i, (box, node))
        self.gone.insert(i, -1)
        if hi - lo > self.longest:
            self.longest = hi - lo

    def conflicts(
        self, box: Box, v: int, same: int, group: list[int], forget: bool, preds: set[int]
    ) -> None:
        """Adds to `preds` the nodes whose footprint overlaps `box` (node v's), except v and the
        tasks of launch group `same`; forgets those `box` covers when `forget` (v writes): for
        every later node, or, when v is a task of a parallel launch (`same` >= 0), for every
        later node but the tasks of that launch.

        One method, the overlap and cover tests written out: it runs once per footprint and
        index, the hot loop of the graph (bench/emu.py)."""
        lo, hi = box[0]
        starts = self.starts
        i = bisect.bisect_right(starts, lo - self.longest)
        j = bisect.bisect_left(starts, hi)
        if i >= j:
            return
        items, marks = self.items, self.gone
        rest = box[1:]
        gone: list[int] = []
        for p in range(i, j):
            if marks[p] >= 0 and marks[p] != same:
                continue
            other, u = items[p]
            first = other[0]
            if first[1] <= lo:  # starts before `box`, ends before it too
                continue
            if rest and not all(
                a < d and c < b for (a, b), (c, d) in zip(rest, other[1:], strict=True)
            ):
                continue
            if u == v or group[u] == same:
                continue
            preds.add(u)
            if (
                forget
                and lo <= first[0]
                and first[1] <= hi
                and (
                    not rest
                    or all(
                        a <= c and d <= b for (a, b), (c, d) in zip(rest, other[1:], strict=True)
                    )
                )
            ):
                if same >= 0:
                    marks[p] = same
                else:
                    gone.append(p)
        for p in reversed(gone):
            del starts[p]
            del items[p]
            del marks[p]


def reference_edges(
    nodes: Nodes, fps: Footprints, run, call_waits: dict[int, tuple[int, ...]]
) -> list[list[int]]:
    """preds per node under the footprints `fps` (regions or exact)."""
    fp_of = footprint_lists(fps, len(nodes.task))
    n = len(nodes.task)
    preds: list[list[int]] = [[] for _ in range(n)]
    groups = run.groups
    group = nodes.group.tolist()
    task = nodes.task.tolist()
    group_waits = [call_waits.get(g.group, ()) for g in groups]
    chained = [g.chained for g in groups]
    first_of = [g.first for g in groups]
    independent = [(not g.chained) and g.count > 1 for g in groups]
    launches = _launches(groups)
    reads: dict[int, _Index] = {}
    writes: dict[int, _Index] = {}
    node_of_task = nodes.node_of_task.tolist()
    host_waits = nodes.waits
    before = 0  # tasks before node v
    for v in range(n):
        p: set[int] = set()
        g = group[v]
        t = task[v]
        if t != HOST:
            if chained[g] and t > first_of[g]:
                p.add(node_of_task[t - 1])
            waits = group_waits[g]
        else:
            waits = host_waits[v]
        for w in waits:
            last = _last_task_of(launches.get(w), before)
            if last is not None:
                p.add(node_of_task[last])
        same = g if g >= 0 and independent[g] else -2  # -2: no group to leave out
        fp = fp_of[v]
        for key, box, _, w in fp:
            index = writes.get(key)
            if index is not None:
                index.conflicts(box, v, same, group, w, p)
            if w:
                index = reads.get(key)
                if index is not None:
                    index.conflicts(box, v, same, group, True, p)
        for key, box, r, w in fp:
            if r:
                index = reads.get(key)
                if index is None:
                    index = reads[key] = _Index()
                index.add(box, v)
            if w:
                index = writes.get(key)
                if index is None:
                    index = writes[key] = _Index()
                index.add(box, v)
        if p:
            p.discard(v)
            preds[v] = sorted(p)
        if t != HOST:
            before = t + 1
    return preds
