"""The batched dependency edges (lowering/emu/deps.edges, lowering/emu/live_boxes.py): their
array helpers on hand-made boxes, a batch's forgetting rule pinned, then the whole graph against
the node-by-node reference (emu_edges_reference.py) on random runs with read-after-write,
write-after-read and write-after-write conflicts, host reads and writes, iter_args chains, calls
and host code that wait for launches, and memory reused at the same addresses. Then a launch
after a task, scheduled."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import pytest
from emu_edges_reference import reference_edges

from pypto_mlir.lowering.emu import deps, footprints, runtime_hooks
from pypto_mlir.lowering.emu.deps import (
    Buffer,
    boxes_are_ranges,
    build_graph,
    edges,
    exact_footprints,
    region_footprints,
    split_nodes,
)
from pypto_mlir.lowering.emu.live_boxes import Boxes, LiveBoxes, candidate_pairs, folded
from pypto_mlir.lowering.emu.machine import MACHINES, with_changes
from pypto_mlir.lowering.emu.runtime import EmuRuntime
from pypto_mlir.lowering.emu.schedule import critical_path, schedule_graph

NC = len(runtime_hooks.COUNTERS)
# What _run runs: launches ("group", id, chained, tasks) and host stretches ("host", site,
# accesses), where an access is (lo, hi, kind) and a launch's tasks may include host stretches.
Access: TypeAlias = "tuple[int, int, int]"
Host: TypeAlias = "tuple[str, int, list[Access]]"
Launch: TypeAlias = "tuple[str, int, bool, list[list[Access] | Host]]"


def _boxes(rows: list[tuple[int, tuple[int, int], tuple[int, int], int]]) -> Boxes:
    """Boxes from (key, first dimension, second dimension, node)."""
    key = np.array([r[0] for r in rows], np.int64)
    return Boxes.of(
        folded(key, np.array([r[1][0] for r in rows], np.int64)),
        folded(key, np.array([r[1][1] for r in rows], np.int64)),
        np.array([[r[2][0]] for r in rows], np.int64),
        np.array([[r[2][1]] for r in rows], np.int64),
        np.array([r[3] for r in rows], np.int64),
    )


def test_candidate_pairs_expand_every_slice():
    i, j = candidate_pairs(np.array([2, 0, 5, 1]), np.array([4, 0, 7, 2]))
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == [
        (0, 2),
        (0, 3),
        (2, 5),
        (2, 6),
        (3, 1),
    ]
    i, j = candidate_pairs(np.array([3]), np.array([1]))  # an empty slice
    assert len(i) == len(j) == 0


def test_live_boxes_overlap_per_key_and_dimension_and_cover():
    live = LiveBoxes(2)
    live.add(
        _boxes(
            [
                (1, (0, 4), (0, 8), 10),  # rows 0-3, every column
                (1, (4, 8), (0, 2), 11),  # rows 4-7, columns 0-1
                (2, (0, 8), (0, 8), 12),  # another buffer
                (1, (0, 100), (6, 8), 13),  # a long box, columns 6-7
            ]
        )
    )
    assert live.boxes.node.tolist() == [10, 13, 11, 12]  # by folded start
    q = _boxes([(1, (3, 5), (1, 3), 20), (1, (50, 60), (0, 6), 21), (1, (1, 2), (0, 8), 22)])
    qi, li = live.overlapping(q)
    got = sorted(zip(qi.tolist(), live.boxes.node[li].tolist(), strict=True))
    # q0 meets rows 3 and 4 in columns 1-2: boxes 10 and 11, not 13 (columns 6-7) nor buffer 2;
    # q1 only the long box's rows, but columns 0-5 miss it; q2 row 1: boxes 10 and 13
    assert got == [(0, 10), (0, 11), (2, 10), (2, 13)]
    covered = live.covered(q, qi, li)
    assert [bool(c) for c in covered] == [False] * len(covered)
    whole = _boxes([(1, (0, 4), (0, 8), 30)])
    qi, li = live.overlapping(whole)
    assert live.covered(whole, qi, li).tolist() == [True, False]  # box 10; not the long box
    live.drop(live.boxes.node == 10)
    assert live.boxes.node.tolist() == [13, 11, 12]


def _run(spec, buffers):
    """A run through the runtime's callbacks, as the JIT code makes one. spec: a list of
    ("group", id, chained, [task accesses...]) and ("host", site, [accesses]); an access is
    (lo, hi, kind) with kind footprints.READ or WRITE. A group's task list may hold ("host",
    site, accesses) entries too: host code between the tasks of a launch."""
    metadata = runtime_hooks.EmuMetadata(kernels=["k0", "k1", "k2"])
    rt = EmuRuntime(metadata, MACHINES["a2a3"])
    cb = rt.callbacks
    rows: list[tuple[int, int, int, int, int]] = []
    rt.reset()
    tasks = 0
    for item in spec:
        if item[0] == "host":
            rows += [(lo, hi, kind, item[1], 1) for lo, hi, kind in item[2]]
            continue
        _, gid, chained, body = item
        cb[runtime_hooks.HOOK_GROUP_BEGIN](gid, 1 if chained else 0)
        for task in body:
            if task and task[0] == "host":
                rows += [(lo, hi, kind, task[1], 1) for lo, hi, kind in task[2]]
                continue
            cb[runtime_hooks.HOOK_TASK_BEGIN](gid)
            rows.append((0, 0, footprints.BEGIN, -1, 1))
            rows += [(lo, hi, kind, 100 + gid, 1) for lo, hi, kind in task]
            rows.append((0, 0, footprints.END, -1, 1))
            cb[runtime_hooks.HOOK_TASK_END](gid, 5 + tasks % 7, *([0] * (NC - 1)))
            tasks += 1
        cb[runtime_hooks.HOOK_GROUP_END](gid)
    log = np.zeros((len(rows) + 1, footprints.COLUMNS), np.int64)
    log[0, 0] = len(rows)
    if rows:
        log[1:] = rows
    cb[runtime_hooks.HOOK_FOOTPRINTS](log.ctypes.data, len(rows))
    run = rt.collect()
    run.buffers = list(buffers)
    return run


# A 2-D f32 buffer, a 1-D f64 buffer, a 3-D i8 buffer, and raw memory (a host allocation: freed
# and allocated again, its addresses reused by unrelated nodes) outside every buffer.
BUFFERS = [Buffer(4096, 8 * 6 * 4, (8, 6), 4), Buffer(8192, 16 * 8, (16,), 8)]
BUFFERS.append(Buffer(12288, 2 * 3 * 4, (2, 3, 4), 1))
RAW = 20000


def _access(rng):
    """One contiguous access: a run of elements of a buffer, or bytes of raw memory."""
    kind = footprints.WRITE if rng.random() < 0.45 else footprints.READ
    which = rng.integers(len(BUFFERS) + 1)
    if which == len(BUFFERS):
        lo = RAW + int(rng.integers(0, 48))
        return lo, lo + int(rng.integers(1, 17)), kind
    b = BUFFERS[which]
    n = b.nbytes // b.itemsize
    first = int(rng.integers(0, n))
    count = int(rng.integers(1, min(n - first, 13) + 1))
    lo = b.address + first * b.itemsize
    return lo, lo + count * b.itemsize, kind


def _random_spec(rng, access=None, most: int = 3):
    """Launches and host code at random; `most` accesses per task and host stretch."""
    access = access or _access
    spec: list[Launch | Host] = []
    for _ in range(int(rng.integers(3, 14))):
        if rng.random() < 0.3:
            spec.append(("host", int(rng.integers(0, 3)), [access(rng) for _ in range(most)]))
            continue
        gid = int(rng.integers(0, 3))
        chained = rng.random() < 0.25
        body: list[list[Access] | Host] = []
        for _ in range(int(rng.integers(0, 7))):
            if rng.random() < 0.1:  # host code between the tasks of the launch
                body.append(("host", int(rng.integers(0, 3)), [access(rng)]))
            else:
                body.append([access(rng) for _ in range(int(rng.integers(0, most + 1)))])
        spec.append(("group", gid, chained, body))
    return spec


# (footprints per step, candidate pairs per footprint before a step is halved): one step for
# the whole run, steps of a few nodes, and every step halved down to one node.
STEPS = [(4096, 16), (5, 16), (2, 16), (64, 0)]


@pytest.mark.parametrize("seed", range(30))
def test_batched_edges_equal_the_node_by_node_reference(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    run = _run(_random_spec(rng), BUFFERS)
    site_waits = {s: tuple(int(g) for g in rng.choice(3, rng.integers(0, 3))) for s in range(3)}
    call_waits = {g: tuple(int(w) for w in rng.choice(3, rng.integers(0, 2))) for g in range(3)}
    machine = MACHINES["a2a3"]
    nodes = split_nodes(run, site_waits, np.full(run.tasks, 9.0), machine)
    exact, regions = exact_footprints(nodes), region_footprints(nodes, run.buffers)
    for fps in (exact, regions):
        want = reference_edges(nodes, fps, run, call_waits)
        for step, pairs in STEPS:
            monkeypatch.setattr(deps, "STEP_FOOTPRINTS", step)
            monkeypatch.setattr(deps, "CANDIDATES_PER_FOOTPRINT", pairs)
            assert edges(nodes, fps, run, call_waits).lists() == want, (step, pairs)


def _access_1d(rng):
    """One access to the 1-D buffer, or to raw memory: every region box is then a byte range."""
    kind = footprints.WRITE if rng.random() < 0.45 else footprints.READ
    if rng.random() < 0.3:
        lo = RAW + 8 * int(rng.integers(0, 6))
        return lo, lo + 8, kind
    b = BUFFERS[1]
    first = int(rng.integers(0, 16))
    lo = b.address + first * 8
    return lo, lo + 8 * int(rng.integers(1, 17 - first)), kind


@pytest.mark.parametrize("seed", range(20))
def test_regions_share_the_edges_of_exact_only_when_its_boxes_are_the_ranges(seed):
    """With one access per node and buffer direction of a 1-D buffer, every box is its byte
    range: regions takes exact's edges, which are the ones its own footprints give. With the
    random accesses above (rows of 2-D and 3-D buffers, several per node), usually not."""
    rng = np.random.default_rng(500 + seed)
    for access, single in ((_access_1d, True), (_access, False)):
        run = _run(_random_spec(rng, access, 1 if single else 3), BUFFERS)
        nodes = split_nodes(run, {}, np.full(run.tasks, 9.0), MACHINES["a2a3"])
        exact, regions = exact_footprints(nodes), region_footprints(nodes, run.buffers)
        same = boxes_are_ranges(exact, regions, run.buffers)
        if same:
            assert edges(nodes, regions, run, {}) == edges(nodes, exact, run, {})
        if single and len(exact.owner) == len(regions.owner):
            assert same  # one range per node and buffer: always a box
        graph = build_graph(
            run, runtime_hooks.EmuMetadata(), np.full(run.tasks, 9.0), MACHINES["a2a3"]
        )
        assert graph.preds["regions"].lists() == reference_edges(nodes, regions, run, {})


def test_regions_keep_their_own_edges_where_a_box_is_larger_than_its_bytes():
    """t0 writes A[0, 1] and A[1, 0] of a 2 x 2 array, one byte range whose box is all four
    elements; t1 of another launch reads A[0, 0]: exact, no edge; regions, an edge."""
    a = Buffer(4096, 16, (2, 2), 4)
    spec = [
        ("group", 0, False, [[(4100, 4108, footprints.WRITE)]]),
        ("group", 1, False, [[(4096, 4100, footprints.READ)]]),
    ]
    run = _run(spec, [a])
    graph = build_graph(run, runtime_hooks.EmuMetadata(), np.full(2, 5.0), MACHINES["a2a3"])
    assert {m: p.lists() for m, p in graph.preds.items()} == {
        "exact": [[], []],
        "regions": [[], [0]],
    }


def test_aliasing_buffers_or_raw_bytes_in_a_buffer_keep_regions_apart():
    """Two arguments over the same bytes: exact orders their users, regions (other buffer, other
    key) does not; and a raw range that runs into a buffer: not the same footprints."""
    spec = [
        ("group", 0, False, [[(4096, 4104, footprints.WRITE)]]),
        ("group", 1, False, [[(4096, 4104, footprints.READ)]]),
    ]
    aliases = [Buffer(4096, 64, (8,), 8), Buffer(4096, 64, (8,), 8)]
    run = _run(spec, aliases)
    nodes = split_nodes(run, {}, np.full(2, 5.0), MACHINES["a2a3"])
    assert not boxes_are_ranges(exact_footprints(nodes), region_footprints(nodes, aliases), aliases)
    straddle = [("group", 0, False, [[(4090, 4104, footprints.WRITE)]])]
    one = [Buffer(4096, 64, (8,), 8)]
    run = _run(straddle, one)
    nodes = split_nodes(run, {}, np.full(1, 5.0), MACHINES["a2a3"])
    assert not boxes_are_ranges(exact_footprints(nodes), region_footprints(nodes, one), one)


def test_random_runs_cover_every_kind_of_edge():
    """The random runs above are not trivial: together they have conflicts of every kind, edges
    into and out of host nodes, chained launches, and batches that forget a box."""
    seen = {"raw": 0, "war": 0, "waw": 0, "host": 0, "chained": 0}
    for seed in range(30):
        rng = np.random.default_rng(seed)
        spec = _random_spec(rng)
        run = _run(spec, BUFFERS)
        nodes = split_nodes(run, {}, np.full(run.tasks, 9.0), MACHINES["a2a3"])
        fps = exact_footprints(nodes)
        preds = edges(nodes, fps, run, {}).lists()
        reads: dict[int, set[int]] = {}  # node -> the bytes it reads
        writes: dict[int, set[int]] = {}
        for v, lo, hi, w in zip(
            fps.owner.tolist(),
            fps.lo[:, 0].tolist(),
            fps.hi[:, 0].tolist(),
            fps.write.tolist(),
            strict=True,
        ):
            (writes if w else reads).setdefault(v, set()).update(range(lo, hi))
        task = nodes.task.tolist()
        for v, ps in enumerate(preds):
            for u in ps:
                seen["raw"] += bool(writes.get(u, set()) & reads.get(v, set()))
                seen["war"] += bool(reads.get(u, set()) & writes.get(v, set()))
                seen["waw"] += bool(writes.get(u, set()) & writes.get(v, set()))
                seen["host"] += task[u] < 0 or task[v] < 0
        seen["chained"] += sum(g.chained and g.count > 1 for g in run.groups)
    assert all(count > 5 for count in seen.values()), seen


def test_an_overwrite_inside_a_parallel_launch_hides_no_edge_from_the_launch():
    """Task a writes bytes [0, 8); a parallel launch's first task overwrites them whole and
    waits for a; its second task reads them. The second task does not wait for the first (one
    launch: their conflict is the race checker's), so it must wait for a itself: a's box is
    gone only for the nodes after the launch. (Forgetting it at once lost this edge.)"""
    buf = Buffer(4096, 64, (8,), 8)
    spec = [
        ("group", 0, False, [[(4096, 4104, footprints.WRITE)]]),
        ("group", 1, False, [[(4096, 4104, footprints.WRITE)], [(4096, 4104, footprints.READ)]]),
        ("group", 2, False, [[(4096, 4104, footprints.READ)]]),
    ]
    run = _run(spec, [buf])
    graph = build_graph(run, runtime_hooks.EmuMetadata(), np.full(4, 5.0), MACHINES["a2a3"])
    assert graph.preds["exact"] == graph.preds["regions"]
    # the reader after the launch waits for the launch's writer only: a's box is gone for it
    assert graph.preds["exact"].lists() == [[], [0], [0], [1]]


def test_a_write_after_read_survives_an_identical_overwrite_in_a_launch():
    """pypto #2058's shape: task a reads bytes [0, 8); a parallel launch (the overlapping chunks
    of a shift_inwards loop) writes them twice with the same bits, a benign overlap. Each of
    its tasks must wait for a's read: none may write before a has read."""
    buf = Buffer(4096, 64, (8,), 8)
    spec = [
        ("group", 0, False, [[(4096, 4104, footprints.READ)]]),
        ("group", 1, False, [[(4096, 4104, footprints.WRITE)], [(4096, 4104, footprints.WRITE)]]),
    ]
    run = _run(spec, [buf])
    machine = with_changes(MACHINES["a2a3"], core_groups=4)
    graph = build_graph(run, runtime_hooks.EmuMetadata(), np.array([10.0, 4, 4]), machine)
    for model in ("exact", "regions"):
        assert graph.preds[model].lists() == [[], [0], [0]]
        s = schedule_graph(graph.nodes, graph.preds[model], machine)
        assert s.start.tolist() == [0, 10, 10]  # both after a, side by side


