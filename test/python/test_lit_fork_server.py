"""The fast lane's pypto-opt fork server (test/lit_fork_server.py, lit_fork_client.py) behaves
as the real pypto-opt: the same output, errors and exit status, reading standard input, in the
working directory it is run from, and in a pipe of two (whose client must not wait on a socket
a later child still holds). `make test` runs this; only `make test-fast` uses the server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import lit_fork_server
import pytest
from store_loop import store_loop

# The fast lane runs its lit cases through the server (a broken one fails them there); `make
# test`, which runs the real pypto-opt, checks the server against it.
pytestmark = pytest.mark.slow

TEST = Path(__file__).resolve().parents[1]
TOOL = str(Path(sys.executable).parent / "pypto-opt")
CHUNKED = store_loop("f", "pl.chunk = 4 : i64")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[dict[str, str]]:
    path = tmp_path_factory.mktemp("fork") / "pypto-opt.sock"
    with lit_fork_server.running(path, dict(os.environ)) as env:
        yield env


def _client(*args: str) -> list[str]:
    return [sys.executable, "-S", str(TEST / "lit_fork_client.py"), TOOL, *args]


def _both(args: list[str], env: dict[str, str], cwd: Path, stdin: str | None = None):
    real = subprocess.run(
        [TOOL, *args], input=stdin, capture_output=True, text=True, cwd=cwd, timeout=120
    )
    forked = subprocess.run(
        _client(*args), input=stdin, capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )
    return real, forked


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["in.mlir", "-p", "builtin.module(pl-split-chunked-loops{policy=leading_full})"], None),
        (["-", "-p", "builtin.module(pl-default)"], CHUNKED),  # standard input
        (["in.mlir", "-p", "builtin.module(no-such-pass)"], None),  # an error: exit 1
        (["missing.mlir"], None),
        (["in.mlir", "-p", "builtin.module(canonicalize)", "-o", "out.mlir"], None),  # a file
    ],
)
def test_a_forked_run_is_the_real_run(server, tmp_path, args, stdin):
    (tmp_path / "in.mlir").write_text(CHUNKED)
    real, forked = _both(args, server, tmp_path, stdin)
    out = tmp_path / "out.mlir"
    real_file = out.read_text() if out.exists() else None
    if out.exists():
        out.unlink()
        _both(args, server, tmp_path, stdin)  # once more, for the forked run's file
    assert forked.returncode == real.returncode
    assert forked.stdout == real.stdout
    assert forked.stderr == real.stderr
    if real_file is not None:
        assert out.read_text() == real_file
    if "no-such-pass" in args[-1]:
        assert real.returncode == 1 and "no-such-pass" in real.stderr


def test_a_pipe_of_two_forked_runs_ends(server, tmp_path):
    """The first client waits for its run's status while the second run reads the first's
    output: the second child must not hold the first client's socket (it did: a deadlock)."""
    (tmp_path / "in.mlir").write_text(CHUNKED)
    split = "builtin.module(pl-split-chunked-loops)"
    line = f"{' '.join(_client('in.mlir', '-p', split))} | {' '.join(_client('-'))}"
    real = subprocess.run(
        f"{TOOL} in.mlir -p '{split}' | {TOOL} -",
        shell=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    forked = subprocess.run(
        line.replace(split, f"'{split}'"),
        shell=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=server,
        timeout=60,
    )
    assert forked.returncode == real.returncode == 0
    assert forked.stdout == real.stdout and "chunk_inner" in real.stdout


def test_without_a_server_the_client_is_the_real_tool(tmp_path):
    (tmp_path / "in.mlir").write_text(CHUNKED)
    env = {k: v for k, v in os.environ.items() if k != "PYPTO_OPT_SERVER"}
    got = subprocess.run(_client("--version"), capture_output=True, text=True, env=env, timeout=60)
    real = subprocess.run([TOOL, "--version"], capture_output=True, text=True, timeout=60)
    assert got.returncode == real.returncode == 0 and got.stdout == real.stdout
