"""The dependency graph of a run under each model, from one run's footprints (footprints.py).

Nodes, in program order: the tasks, and the *host nodes*: each stretch of host accesses between
two tasks whose ops wait on the same launch groups (host_waits.py). Each node has footprints
(byte ranges it read and wrote). Edges (`preds[n]`: the nodes node n waits for), per model:

    barrier  today's model, kept as it was: each launch group after the previous one
             (schedule.schedule); host work costs nothing. No edge list.
    regions  PyPTO's tensor map, refined to views: a node's footprint on a buffer (a memref
             argument of the call) is the smallest box, per dimension [min, max], holding the
             elements it accessed, read, written or both; bytes outside the arguments (host
             allocations) are compared as in `exact`. Two boxes of one buffer conflict when they
             overlap and one writes.
    exact    the bytes each node touched: only true conflicts.

Under regions and exact, an edge joins two nodes whose footprints conflict (read after write,
write after read, write after write), except two tasks of one parallel launch (independent by
the user's promise: their overlaps are the race checker's business); tasks of a chained launch
(iter_args) follow each other; a host node waits for the latest task of each launch group whose
results its ops use, and a kernel call that uses another launch's results waits for it too.
Edges run from earlier to later nodes only (program order is the order the JIT ran them).

Addresses, not SSA values: memory freed and allocated again at the same addresses orders the new
users after the old ones (a write after read or write), and a kernel's own stack buffers are not
footprints at all, so reusing scratch memory is never a dependence between tasks.

Each edge set is kept small: a footprint wholly overwritten by a later node (that waits for it)
is forgotten, since whoever conflicts with it later conflicts with the overwriting node.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np

from . import footprints, runtime_hooks
from .machine import Machine

MODELS = ("barrier", "regions", "exact")
DEFAULT_MODEL = "regions"
HOST = -1  # Nodes.task of a host node
_C = {name: i for i, name in enumerate(runtime_hooks.COUNTERS)}


@dataclass(frozen=True)
class Buffer:
    """A memref argument of the call: a C-contiguous array of `shape` at `address`."""

    address: int
    nbytes: int
    shape: tuple[int, ...]
    itemsize: int


@dataclass
class Nodes:
    """The nodes of a run, in program order."""

    task: np.ndarray  # int64 [nodes]: the task's sequence number, HOST for a host node
    cost: np.ndarray  # float64 [nodes]: cycles (tasks: the cost model; host: its accesses)
    group: np.ndarray  # int64 [nodes]: index into run.groups (-1 for host nodes)
    waits: list[tuple[int, ...]]  # launch-group ids (metadata) the node's ops use results of
    accesses: list[list[tuple[int, int, bool]]]  # merged (lo, hi, write) byte ranges per node
    node_of_task: np.ndarray  # int64 [tasks]: the node of each task
    ranges: Ranges  # the same ranges, flattened in node order, as arrays


@dataclass(frozen=True)
class Ranges:
    """Every node's merged byte ranges, node after node (the order of Nodes.accesses)."""

    owner: np.ndarray  # int64: the node
    lo: np.ndarray  # int64
    hi: np.ndarray  # int64
    write: np.ndarray  # bool


@dataclass
class Graph:
    nodes: Nodes
    preds: dict[str, list[list[int]]] = field(default_factory=dict)  # model -> preds per node


def buffers_of(arrays) -> list[Buffer]:
    """The Buffers of the numpy arrays among `arrays` (the call's arguments)."""
    out: list[Buffer] = []
    for a in arrays:
        if isinstance(a, np.ndarray) and a.size and a.flags.c_contiguous:
            out.append(Buffer(a.ctypes.data, a.nbytes, tuple(a.shape), a.itemsize))
    return out


def recorded(run) -> bool:
    """Whether `run` has footprints for every task (the log marks each task's begin; a run
    without the log, or one that ended inside a task, has none to go by)."""
    if run.rows is None:
        return False
    return int((run.rows[:, 2] == footprints.BEGIN).sum()) == run.tasks


