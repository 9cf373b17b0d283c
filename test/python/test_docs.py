"""The docs cannot rot: what they show is run and compared.

* Every ```console block of every page (the READMEs and docs/*.md) is a sequence of `$ COMMAND`
  lines (a heredoc, `<<'EOF' ... EOF`, continues a command over the following lines), each
  followed by its output, stdout and stderr together. A page's commands run as a reader would
  type them: in order, all of them in ONE bash session that starts at the repository root, so a
  `cd` or a file made by one block is seen by the next. Nothing is put on PATH for them: a page
  that uses the console scripts by name activates the venv first (`. .venv/bin/activate`), as
  its reader must. Each output must equal the block.
  (```sh and ```text blocks are not run: set-up commands, machine-specific paths, timings.)
* The ```python blocks of docs/python-api.md (and of docs/integration.md) run in order, as one
  script per page, in a fresh interpreter; their `assert`s are what the page claims.
* Every attribute of the vocabulary has its section in docs/dialect.md, every relative link
  points at a file that exists, and every example kernel passes `pl-default`.

After a deliberate change of output, refresh the blocks with

    .venv/bin/python test/python/test_docs.py --update
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Every page: README.md, corpus/README.md and all of docs/.
DOCS = ["README.md", "corpus/README.md"] + sorted(
    f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")
)
FENCE = re.compile(r"^```([\w-]*)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
HEREDOC = re.compile(r"<<-?\s*'?\"?(\w+)'?\"?")


@dataclass
class ConsoleBlock:
    doc: str
    line: int  # line of the opening fence
    start: int  # offsets of the block body in the file
    end: int
    steps: list[tuple[str, str]]  # [(command, expected output)], run in order
    first: int  # index of its first command among all the commands of its page

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}"


def _blocks(doc: str, lang: str):
    if not (ROOT / doc).exists():
        return
    text = (ROOT / doc).read_text(encoding="utf-8")
    for m in FENCE.finditer(text):
        if m.group(1) == lang:
            yield text, m


def _steps(doc: str, body: str) -> list:
    lines = body.splitlines()
    assert lines and lines[0].startswith("$ "), f"{doc}: a console block must start with '$ '"
    steps = []
    i = 0
    while i < len(lines):
        command = [lines[i][2:]]
        i += 1
        here = HEREDOC.search(command[0])
        if here:
            end = lines.index(here.group(1), i)
            command += lines[i : end + 1]
            i = end + 1
        output = []
        while i < len(lines) and not lines[i].startswith("$ "):
            output.append(lines[i])
            i += 1
        steps.append(("\n".join(command), "\n".join(output)))
    return steps


def console_blocks(doc: str) -> list[ConsoleBlock]:
    blocks: list[ConsoleBlock] = []
    first = 0
    for text, m in _blocks(doc, "console"):
        steps = _steps(doc, m.group(2))
        line = text.count("\n", 0, m.start()) + 1
        blocks.append(ConsoleBlock(doc, line, m.start(2), m.end(2), steps, first))
        first += len(steps)
    return blocks


def _normalize(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


# Printed after each command; the page's output is split at it.
_DONE = "__pypto_docs_command_done__"


@functools.cache
def run_page(doc: str) -> tuple[str, ...]:
    """The output of each console command of `doc`, all run in one bash session in order."""
    commands = [command for block in console_blocks(doc) for command, _ in block.steps]
    own_venv = ROOT / ".venv" / "bin"
    lines = [f"cd {shlex.quote(str(ROOT))}", "exec 2>&1"]
    for command in commands:
        if own_venv != BIN:  # run by another interpreter (e.g. a worktree's): use its tools
            command = command.replace(".venv/bin/", str(BIN) + "/")
        lines += [command, f"printf '\\n%s\\n' {_DONE}"]
    env = dict(os.environ)
    env.pop("PYPTO_DEBUG", None)
    env.pop("VIRTUAL_ENV", None)
    # The reader's shell: the venv's tools are not on PATH until the page activates it.
    path = env.get("PATH", "").split(os.pathsep)
    env["PATH"] = os.pathsep.join(p for p in path if Path(p) != BIN and p != str(own_venv))
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "session.sh"
        script.write_text("\n".join(lines) + "\n", encoding="utf-8")
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", str(script)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,  # a command reading stdin gets EOF, not the next command
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            timeout=1800,
        )
    outputs = proc.stdout.split(f"\n{_DONE}\n")
    assert len(outputs) == len(commands) + 1, (
        f"{doc}: the shell session ended early (after {len(outputs) - 1} of {len(commands)} "
        f"commands); its last output:\n{outputs[-1][-2000:]}"
    )
    return tuple(outputs[:-1])


ALL_CONSOLE = [b for doc in DOCS for b in console_blocks(doc)]


@pytest.mark.slow
@pytest.mark.parametrize("block", ALL_CONSOLE, ids=[b.id for b in ALL_CONSOLE])
def test_console_block(block: ConsoleBlock):
    outputs = run_page(block.doc)
    for i, (command, expected) in enumerate(block.steps):
        assert _normalize(outputs[block.first + i]) == _normalize(expected), (
            f"{block.id}: the output of `{command.splitlines()[0]}` changed; if intended, run "
            f"'python test/python/test_docs.py --update'"
        )


@pytest.mark.parametrize("doc, least", [("docs/python-api.md", 3), ("docs/integration.md", 1)])
def test_python_examples_run(tmp_path, doc, least):
    code = [m.group(2) for _, m in _blocks(doc, "python")]
    assert len(code) >= least, f"{doc} lost its examples"
    script = tmp_path / "python_examples.py"
    script.write_text("\n\n".join(code), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_dialect_doc_covers_the_vocabulary():
    from pypto_mlir.dialect import attrs

    text = (ROOT / "docs/dialect.md").read_text(encoding="utf-8")
    for name in attrs.SPECS:
        assert re.search(rf"^### `{re.escape(name)}`", text, re.M), (
            f"docs/dialect.md: no section for {name}"
        )
    for policy in attrs.POLICIES:
        assert f"`{policy}`" in (ROOT / "docs/policies.md").read_text(encoding="utf-8")


def test_docs_exist():
    for doc in DOCS:
        assert (ROOT / doc).exists(), f"{doc} is missing"


def test_relative_links_resolve():
    link = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
    for doc in filter(lambda d: (ROOT / d).exists(), DOCS):
        base = (ROOT / doc).parent
        for target in link.findall((ROOT / doc).read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (base / target).exists(), f"{doc}: broken link {target}"


@pytest.mark.parametrize("kernel", sorted(p.name for p in (ROOT / "examples").glob("*.mlir")))
def test_example_kernels_pass_pl_default(kernel):
    for policy in ("guarded", "leading_full"):
        proc = subprocess.run(
            [
                str(BIN / "pypto-opt"),
                f"examples/{kernel}",
                "-p",
                f"builtin.module(pl-default{{policy={policy}}})",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0 and not proc.stderr, proc.stderr
        assert "pl.chunk" not in proc.stdout
        # Kernels with chunked loops get split ones (explicit_chunks.mlir has none: it shows
        # chunks written by hand, for the lint).
        chunked = "pl.chunk" in (ROOT / "examples" / kernel).read_text(encoding="utf-8")
        assert ("pl.loop_origin" in proc.stdout) == chunked


def _update() -> None:
    for doc in DOCS:
        path = ROOT / doc
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        bodies = []
        outputs = run_page(doc)
        for block in console_blocks(doc):
            body = ""
            for i, (command, _) in enumerate(block.steps):
                output = _normalize(outputs[block.first + i])
                body += "$ " + command + "\n" + (output + "\n" if output else "")
            bodies.append((block, body))
        for block, body in reversed(bodies):
            text = text[: block.start] + body + text[block.end :]
        path.write_text(text, encoding="utf-8")
        print(f"updated {doc}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        _update()
    else:
        sys.exit(pytest.main([__file__, "-q"]))
