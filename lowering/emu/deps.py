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
is forgotten, since whoever conflicts with it later conflicts with the overwriting node and
waits for it. Not so for the other tasks of the overwriter's parallel launch, which do not wait
for it: for them the footprint stays (else a write after read could be lost, as in pypto #2058),
and it is forgotten once the launch is over.

The edges are found with array operations (`edges`, live_boxes.py), a few thousand footprints
at a time, with the results of the node-by-node rule above (test/python/emu_edges_reference.py
is that rule, written out; test_emu_edges.py compares). When every region box is exactly one of
the node's byte ranges, regions has exact's footprints and takes its edges (`boxes_are_ranges`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np

from . import footprints, runtime_hooks
from .live_boxes import Boxes, LiveBoxes, folded
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
    node_of_task: np.ndarray  # int64 [tasks]: the node of each task
    ranges: Ranges  # each node's byte ranges, merged per direction, in node order


@dataclass(frozen=True)
class Ranges:
    """Every node's merged byte ranges, node after node."""

    owner: np.ndarray  # int64: the node
    lo: np.ndarray  # int64
    hi: np.ndarray  # int64
    write: np.ndarray  # bool


@dataclass(frozen=True, eq=False)
class Preds:
    """The edges of one model, by node, as CSR arrays: the preds of node v are
    indices[indptr[v]:indptr[v + 1]], ascending, without repeats. Arrays, not a list per node:
    a large run has hundreds of thousands of nodes, and the schedulers read the arrays."""

    indptr: np.ndarray  # int64 [nodes + 1]
    indices: np.ndarray  # int64 [edges]

    @classmethod
    def of_lists(cls, lists: list[list[int]]) -> Preds:
        """From a list of preds per node (each ascending)."""
        counts = np.array([len(ps) for ps in lists], np.int64)
        indptr = np.zeros(len(lists) + 1, np.int64)
        np.cumsum(counts, out=indptr[1:])
        return cls(indptr, np.array([u for ps in lists for u in ps], np.int64))

    @property
    def edge_count(self) -> int:
        return len(self.indices)

    def lists(self) -> list[list[int]]:
        """The preds of every node, as lists."""
        flat = self.indices.tolist()
        bounds = self.indptr.tolist()
        return [flat[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Preds):
            return NotImplemented
        return np.array_equal(self.indptr, other.indptr) and np.array_equal(
            self.indices, other.indices
        )


@dataclass
class Graph:
    nodes: Nodes
    preds: dict[str, Preds] = field(default_factory=dict)  # model -> the model's edges


def buffers_of(arrays) -> list[Buffer]:
    """The Buffers of the numpy arrays among `arrays` (the call's arguments)."""
    out: list[Buffer] = []
    for a in arrays:
        if isinstance(a, np.ndarray) and a.size and a.flags.c_contiguous:
            out.append(Buffer(a.ctypes.data, a.nbytes, tuple(a.shape), a.itemsize))
    return out


def separate_buffers(buffers: list[Buffer]) -> list[Buffer]:
    """`buffers` without repeats, and without those that share bytes with another (a view of
    another argument, or two views of one array): a box in one buffer's coordinates would miss
    a conflict with the other's, so their accesses stay byte ranges, compared as in `exact`."""
    unique = sorted(set(buffers), key=lambda b: (b.address, b.nbytes))
    shared = [False] * len(unique)
    reach, owner = -1, -1  # the furthest end of the buffers so far, and whose it is
    for i, b in enumerate(unique):
        if b.address < reach:
            shared[i] = shared[owner] = True
        if b.address + b.nbytes > reach:
            reach, owner = b.address + b.nbytes, i
    return [b for b, s in zip(unique, shared, strict=True) if not s]


def recorded(run) -> bool:
    """Whether `run` has footprints for every task (the log marks each task's begin; a run
    without the log, or one that ended inside a task, has none to go by)."""
    if run.rows is None:
        return False
    return int((run.rows[:, 2] == footprints.BEGIN).sum()) == run.tasks


def split_nodes(
    run, site_waits: dict[int, tuple[int, ...]], cycles: np.ndarray, machine: Machine
) -> Nodes:
    """Tasks and host nodes of `run` (runtime.Run with footprint rows), in program order."""
    rows = run.rows if run.rows is not None else np.zeros((0, footprints.COLUMNS), np.int64)
    n_tasks = run.tasks
    kind = rows[:, 2]
    begins = np.flatnonzero(kind == footprints.BEGIN)
    if len(begins) != n_tasks:
        raise ValueError("the run has no footprints for every task (deps.recorded)")
    opened = np.cumsum(kind == footprints.BEGIN)
    closed = np.cumsum(kind == footprints.END)
    access = (kind <= footprints.WRITE) | (kind == footprints.FREE)
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
        sel = sel[sel[:, 2] != footprints.FREE]  # freeing costs nothing
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
    return Nodes(task, cost, group, waits, node_of_task, _merge(owner, rows))


def _merge(owner: np.ndarray, rows: np.ndarray) -> Ranges:
    """Per node, its byte ranges, overlapping or touching ones of one direction merged."""
    keep = owner >= 0
    own, lo, hi = owner[keep], rows[keep, 0], rows[keep, 1]
    wr = (rows[keep, 2] == footprints.WRITE) | (rows[keep, 2] == footprints.FREE)
    order = np.lexsort((lo, wr, own))
    own, lo, hi, wr = own[order], lo[order], hi[order], wr[order]
    if not len(own):
        return Ranges(own, lo, hi, wr)
    # Sorted by (node, direction, lo), a range starts a new merged one when it begins after
    # every range before it of its (node, direction) has ended: a running maximum of the ends
    # per segment, done as one running maximum over (segment, rank of the address) pairs.
    seg_start = np.r_[True, (own[1:] != own[:-1]) | (wr[1:] != wr[:-1])]
    seg = np.cumsum(seg_start) - 1
    ranks, inverse = np.unique(np.concatenate([lo, hi]), return_inverse=True)
    lo_rank, hi_rank = inverse[: len(lo)], inverse[len(lo) :]
    span = len(ranks) + 1
    running = np.maximum.accumulate(seg * span + hi_rank)
    new = seg_start.copy()
    new[1:] |= seg[1:] * span + lo_rank[1:] > running[:-1]
    cut = np.flatnonzero(new)
    return Ranges(own[cut], lo[cut], np.maximum.reduceat(hi, cut), wr[cut])


# -- footprints per model ----------------------------------------------------------------------


@dataclass(frozen=True)
class Footprints:
    """Every node's footprints under one model, as arrays, by node (ascending `owner`): a box
    per footprint, key 0 for raw memory (one byte range) and b + 1 for buffer b (element ranges
    per dimension; every box has `dims` dimensions, the missing ones [0, 1))."""

    owner: np.ndarray  # int64 [footprints]: the node
    key: np.ndarray  # int64
    lo: np.ndarray  # int64 [footprints, dims]
    hi: np.ndarray  # int64 [footprints, dims]
    read: np.ndarray  # bool
    write: np.ndarray  # bool


def exact_footprints(nodes: Nodes) -> Footprints:
    """A footprint per merged byte range of each node."""
    r = nodes.ranges
    return Footprints(
        r.owner, np.zeros(len(r.owner), np.int64), r.lo[:, None], r.hi[:, None], ~r.write, r.write
    )


def region_footprints(nodes: Nodes, buffers: list[Buffer]) -> Footprints:
    """Per node and buffer, the hull box of its accesses (read, written or both); ranges outside
    every buffer stay byte ranges. Worked out for all accesses of a buffer at once."""
    owner, lo, hi, wr = nodes.ranges.owner, nodes.ranges.lo, nodes.ranges.hi, nodes.ranges.write
    dims = max([len(b.shape or (1,)) for b in buffers] + [1])
    order = sorted(range(len(buffers)), key=lambda i: buffers[i].address)
    addrs = np.array([buffers[i].address for i in order], np.int64)
    ends = np.array([buffers[i].address + buffers[i].nbytes for i in order], np.int64)
    j = np.searchsorted(addrs, lo, side="right") - 1
    inside = np.zeros(len(owner), bool)
    ok = j >= 0
    inside[ok] = hi[ok] <= ends[j[ok]]
    raw = ~inside
    parts: list[tuple[np.ndarray, ...]] = [
        (owner[raw], np.zeros(int(raw.sum()), np.int64), lo[raw], hi[raw], ~wr[raw], wr[raw])
    ]
    for k, b_index in enumerate(order):
        sel = np.flatnonzero(inside & (j == k))
        if len(sel):
            parts.append(_hulls(buffers[b_index], b_index, owner[sel], lo[sel], hi[sel], wr[sel]))
    fo, fk, flo, fhi, fr, fw = (list(x) for x in zip(*parts, strict=True))
    for i, (a, b) in enumerate(zip(flo, fhi, strict=True)):
        flo[i], fhi[i] = _padded(a, dims, 0), _padded(b, dims, 1)
    own = np.concatenate(fo)
    by_node = np.argsort(own, kind="stable")
    return Footprints(
        own[by_node],
        np.concatenate(fk)[by_node],
        np.concatenate(flo)[by_node],
        np.concatenate(fhi)[by_node],
        np.concatenate(fr)[by_node],
        np.concatenate(fw)[by_node],
    )


def _padded(bound: np.ndarray, dims: int, fill: int) -> np.ndarray:
    """`bound` ([boxes] or [boxes, d]) as [boxes, dims], the missing dimensions `fill`."""
    if bound.ndim == 1:
        bound = bound[:, None]
    if bound.shape[1] == dims:
        return bound
    out = np.full((len(bound), dims), fill, np.int64)
    out[:, : bound.shape[1]] = bound
    return out


def _hulls(
    buf: Buffer, b_index: int, owner: np.ndarray, lo: np.ndarray, hi: np.ndarray, wr: np.ndarray
) -> tuple[np.ndarray, ...]:
    """The hull box per node of the accesses to `buf` (byte ranges [lo, hi), absolute
    addresses; `owner` their nodes, ascending): (nodes, keys, lo, hi, read, written). An
    access's box is the smallest one holding the elements of its bytes in a C-contiguous array:
    the dimensions before the first where its first and last element differ are single indices,
    that one spans both, the ones after it are whole. The hull is, per dimension,
    [min lo, max hi)."""
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
    return (
        owner[cut],
        np.full(len(cut), b_index + 1, np.int64),
        np.minimum.reduceat(blo, cut, axis=1).T.astype(np.int64),
        np.maximum.reduceat(bhi, cut, axis=1).T.astype(np.int64),
        np.logical_or.reduceat(~wr, cut),
        np.logical_or.reduceat(wr, cut),
    )


# -- edges ---------------------------------------------------------------------------------------


# Footprints per step of the edge finder, and the candidate pairs a step may have per
# footprint before it is halved (boxes that every node of a long chain overwrites would
# otherwise pair up quadratically within one step).
STEP_FOOTPRINTS = 4096
CANDIDATES_PER_FOOTPRINT = 16


def edges(nodes: Nodes, fps: Footprints, run, call_waits: dict[int, tuple[int, ...]]) -> Preds:
    """preds per node under the footprints `fps` (regions or exact), ascending.

    As if in program order, node by node: a node waits for the nodes of the live footprints its
    boxes conflict with (overlap, and one of the two writes), except tasks of its own parallel
    launch; a box that writes and holds a conflicting live footprint whole makes it dead for
    every later node (whoever conflicts with it later conflicts with the overwriting node) but
    the later tasks of the overwriter's own parallel launch, and then the node's boxes are
    live. That is, for boxes f of node v and g of an earlier node u that conflict: u is a pred
    of v unless some node w between them (v excluded), not a task of v's parallel launch,
    overwrote g whole first. The finder does it with array operations over steps of some thousand
    footprints: per step, the pairs with the boxes of earlier steps still live and the pairs
    within the step, each box's first overwriting node, the pairs before it; then the step's
    surviving boxes join the live ones."""
    n = len(nodes.task)
    pairs = [_wait_pairs(nodes, run, call_waits)]
    group = nodes.group
    independent = np.array([(not g.chained) and g.count > 1 for g in run.groups] + [False], bool)
    same = np.where(independent[group], group, -2)  # -2: no launch to leave out
    last_node = np.array(  # per launch, the node of its last task
        [nodes.node_of_task[g.first + g.count - 1] if g.count else -1 for g in run.groups],
        np.int64,
    )
    boxes = _boxes(fps)
    written, read = fps.write, fps.read
    dims = fps.lo.shape[1]
    live = (LiveBoxes(dims), LiveBoxes(dims))  # written, read
    owner = fps.owner
    total = len(owner)
    f0, step = 0, STEP_FOOTPRINTS
    while f0 < total:
        # the step ends at a node's first footprint (a node's boxes are seen together)
        f1 = total
        if f0 + step < total:
            f1 = int(np.searchsorted(owner, owner[f0 + step], side="left"))
            if f1 == f0:
                f1 = int(np.searchsorted(owner, owner[f0], side="right"))
        q = boxes.take(slice(f0, f1))
        qw = written[f0:f1]
        mine = (LiveBoxes(dims), LiveBoxes(dims))
        mine[0].add(q.take(qw))
        mine[1].add(q.take(read[f0:f1]))
        sets = (*live, *mine)
        # each set's slices are taken before any set changes (_not_overwritten drops boxes of
        # the set it is given, and each set is used once, below)
        slices = [index.slices(q) for index in sets]
        candidates = sum(int(np.maximum(last - first, 0).sum()) for first, last in slices)
        limit = CANDIDATES_PER_FOOTPRINT * (f1 - f0)
        if candidates > limit and owner[f0] != owner[f1 - 1]:
            step = max(1, (f1 - f0) // 2)
            continue
        for k, (index, found) in enumerate(zip(sets, slices, strict=True)):
            qi, li = index.overlapping(q, found)
            u, v = index.boxes.node[li], q.node[qi]
            mark = index.gone[li]
            # not a task of v's own parallel launch; not a box gone for v
            keep = (group[u] != same[v]) & ((mark < 0) | (mark == same[v]))
            if k >= 2:  # within the step: earlier nodes only
                keep &= u < v
            if k % 2:  # a read conflicts with a box that writes only
                keep &= qw[qi]
            qi, li, u, v, mark = qi[keep], li[keep], u[keep], v[keep], mark[keep]
            cover = qw[qi] & index.covered(q, qi, li)
            if cover.any():
                pairs.append(_not_overwritten(index, cover, li, u, v, mark, same, n))
            else:
                pairs.append((v, u))
        live[0].add(mine[0].boxes, mine[0].gone)
        live[1].add(mine[1].boxes, mine[1].gone)
        upcoming = int(owner[f1]) if f1 < total else n
        for index in live:  # a launch is over: the boxes its tasks overwrote are gone for all
            marked = index.gone >= 0
            if marked.any():
                index.drop(marked & (last_node[np.maximum(index.gone, 0)] < upcoming))
        if 4 * candidates < limit:  # room to grow (a step that fits is kept)
            step = min(STEP_FOOTPRINTS, 2 * step)
        f0 = f1
    return _csr(pairs, n)


def _not_overwritten(
    index: LiveBoxes,
    cover: np.ndarray,
    li: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    mark: np.ndarray,
    same: np.ndarray,
    n: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Of the conflicts (v, u) with live boxes li of `index`, where `cover` says v's box holds
    the live box whole: those where no earlier node of the step had overwritten the box for v.
    An overwriter outside every parallel launch makes the box gone for all later nodes; a task
    of a parallel launch, for all but the later tasks of its launch, which do not wait for it
    (the box is marked with the launch, and kept until the launch is over). Updates `index`."""
    first = np.full(len(index), n, np.int64)  # per live box, its first overwriter in the step
    np.minimum.at(first, li[cover], v[cover])
    outside = cover & (same[v] < 0)
    first_out = np.full(len(index), n, np.int64)  # ... outside every parallel launch
    np.minimum.at(first_out, li[outside], v[outside])
    f = first[li]
    launch = np.where(mark >= 0, mark, same[np.minimum(f, n - 1)])
    gone = ((f < v) & ((launch < 0) | (launch != same[v]))) | (first_out[li] < v)
    box_launch = same[np.minimum(first, n - 1)]
    newly = (first < n) & (index.gone < 0) & (box_launch >= 0)
    index.gone[newly] = box_launch[newly]
    index.drop(first_out < n)
    return v[~gone], u[~gone]


def _boxes(fps: Footprints) -> Boxes:
    return Boxes.of(
        folded(fps.key, fps.lo[:, 0]),
        folded(fps.key, fps.hi[:, 0]),
        fps.lo[:, 1:],
        fps.hi[:, 1:],
        fps.owner,
    )


def _csr(pairs: list[tuple[np.ndarray, np.ndarray]], n: int) -> Preds:
    """The edges `pairs` ((node, pred) arrays) as Preds: per node ascending, without repeats
    or self-edges."""
    v = np.concatenate([p[0] for p in pairs])
    u = np.concatenate([p[1] for p in pairs])
    keep = u != v
    code = np.sort(v[keep] * n + u[keep])  # by node, then pred
    code = code[np.r_[True, code[1:] != code[:-1]]] if len(code) else code
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(code // n, minlength=n), out=indptr[1:])
    return Preds(indptr, (code % n).astype(np.int64))


def _wait_pairs(
    nodes: Nodes, run, call_waits: dict[int, tuple[int, ...]]
) -> tuple[np.ndarray, np.ndarray]:
    """(node, pred) of the edges that are not conflicts: a chained launch's tasks follow each
    other; a task whose kernel call uses another launch's results, and a host node whose ops
    use them, wait for the latest task of that launch that ended before them."""
    node_of_task = nodes.node_of_task
    vs: list[np.ndarray] = []
    us: list[np.ndarray] = []
    launches = _launches(run.groups)
    for g in run.groups:
        if not g.count:
            continue
        tasks = np.arange(g.first, g.first + g.count, dtype=np.int64)
        if g.chained and g.count > 1:
            vs.append(node_of_task[tasks[1:]])
            us.append(node_of_task[tasks[:-1]])
        # No launch ends among a launch's tasks: every task of it waits for the same ones.
        for w in call_waits.get(g.group, ()):
            last = _last_task_of(launches.get(w), g.first)
            if last is not None:
                vs.append(node_of_task[tasks])
                us.append(np.full(g.count, node_of_task[last], np.int64))
    host = [v for v in np.flatnonzero(nodes.task == HOST).tolist() if nodes.waits[v]]
    before = np.searchsorted(node_of_task, host).tolist()  # tasks before each host node
    for v, b in zip(host, before, strict=True):
        for w in nodes.waits[v]:
            last = _last_task_of(launches.get(w), b)
            if last is not None:
                vs.append(np.array([v], np.int64))
                us.append(np.array([node_of_task[last]], np.int64))
    if not vs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(vs), np.concatenate(us)


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
    exact = exact_footprints(nodes)
    buffers = separate_buffers(run.buffers)
    regions = region_footprints(nodes, buffers)
    graph.preds["exact"] = edges(nodes, exact, run, metadata.call_waits)
    if boxes_are_ranges(exact, regions, buffers):  # the same footprints: the same edges
        graph.preds["regions"] = graph.preds["exact"]  # arrays nobody writes: shared
    else:
        graph.preds["regions"] = edges(nodes, regions, run, metadata.call_waits)
    return graph


def boxes_are_ranges(exact: Footprints, regions: Footprints, buffers: list[Buffer]) -> bool:
    """Whether every region box holds exactly the elements of one byte range of `exact` (and
    raw ranges and buffers do not meet): then both models have the same footprints, in other
    coordinates, and the same edges. Each node's boxes are at most its ranges, one box per
    buffer and node, at least as large as each of its ranges; as many boxes as ranges, and as
    many bytes, means one range per box, each the whole box."""
    if len(exact.owner) != len(regions.owner):
        return False
    spans = sorted((b.address, b.address + b.nbytes) for b in buffers)
    if any(end > nxt for (_, end), (nxt, _) in zip(spans, spans[1:], strict=False)):
        return False  # buffers that alias: exact sees their conflicts, regions does not
    raw = regions.key == 0
    if raw.any() and spans:
        starts = np.array([a for a, _ in spans], np.int64)
        ends = np.array([e for _, e in spans], np.int64)
        j = np.searchsorted(starts, regions.hi[raw, 0], side="left") - 1  # last buffer before hi
        meets = (j >= 0) & (ends[np.maximum(j, 0)] > regions.lo[raw, 0])
        if meets.any():
            return False
    itemsize = np.array([1] + [b.itemsize for b in buffers], np.int64)
    volume = np.prod(regions.hi - regions.lo, axis=1) * itemsize[regions.key]
    n = int(max(exact.owner.max(initial=-1), regions.owner.max(initial=-1))) + 1
    region_bytes = np.bincount(regions.owner, weights=volume, minlength=n)
    range_bytes = np.bincount(exact.owner, weights=exact.hi[:, 0] - exact.lo[:, 0], minlength=n)
    per_node = np.bincount(regions.owner, minlength=n) == np.bincount(exact.owner, minlength=n)
    return bool(per_node.all() and np.array_equal(region_bytes, range_bytes))


__all__ = [
    "DEFAULT_MODEL",
    "HOST",
    "MODELS",
    "Buffer",
    "Footprints",
    "Graph",
    "Nodes",
    "Preds",
    "Ranges",
    "boxes_are_ranges",
    "build_graph",
    "buffers_of",
    "edges",
    "exact_footprints",
    "recorded",
    "separate_buffers",
    "region_footprints",
    "split_nodes",
]
