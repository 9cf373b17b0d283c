"""The emulator target's runtime side: machines (built-in and files), the event log of the runtime
hooks, list scheduling, the report (table, JSON, Chrome trace, fault and race messages), and a
JIT-compiled module that calls the hooks of runtime_hooks.py itself (hand-instrumented, with
hand-made metadata), so that all of this is tested independently of instrument.py."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import numpy as np
import pytest
from mlir import ir

from pypto_mlir.dialect.context import make_context
from pypto_mlir.examples import kernels as K
from pypto_mlir.lowering.emu import compile_emu, compile_instrumented, runtime_hooks
from pypto_mlir.lowering.emu.machine import (
    MACHINES,
    Machine,
    MachineError,
    load_machine,
    machine_from_dict,
    with_changes,
)
from pypto_mlir.lowering.emu.report import build_report, static_shape
from pypto_mlir.lowering.emu.runtime import EmuRuntime, GroupRun
from pypto_mlir.lowering.emu.schedule import schedule, task_cycles

NC = len(runtime_hooks.COUNTERS)


# -- machines ----------------------------------------------------------------------------------


def test_builtin_machines():
    a2, a5 = load_machine("a2a3"), load_machine("a5")
    assert load_machine(None) is a2
    assert (a2.core_groups, a2.memory_bytes) == (24, 192 * 1024)
    assert (a5.core_groups, a5.memory_bytes) == (36, 256 * 1024)
    assert len(a2.cost) == NC
    assert a2.task_cycles([0] * NC) == a2.launch_overhead_cycles
    one = [1] * NC
    assert a2.task_cycles(one) == a2.launch_overhead_cycles + sum(a2.cost)


def test_machine_toml_and_json(tmp_path):
    toml = tmp_path / "npu.toml"
    toml.write_text('base = "a5"\ncore_groups = 4\nclock_ghz = 1.0\n[cost]\nmath_ops = 20\n')
    m = load_machine(str(toml))
    assert (m.name, m.core_groups, m.memory_bytes, m.clock_ghz) == ("npu", 4, 256 * 1024, 1.0)
    assert m.cost_of("math_ops") == 20 and m.cost_of("loads") == MACHINES["a5"].cost_of("loads")
    js = tmp_path / "x.json"
    js.write_text(
        json.dumps(
            {
                "name": "tiny",
                "core_groups": 2,
                "memory_bytes": 1024,
                "launch_overhead_cycles": 0,
                "cost": {"bytes_loaded": 0.5},
            }
        )
    )
    m = load_machine(js)
    assert (m.name, m.core_groups, m.memory_bytes, m.launch_overhead_cycles) == ("tiny", 2, 1024, 0)
    assert m.ms(1e6) == pytest.approx(1e6 / (m.clock_ghz * 1e6))


@pytest.mark.parametrize(
    "content, message",
    [
        ("core_groups = 0", "npu.toml: key 'core_groups' must be at least 1, got 0"),
        ("core_groups = 2.5", "npu.toml: key 'core_groups' must be an integer, got 2.5"),
        ("core_groups = true", "npu.toml: key 'core_groups' must be an integer, got True"),
        ("cores = 3", "npu.toml: unknown key 'cores'"),
        ("[cost]\nflops = 3", "npu.toml: unknown key 'cost.flops'"),
        ("[cost]\nloads = -1", "npu.toml: key 'cost.loads' must be at least 0, got -1"),
        ('[cost]\nloads = "x"', "npu.toml: key 'cost.loads' must be a number, got 'x'"),
        ("cost = 3", "npu.toml: key 'cost' must be a table"),
        ("clock_ghz = 0", "npu.toml: key 'clock_ghz' must be positive, got 0"),
        ("clock_ghz = nan", "npu.toml: key 'clock_ghz' must be a number, got nan"),
        ('base = "a9"', "npu.toml: key 'base' must be one of a2a3, a5, got 'a9'"),
        ('name = ""', "npu.toml: key 'name' must be a non-empty string"),
        ("core_groups = ", "npu.toml: invalid TOML:"),
        ("core_groups = 10000000000000", "npu.toml: key 'core_groups' must be at most 65536"),
        (
            "memory_bytes = 9223372036854775808",
            "npu.toml: key 'memory_bytes' must be at most 1099511627776",
        ),
        ("[cost]\nscalar_ops = 1e308", "npu.toml: key 'cost.scalar_ops' must be at most 1e+06"),
        (
            "launch_overhead_cycles = 1e308",
            "npu.toml: key 'launch_overhead_cycles' must be at most 1e+09",
        ),
        ("clock_ghz = 1e-320", "npu.toml: key 'clock_ghz' must be at least 0.001"),
        ("a = " + "[" * 100000 + "]" * 100000, "npu.toml: invalid TOML: nested too deeply"),
    ],
)
def test_machine_file_errors(tmp_path, content, message):
    path = tmp_path / "npu.toml"
    path.write_text(content + "\n")
    with pytest.raises(MachineError) as exc:
        load_machine(str(path))
    text = str(exc.value)
    assert "\n" not in text
    assert text.startswith(str(tmp_path) + "/") and message in text, text


def test_machine_from_dict_defaults_to_a2a3():
    m = machine_from_dict({"core_groups": 8}, "inline")
    assert (m.name, m.core_groups, m.memory_bytes, m.source) == ("inline", 8, 192 * 1024, "inline")
    assert m.cost == MACHINES["a2a3"].cost


def test_machine_name_errors(tmp_path):
    with pytest.raises(
        MachineError, match="unknown machine 'b9': use a2a3, a5 or a .toml or .json file"
    ):
        load_machine("b9")
    with pytest.raises(MachineError, match="missing.json: cannot read the machine file"):
        load_machine(str(tmp_path / "missing.json"))
    (tmp_path / "list.json").write_text("[1, 2]")
    with pytest.raises(
        MachineError, match="list.json: a machine file must be a table of keys, not list"
    ):
        load_machine(str(tmp_path / "list.json"))
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(MachineError, match="bad.json: invalid JSON"):
        load_machine(str(tmp_path / "bad.json"))
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(MachineError, match="bin.toml: not a UTF-8 text file"):
        load_machine(str(tmp_path / "bin.toml"))


# -- the event log ---------------------------------------------------------------------------


def _metadata(kernels=("k0", "k1"), sites=None, groups=None) -> runtime_hooks.EmuMetadata:
    sites = (
        sites
        if sites is not None
        else [
            runtime_hooks.Site(0, "load", "t.mlir:3:5", "memref<?x8xf32>", "k0", 2),
            runtime_hooks.Site(1, "store", "t.mlir:4:5", "memref<16xf32>", "k0", 1),
            runtime_hooks.Site(2, "load", "t.mlir:9:3", "memref<?xf32>", None, 1),
        ]
    )
    groups = (
        groups
        if groups is not None
        else [
            runtime_hooks.Group(0, "k0", "per_iteration", False, "t.mlir:2:3"),
            runtime_hooks.Group(1, "k1", "per_iteration", True, "t.mlir:7:3"),
        ]
    )
    return runtime_hooks.EmuMetadata(kernels=list(kernels), groups=groups, sites=sites)


_HOOK = {
    "gb": runtime_hooks.HOOK_GROUP_BEGIN,
    "ge": runtime_hooks.HOOK_GROUP_END,
    "tb": runtime_hooks.HOOK_TASK_BEGIN,
    "te": runtime_hooks.HOOK_TASK_END,
    "fault": runtime_hooks.HOOK_FAULT,
    "race": runtime_hooks.HOOK_RACE,
}


def _end(kernel, *counters):
    return ("te", kernel, *(list(counters) + [0] * (NC - len(counters))))


def _fault(site, lane, *indices, sizes=()):
    pad = runtime_hooks.MAX_FAULT_RANK
    return (
        "fault",
        site,
        lane,
        *(list(indices) + [0] * (pad - len(indices))),
        *(list(sizes) + [0] * (pad - len(sizes))),
    )


def _run(script, metadata=None, machine=None):
    """Calls the runtime's ctypes callbacks as the JIT code would, then collects."""
    rt = EmuRuntime(metadata or _metadata(), machine)
    rt.reset()
    for hook, *args in script:
        rt.callbacks[_HOOK[hook]](*args)
    return rt.collect()


