"""The dependency models (lowering/emu/deps.py) and their schedules (schedule.schedule_graph):
a hand-computed schedule, pinned; then the same graph recorded by a real run."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from mlir import ir

from pypto_mlir.dialect.context import make_context
from pypto_mlir.lowering.emu import compile_emu, footprints, runtime_hooks
from pypto_mlir.lowering.emu.deps import HOST, Buffer, build_graph, separate_buffers
from pypto_mlir.lowering.emu.machine import MACHINES, with_changes
from pypto_mlir.lowering.emu.report import build_report
from pypto_mlir.lowering.emu.runtime import EmuRuntime

NC = len(runtime_hooks.COUNTERS)
LOADS = runtime_hooks.COUNTERS.index("loads")

# A: a 4 x 4 f32 buffer at 1000; B: 4 f32 at 2000. Five tasks, each launched alone (its own
# launch group), costs in cycles, then a host read; program order t0 t2 t4 t1 t3 host:
#   t0 writes A row 0                       10 cycles
#   t2 writes A[1, 0] and A[3, 3]           12   (its box: rows 1-3, every column)
#   t4 reads A[2, 1]                         3   (inside t2's box, not a byte t2 wrote)
#   t1 reads A row 0, writes B              5   RAW on t0
#   t3 writes A row 0                        4   WAW on t0, WAR on t1
#   host reads B (4 loads, 16 bytes)         1   RAW on t1
A, B = 1000, 2000
COST = {"t0": 10, "t2": 12, "t4": 3, "t1": 5, "t3": 4}
ORDER = ["t0", "t2", "t4", "t1", "t3"]
TOUCH = {
    "t0": [(A, A + 16, footprints.WRITE)],
    "t2": [(A + 16, A + 20, footprints.WRITE), (A + 60, A + 64, footprints.WRITE)],
    "t4": [(A + 36, A + 40, footprints.READ)],
    "t1": [(A, A + 16, footprints.READ), (B, B + 16, footprints.WRITE)],
    "t3": [(A, A + 16, footprints.WRITE)],
}
HOST_READ = (B, B + 16, footprints.READ)
BUFFERS = [Buffer(A, 64, (4, 4), 4), Buffer(B, 16, (4,), 4)]

# Hand-computed on 3 core groups (tasks take the core group that became free earliest; the host
# read waits only for t1 and does not hold up the host):
#   exact:   t0 [0, 10) cg0; t2 [0, 12) cg1; t4 [0, 3) cg2; t1 [10, 15) cg2 (after t0);
#            t3 [15, 19) cg0 (after t0, t1); host [15, 16) (after t1)         makespan 19
#   regions: t4 waits for t2 (its box): t4 [12, 15) cg2; t1 [10, 15) cg0; t3 [15, 19) cg1;
#            host [15, 16)                                                   makespan 19
#   barrier: one launch group after the other, host free: t0 0, t2 10, t4 22, t1 25, t3 30,
#            makespan 34
EXPECTED = {
    "exact": (
        {"t0": 0, "t2": 0, "t4": 0, "t1": 10, "t3": 15, "host": 15},
        {"t0": 0, "t2": 1, "t4": 2, "t1": 2, "t3": 0},
        19,
    ),
    "regions": (
        {"t0": 0, "t2": 0, "t4": 12, "t1": 10, "t3": 15, "host": 15},
        {"t0": 0, "t2": 1, "t4": 2, "t1": 0, "t3": 1},
        19,
    ),
    "barrier": ({"t0": 0, "t2": 10, "t4": 22, "t1": 25, "t3": 30}, None, 34),
}
EDGES = {
    "exact": {"t1": ["t0"], "t3": ["t0", "t1"], "host": ["t1"]},
    "regions": {"t4": ["t2"], "t1": ["t0"], "t3": ["t0", "t1"], "host": ["t1"]},
}


def _machine(P: int):
    cost = [0.0] * NC
    cost[0] = 1.0  # scalar_ops: a task's cost is its scalar_ops counter
    cost[LOADS] = 0.25  # the host read: 4 loads = 1 cycle
    return with_changes(
        MACHINES["a2a3"], core_groups=P, launch_overhead_cycles=0.0, cost=tuple(cost)
    )


def _collect(rt: EmuRuntime, rows: list[tuple[int, int, int, int, int]]):
    """Hands `rows` to the runtime as the JIT code does (the log's address and row count; row
    0 holds the count) and collects the run."""
    log = np.zeros((len(rows) + 1, footprints.COLUMNS), np.int64)
    log[0, 0] = len(rows)
    log[1:] = rows
    rt.callbacks[runtime_hooks.HOOK_FOOTPRINTS](log.ctypes.data, len(rows))
    return rt.collect()


def _task(
    rt: EmuRuntime,
    kernel: int,
    rows: list[tuple[int, int, int, int, int]],
    touched: Sequence[tuple[int, int, int]] = (),
    cycles: int = 7,
) -> None:
    """One task of `kernel` through the callbacks, as the JIT code calls them: its rows of the
    footprint log (`touched`: (lo, hi, kind) in buffer 0) go to `rows`."""
    rt.callbacks[runtime_hooks.HOOK_TASK_BEGIN](kernel)
    rows.append((0, 0, footprints.BEGIN, -1, 1))
    rows += [(lo, hi, kind, 0, 1) for lo, hi, kind in touched]
    rows.append((0, 0, footprints.END, -1, 1))
    rt.callbacks[runtime_hooks.HOOK_TASK_END](kernel, cycles, *([0] * (NC - 1)))


def _graph_edges(
    rt: EmuRuntime, metadata: runtime_hooks.EmuMetadata, rows: list[tuple[int, int, int, int, int]]
) -> dict[str, list[list[int]]]:
    """Collects the run and returns each node's predecessors under exact and regions."""
    run = _collect(rt, rows)
    graph = build_graph(run, metadata, np.full(len(run.task_kernel), 7.0), _machine(4))
    return {model: graph.preds[model].lists() for model in ("exact", "regions")}