def split_nodes(run, site_waits: dict, cycles: np.ndarray, machine: Machine) -> Nodes:
    """Tasks and host nodes of `run` (runtime.Run with footprint rows), in program order."""
    rows = run.rows if run.rows is not None else np.zeros((0, footprints.COLUMNS), np.int64)
    n_tasks = run.tasks
    kind = rows[:, 2]
    begins = np.flatnonzero(kind == footprints.BEGIN)
    if len(begins) != n_tasks:
        raise ValueError("the run has no footprints for every task (deps.recorded)")
    opened = np.cumsum(kind == footprints.BEGIN)
    closed = np.cumsum(kind == footprints.END)
    access = kind <= footprints.WRITE
    inside = access & (opened > closed)  # rows of task opened[r] - 1
    host = access & ~inside
    group_of_task = run.task_group
    cost_of = machine.cost
    host_cost = np.array(
        [cost_of[i] for i in (_C["loads"], _C["stores"], _C["bytes_loaded"], _C["bytes_stored"])]
    )

    host_nodes: list[tuple[tuple[int, ...], list[int]]] = []  # (waits, rows)
    prev_row, prev_waits = -2, None
    for r in np.flatnonzero(host).tolist():
        w = site_waits.get(int(rows[r, 3]), ())
        if r == prev_row + 1 and w == prev_waits:
            host_nodes[-1][1].append(r)
        else:
            host_nodes.append((w, [r]))
        prev_row, prev_waits = r, w
    # Nodes in program order: tasks at their begin row, host nodes at their first row.
    first_rows = np.array([rs[0] for _, rs in host_nodes], np.int64)
    at = np.concatenate([first_rows, begins])
    order = np.argsort(at, kind="stable")
    n = len(order)
    is_task = order >= len(host_nodes)
    node_of_task = np.flatnonzero(is_task).astype(np.int64)  # tasks stay in sequence order
    node_of_host = np.flatnonzero(~is_task).astype(np.int64)
    task = np.full(n, HOST, np.int64)
    task[node_of_task] = np.arange(n_tasks, dtype=np.int64)
    cost = np.zeros(n, np.float64)
    cost[node_of_task] = cycles[:n_tasks]
    group = np.full(n, -1, np.int64)
    group[node_of_task] = group_of_task[:n_tasks]
    waits: list[tuple[int, ...]] = [()] * n
    for h, i in enumerate(node_of_host.tolist()):
        w, rs = host_nodes[h]
        waits[i] = w
        sel = rows[rs]
        nbytes = sel[:, 1] - sel[:, 0]
        wr = sel[:, 2] == footprints.WRITE
        cost[i] = float(
            host_cost[0] * sel[~wr, 4].sum()
            + host_cost[1] * sel[wr, 4].sum()
            + host_cost[2] * nbytes[~wr].sum()
            + host_cost[3] * nbytes[wr].sum()
        )
    # Every access row to its node, then ranges merged per node and direction.
    owner = np.full(len(rows), -1, np.int64)
    if n_tasks and len(rows):
        owner[inside] = node_of_task[opened[inside] - 1]
    for h, (_, rs) in enumerate(host_nodes):
        owner[rs] = node_of_host[h]
    accesses, ranges = _merge(owner, rows, n)
    return Nodes(task, cost, group, waits, accesses, node_of_task, ranges)


def _merge(
    owner: np.ndarray, rows: np.ndarray, n: int
) -> tuple[list[list[tuple[int, int, bool]]], Ranges]:
    """Per node: its byte ranges, overlapping or touching ones of one direction merged; and the
    same as arrays."""
    out: list[list[tuple[int, int, bool]]] = [[] for _ in range(n)]
    keep = owner >= 0
    if not keep.any():
        no = np.zeros(0, np.int64)
        return out, Ranges(no, no, no, np.zeros(0, bool))
    own, lo, hi = owner[keep], rows[keep, 0], rows[keep, 1]
    wr = rows[keep, 2] == footprints.WRITE
    order = np.lexsort((lo, wr, own))
    own, lo, hi, wr = own[order].tolist(), lo[order].tolist(), hi[order].tolist(), wr[order]
    wr = wr.tolist()
    merged: list[list] = []  # [owner, lo, hi, write], in node order
    cur = None
    for o, a, b, w in zip(own, lo, hi, wr, strict=True):
        if cur is not None and cur[0] == o and cur[3] == w and a <= cur[2]:
            if b > cur[2]:
                cur[2] = b
            continue
        cur = [o, a, b, w]
        merged.append(cur)
    for o, a, b, w in merged:
        out[o].append((a, b, w))
    mo, mlo, mhi, mw = zip(*merged, strict=True)
    ranges = Ranges(
        np.array(mo, np.int64), np.array(mlo, np.int64), np.array(mhi, np.int64), np.array(mw, bool)
    )
    return out, ranges