def test_collect_tasks_groups_faults_races():
    run = _run(
        [
            _fault(2, -1, 99),  # fault in host code
            ("gb", 0, 0),
            ("tb", 0),
            _end(0, 5, 1),
            ("tb", 0),
            _fault(0, 3, 7, 9),
            _end(0, 5),
            ("tb", 0),
            _fault(0, -1, 8, 1),
            ("race", 1, 1, 0, 4096),
            ("race", 1, 1, 1, 4100),
            _end(0, 6),
            ("ge", 0),
            ("tb", 1),
            _end(1, 1),  # outside any group: a group of its own
            ("gb", 1, 1),
            ("tb", 1),
            _end(1, 2),
            ("tb", 1),
            _end(1, 3),
            ("ge", 1),
        ]
    )
    assert run.tasks == 6 and not run.problems
    assert run.task_kernel.tolist() == [0, 0, 0, 1, 1, 1]
    assert run.task_index.tolist() == [0, 1, 2, 0, 1, 2]
    assert run.task_group.tolist() == [0, 0, 0, 1, 2, 2]
    assert run.groups == [
        GroupRun(0, False, 0, 3),
        GroupRun(-1, False, 3, 1),
        GroupRun(1, True, 4, 2),
    ]
    assert run.counters[:, 0].tolist() == [5, 5, 6, 1, 2, 3] and run.counters.shape == (6, NC)
    host, f0 = run.faults
    assert (host.kernel, host.task, host.indices, host.count) == (None, None, (99,), 1)
    assert (f0.site.id, f0.kernel, f0.task, f0.indices, f0.lane, f0.count) == (
        0,
        "k0",
        1,
        (7, 9),
        3,
        2,
    )
    (race,) = run.races
    assert (race.kernel, race.task, race.other_kernel, race.other_task, race.count) == (
        "k0",
        2,
        "k0",
        0,
        2,
    )
    assert race.address == 4096
    # both conflicts kept: task 2 (sequence number) against tasks 0 and 1 of its group
    assert race.pairs == ((2, 0, False), (2, 1, False))


def test_collect_unbalanced_hooks_are_reported():
    run = _run([("tb", 0), ("gb", 0, 0)])
    assert run.tasks == 0
    assert any("1 task_begin calls for 0 task_end calls" in p for p in run.problems)
    assert any("group_begin without group_end" in p for p in run.problems)


# -- scheduling ------------------------------------------------------------------------------


def _machine(P=4, launch=0.0) -> Machine:
    return with_changes(
        MACHINES["a2a3"],
        core_groups=P,
        launch_overhead_cycles=launch,
        cost=(1.0,) + (0.0,) * (NC - 1),
    )


def test_schedule_independent_chained_and_barrier():
    m = _machine(P=2)
    cycles = np.array([10, 20, 30, 5, 5, 5, 7], np.float64)
    groups = [
        GroupRun(0, False, 0, 3),  # 3 tasks on 2 cores: 10 | 20 on cores 0, 1; 30 on core 0
        GroupRun(1, True, 3, 3),  # chained: one after the other, core 0
        GroupRun(-1, False, 6, 1),
    ]
    s = schedule(groups, cycles, m)
    assert s.core.tolist() == [0, 1, 0, 0, 0, 0, 0]
    assert s.start.tolist() == [0, 0, 10, 40, 45, 50, 55]
    assert s.end.tolist() == [10, 20, 40, 45, 50, 55, 62]
    assert s.makespan == 62
    assert s.busy.tolist() == [10 + 30 + 15 + 7, 20]
    assert s.tasks_per_core.tolist() == [6, 1]
    assert s.utilisation.tolist() == pytest.approx([62 / 62, 20 / 62])


def test_schedule_many_tasks_balance():
    m = _machine(P=4)
    cycles = np.full(100, 3.0)
    s = schedule([GroupRun(0, False, 0, 100)], cycles, m)
    assert s.makespan == 75 and s.tasks_per_core.tolist() == [25] * 4
    assert np.all(s.end - s.start == 3)