def _named_edges(graph, names: list[str], model: str) -> dict[str, list[str]]:
    """Each node that waits, by name: the names of the nodes it waits for."""
    preds = graph.preds[model].lists()
    return {names[v]: sorted(names[u] for u in ps) for v, ps in enumerate(preds) if ps}


def _hand_run(fault_in: str | None = None):
    """The run above, through the runtime's callbacks (as the JIT code calls them); with
    `fault_in`, that task also faults (an out-of-bounds store, site 0)."""
    metadata = runtime_hooks.EmuMetadata(
        kernels=["k"],
        groups=[runtime_hooks.Group(0, "k", "once", False, "t.mlir:1:1")],
        sites=[runtime_hooks.Site(0, "store", "t.mlir:2:3", "memref<4xf32>", "k", 1)],
    )
    rt = EmuRuntime(metadata, _machine(3))
    cb = rt.callbacks
    rows = []
    rt.reset()
    for name in ORDER:
        cb[runtime_hooks.HOOK_GROUP_BEGIN](0, 0)
        cb[runtime_hooks.HOOK_TASK_BEGIN](0)
        rows.append((0, 0, footprints.BEGIN, -1, 1))
        rows += [(lo, hi, kind, 0, 1) for lo, hi, kind in TOUCH[name]]
        if name == fault_in:
            cb[runtime_hooks.HOOK_FAULT](0, -1, 4, 0, 0, 0, 4, 0, 0, 0)
        rows.append((0, 0, footprints.END, -1, 1))
        counters = [COST[name]] + [0] * (NC - 1)
        cb[runtime_hooks.HOOK_TASK_END](0, *counters)
        cb[runtime_hooks.HOOK_GROUP_END](0)
    rows.append((*HOST_READ[:2], HOST_READ[2], 1, 4))
    run = _collect(rt, rows)
    run.buffers = list(BUFFERS)
    return run, metadata


def _names(graph) -> list[str]:
    task = graph.nodes.task.tolist()
    return ["host" if t == HOST else ORDER[t] for t in task]


@pytest.mark.parametrize("model", ["exact", "regions", "barrier"])
def test_hand_computed_schedule(model):
    run, metadata = _hand_run()
    report = build_report(run, _machine(3), deps=model, metadata=metadata)
    starts, cores, makespan = EXPECTED[model]
    s = report.schedule
    assert report.deps == model
    assert {ORDER[t]: s.start[t] for t in range(5)} == {
        k: v for k, v in starts.items() if k != "host"
    }
    assert s.makespan == makespan
    if cores is not None:
        assert {ORDER[t]: int(s.core[t]) for t in range(5)} == cores
        names = _names(report.graph)
        assert s.node_start[names.index("host")] == starts["host"]
        assert s.node_end[names.index("host")] == starts["host"] + 1
    assert report.makespans() == {"barrier": 34, "regions": 19, "exact": 19}