def test_a_launch_after_a_task_is_scheduled_as_a_batch():
    """t0 (10 cycles) writes bytes [0, 8) of a buffer; then one launch of three tasks (4, 6, 2
    cycles): the first reads t0's bytes, the others touch other bytes. On 2 core groups."""
    buf = Buffer(4096, 64, (8,), 8)
    spec = [
        ("group", 0, False, [[(4096, 4104, footprints.WRITE)]]),
        (
            "group",
            1,
            False,
            [
                [(4096, 4104, footprints.READ)],
                [(4104, 4112, footprints.WRITE)],
                [(4112, 4120, footprints.WRITE)],
            ],
        ),
    ]
    run = _run(spec, [buf])
    machine = with_changes(MACHINES["a2a3"], core_groups=2)
    graph = build_graph(run, runtime_hooks.EmuMetadata(), np.array([10.0, 4, 6, 2]), machine)
    s = schedule_graph(graph.nodes, graph.preds["exact"], machine)
    # the launch's first task is ready at 10 (t0); the core group free earliest is cg1 (0):
    # it starts at 10 there, ends 14; the second goes to cg0 (free at 10): 10-16; the third to
    # cg1 (free at 14): 14-16
    assert s.start.tolist() == [0, 10, 10, 14]
    assert s.core.tolist() == [0, 1, 0, 1]
    assert s.makespan == 16
    assert critical_path(graph.nodes.cost, graph.preds["exact"]) == (14.0, [0, 1])