def test_schedule_rounds_of_equal_tasks_after_a_barrier():
    """A group of equal tasks, more than core groups, after a previous group: round after
    round on core groups 0 .. P-1, each round when the previous one ends."""
    m = _machine(P=3)
    cycles = np.array([4.0] + [2.0] * 7)
    s = schedule([GroupRun(0, False, 0, 1), GroupRun(1, False, 1, 7)], cycles, m)
    assert s.core.tolist() == [0, 0, 1, 2, 0, 1, 2, 0]
    assert s.start.tolist() == [0, 4, 4, 4, 6, 6, 6, 8]
    assert s.makespan == 10 and s.tasks_per_core.tolist() == [4, 2, 2]


def test_task_cycles_cost_model():
    m = with_changes(MACHINES["a2a3"], launch_overhead_cycles=100.0)
    counters = np.array([[1, 2, 3, 4, 5, 160, 320, 7]], np.int64)[:, :NC]
    want = 100 + sum(c * w for c, w in zip(counters[0], m.cost, strict=False))
    assert task_cycles(counters, m).tolist() == [want]
    assert task_cycles(np.zeros((0, NC), np.int64), m).tolist() == []


# -- the report ------------------------------------------------------------------------------


def _report(races_checked=True):
    run = _run(
        [
            ("gb", 0, 0),
            ("tb", 0),
            _end(0, 10, 0, 0, 2, 1, 64, 32, 3),
            ("tb", 0),
            _fault(1, -1, 16, sizes=[16]),
            _fault(1, -1, 17, sizes=[16]),
            _end(0, 10, 0, 0, 2, 1, 64, 32, 1),
            ("ge", 0),
            _fault(2, 2, 5, sizes=[5]),
            ("gb", 0, 0),
            ("tb", 0),
            _end(0, 1),
            ("tb", 0),
            ("race", 1, 0, 0, 8),
            _end(0, 1),
            ("ge", 0),
        ]
    )
    return build_report(run, _machine(P=4, launch=10.0), races_checked)


def test_summary_table():
    r = _report()
    text = r.summary()
    lines = text.splitlines()
    assert "cost model, not a hardware measurement" in lines[0]
    assert lines[1].split() == ["kernel", "tasks", "masked", "iter", "cycles", "loaded", "stored"]
    assert lines[2].split()[:3] == ["k0", "4", "4"]
    assert lines[3].split()[:2] == ["k1", "0"]
    assert lines[4].split()[:3] == ["total", "4", "4"]
    # a run without footprints (hand-made here) has the barrier model only
    assert "launch groups: 2; dependencies: barrier (--deps barrier, regions or exact)" in lines
    models = lines[lines.index("  model          makespan        time  mean utilisation") + 1 :]
    assert models[0].split()[:3] == ["barrier", "*", str(round(r.schedule.makespan))]
    assert models[1] == "  regions    (no footprints recorded)"
    assert models[2] == "  exact      (no footprints recorded)"
    assert models[3].startswith("critical path (barrier): ")
    assert models[4].startswith("utilisation per core group (barrier; busy cycles / makespan):")
    bars = models[5:9]  # one bar per core group
    assert [b.split("|")[0].strip() for b in bars] == ["0", "1", "2", "3"]
    util = r.schedule.utilisation * 100
    assert [float(b.split("|")[2].strip(" %")) for b in bars] == pytest.approx(util, abs=0.05)
    assert "bytes moved: 192 B (128 B loaded, 64 B stored)" in text
    assert "faults: 3 at 2 sites; races: 1 pair of sites" in text
    assert not r.ok


def test_json_report_keys():
    r = _report()
    data = json.loads(json.dumps(r.to_json()))
    for key in (
        "kernels",
        "tasks",
        "masked_iterations",
        "makespan_cycles",
        "cores",
        "faults",
        "races",
    ):
        assert key in data
    assert data["kernels"] == [
        {
            "name": "k0",
            "tasks": 4,
            "masked_iterations": 4,
            "cycles": data["kernels"][0]["cycles"],
            "counters": data["kernels"][0]["counters"],
        },
        {
            "name": "k1",
            "tasks": 0,
            "masked_iterations": 0,
            "cycles": 0,
            "counters": {c: 0 for c in runtime_hooks.COUNTERS},
        },
    ]
    assert data["tasks"] == 4 and data["masked_iterations"] == 4
    assert len(data["cores"]) == 4 and sum(data["cores"]) == data["kernels"][0]["cycles"]
    assert data["makespan_cycles"] == r.schedule.makespan
    f = data["faults"][0]
    assert {k: f[k] for k in ("kind", "location", "kernel", "task", "indices", "count")} == {
        "kind": "store",
        "location": "t.mlir:4:5",
        "kernel": "k0",
        "task": 1,
        "indices": [16],
        "count": 2,
    }
    assert data["faults"][1]["kernel"] is None and data["faults"][1]["task"] is None
    race = data["races"][0]
    assert (race["location"], race["other_location"], race["task"], race["other_task"]) == (
        "t.mlir:4:5",
        "t.mlir:3:5",
        3,
        2,
    )
    assert data["ok"] is False and data["races_checked"] is True


def test_fault_and_race_messages():
    r = _report()
    lines = r.diagnostics()
    assert lines[0] == (
        "t.mlir:4:5: error: out-of-bounds store of memref<16xf32> at [16] (shape [16]) "
        "in kernel k0, task 1 (and 1 more fault at this site)"
    )
    assert lines[1] == (
        "t.mlir:9:3: error: out-of-bounds load of memref<?xf32> at [5] lane 2 "
        "(shape [5]) in host code"
    )
    assert lines[2] == (
        "t.mlir:4:5: error: data race: write of memref<16xf32> in kernel k0, task 3 "
        "conflicts with a read in task 2 of the same launch group (at t.mlir:3:5)"
    )
    assert lines[3] == "t.mlir:3:5: note: the conflicting read, in task 2"