def test_hand_computed_edges():
    run, metadata = _hand_run()
    graph = build_graph(run, metadata, np.array([COST[n] for n in ORDER], float), _machine(3))
    names = _names(graph)
    assert names == ORDER + ["host"]
    for model, want in EDGES.items():
        assert _named_edges(graph, names, model) == want, model


def test_critical_path_and_json():
    run, metadata = _hand_run()
    report = build_report(run, _machine(3), deps="exact", metadata=metadata)
    # t0 (10) -> t1 (5) -> t3 (4): 19 cycles
    assert report.critical_path() == (19.0, ["k", "k", "k"])
    data = report.to_json()
    assert data["deps"] == "exact"
    assert data["makespans"] == {"barrier": 34, "regions": 19, "exact": 19}
    assert data["makespan_cycles"] == 19
    assert data["critical_path"] == {"cycles": 19, "nodes": ["k", "k", "k"]}


def test_trace_flows_host_thread_and_fault_instants():
    run, metadata = _hand_run(fault_in="t1")
    report = build_report(run, _machine(3), deps="exact", metadata=metadata)
    events = report.trace()["traceEvents"]
    per_us = report.machine.clock_ghz * 1e3
    starts = [e for e in events if e["ph"] == "s"]
    ends = [e for e in events if e["ph"] == "f"]
    # one flow per edge: t0 -> t1, t0 -> t3, t1 -> t3, t1 -> host
    assert len(starts) == len(ends) == 4
    assert sorted(e["id"] for e in starts) == sorted(e["id"] for e in ends) == [0, 1, 2, 3]
    assert all(e["bp"] == "e" for e in ends)
    host = [e for e in events if e["ph"] == "X" and e["name"] == "host"]
    assert len(host) == 1 and host[0]["tid"] == 3 and host[0]["ts"] == pytest.approx(15 / per_us)
    assert [e["args"]["name"] for e in events if e["name"] == "thread_name"][-1] == "host"
    # the flow into the host node starts on t1's track (core group 2) and ends on the host's
    t1_to_host = [e for e in ends if e["tid"] == 3]
    assert len(t1_to_host) == 1
    (start,) = [e for e in starts if e["id"] == t1_to_host[0]["id"]]
    assert start["tid"] == 2 and start["ts"] == pytest.approx(10 / per_us)
    (fault,) = [e for e in events if e["ph"] == "i"]
    assert fault["name"] == "fault" and fault["tid"] == 2
    assert fault["ts"] == pytest.approx(10 / per_us)
    assert "out-of-bounds store" in fault["args"]["message"]
    # barrier: no edges to draw
    barrier = build_report(run, _machine(3), deps="barrier", metadata=metadata).trace()
    assert not [e for e in barrier["traceEvents"] if e["ph"] in ("s", "f")]


def test_tasks_of_one_parallel_launch_have_no_edges():
    """Two tasks of one pl.parallel launch writing the same bytes: no edge (the race checker's
    business); the task of the next launch that reads them waits for both."""
    metadata = runtime_hooks.EmuMetadata(
        kernels=["k"], groups=[runtime_hooks.Group(0, "k", "per_iteration", False, "t:1:1")]
    )
    rt = EmuRuntime(metadata, _machine(4))
    cb = rt.callbacks
    rows: list[tuple[int, int, int, int, int]] = []
    rt.reset()
    for group, kind in ((0, footprints.WRITE), (0, footprints.WRITE), (1, footprints.READ)):
        if group == 0 and not rows:
            cb[runtime_hooks.HOOK_GROUP_BEGIN](0, 0)
        if group == 1:
            cb[runtime_hooks.HOOK_GROUP_END](0)
        _task(rt, 0, rows, [(A, A + 4, kind)])
    want = [[], [], [0, 1]]
    assert _graph_edges(rt, metadata, rows) == {"exact": want, "regions": want}


# -- the same graph, recorded by a real run ---------------------------------------------------

