"""A fork server for `pypto-opt`, for the fast lane's lit cases (`make test-fast`).

A `pypto-opt` process spends about 0.2 s of CPU starting: Python, numpy and the MLIR bindings,
then our passes. The fast lane starts it some 80 times. This server starts once, imports
`pypto-opt` and then, for each request of the client (lit_fork_client.py, which lit runs in
place of `pypto-opt` when test_lit.py sets PYPTO_OPT_SERVER), forks: the child takes the
client's standard streams, working directory, environment and arguments, runs `pypto-opt`'s
`main` as the console script would, and exits; the server sends the client the child's exit
status, which the client exits with (a signal as the signal). The child starts from a process
that has created no MLIR context: a fork copies no thread pool.

`make test` (and so CI) runs the real `pypto-opt` processes; only the edit loop takes this
shortcut. Run as `python lit_fork_server.py SOCKET`: it prints "ready" once it listens, and
serves until it is terminated.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

HEADER_BYTES = 1 << 20  # argv, cwd and environment as JSON


def _child(request: dict[str, object], fds: list[int], main) -> None:
    """In the forked child: become the client's `pypto-opt` run; never returns."""
    code = 1
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(str(request["cwd"]))
        env = request["env"]
        assert isinstance(env, dict)
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in env.items()})
        argv = request["argv"]
        assert isinstance(argv, list)
        sys.argv = [str(a) for a in argv]
        try:
            main(sys.argv[1:])
            code = 0
        except SystemExit as stop:  # what the console script's sys.exit(main()) does
            if stop.code is None:
                code = 0
            elif isinstance(stop.code, int):
                code = stop.code
            else:
                print(stop.code, file=sys.stderr)
                code = 1
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe must not change the exit status
                pass
        os._exit(code)


def _warm_up(main, path: str) -> None:
    """One run on an empty module: `main` imports most of the package on its first call (about
    0.12 s), which every child would otherwise repeat. The run leaves no thread behind (its
    context makes none for an empty module; its big-stack thread is joined): a fork copies only
    the calling thread, so the server must have no other when it forks, and checks it."""
    empty = f"{path}.empty.mlir"
    with open(empty, "w") as f:
        f.write("module {}\n")
    try:
        main([empty, "-o", os.devnull])
    except SystemExit as stop:
        if stop.code not in (0, None):
            sys.exit(f"lit_fork_server: the warm-up run failed ({stop.code})")
    finally:
        os.remove(empty)
    # (a joined thread may take a moment to leave the kernel's task list)
    deadline = time.monotonic() + 5
    while len(threads := os.listdir("/proc/self/task")) != 1:
        if time.monotonic() > deadline:
            sys.exit(f"lit_fork_server: {len(threads)} threads after the warm-up; cannot fork")
        time.sleep(0.001)


@contextlib.contextmanager
def running(path: Path, env: dict[str, str]) -> Iterator[dict[str, str]]:
    """A server at `path` while the block runs: yields `env` plus PYPTO_OPT_SERVER, for the
    clients. Its start-up error, if any, is the RuntimeError's message."""
    server = subprocess.Popen(
        [sys.executable, __file__, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "PYTHONUNBUFFERED": "1"},  # as lit runs pypto-opt (lit.cfg.py)
    )
    try:
        if server.stdout is None or server.stdout.readline().strip() != "ready":
            server.kill()
            _, err = server.communicate(timeout=30)
            raise RuntimeError(f"the pypto-opt fork server did not start:\n{err}")
        yield {**env, "PYTHONUNBUFFERED": "1", "PYPTO_OPT_SERVER": str(path)}
    finally:
        server.terminate()
        server.wait(timeout=30)


def serve(path: str) -> None:
    from pypto_mlir.tools.cli import one_blas_thread

    one_blas_thread()  # as pypto-opt's main does, before numpy loads
    from pypto_mlir.tools.opt import main

    _warm_up(main, path)

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path)
    listener.listen(64)
    waiting: dict[int, socket.socket] = {}  # child pid -> its client's connection
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    while True:
        for _ in selector.select(timeout=0.005):
            conn, _addr = listener.accept()
            try:
                header, fds, _flags, _addr = socket.recv_fds(conn, HEADER_BYTES, 3)
                request = json.loads(header)
            except (OSError, ValueError):  # a client that went away: nothing to run
                conn.close()
                continue
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                # the other clients' connections stay the server's: a child that kept one
                # would hold that client's socket (and its streams' pipes) open
                for other in (listener, conn, *waiting.values()):
                    other.close()
                _child(request, fds, main)
            for fd in fds:
                os.close(fd)
            waiting[pid] = conn
        while waiting:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            conn = waiting.pop(pid)
            code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
            try:
                conn.sendall(str(code).encode())
            except OSError:  # the client went away
                pass
            finally:
                conn.close()


if __name__ == "__main__":
    serve(sys.argv[1])