def test_messages_of_every_site_kind():
    sites = [
        runtime_hooks.Site(0, "alloca", "t.mlir:1:1", "memref<?xf32>", "k0", 1),
        runtime_hooks.Site(1, "copy", "t.mlir:2:1", "memref<8xf32>", "k0", 0),
        runtime_hooks.Site(2, "subview", "t.mlir:3:1", "memref<8x8xf32>", "k0", 2),
        runtime_hooks.Site(3, "load", "t.mlir:4:1", "memref<4x?xf32>", None, 2),
    ]
    run = _run(
        [
            ("tb", 0),
            _fault(0, -1, 300000, sizes=[75000]),
            _fault(1, -1, sizes=[8]),
            _fault(2, -1, 6, 4, sizes=[8, 8]),
            _end(0),
            _fault(3, 5, 1, 9, sizes=[4, 9]),
        ],
        _metadata(sites=sites),
    )
    lines = build_report(run, MACHINES["a2a3"]).fault_lines()
    assert lines == [
        "t.mlir:1:1: error: on-chip memory exceeded: memref.alloca of 300000 bytes (memref<?xf32>) "
        "does not fit, with the buffers live with it, in the 196608 bytes of on-chip memory of a "
        "core group (a2a3) in kernel k0, task 0",
        "t.mlir:2:1: error: invalid memref.copy of memref<8xf32> (an invalid view, or shapes that "
        "differ): nothing copied in kernel k0, task 0",
        "t.mlir:3:1: error: out-of-bounds subview of memref<8x8xf32> at offsets [6, 4] "
        "(shape [8, 8]) in kernel k0, task 0: every access through it faults too",
        "t.mlir:4:1: error: out-of-bounds load of memref<4x?xf32> at [1, 9] lane 5 (shape [4, 9]) "
        "in host code",
    ]


def test_faults_through_out_of_bounds_views_name_the_view():
    """A view's fault names its window and each dimension that does not fit; an access whose
    indices lie inside its (view's) shape names the faulting views it goes through; an access
    with an index outside its shape is explained by its index alone."""
    other = runtime_hooks.FROM_ANOTHER_FUNCTION
    sites = [
        runtime_hooks.Site(
            0, "subview", "t.mlir:2:8", "memref<32x?xf32>", "k0", 2, (), (16, 128), (1, 1)
        ),
        runtime_hooks.Site(1, "load", "t.mlir:5:3", "memref<16x128xf32>", "k0", 2, (0,)),
        runtime_hooks.Site(2, "subview", "t.mlir:3:8", "memref<9xf32>", "k0", 1, (), (None,), (2,)),
        runtime_hooks.Site(3, "subview", "t.mlir:4:8", "memref<9xf32>", "k0", 1, (), (3,), (3,)),
        runtime_hooks.Site(4, "store", "t.mlir:6:3", "memref<16x128xf32>", "k0", 2, (0,)),
        runtime_hooks.Site(5, "load", "t.mlir:7:3", "memref<4xf32>", "k0", 1, (other,)),
        runtime_hooks.Site(6, "copy", "t.mlir:8:3", "memref<3xf32>", "k0", 0, (3,)),
    ]
    run = _run(
        [
            ("tb", 0),
            _fault(0, -1, 24, 0, sizes=[32, 200]),
            _fault(1, -1, 0, 0, sizes=[16, 128]),
            _fault(2, -1, 7, sizes=[9]),
            _fault(3, -1, -1, sizes=[9]),
            _fault(4, -1, 16, 0, sizes=[16, 128]),
            _fault(5, 2, 3, sizes=[4]),
            _fault(6, -1, sizes=[3]),
            _end(0),
        ],
        _metadata(sites=sites),
    )
    lines = build_report(run, MACHINES["a2a3"]).fault_lines()
    where = "in kernel k0, task 0"
    assert lines == [
        "t.mlir:2:8: error: out-of-bounds subview of memref<32x?xf32> at offsets [24, 0] with "
        f"sizes [16, 128] (shape [32, 200]) {where}: dimension 0: offset 24 + size 16 > 32; "
        "every access through it faults too",
        f"t.mlir:5:3: error: out-of-bounds load of memref<16x128xf32> at [0, 0] (shape [16, 128]) "
        f"{where}, through the out-of-bounds subview at t.mlir:2:8 (offsets [24, 0] with sizes "
        "[16, 128]: dimension 0: offset 24 + size 16 > 32)",
        # A dynamic size: the dimension cannot be named.
        "t.mlir:3:8: error: out-of-bounds subview of memref<9xf32> at offsets [7] with sizes [?] "
        f"and strides [2] (shape [9]) {where}: every access through it faults too",
        "t.mlir:4:8: error: out-of-bounds subview of memref<9xf32> at offsets [-1] with sizes [3] "
        f"and strides [3] (shape [9]) {where}: dimension 0: offset -1 < 0; every access through "
        "it faults too",
        # Row 16 of a 16-row tile: the index says it all.
        "t.mlir:6:3: error: out-of-bounds store of memref<16x128xf32> at [16, 0] "
        f"(shape [16, 128]) {where}",
        "t.mlir:7:3: error: out-of-bounds load of memref<4xf32> at [3] lane 2 (shape [4]) "
        f"{where}, through an out-of-bounds view made in another function",
        "t.mlir:8:3: error: invalid memref.copy of memref<3xf32> (an invalid view, or shapes that "
        f"differ): nothing copied {where}, through the out-of-bounds subview at t.mlir:4:8 "
        "(offsets [-1] with sizes [3] and strides [3]: dimension 0: offset -1 < 0)",
    ]


def test_faults_beyond_the_fourth_dimension_and_their_json():
    sites = [runtime_hooks.Site(0, "load", "t.mlir:1:1", "memref<2x2x2x2x?xf32>", None, 5)]
    run = _run([_fault(0, -1, 0, 0, 0, 1, sizes=[2, 2, 2, 2])], _metadata(sites=sites))
    report = build_report(run, MACHINES["a2a3"])
    assert report.fault_lines() == [
        "t.mlir:1:1: error: out-of-bounds load of memref<2x2x2x2x?xf32> at [0, 0, 0, 1, ...] "
        "(shape [2, 2, 2, 2, ?]) in host code"
    ]
    (fault,) = json.loads(json.dumps(report.to_json()))["faults"]
    assert fault["shape"] == [2, 2, 2, 2, None] and fault["indices"] == [0, 0, 0, 1]