# -- footprints per model ----------------------------------------------------------------------

# A footprint: (key, box, reads, writes); key 0 is raw memory (box: one byte range), key b + 1
# the buffer b (box: [lo, hi) element ranges per dimension).
Footprint = tuple[int, tuple[tuple[int, int], ...], bool, bool]


def exact_footprints(nodes: Nodes) -> list[list[Footprint]]:
    return [[(0, ((a, b),), not w, w) for a, b, w in acc] for acc in nodes.accesses]


def region_footprints(nodes: Nodes, buffers: list[Buffer]) -> list[list[Footprint]]:
    """Per node and buffer, the hull box of its accesses (read, written or both); ranges outside
    every buffer stay byte ranges. The boxes are worked out for all accesses at once (numpy),
    per buffer; only the footprint lists are built node by node."""
    n = len(nodes.accesses)
    owner, lo, hi, wr = nodes.ranges.owner, nodes.ranges.lo, nodes.ranges.hi, nodes.ranges.write
    if not len(owner):
        return [[] for _ in range(n)]
    raw: dict[int, list[Footprint]] = {}
    boxes: dict[int, list[tuple[int, Footprint]]] = {}  # node -> (first access, box)
    order = sorted(range(len(buffers)), key=lambda i: buffers[i].address)
    addrs = np.array([buffers[i].address for i in order], np.int64)
    ends = np.array([buffers[i].address + buffers[i].nbytes for i in order], np.int64)
    j = np.searchsorted(addrs, lo, side="right") - 1
    inside = np.zeros(len(owner), bool)
    ok = j >= 0
    inside[ok] = hi[ok] <= ends[j[ok]]
    for r in np.flatnonzero(~inside).tolist():
        a, b, w = int(lo[r]), int(hi[r]), bool(wr[r])
        raw.setdefault(int(owner[r]), []).append((0, ((a, b),), not w, w))
    for k, b_index in enumerate(order):
        sel = np.flatnonzero(inside & (j == k))
        if len(sel):
            _hulls(buffers[b_index], b_index, sel, owner[sel], lo[sel], hi[sel], wr[sel], boxes)
    # A node's byte ranges first, then its boxes in the order its accesses first reach each
    # buffer (as when they were built access by access).
    out: list[list[Footprint]] = [[] for _ in range(n)]
    for v, fps in raw.items():
        out[v] = fps
    for v, found in boxes.items():
        if len(found) > 1:
            found.sort()
        out[v].extend([box for _, box in found])
    return out


def _hulls(
    buf: Buffer,
    b_index: int,
    access: np.ndarray,
    owner: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    wr: np.ndarray,
    boxes: dict[int, list[tuple[int, Footprint]]],
) -> None:
    """The hull box per node of the accesses to `buf` (byte ranges [lo, hi), absolute
    addresses; `access` their indices, `owner` their nodes, both ascending), into boxes[node]
    with the index of the node's first access. An access's box is the smallest one holding the
    elements of its bytes in a C-contiguous array: the dimensions before the first where its
    first and last element differ are single indices, that one spans both, the ones after it
    are whole. The hull is, per dimension, [min lo, max hi)."""
    shape = buf.shape or (1,)
    first = (lo - buf.address) // buf.itemsize
    last = (hi - 1 - buf.address) // buf.itemsize
    a = np.array(np.unravel_index(first, shape))  # [dims, accesses]
    z = np.array(np.unravel_index(last, shape))
    # Dimensions up to the first where first and last differ are exact, the ones after whole.
    differ = a != z
    after = np.cumsum(differ, axis=0) - differ > 0
    full = np.array(shape, np.int64)[:, None]
    blo = np.where(after, 0, a)
    bhi = np.where(after, full, z + 1)
    cut = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])  # each node's first access
    hlo = np.minimum.reduceat(blo, cut, axis=1).T.tolist()
    hhi = np.maximum.reduceat(bhi, cut, axis=1).T.tolist()
    anyw = np.logical_or.reduceat(wr, cut).tolist()
    anyr = np.logical_or.reduceat(~wr, cut).tolist()
    key = b_index + 1
    spans: list[tuple[tuple[int, int], ...]]
    if len(shape) == 1:
        spans = [((x[0], y[0]),) for x, y in zip(hlo, hhi, strict=True)]
    else:
        spans = [tuple(zip(x, y, strict=True)) for x, y in zip(hlo, hhi, strict=True)]
    get = boxes.get
    for v, box, r, ww, f in zip(
        owner[cut].tolist(), spans, anyr, anyw, access[cut].tolist(), strict=True
    ):
        found = get(v)
        if found is None:
            boxes[v] = [(f, (key, box, r, ww))]
        else:
            found.append((f, (key, box, r, ww)))


