"""pypto-fuzz --scheduler: a campaign on a real local dask.distributed cluster (a scheduler and 2
workers, each its own process). A planted bug is found and shrunk; a worker killed while it runs
a case, in the middle of the campaign, does not stop it, and every case's result is recorded
exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# A cluster of processes running 100 cases: the slow lane.
pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
COUNT = 100

# Loaded into every process of the cluster (PYTHONPATH): the split pass's guard lets one
# iteration too many through (`k <= T`), in chunks of 7 only, so a few cases fail.
PLANTED = """
import importlib

from mlir.dialects import arith

# The module, not the function of the same name that pypto_mlir.passes exports.
_split = importlib.import_module("pypto_mlir.passes.split_chunked_loops")
_compare = _split.compare  # the split builds its guard `k < T` with loop_arith.compare


def _off_by_one(predicate, lhs, rhs):
    if predicate == arith.CmpIPredicate.ult:
        predicate = arith.CmpIPredicate.ule
    return _compare(predicate, lhs, rhs)


_original = _split._Split._chunk_nest


def _planted(self, *args, **kw):
    if self.chunk != 7:
        return _original(self, *args, **kw)
    _split.compare = _off_by_one
    try:
        return _original(self, *args, **kw)
    finally:
        _split.compare = _compare


_split._Split._chunk_nest = _planted

# The worker to be killed (PYPTO_TEST_HANG names a flag file in its environment only): once the
# test creates the flag, its next case says so and hangs until its worker dies, so the kill
# lands while a case is running. (The case subprocess runs the fuzzer as __main__; check_case
# is looked up in fuzz_check at each case.)
import os
import time

_flag = os.environ.get("PYPTO_TEST_HANG")
if _flag:
    _check = importlib.import_module("pypto_mlir.tools.fuzz_check")
    _check_case = _check.check_case

    def _hang_when_flagged(*args, **kw):
        if os.path.exists(_flag):
            parent = os.getppid()
            with open(_flag + ".hanging", "w") as f:
                f.write(str(os.getpid()))
            deadline = time.monotonic() + 300
            while os.getppid() == parent and time.monotonic() < deadline:
                time.sleep(0.1)
            os._exit(3)
        return _check_case(*args, **kw)

    _check.check_case = _hang_when_flagged