def test_static_shape():
    assert static_shape("memref<?x4x64xf32>") == ["?", "4", "64"]
    assert static_shape("memref<8xf32, strided<[2], offset: ?>>") == ["8"]
    assert static_shape("memref<f32>") == []
    assert static_shape("memref<4x?xvector<8xf32>>") == ["4", "?"]


def test_chrome_trace():
    r = _report()
    trace = json.loads(json.dumps(r.trace()))
    events = trace["traceEvents"]
    names = {
        e["tid"]: e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"
    }
    assert names == {c: f"core group {c}" for c in range(4)}
    slices = [e for e in events if e["ph"] == "X"]
    assert len(slices) == 4 and all(e["name"] == "k0" and e["pid"] == 0 for e in slices)
    assert [e["args"]["task"] for e in slices] == [0, 1, 2, 3]
    assert all(set(runtime_hooks.COUNTERS) <= set(e["args"]) for e in slices)
    # times in microseconds: the last slice ends at the makespan
    per_us = r.machine.clock_ghz * 1e3
    assert max(e["ts"] + e["dur"] for e in slices) == pytest.approx(r.schedule.makespan / per_us)


def test_empty_run_report():
    r = build_report(_run([]), MACHINES["a5"])
    assert r.ok and r.tasks == 0 and r.makespan_cycles == 0
    assert "faults: none; races: not checked (--check-races)" in r.summary()
    assert r.to_json()["cores"] == [0] * 36


# -- a hand-instrumented module on the JIT ---------------------------------------------------

HOOKS = "\n".join(
    f"func.func private @{name}({', '.join(['i64'] * n)}) attributes {{llvm.emit_c_interface}}"
    for name, n in runtime_hooks.HOOKS.items()
)

# @scale doubles x[0, n) in chunks of 4: kernel @scale_k0 handles [4*o, 4*o + 4) without
# clamping, checks each index against dim(x) and reports the ones past it through the fault hook
# (site 0 for the load, 1 for the store) instead of touching memory. The kernel of a last
# partial chunk also reports a race (site 1 against site 0 of task 0) to test the race hook.
# A host-side fault (site 2) follows the group, then a chained group of 2 tasks of @sum_k1.
SOURCE = (
    HOOKS
    + r"""
func.func private @scale_k0(%o: index, %x: memref<?xf32>) -> i64 attributes {pl.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %m1 = arith.constant -1 : i64
  %z = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %two = arith.constant 2.0 : f32
  %lo = arith.muli %o, %c4 : index
  %hi = arith.addi %lo, %c4 : index
  %d = memref.dim %x, %c0 : memref<?xf32>
  %bad = scf.for %i = %lo to %hi step %c1 iter_args(%nb = %z) -> i64 {
    %ok = arith.cmpi ult, %i, %d : index
    %r = scf.if %ok -> i64 {
      %v = memref.load %x[%i] : memref<?xf32>
      %w = arith.mulf %v, %two : f32
      memref.store %w, %x[%i] : memref<?xf32>
      scf.yield %nb : i64
    } else {
      %ii = arith.index_cast %i : index to i64
      %dd = arith.index_cast %d : index to i64
      func.call @pl_emu_fault(%z, %m1, %ii, %z, %z, %z, %dd, %z, %z, %z) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
      func.call @pl_emu_fault(%one, %m1, %ii, %z, %z, %z, %dd, %z, %z, %z) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
      %nb2 = arith.addi %nb, %one : i64
      scf.yield %nb2 : i64
    }
    scf.yield %r : i64
  }
  %partial = arith.cmpi sgt, %bad, %z : i64
  scf.if %partial {
    %addr = arith.constant 4096 : i64
    func.call @pl_emu_race(%one, %z, %z, %addr) : (i64, i64, i64, i64) -> ()
  }
  return %bad : i64
}

func.func @scale(%x: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %k0 = arith.constant 0 : i64
  %k1 = arith.constant 1 : i64
  %z = arith.constant 0 : i64
  %two = arith.constant 2 : i64
  %four = arith.constant 4 : i64
  %m1 = arith.constant -1 : i64
  %n = memref.dim %x, %c0 : memref<?xf32>
  %chunks = arith.ceildivui %n, %c4 : index
  func.call @pl_emu_group_begin(%k0, %z) : (i64, i64) -> ()
  scf.for %o = %c0 to %chunks step %c1 {
    func.call @pl_emu_task_begin(%k0) : (i64) -> ()
    %bad = func.call @scale_k0(%o, %x) : (index, memref<?xf32>) -> i64
    %good = arith.subi %four, %bad : i64
    %bytes = arith.muli %good, %four : i64
    func.call @pl_emu_task_end(%k0, %good, %z, %z, %good, %good, %bytes, %bytes, %bad)
        : (i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  }
  func.call @pl_emu_group_end(%k0) : (i64) -> ()
  %big = arith.constant 1000 : i64
  %nn = arith.index_cast %n : index to i64
  func.call @pl_emu_fault(%two, %m1, %big, %z, %z, %z, %nn, %z, %z, %z) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  func.call @pl_emu_group_begin(%k1, %k1) : (i64, i64) -> ()
  scf.for %t = %c0 to %c4 step %c1 {
    func.call @pl_emu_task_begin(%k1) : (i64) -> ()
    func.call @pl_emu_task_end(%k1, %four, %two, %z, %z, %z, %z, %z, %z)
        : (i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  }
  func.call @pl_emu_group_end(%k1) : (i64) -> ()
  return
}
"""  # noqa: E501 - MLIR input keeps one op per line
)

META = runtime_hooks.EmuMetadata(
    kernels=["scale_k0", "sum_k1"],
    groups=[
        runtime_hooks.Group(0, "scale_k0", "per_iteration", False, "scale.mlir:40:3"),
        runtime_hooks.Group(1, "sum_k1", "per_iteration", True, "scale.mlir:50:3"),
    ],
    sites=[
        runtime_hooks.Site(0, "load", "scale.mlir:15:12", "memref<?xf32>", "scale_k0", 1),
        runtime_hooks.Site(1, "store", "scale.mlir:17:7", "memref<?xf32>", "scale_k0", 1),
        runtime_hooks.Site(2, "load", "scale.mlir:44:3", "memref<?xf32>", None, 1),
    ],
)


