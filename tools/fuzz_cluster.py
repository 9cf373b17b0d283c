"""pypto-fuzz --scheduler ADDRESS: a fuzz campaign on a dask.distributed cluster.

    pypto-fuzz --scheduler tcp://HOST:8786 --seed S --count N [--campaign DIR]

Each case is one dask task. On the worker it runs in a subprocess (the local mode's worker
protocol, tools/fuzz.py), so an abort or a segfault kills only that case; a mismatch is shrunk
there and its lit reproducer comes back as text. The client, the only writer of the campaign
directory, records each case's result exactly once, whatever the engine re-runs (a task lost with
its worker is run again elsewhere):

    DIR/campaign.json     the seed and count (a resumed campaign must ask for the same seed)
    DIR/results.jsonl     one line per case: index, status, details; the seeds done
    DIR/failures/         the shrunk reproducers, fuzz-seedS-caseI.mlir
    DIR/throughput.jsonl  one line per session: cases, seconds, cases/s, workers

Running the same command again resumes: only the cases without a result line are submitted.
dask.distributed is a dev/test dependency (requirements.txt); without it, --scheduler is a
one-line error.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from .cli import UserError

if TYPE_CHECKING:
    from .fuzz import Report

INSTALL = "pip install -r requirements.txt (or pip install distributed==2026.8.0)"


def require_distributed():
    try:
        import distributed
    except ImportError:
        raise UserError(
            f"--scheduler needs dask.distributed, which is not installed: {INSTALL}"
        ) from None
    return distributed


class Campaign:
    """The campaign directory: what is done, and the single place results are written."""

    def __init__(self, path: str, seed: int, count: int):
        self.path = path
        self.failures = os.path.join(path, "failures")
        self.results = os.path.join(path, "results.jsonl")
        os.makedirs(self.failures, exist_ok=True)
        meta_path = os.path.join(path, "campaign.json")
        meta = {"seed": seed, "count": count}
        if os.path.exists(meta_path):
            with open(meta_path, encoding="utf-8") as f:
                old = json.load(f)
            if old.get("seed") != seed:
                raise UserError(
                    f"{path} holds a campaign of seed {old.get('seed')}, not {seed}: "
                    f"resume it with --seed {old.get('seed')}, or give another --campaign"
                )
            meta["count"] = max(count, old.get("count", 0))
        with open(meta_path, "w", encoding="utf-8") as f:
            json.dump(meta, f)
        self.done: dict[int, Report] = {}
        if os.path.exists(self.results):
            with open(self.results, encoding="utf-8") as f:
                for line in f:
                    try:
                        report = json.loads(line)
                    except ValueError:
                        continue  # a line cut short when a client was killed: run it again
                    self.done.setdefault(report["index"], report)
        self._out = open(self.results, "a", encoding="utf-8")  # closed by close()

    def record(self, report: Report, seed: int) -> bool:
        """Writes the result of a case not yet recorded; False (nothing written) for a case
        that already has its line."""
        index = report["index"]
        if index in self.done:
            return False
        text = report.pop("reproducer_text", None)
        if text is not None:
            path = os.path.join(self.failures, f"fuzz-seed{seed}-case{index}.mlir")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            report["reproducer"] = path
        self._out.write(json.dumps(report) + "\n")
        self._out.flush()
        os.fsync(self._out.fileno())
        self.done[index] = report
        return True

    def session(self, cases: int, seconds: float, workers: int) -> None:
        with open(os.path.join(self.path, "throughput.jsonl"), "a", encoding="utf-8") as f:
            rate = cases / seconds if seconds else 0.0
            line = {
                "cases": cases,
                "seconds": round(seconds, 2),
                "cases_per_s": round(rate, 3),
                "workers": workers,
                "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
            f.write(json.dumps(line) + "\n")

    def close(self) -> None:
        self._out.close()


# -- the worker side: runs inside a dask worker ----------------------------------------------

_local = threading.local()


def run_on_worker(seed: int, index: int, settings: dict[str, Any]) -> Report:
    """One case, in a subprocess of this worker thread (started on first use, replaced when a
    case kills it). The reproducer, if any, comes back as text."""
    from .fuzz import Worker

    worker = getattr(_local, "worker", None)
    if worker is None:
        ns = SimpleNamespace(**settings, out_dir=tempfile.mkdtemp(prefix="pypto-fuzz-"))
        worker = _local.worker = Worker(ns)
    report = worker.run(seed, index)
    path = report.pop("reproducer", None)
    if path is not None:
        with open(path, encoding="utf-8") as f:
            report["reproducer_text"] = f.read()
        os.remove(path)
    return report


# -- the client side ---------------------------------------------------------------------------


def campaign(ns, record) -> tuple[int, float, int, list[Report]]:
    """Runs the cases of `ns.count` that `ns.campaign` has no result for on the cluster at
    `ns.scheduler`; calls `record(report)` once per newly recorded case. Returns the cases
    recorded, the seconds taken, the workers seen at the start and every result of the
    campaign (earlier sessions' included)."""
    distributed = require_distributed()
    camp = Campaign(ns.campaign, ns.seed, ns.count)
    todo = [i for i in range(ns.count) if i not in camp.done]
    settings = {
        "opt_level": ns.opt_level,
        "no_shrink": ns.no_shrink,
        "shrink_checks": ns.shrink_checks,
        "timeout": ns.timeout,
        "cases_per_worker": ns.cases_per_worker,
    }
    try:
        client = distributed.Client(ns.scheduler, timeout="30s")
    except OSError as exc:
        camp.close()
        raise UserError(f"cannot reach the scheduler at {ns.scheduler}: {exc}") from None
    start = time.monotonic()
    recorded = 0
    try:
        workers = len(client.scheduler_info().get("workers", {}))
        futures = {
            client.submit(
                run_on_worker, ns.seed, i, settings, key=f"pypto-fuzz-{ns.seed}-{i}", pure=False
            ): i
            for i in todo
        }
        for future in distributed.as_completed(futures):
            index = futures[future]
            try:
                report = future.result()
            except Exception as exc:  # e.g. KilledWorker: the case kept killing workers
                report = {
                    "index": index,
                    "status": "crash",
                    "detail": f"the cluster gave up on it: {type(exc).__name__}: {exc}",
                }
            if camp.record(report, ns.seed):
                recorded += 1
                record(report)
            future.release()
    finally:
        seconds = time.monotonic() - start
        camp.session(recorded, seconds, workers)
        camp.close()
        client.close()
    return recorded, seconds, workers, list(camp.done.values())