"""


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = open(log, "wb")  # the process owns it until the test ends
    return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)


def _wait_for(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


@pytest.fixture
def cluster(tmp_path):
    try:
        import distributed  # noqa: F401 - imported only to check it is installed
    except ImportError as exc:  # pinned in requirements.txt: an incomplete install, not a skip
        pytest.fail(f"dask.distributed is not importable ({exc}): pip install -r requirements.txt")
    plant = tmp_path / "plant"
    plant.mkdir()
    (plant / "sitecustomize.py").write_text(PLANTED)
    env = dict(os.environ, PYTHONPATH=str(plant))
    scheduler_file = tmp_path / "scheduler.json"
    procs: list[subprocess.Popen[bytes]] = []
    try:
        procs.append(
            _start(
                [str(BIN / "dask"), "scheduler", "--scheduler-file", str(scheduler_file)]
                + ["--port", "0", "--no-dashboard"],
                env,
                tmp_path / "scheduler.log",
            )
        )
        _wait_for(scheduler_file.exists, 60, "the scheduler")
        hang_flag = tmp_path / "hang"
        for name in ("doomed", "survivor"):
            procs.append(
                _start(
                    [str(BIN / "dask"), "worker", "--scheduler-file", str(scheduler_file)]
                    + ["--nthreads", "1", "--no-nanny", "--no-dashboard", "--name", name],
                    dict(env, PYPTO_TEST_HANG=str(hang_flag)) if name == "doomed" else env,
                    tmp_path / f"{name}.log",
                )
            )
        address = json.loads(scheduler_file.read_text())["address"]
        from distributed import Client

        with Client(address, timeout="60s") as client:  # both workers in before the campaign
            client.wait_for_workers(2, timeout=300)
        yield address, env, procs[1], hang_flag, tmp_path
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def _processing_on(address: str, name: str) -> list[str]:
    """The keys the scheduler has assigned to the worker called `name` and not finished."""
    from distributed import Client

    with Client(address, timeout="60s") as client:
        workers = client.scheduler_info(n_workers=-1)["workers"]
        (worker,) = [a for a, info in workers.items() if info.get("name") == name]
        return [str(key) for key in client.processing(workers=[worker])[worker]]


def test_campaign_survives_a_killed_worker(cluster):
    address, env, doomed, hang_flag, tmp_path = cluster
    campaign = tmp_path / "campaign"
    fuzz = subprocess.Popen(
        [str(BIN / "pypto-fuzz"), "--scheduler", address, "--seed", "3", "--count", str(COUNT)]
        + ["--campaign", str(campaign), "--shrink-checks", "8", "--progress", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    results = campaign / "results.jsonl"
    hanging = hang_flag.with_name("hang.hanging")
    try:
        # After at least 10 results, the doomed worker's next case hangs (see PLANTED) until the
        # worker is killed: the kill lands in the middle of a case, which the scheduler still
        # has assigned to that worker.
        _wait_for(lambda: len(_lines(results)) >= 10, 600, "10 results")
        hang_flag.touch()
        _wait_for(hanging.exists, 300, "a case of the doomed worker to start after the flag")
        in_flight = _processing_on(address, "doomed")
        done_before = len(_lines(results))
        doomed.send_signal(signal.SIGKILL)
        out, err = fuzz.communicate(timeout=900)
    finally:
        if fuzz.poll() is None:
            fuzz.kill()
    assert doomed.wait() == -signal.SIGKILL
    assert in_flight, "the doomed worker ran no case when it was killed"
    assert all(key.startswith("pypto-fuzz-3-") for key in in_flight), in_flight
    assert 10 <= done_before < COUNT, done_before
    reports = [json.loads(line) for line in _lines(results)]
    indices = [r["index"] for r in reports]
    assert sorted(indices) == list(range(COUNT)), "each case recorded exactly once"
    mismatches = [r for r in reports if r["status"] == "mismatch"]
    assert mismatches, "the planted bug was not found"
    assert all(r["status"] in ("ok", "mismatch") for r in reports), reports
    assert fuzz.returncode == 1, out + err
    assert f"campaign {campaign}: {COUNT} of {COUNT} cases done" in out, out
    # Shrunk lit reproducers, written by the client into the campaign directory.
    for r in mismatches:
        text = Path(r["reproducer"]).read_text()
        assert Path(r["reproducer"]).parent == campaign / "failures"
        assert text.startswith(f"// pypto-fuzz --seed 3 --case {r['index']}, shrunk: ")
        assert "// RUN: %pypto-run %s --entry main -p 'builtin.module(" in text
        assert "// CHECK: {{^}}result" in text or "// CHECK: {{^}}" in text
    session = json.loads(_lines(campaign / "throughput.jsonl")[-1])
    assert session["cases"] == COUNT and session["workers"] == 2

    # Resuming a complete campaign runs nothing and records nothing twice.
    again = subprocess.run(
        [str(BIN / "pypto-fuzz"), "--scheduler", address, "--seed", "3", "--count", str(COUNT)]
        + ["--campaign", str(campaign), "--progress", "0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert again.stdout.startswith("pypto-fuzz: 0 cases (seed 3)"), again.stdout + again.stderr
    assert len(_lines(results)) == COUNT


def test_scheduler_without_distributed_is_a_one_line_error(tmp_path):
    """The core package does not need dask: without it, --scheduler says what to install."""
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "distributed.py").write_text("raise ImportError('hidden by the test')\n")
    proc = subprocess.run(
        [str(BIN / "pypto-fuzz"), "--scheduler", "tcp://127.0.0.1:1", "--count", "1"]
        + ["--campaign", str(tmp_path / "c")],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(hide)),
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr == (
        "pypto-fuzz: error: --scheduler needs dask.distributed, which is not installed: "
        "pip install -r requirements.txt (or pip install distributed==2026.8.0)\n"
    ), proc.stderr