@pytest.fixture(scope="module")
def program():
    ctx = make_context()
    module = ir.Module.parse(SOURCE, ctx)
    prog = compile_instrumented(module, META, entries=["scale"], machine="a2a3", check_races=True)
    gc.collect()  # the callbacks must survive: the program keeps them
    return prog


def test_jit_run_report(program):
    x = np.arange(10, dtype=np.float32)
    results, report = program.run("scale", x)
    assert results == []
    assert x.tolist() == [2.0 * i for i in range(10)]  # the faulting accesses did nothing
    assert report.tasks == 3 + 4
    assert [(k.name, k.tasks) for k in report.kernels()] == [("scale_k0", 3), ("sum_k1", 4)]
    assert report.masked_iterations == 2
    assert report.bytes_loaded == 40 and report.bytes_stored == 40
    assert [g.count for g in report.run.groups] == [3, 4]
    assert report.diagnostics()[:3] == [
        "scale.mlir:15:12: error: out-of-bounds load of memref<?xf32> at [10] (shape [10]) "
        "in kernel scale_k0, task 2 (and 1 more fault at this site)",
        "scale.mlir:17:7: error: out-of-bounds store of memref<?xf32> at [10] (shape [10]) "
        "in kernel scale_k0, task 2 (and 1 more fault at this site)",
        "scale.mlir:44:3: error: out-of-bounds load of memref<?xf32> at [1000] (shape [10]) "
        "in host code",
    ]
    assert len(report.run.races) == 1 and not report.ok
    m = program.machine
    s = report.schedule
    # the independent group runs on cores 0-2 at once, the chained one on core 0 after it
    assert s.core.tolist() == [0, 1, 2, 0, 0, 0, 0]
    first = max(m.task_cycles(c) for c in report.run.counters[:3].tolist())
    chained = sum(m.task_cycles(c) for c in report.run.counters[3:].tolist())
    assert s.makespan == pytest.approx(first + chained)


def test_jit_runs_are_independent(program):
    x = np.arange(8, dtype=np.float32)  # no tail: no fault in the kernel
    _, report = program.run("scale", x)
    assert report.tasks == 2 + 4 and report.masked_iterations == 0
    assert [f.site.id for f in report.run.faults] == [2] and not report.run.races
    call = program.bind("scale", np.arange(5, dtype=np.float32))
    for _ in range(3):
        call.run()
    assert call.report().tasks == 2 + 4  # the last run only
    assert call.report().run.faults[0].count == 3  # 3 lanes past the end, one site each


def test_unknown_entry(program):
    with pytest.raises(KeyError, match="no entry function @nope"):
        program.bind("nope")


# -- end to end: outlining + instrument.py + the runtime, on the examples ----------------------

ROOT = Path(__file__).resolve().parents[2]

POLICIES = ("guarded", "leading_full")
# The sweeps over every example: guarded in `make test-fast`, leading_full in the slow lane (each
# case JITs the example twice, CPU and emulator).
SWEEP_POLICIES = ("guarded", pytest.param("leading_full", marks=pytest.mark.slow))


def _variant(policy: str) -> K.Variant:
    return K.Variant(policy, f"builtin.module(pl-default{{policy={policy}}})")


class _EmuFn:
    """An emulated entry with the `call` of a cpu Function (examples/kernels.py calls that);
    keeps the report of each call."""

    def __init__(self, program, entry):
        self.program, self.entry, self.reports = program, entry, []

    def call(self, *args):
        results, report = self.program.run(self.entry, *args)
        self.reports.append(report)
        return results


@pytest.mark.parametrize("policy", SWEEP_POLICIES)
@pytest.mark.parametrize("name", sorted(K.KERNELS))
def test_examples_on_emu_equal_cpu(name, policy):
    from pypto_mlir.lowering.cpu import compile_module

    kernel = K.KERNELS[name]
    module = K.prepare(kernel, _variant(policy))
    cpu = compile_module(module, entries=[kernel.entry], opt_level=0)[kernel.entry]
    emu = _EmuFn(compile_emu(module, entries=[kernel.entry], opt_level=0), kernel.entry)
    for seed, size in enumerate(kernel.test_sizes):
        args = kernel.make_args(np.random.default_rng(seed), **size)
        want = kernel.call(cpu, kernel.fresh(args))
        got = kernel.call(emu, kernel.fresh(args))
        assert K.same_bits(got, want), (name, policy, size)
        report = emu.reports[-1]
        assert report.ok, report.diagnostics()
        assert [k.name for k in report.kernels()] == emu.program.kernels


# decode attention, default sizes: batch 4 (seq_lens 1, 17, 500, 1024 = 1, 2, 32, 64 context
# blocks), 4 heads; the context-block loop is chunked by 64, so each (batch, head) pair launches
# ceildiv(blocks, 64) = 1 chunk task under guarded; under leading_full the main kernel runs
# blocks // 64 tasks (1 for the 1024-token sequence, else 0) and the remainder kernel one task
# per (batch, head) pair.
ATTENTION_KERNELS = {
    "guarded": [("decode_attention_k0", 16)],
    "leading_full": [("decode_attention_k0", 4), ("decode_attention_k0_rem", 16)],
}


@pytest.mark.parametrize("policy", POLICIES)
def test_decode_attention_kernel_and_task_counts(policy):
    kernel = K.KERNELS["decode_attention"]
    program = compile_emu(K.prepare(kernel, _variant(policy)), entries=[kernel.entry])
    args = kernel.make_args(np.random.default_rng(0))
    _, report = program.run(kernel.entry, *kernel.fresh(args))
    assert [(k.name, k.tasks) for k in report.kernels()] == ATTENTION_KERNELS[policy]
    assert report.tasks == sum(t for _, t in ATTENTION_KERNELS[policy])
    assert report.ok
    # masked iterations: guarded masks 64 - blocks per chunk; leading_full masks nothing
    blocks = [1, 2, 32, 64]
    masked = 4 * sum(64 - b for b in blocks) if policy == "guarded" else 0
    assert report.masked_iterations == masked
    data = report.to_json()
    assert data["tasks"] == report.tasks and data["makespan_cycles"] > 0