# -- edges ---------------------------------------------------------------------------------------


class _Index:
    """Footprints of one key, sorted by their first range's start, for overlap queries."""

    def __init__(self):
        self.starts: list[int] = []
        self.items: list[tuple[tuple[tuple[int, int], ...], int]] = []  # (box, node)
        self.longest = 0

    def add(self, box, node: int) -> None:
        lo, hi = box[0]
        i = bisect.bisect_right(self.starts, lo)
        self.starts.insert(i, lo)
        self.items.insert(i, (box, node))
        if hi - lo > self.longest:
            self.longest = hi - lo

    def conflicts(self, box, v: int, same: int, group: list, forget: bool, preds: set) -> None:
        """Adds to `preds` the nodes whose footprint overlaps `box` (node v's), except v and the
        tasks of launch group `same`; forgets those `box` covers when `forget` (v writes).

        One method, the overlap and cover tests written out: it runs once per footprint and
        index, the hot loop of the graph (bench/emu.py)."""
        lo, hi = box[0]
        starts = self.starts
        i = bisect.bisect_right(starts, lo - self.longest)
        j = bisect.bisect_left(starts, hi)
        if i >= j:
            return
        items = self.items
        rest = box[1:]
        gone: list[int] = []
        for p in range(i, j):
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
                gone.append(p)
        for p in reversed(gone):
            del starts[p]
            del items[p]


def edges(nodes: Nodes, fps: list[list[Footprint]], run, call_waits: dict) -> list[list[int]]:
    """preds per node under the footprints `fps` (regions or exact)."""
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
        fp = fps[v]
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


def _launches(groups) -> dict[int, tuple[list[int], list[int]]]:
    """Per launch group (metadata id): the ends (first + count) and counts of its executions,
    in order (an empty launch included: its results are its loop's inits, no task's)."""
    out: dict[int, tuple[list[int], list[int]]] = {}
    for g in groups:
        ends, counts = out.setdefault(g.group, ([], []))
        ends.append(g.first + g.count)
        counts.append(g.count)
    return out


def _last_task_of(launches, before: int) -> int | None:
    """The last task of the latest execution of a launch group that ended before task `before`
    began (None: none, or that execution ran no task)."""
    if launches is None:
        return None
    ends, counts = launches
    i = bisect.bisect_right(ends, before) - 1
    if i < 0 or counts[i] == 0:
        return None
    return ends[i] - 1


def build_graph(run, metadata, cycles: np.ndarray, machine: Machine) -> Graph:
    """The nodes of `run` and their edges under regions and exact (barrier needs none)."""
    nodes = split_nodes(run, metadata.site_waits, cycles, machine)
    graph = Graph(nodes)
    graph.preds["exact"] = edges(nodes, exact_footprints(nodes), run, metadata.call_waits)
    graph.preds["regions"] = edges(
        nodes, region_footprints(nodes, run.buffers), run, metadata.call_waits
    )
    return graph


__all__ = [
    "DEFAULT_MODEL",
    "HOST",
    "MODELS",
    "Buffer",
    "Graph",
    "Nodes",
    "Ranges",
    "build_graph",
    "buffers_of",
    "edges",
    "exact_footprints",
    "recorded",
    "region_footprints",
    "split_nodes",
]