REAL = """
func.func @five(%a: memref<4x4xf32>, %b: memref<4xf32>, %out: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f32
  scf.execute_region no_inline {
    scf.for %j = %c0 to %c4 step %c1 {
      memref.store %one, %a[%c0, %j] : memref<4x4xf32>
    }
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "t0"}
  scf.execute_region no_inline {
    memref.store %one, %a[%c1, %c0] : memref<4x4xf32>
    memref.store %one, %a[%c3, %c3] : memref<4x4xf32>
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "t2"}
  scf.execute_region no_inline {
    %x = memref.load %a[%c2, %c1] : memref<4x4xf32>
    memref.store %x, %out[%c0] : memref<1xf32>
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "t4"}
  scf.execute_region no_inline {
    scf.for %j = %c0 to %c4 step %c1 {
      %x = memref.load %a[%c0, %j] : memref<4x4xf32>
      memref.store %x, %b[%j] : memref<4xf32>
    }
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "t1"}
  scf.execute_region no_inline {
    scf.for %j = %c0 to %c4 step %c1 {
      memref.store %one, %a[%c0, %j] : memref<4x4xf32>
    }
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "t3"}
  %y = memref.load %b[%c2] : memref<4xf32>
  memref.store %y, %b[%c3] : memref<4xf32>
  return
}
"""


def test_a_real_run_records_the_same_graph():
    module = ir.Module.parse(REAL, make_context())
    program = compile_emu(module, entries=["five"], opt_level=0)
    a = np.zeros((4, 4), np.float32)
    b = np.zeros(4, np.float32)
    out = np.zeros(1, np.float32)
    _, report = program.run("five", a, b, out)
    assert report.ok and report.deps == "regions"
    assert [k.name for k in report.kernels()] == ["t0", "t2", "t4", "t1", "t3"]
    graph = report.graph
    task = graph.nodes.task.tolist()
    names = ["host" if t == HOST else ORDER[t] for t in task]
    assert names == ORDER + ["host"]  # the host's load and store: one host node
    # t4 also writes `out`, which nobody else touches; the host node reads and writes B, which
    # t1 wrote (read after write, write after write)
    for model, want in EDGES.items():
        assert _named_edges(graph, names, model) == want, model


def test_a_call_waits_for_the_latest_launch_of_the_other_kernel_and_not_an_older_one():
    """leading_full's remainder call uses the main loop's results: it waits for the main
    launch just before it; when that launch ran no task (a short sequence), for nothing (not for
    the main task of an earlier sequence)."""
    metadata = runtime_hooks.EmuMetadata(
        kernels=["main", "rem"],
        groups=[
            runtime_hooks.Group(0, "main", "per_iteration", True, "t:1:1"),
            runtime_hooks.Group(1, "rem", "once", False, "t:2:1"),
        ],
        call_waits={1: (0,)},
    )
    rt = EmuRuntime(metadata, _machine(4))
    cb = rt.callbacks
    rows: list[tuple[int, int, int, int, int]] = []
    rt.reset()
    for kernel, tasks in ((0, 1), (1, 1), (0, 0), (1, 1)):
        cb[runtime_hooks.HOOK_GROUP_BEGIN](kernel, 1 if kernel == 0 else 0)
        for _ in range(tasks):
            _task(rt, kernel, rows)
        cb[runtime_hooks.HOOK_GROUP_END](kernel)
    want = [[], [0], []]
    assert _graph_edges(rt, metadata, rows) == {"exact": want, "regions": want}


# A writer of all of %a, then a reader of %b[0]: the caller passes a[1:] as %b, so the reader
# reads what the writer wrote, through another argument.
ALIASED = """
func.func @aliased(%a: memref<8xf32>, %b: memref<7xf32>, %o: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %one = arith.constant 1.0 : f32
  scf.execute_region no_inline {
    scf.for %j = %c0 to %c8 step %c1 {
      memref.store %one, %a[%j] : memref<8xf32>
    }
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "w"}
  scf.execute_region no_inline {
    %x = memref.load %b[%c0] : memref<7xf32>
    memref.store %x, %o[%c0] : memref<1xf32>
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "r"}
  return
}
"""


@pytest.mark.parametrize("alias", [True, False])
def test_regions_sees_a_conflict_through_two_arguments_that_share_bytes(alias):
    program = compile_emu(ir.Module.parse(ALIASED, make_context()), entries=["aliased"])
    a = np.zeros(8, np.float32)
    b = a[1:] if alias else np.zeros(7, np.float32)
    out = np.zeros(1, np.float32)
    _, report = program.run("aliased", a, b, out)
    assert report.ok and out[0] == (1.0 if alias else 0.0)
    want = [[], [0]] if alias else [[], []]  # the reader waits for the writer when they share
    for model in ("exact", "regions"):
        assert report.graph.preds[model].lists() == want, model
    makespans = report.makespans()
    assert makespans["regions"] == makespans["exact"]