def _example(name: str, pipeline: str = "builtin.module(pl-default)"):
    from pypto_mlir.passes import build_pass_manager

    ctx = make_context()
    module = ir.Module.parseFile(str(ROOT / "examples" / name), ctx)
    build_pass_manager(pipeline, ctx).run(module.operation)
    return module


def _axpy_args(n: int, extra: int = 0):
    rng = np.random.default_rng(5)
    x = rng.standard_normal(n + extra).astype(np.float32)
    y = rng.standard_normal(n + extra).astype(np.float32)
    return x, y


def test_unclamped_tail_faults_with_locations():
    module = _example("unclamped_tail.mlir")
    program = compile_emu(module, entries=["axpy_chunks", "axpy_auto"])
    x, y = _axpy_args(1000)
    want = np.float32(2.0) * x + y
    results, report = program.run("axpy_chunks", x, y, 1000, 2.0)
    assert y.tobytes() == want.tobytes()  # the faulting accesses were suppressed
    assert not report.ok
    path = str(ROOT / "examples" / "unclamped_tail.mlir")
    lines = report.fault_lines()
    # chunk 15 covers [960, 1024): 24 accesses past n = 1000 at each of the three sites
    assert lines == [
        f"{path}:28:15: error: out-of-bounds load of memref<?xf32> at [1000] (shape [1000]) "
        f"in kernel axpy_chunk, task 15 (and 23 more faults at this site)",
        f"{path}:29:15: error: out-of-bounds load of memref<?xf32> at [1000] (shape [1000]) "
        f"in kernel axpy_chunk, task 15 (and 23 more faults at this site)",
        f"{path}:32:9: error: out-of-bounds store of memref<?xf32> at [1000] (shape [1000]) "
        f"in kernel axpy_chunk, task 15 (and 23 more faults at this site)",
    ], "\n".join(lines)
    assert [(k.name, k.tasks) for k in report.kernels()][0] == ("axpy_chunk", 16)
    x, y = _axpy_args(1000)
    _, report = program.run("axpy_auto", x, y, 1000, 2.0)
    assert report.ok


