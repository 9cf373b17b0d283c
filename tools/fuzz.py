"""pypto-fuzz: a differential fuzzer for chunked loops.

    pypto-fuzz [--seed S] [--count N] [--jobs J] [--case I] [--out-dir DIR]
    pypto-fuzz --scheduler ADDRESS [--seed S] [--count N] [--campaign DIR]

Case i of seed S is a random program (tools/fuzz_program.py) drawn from `Random("S:i")`, so any
case can be re-run alone with `--case i`. Every variant of it (each policy, with and without
guard unswitching, raw and after canonicalize/cse) must compute exactly what the unchunked
program computes on the CPU JIT (tools/fuzz_check.py).

Cases run in worker processes (`--jobs`, default the number of CPUs), one case at a time each,
so an abort or a segfault inside MLIR kills only a worker: the case is reported as a crash and
the worker is replaced. A mismatch is shrunk and written to DIR as a lit test
(tools/fuzz_repro.py). Exit status 0 when every case matched, 1 on any mismatch or crash.
With --scheduler the cases run on a dask.distributed cluster instead (tools/fuzz_cluster.py).
Case i belongs to the class tools/fuzz_classes.py assigns to it.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from .cli import ArgumentParser, UserError, exit_with, run_main

# What a worker answers for one case (JSON): index, status, variant, detail, reproducer...
Report: TypeAlias = "dict[str, Any]"

PROG = "pypto-fuzz"


def _parser() -> ArgumentParser:
    p = ArgumentParser(
        prog=PROG,
        description="Differential fuzzing of chunked loops: random "
        "programs, every tail policy against the unchunked program, on the CPU JIT.",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the run (default 0)")
    p.add_argument("--count", type=int, default=100, metavar="N", help="cases to run (default 100)")
    p.add_argument("--case", type=int, metavar="I", help="run only case I of the seed")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=os.cpu_count() or 1,
        metavar="J",
        help="worker processes (default: the number of CPUs)",
    )
    p.add_argument(
        "--out-dir",
        default="fuzz-failures",
        metavar="DIR",
        help="where shrunk failing cases are written (default fuzz-failures)",
    )
    p.add_argument(
        "--opt-level",
        type=int,
        default=0,
        choices=range(4),
        metavar="N",
        help="JIT opt level 0-3 (default 0: compiling is the cost)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="a case running longer is killed and reported as a crash (default 120; at most 86400)",
    )
    p.add_argument("--no-shrink", action="store_true", help="write failing cases unshrunk")
    p.add_argument(
        "--shrink-checks",
        type=int,
        default=150,
        metavar="N",
        help="at most N smaller candidates are checked when shrinking a case (default 150)",
    )
    p.add_argument(
        "--progress",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="print progress every SECONDS on stderr (0: never; default 10; at most 86400)",
    )
    p.add_argument(
        "--cases-per-worker",
        type=int,
        default=500,
        metavar="N",
        help="replace each worker process after N cases (default 500)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the campaign on the dask.distributed cluster at ADDRESS "
        "(e.g. tcp://host:8786; docs/reliability.md)",
    )
    p.add_argument(
        "--campaign",
        default="fuzz-campaign",
        metavar="DIR",
        help="with --scheduler: the campaign directory (results, failures, throughput); "
        "running again resumes it (default fuzz-campaign)",
    )
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)  # internal
    return p


# -- the worker side ---------------------------------------------------------------------------


def run_case(seed: int, index: int, out_dir: str, opt_level: int, shrink_checks: int) -> Report:
    """Checks one case; the report the parent prints and counts. A mismatch is shrunk with at
    most `shrink_checks` candidate checks (0: not shrunk)."""
    from .fuzz_check import VARIANTS, applicable, check_case
    from .fuzz_check import shrink as shrink_case
    from .fuzz_classes import class_of, draw
    from .fuzz_repro import write_reproducer

    case = draw(random.Random(f"{seed}:{index}"), class_of(index))
    runs = len(applicable(VARIANTS, case.program))
    try:
        outcome = check_case(case, opt_level=opt_level)
    except Exception as exc:  # any exception is a bug found, reported as such
        return {"index": index, "status": "error", "detail": f"{type(exc).__name__}: {exc}"}
    if outcome.ok:
        return {"index": index, "status": "ok", "variants": runs}
    report = {
        "index": index,
        "status": "mismatch",
        "variant": outcome.variant,
        "detail": outcome.detail,
    }
    shrink = shrink_checks > 0
    if shrink:
        case, outcome = shrink_case(case, outcome, budget=shrink_checks)
    path = os.path.join(out_dir, f"fuzz-seed{seed}-case{index}.mlir")
    try:
        report["reproducer"] = write_reproducer(path, case, outcome, seed, index, shrunk=shrink)
    except Exception as exc:  # a reproducer that cannot be written is reported, not raised
        report["reproducer_error"] = f"{type(exc).__name__}: {exc}"
    return report


def worker_main(opt_level: int, out_dir: str, shrink_checks: int, max_cases: int) -> int:
    """Reads `seed index` lines, answers one JSON line per case. After `max_cases` cases it
    says so in its last answer and exits: a fresh process bounds the memory that a long run
    leaves behind in the JIT and ctypes caches."""
    done = 0
    for line in sys.stdin:
        seed, index = (int(x) for x in line.split())
        report = run_case(seed, index, out_dir, opt_level, shrink_checks)
        done += 1
        if done >= max_cases:
            report["recycle"] = True
        sys.stdout.write(json.dumps(report) + "\n")
        sys.stdout.flush()
        if done >= max_cases:
            break
    return 0


# -- the parent side ---------------------------------------------------------------------------


@dataclass
class Tally:
    done: int = 0
    variant_runs: int = 0  # variants checked in the cases that matched
    mismatches: list[Report] = field(default_factory=list)
    crashes: list[Report] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Worker:
    """One worker process; replaced when it dies or hangs."""

    def __init__(self, ns):
        self.ns = ns
        self.proc: subprocess.Popen[str] | None = None

    def command(self) -> list[str]:
        cmd = [
            sys.executable,
            "-m",
            "pypto_mlir.tools.fuzz",
            "--worker",
            "--opt-level",
            str(self.ns.opt_level),
            "--out-dir",
            self.ns.out_dir,
            "--cases-per-worker",
            str(self.ns.cases_per_worker),
        ]
        cmd += ["--shrink-checks", str(0 if self.ns.no_shrink else self.ns.shrink_checks)]
        return cmd

    def start(self) -> None:
        self.proc = subprocess.Popen(
            self.command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self._stderr: list[str] = []
        threading.Thread(target=self._drain, args=(self.proc,), daemon=True).start()

    def _drain(self, proc) -> None:
        for line in proc.stderr:
            self._stderr.append(line)
            del self._stderr[:-20]  # the tail is what explains a crash

    def run(self, seed: int, index: int) -> Report:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        proc = self.proc
        # start() opened the worker with pipes for all three streams
        assert proc is not None and proc.stdin is not None and proc.stdout is not None
        timer = threading.Timer(self.ns.timeout, proc.kill)
        timer.start()
        try:
            proc.stdin.write(f"{seed} {index}\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        finally:
            timer.cancel()
        garbled = False
        try:
            report = json.loads(line) if line else None
        except ValueError:  # not our protocol: something in the worker wrote to stdout
            report, garbled = None, True
            proc.kill()
        if isinstance(report, dict):
            if report.pop("recycle", False):  # the worker exits now; the next case starts a new one
                proc.stdin.close()
                proc.wait()
                self.proc = None
            return report
        code = proc.wait()
        self.proc = None
        if garbled or (line and not isinstance(report, dict)):
            why = (
                f"the worker wrote something other than a report on stdout: {line.strip()[:200]!r}"
            )
        elif code == -signal.SIGKILL:
            why = f"killed after the {self.ns.timeout:g} s timeout"
        elif code < 0:
            why = f"the worker died of signal {-code} ({signal.Signals(-code).name})"
        else:
            why = f"the worker exited with status {code}"
        tail = "".join(self._stderr[-5:]).strip()
        return {"index": index, "status": "crash", "detail": why + (f": {tail}" if tail else "")}

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            assert self.proc.stdin is not None  # start() opened it as a pipe
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _record(tally: Tally, report: Report, seed: int) -> None:
    with tally.lock:
        tally.done += 1
        status = report["status"]
        if status == "ok":
            tally.variant_runs += report.get("variants", 0)
            return
        where = f"case {report['index']} (pypto-fuzz --seed {seed} --case {report['index']})"
        if status == "mismatch":
            tally.mismatches.append(report)
            msg = f"{PROG}: MISMATCH in {where}: variant {report['variant']}: {report['detail']}"
            if "reproducer" in report:
                msg += f"; reproducer: {report['reproducer']}"
            elif "reproducer_error" in report:
                msg += f"; no reproducer ({report['reproducer_error']})"
        else:
            tally.crashes.append(report)
            msg = f"{PROG}: CRASH in {where}: {report['detail']}"
        print(msg, file=sys.stderr, flush=True)


def fuzz(ns) -> int:
    indices = [ns.case] if ns.case is not None else list(range(ns.count))
    todo: queue.Queue[int] = queue.Queue()  # case indices
    for i in indices:
        todo.put(i)
    tally = Tally()
    jobs = max(1, min(ns.jobs, len(indices)))
    workers = [Worker(ns) for _ in range(jobs)]

    def drive(worker: Worker) -> None:
        while True:
            try:
                index = todo.get_nowait()
            except queue.Empty:
                return
            _record(tally, worker.run(ns.seed, index), ns.seed)

    start = time.monotonic()
    threads = [threading.Thread(target=drive, args=(w,), daemon=True) for w in workers]
    for t in threads:
        t.start()
    last = start
    while any(t.is_alive() for t in threads):
        for t in threads:
            t.join(timeout=0.2)
        now = time.monotonic()
        if ns.progress and now - last >= ns.progress:
            last = now
            with tally.lock:
                rate = tally.done / (now - start)
                print(
                    f"{PROG}: {tally.done}/{len(indices)} cases, {rate:.2f} cases/s, "
                    f"{len(tally.mismatches)} mismatches, {len(tally.crashes)} crashes",
                    file=sys.stderr,
                    flush=True,
                )
    for w in workers:
        w.stop()
    elapsed = time.monotonic() - start
    if tally.done != len(indices):  # a driver thread died: never report a partial run as clean
        print(
            f"{PROG}: error: only {tally.done} of {len(indices)} cases were checked",
            file=sys.stderr,
            flush=True,
        )
        tally.crashes.append({"index": None, "status": "crash", "detail": "cases not checked"})
    print(
        f"{PROG}: {tally.done} cases (seed {ns.seed}), {tally.variant_runs} variant runs "
        f"matched: {len(tally.mismatches)} mismatches, {len(tally.crashes)} crashes in "
        f"{elapsed:.1f} s ({tally.done / elapsed if elapsed else 0:.2f} cases/s, {jobs} jobs)"
    )
    return 0 if not tally.mismatches and not tally.crashes else 1


def fuzz_on_cluster(ns) -> int:
    from .fuzz_cluster import campaign

    tally = Tally()
    recorded, seconds, workers, reports = campaign(ns, lambda r: _record(tally, r, ns.seed))
    mismatches = sum(r["status"] == "mismatch" for r in reports)
    crashes = len(reports) - mismatches - sum(r["status"] == "ok" for r in reports)
    print(
        f"{PROG}: {recorded} cases (seed {ns.seed}) on {ns.scheduler} in {seconds:.1f} s "
        f"({recorded / seconds if seconds else 0:.2f} cases/s, {workers} workers); campaign "
        f"{ns.campaign}: {len(reports)} of {ns.count} cases done, {mismatches} mismatches, "
        f"{crashes} crashes"
    )
    complete = len(reports) >= ns.count
    return 0 if complete and not mismatches and not crashes else 1


def _run(argv: list[str]) -> int:
    ns = _parser().parse_args(argv)
    if ns.worker:
        shrink_checks = 0 if ns.no_shrink else ns.shrink_checks
        return worker_main(ns.opt_level, ns.out_dir, shrink_checks, ns.cases_per_worker)
    if ns.shrink_checks < 0:
        raise UserError("--shrink-checks must be 0 or more")
    if ns.cases_per_worker < 1:
        raise UserError("--cases-per-worker must be at least 1")
    if ns.count < 1 and ns.case is None:
        raise UserError("--count must be at least 1")
    if ns.case is not None and ns.case < 0:
        raise UserError("--case must be a case index (0 or more)")
    if ns.jobs < 1:
        raise UserError("--jobs must be at least 1")
    if not 0 < ns.timeout <= 86400:  # also refuses nan and inf
        raise UserError("--timeout must be a number of seconds, more than 0 and at most 86400")
    if not 0 <= ns.progress <= 86400:
        raise UserError("--progress must be a number of seconds from 0 (never) to 86400")
    if ns.scheduler is not None:
        if ns.case is not None:
            raise UserError("--case runs one case locally: leave out --scheduler")
        return fuzz_on_cluster(ns)
    return fuzz(ns)


def main(argv=None) -> None:
    exit_with(run_main(PROG, _run, argv))


if __name__ == "__main__":
    main()