def test_separate_buffers_leaves_out_those_that_share_bytes():
    a, view, other, inner = (
        Buffer(1000, 32, (8,), 4),
        Buffer(1004, 28, (7,), 4),
        Buffer(2000, 16, (4,), 4),
        Buffer(3000, 64, (16,), 4),
    )
    inside = Buffer(3016, 8, (2,), 4)  # wholly inside `inner`
    got = separate_buffers([a, view, other, a, inner, inside])
    assert got == [other]
    assert separate_buffers([other, a, other]) == [a, other]  # a repeat is one buffer


# Each iteration allocates a scratch buffer, a task fills it, another reads it into out[it], and
# the buffer is freed: the allocator hands the same addresses to the next iteration.
REUSE = """
func.func @reuse(%out: memref<4x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.for %it = %c0 to %c4 step %c1 {
    %tmp = memref.alloc() : memref<8xf32>
    %i = arith.index_cast %it : index to i32
    %v = arith.sitofp %i : i32 to f32
    scf.execute_region no_inline {
      scf.for %j = %c0 to %c8 step %c1 {
        memref.store %v, %tmp[%j] : memref<8xf32>
      }
      scf.yield
    } {pl.at = "core_group", pl.name_hint = "fill"}
    scf.execute_region no_inline {
      scf.for %j = %c0 to %c8 step %c1 {
        %x = memref.load %tmp[%j] : memref<8xf32>
        memref.store %x, %out[%it, %j] : memref<4x8xf32>
      }
      scf.yield
    } {pl.at = "core_group", pl.name_hint = "drain"}
    memref.dealloc %tmp : memref<8xf32>
  }
  return
}
"""


# The same with a buffer of dynamic size: the dealloc's byte count is computed at run time.
REUSE_DYNAMIC = REUSE.replace("memref.alloc()", "memref.alloc(%c8)").replace(
    "memref<8xf32>", "memref<?xf32>"
)


@pytest.mark.parametrize("source", [REUSE, REUSE_DYNAMIC], ids=["static", "dynamic"])
def test_memory_freed_and_allocated_again_orders_its_new_users_after_the_old(source):
    """Addresses, not SSA values: each dealloc is a host node that waits for the fill that
    wrote the buffer and the drain that read it, and costs nothing; a fill that gets the freed
    bytes again waits for that dealloc (and so after their old users); a fill of fresh bytes
    waits for nothing. Each iteration's drain waits for its fill (read after write)."""
    program = compile_emu(ir.Module.parse(source, make_context()), entries=["reuse"])
    out = np.full((4, 8), -1.0, np.float32)
    _, report = program.run("reuse", out)
    assert report.ok
    assert out.tolist() == [[float(i)] * 8 for i in range(4)]
    graph = report.graph
    kernels = report.run.kernels
    kernel_of = report.run.task_kernel.tolist()
    names = ["free" if t == HOST else kernels[kernel_of[t]] for t in graph.nodes.task.tolist()]
    assert names == ["fill", "drain", "free"] * 4
    assert graph.nodes.cost.tolist()[2::3] == [0.0] * 4  # freeing costs the host nothing
    ranges = graph.nodes.ranges
    written = {  # each node's written bytes
        int(v): (int(lo), int(hi))
        for v, lo, hi, w in zip(ranges.owner, ranges.lo, ranges.hi, ranges.write, strict=True)
        if w and names[v] != "drain"
    }
    reused = 0
    for model in ("exact", "regions"):
        preds = graph.preds[model].lists()
        for it in range(4):
            fill, drain, free = 3 * it, 3 * it + 1, 3 * it + 2
            assert written[free] == written[fill]  # the dealloc frees what the fill wrote
            assert preds[drain] == [fill], (model, it)
            assert preds[free] == [fill, drain], (model, it)
            if it:
                same = written[fill] == written[fill - 3]
                reused += same
                assert preds[fill] == ([fill - 1] if same else []), (model, it)
    # glibc's allocator hands back the block just freed (here: every time), so the reuse rule
    # above was exercised, not only the fresh-bytes one
    assert reused > 0
    # a dealloc runs when the buffer's last user ends, and takes no time
    end = report.schedules["regions"].node_end.tolist()
    for free in range(2, 12, 3):
        assert end[free] == max(end[free - 2], end[free - 1])