@pytest.mark.parametrize("n", [0, 1, 64, 1000])
def test_clamped_tail_runs_clean(n):
    from pypto_mlir.lowering.cpu import compile_module

    module = _example("clamped_tail.mlir")
    program = compile_emu(module, entries=["axpy_chunks"])
    cpu = compile_module(module, entries=["axpy_chunks"])["axpy_chunks"]
    x, y = _axpy_args(n)
    y2 = y.copy()
    _, report = program.run("axpy_chunks", x, y, n, 2.0)
    cpu(x, y2, n, 2.0)
    assert report.ok and report.tasks == -(-n // 64)
    assert y.tobytes() == y2.tobytes()


# y[i] and y[i + 1] for every i: the chunks of 4 overlap at their boundary (task t writes
# y[4t + 4] as i + 1, task t + 1 writes it as i): a race between tasks of one launch group.
RACY = """
func.func @smear(%x: memref<?xf32>, %y: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf32>
    %j = arith.addi %i, %c1 : index
    memref.store %v, %y[%i] : memref<?xf32>
    memref.store %v, %y[%j] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}
func.func @copy(%x: memref<?xf32>, %y: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf32>
    memref.store %v, %y[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}
"""


@pytest.fixture(scope="module")
def racy():
    from pypto_mlir.passes import build_pass_manager

    ctx = make_context()
    module = ir.Module.parse(RACY, ctx)
    build_pass_manager("builtin.module(pl-default)", ctx).run(module.operation)
    return {
        races: compile_emu(module, entries=["smear", "copy"], check_races=races)
        for races in (False, True)
    }


def test_race_reported(racy):
    x, y = np.arange(16, dtype=np.float32), np.zeros(17, np.float32)
    _, report = racy[True].run("smear", x, y, 16)
    assert not report.ok and report.run.races
    r = report.run.races[0]
    assert {r.site.kind, r.other_site.kind} == {"store"}
    assert r.kernel == r.other_kernel and r.task != r.other_task
    assert report.race_lines()[0].startswith("-:") or ":" in report.race_lines()[0]
    assert "data race" in report.race_lines()[0]
    assert report.to_json()["races"] and report.to_json()["races_checked"]


def test_every_racing_pair_is_recorded_and_traced(racy):
    """@smear: each task t > 0 conflicts with task t - 1 at the same two sites, one record;
    every pair is kept (not only the first), and each is an instant at its task's start."""
    x, y = np.arange(16, dtype=np.float32), np.zeros(17, np.float32)
    _, report = racy[True].run("smear", x, y, 16)
    (r,) = report.run.races
    assert r.count == 3 and r.pairs == ((1, 0, False), (2, 1, False), (3, 2, False))
    (entry,) = report.to_json()["races"]
    assert entry["pairs"] == [{"task": t, "other_task": t - 1, "benign": False} for t in (1, 2, 3)]
    per_us = report.machine.clock_ghz * 1e3
    s = report.schedule
    instants = [e for e in report.trace()["traceEvents"] if e["ph"] == "i"]
    assert [e["name"] for e in instants] == ["race"] * 3
    for e, t in zip(instants, (1, 2, 3), strict=True):
        assert (e["args"]["sequence"], e["args"]["other_sequence"]) == (t, t - 1)
        assert e["tid"] == int(s.core[t]) and e["ts"] == pytest.approx(float(s.start[t]) / per_us)
        assert f"task {t} conflicts with a write in task {t - 1} " in e["args"]["message"]
        assert "more at these sites" not in e["args"]["message"]


def test_benign_and_racing_pairs_of_one_site_pair():
    """test/emu/run-emu-benign-overlap.mlir's @different_value: every task writes its x[i] into
    y[0]. Tasks 0 and 1 leave 5.0 there (task 1 rewrites the bits task 0 left: benign), task 2
    leaves 7.0 (a race with task 1): one record of sites, a race, whose pairs keep which is
    which."""
    from pypto_mlir.passes import build_pass_manager

    ctx = make_context()
    module = ir.Module.parseFile(str(ROOT / "test" / "emu" / "run-emu-benign-overlap.mlir"), ctx)
    build_pass_manager("builtin.module(pl-default)", ctx).run(module.operation)
    program = compile_emu(module, entries=["different_value"], check_races=True)
    x, y = np.array([5.0] * 8 + [7.0] * 4, np.float32), np.zeros(12, np.float32)
    _, report = program.run("different_value", x, y, 12)
    (r,) = report.run.races
    assert not r.benign and not report.ok
    assert r.pairs == ((1, 0, True), (2, 1, False))
    instants = [e for e in report.trace()["traceEvents"] if e["ph"] == "i"]
    assert [(e["name"], e["args"]["sequence"]) for e in instants] == [
        ("benign overlap", 1),
        ("race", 2),
    ]
    assert "warning: benign overlap" in instants[0]["args"]["message"]
    assert "error: data race" in instants[1]["args"]["message"]
    # the same bits everywhere: the record is a benign overlap, every pair benign
    _, report = program.run("different_value", np.full(12, 5.0, np.float32), y, 12)
    (r,) = report.run.races
    assert r.benign and report.ok and r.pairs == ((1, 0, True), (2, 1, True))
    assert [p["benign"] for p in report.to_json()["benign_overlaps"][0]["pairs"]] == [True] * 2


def test_no_race_when_correct_or_unchecked(racy):
    x, y = np.arange(16, dtype=np.float32), np.zeros(17, np.float32)
    _, report = racy[True].run("copy", x, y, 16)
    assert report.ok and not report.run.races
    _, report = racy[False].run("smear", x, y, 16)
    assert report.ok and "races: not checked" in report.summary()


# The examples outside the kernel table: (file, entry) -> fresh arguments.
def _f32(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


OTHER_EXAMPLES = {
    ("vadd.mlir", "vadd"): lambda: [_f32(37), _f32(37, seed=1), np.zeros(37, np.float32), 37],
    ("sum.mlir", "strided_sum"): lambda: [_f32(40), 3, 37],
    ("sum7.mlir", "sum7"): lambda: [_f32(7)],
    ("nested_sum.mlir", "nested_sum"): lambda: [_f32(8, 3)],
    ("tiled_matmul.mlir", "matmul"): lambda: [
        _f32(64, 48),
        _f32(48, 40, seed=1),
        _f32(64, 40, seed=2),
    ],
    ("clamped_tail.mlir", "axpy_chunks"): lambda: [_f32(1000), _f32(1000, seed=1), 1000, 2.0],
    ("clamped_tail.mlir", "axpy_auto"): lambda: [_f32(1000), _f32(1000, seed=1), 1000, 2.0],
    ("unclamped_tail.mlir", "axpy_auto"): lambda: [_f32(1000), _f32(1000, seed=1), 1000, 2.0],
    ("explicit_chunks.mlir", "row_sums"): lambda: [_f32(48, 64), np.zeros(48, np.float32), 48],
    ("explicit_chunks.mlir", "row_sums_clamped"): lambda: [
        _f32(40, 64),
        np.zeros(40, np.float32),
        40,
    ],
    # 8 divides 16 and 24: the chunks of the unclamped gemm stay in bounds.
    ("explicit_chunks.mlir", "gemm_chunks"): lambda: [
        _f32(16, 3),
        _f32(3, 24, seed=1),
        np.zeros((16, 24), np.float32),
        16,
        24,
        3,
    ],
    ("tile_2d.mlir", "tile_2d"): lambda: [_f32(37, 29), 37, 29],
    ("auto.mlir", "auto_table"): lambda: [_f32(30), 30],
}
# Faults by design (test_unclamped_tail_faults_with_locations, test_explicit_chunks_faults).
FAULTY_EXAMPLES = {("unclamped_tail.mlir", "axpy_chunks")}


def test_every_example_is_covered():
    table = {(k.file, k.entry) for k in K.KERNELS.values()}
    found = set()
    for path in sorted((ROOT / "examples").glob("*.mlir")):
        module = ir.Module.parse(path.read_text(encoding="utf-8"), make_context())
        for op in module.body.operations:
            op = op.operation
            if op.name == "func.func" and "sym_visibility" not in op.attributes:
                found.add((path.name, ir.StringAttr(op.attributes["sym_name"]).value))
    assert found == table | set(OTHER_EXAMPLES) | FAULTY_EXAMPLES


@pytest.mark.parametrize("policy", SWEEP_POLICIES)
@pytest.mark.parametrize("example", sorted(OTHER_EXAMPLES))
def test_other_examples_on_emu_equal_cpu(example, policy):
    from pypto_mlir.lowering.cpu import compile_module

    file, entry = example
    module = _example(file, f"builtin.module(pl-default{{policy={policy}}})")
    cpu = compile_module(module, entries=[entry], opt_level=0)[entry]
    program = compile_emu(module, entries=[entry], opt_level=0)
    args = OTHER_EXAMPLES[example]()
    want_args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    want = cpu.call(*want_args)
    got, report = program.run(entry, *args)
    assert report.ok, report.diagnostics()
    assert len(got) == len(want) and all(
        np.asarray(g).tobytes() == np.asarray(w).tobytes() for g, w in zip(got, want, strict=False)
    )
    assert all(
        np.asarray(a).tobytes() == np.asarray(w).tobytes()
        for a, w in zip(args, want_args, strict=False)
    )
    assert report.tasks > 0


def test_explicit_chunks_faults_unless_clamped():
    """examples/explicit_chunks.mlir: @row_sums's last chunk of 16 rows runs past 40 rows (rows
    40..47: 8 x 64 loads of x, 8 stores of out); @row_sums_clamped is clean."""
    module = _example("explicit_chunks.mlir")
    program = compile_emu(module, entries=["row_sums", "row_sums_clamped"])
    _, report = program.run("row_sums", _f32(40, 64), np.zeros(40, np.float32), 40)
    faults = [(f.site.kind, f.indices, f.count, f.task) for f in report.run.faults]
    assert faults == [("load", (40, 0), 8 * 64, 2), ("store", (40,), 8, 2)]
    _, report = program.run("row_sums_clamped", _f32(40, 64), np.zeros(40, np.float32), 40)
    assert report.ok and report.tasks == 3
