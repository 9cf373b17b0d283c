"""The docs cannot rot: what they show is run and compared.

* Every ```console block of every page (the READMEs and docs/*.md) is a sequence of `$ COMMAND`
  lines (a heredoc, `<<'EOF' ... EOF`, continues a command over the following lines), each
  followed by its output, stdout and stderr together. A page's commands run as a reader would
  type them: in order, all of them in ONE bash session that starts at the repository root, so a
  `cd` or a file made by one block is seen by the next. Nothing is put on PATH for them: a page
  that uses the console scripts by name activates the venv first (`. .venv/bin/activate`), as
  its reader must. Each output must equal the block.
* The ```python blocks of each page run in order, as one script per page, in a fresh
  interpreter, from a scratch directory that sees the repository's files (what an example
  writes lands there); their `assert`s are what the page claims. A block marked
  ```python module=NAME is a file of the package shown whole (relative imports): it runs as the
  module NAME, which later blocks can import.
* ```mlir blocks are parsed with the `pl` dialect and verified (MLIR's verifier and pl-verify).
  ```toml machine blocks are loaded as emulator machine files (other toml blocks are excerpts).
* A block marked `excerpt=PATH` (mlir, toml) is lines of the repository's file PATH, in order;
  a `...` line stands for lines left out.
* ```sh and ```text blocks are not run: set-up commands, machine-specific paths, timings,
  sketches. Any other block (another language, or none) fails the test: mark it or run it.
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
# Every page: README.md, corpus/README.md, bench/README.md and all of docs/.
DOCS = ["README.md", "corpus/README.md", "bench/README.md"] + sorted(
    f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")
)
FENCE = re.compile(r"^```(?P<lang>[\w-]*)(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
# How each kind of block is checked (above), and the words its info string may carry.
CHECKED = {
    "console": set(),
    "python": {"module"},
    "mlir": {"excerpt"},
    "toml": {"machine", "excerpt"},
}
NOT_RUN = {"sh", "text"}
REQUIRED = {"toml": {"machine", "excerpt"}}  # one of these words
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
        if m["lang"] == lang:
            yield text, m


@dataclass
class Fence:
    doc: str
    line: int  # line of the opening fence
    lang: str
    info: dict[str, str]  # the words after the language: key=value, or a flag (value "")
    body: str

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}"


def fences(doc: str) -> list[Fence]:
    if not (ROOT / doc).exists():
        return []
    text = (ROOT / doc).read_text(encoding="utf-8")
    return [
        Fence(
            doc,
            text.count("\n", 0, m.start()) + 1,
            m["lang"],
            dict((w.split("=", 1) + [""])[:2] for w in m["info"].split()),
            m["body"],
        )
        for m in FENCE.finditer(text)
    ]


ALL_FENCES = [f for doc in DOCS for f in fences(doc)]


def _steps(doc: str, body: str) -> list[tuple[str, str]]:
    """The (command, expected output) pairs of a console block's body, in order."""
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
        steps = _steps(doc, m["body"])
        line = text.count("\n", 0, m.start()) + 1
        blocks.append(ConsoleBlock(doc, line, m.start("body"), m.end("body"), steps, first))
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


def _checked_or_marked(f: Fence) -> bool:
    if f.lang in NOT_RUN:
        return True
    if f.lang not in CHECKED or not set(f.info) <= CHECKED[f.lang]:
        return False
    required = REQUIRED.get(f.lang)
    return required is None or bool(required & set(f.info))


def test_every_block_is_run_or_marked():
    unmarked = [
        f"{f.id}: ```{f.lang} {' '.join(f.info)}" for f in ALL_FENCES if not _checked_or_marked(f)
    ]
    assert unmarked == [], "blocks neither checked nor marked ```text or ```sh"


def _scratch_dir(tmp_path: Path) -> Path:
    """A directory that sees the repository's files (links), where examples write theirs."""
    tmp_path.mkdir()
    for entry in ROOT.iterdir():
        if not entry.name.startswith("."):
            (tmp_path / entry.name).symlink_to(entry)
    return tmp_path


def _python_script(doc: str) -> str:
    """The page's python blocks as one script; a traceback names the page and its line."""
    lines = ["import importlib.util, sys", "page = {'__name__': '__main__'}"]
    for f in fences(doc):
        if f.lang != "python":
            continue
        code = "\n" * f.line + f.body  # the body starts on the line after the fence
        name = f.info.get("module")
        if name:  # run as that module of the package (its relative imports resolve)
            lines += [
                f"spec = importlib.util.spec_from_loader({name!r}, None)",
                "m = importlib.util.module_from_spec(spec)",
                f"sys.modules[{name!r}] = m",
                f"exec(compile({code!r}, {doc!r}, 'exec'), m.__dict__)",
            ]
        else:
            lines.append(f"exec(compile({code!r}, {doc!r}, 'exec'), page)")
    return "\n".join(lines) + "\n"


PYTHON_PAGES = sorted({f.doc for f in ALL_FENCES if f.lang == "python"})


@pytest.mark.parametrize("doc", PYTHON_PAGES)
def test_python_examples_run(tmp_path, doc):
    least = {"docs/python-api.md": 3}.get(doc, 1)
    assert sum(f.lang == "python" for f in fences(doc)) >= least, f"{doc} lost its examples"
    script = tmp_path / "python_examples.py"
    script.write_text(_python_script(doc), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(script)],
        cwd=_scratch_dir(tmp_path / "cwd"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _checked(lang: str, flag: str | None = None) -> list[Fence]:
    return [
        f
        for f in ALL_FENCES
        if f.lang == lang and "excerpt" not in f.info and (flag is None or flag in f.info)
    ]


@pytest.mark.parametrize("fence", _checked("mlir"), ids=lambda f: f.id)
def test_mlir_examples_verify(fence):
    from mlir import ir

    from pypto_mlir.dialect.context import make_context
    from pypto_mlir.dialect.verify import verify

    module = ir.Module.parse(fence.body, make_context())
    assert module.operation.verify()
    assert verify(module) == 0, f"{fence.id}: pl-verify reported errors"


@pytest.mark.parametrize("fence", _checked("toml", "machine"), ids=lambda f: f.id)
def test_machine_files_load(tmp_path, fence):
    from pypto_mlir.lowering.emu.machine import load_machine

    path = tmp_path / "machine.toml"
    path.write_text(fence.body, encoding="utf-8")
    load_machine(path)  # MachineError on any key or value it cannot use


EXCERPTS = [f for f in ALL_FENCES if "excerpt" in f.info]


@pytest.mark.parametrize("fence", EXCERPTS, ids=lambda f: f.id)
def test_excerpts_match_their_files(fence):
    text = (ROOT / fence.info["excerpt"]).read_text(encoding="utf-8")
    source = [line.rstrip() for line in text.splitlines()]
    at = 0
    for part in re.split(r"^[ \t]*\.\.\.[ \t]*\n", fence.body, flags=re.M):
        lines = [line.rstrip() for line in part.splitlines()]
        for start in range(at, len(source) - len(lines) + 1):
            if source[start : start + len(lines)] == lines:
                at = start + len(lines)
                break
        else:
            raise AssertionError(f"{fence.id}: not in {fence.info['excerpt']} (in order):\n{part}")


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
    """In process (what pypto-opt does: parse, run, print), collecting the diagnostics: the
    command line itself is test_cli.py's."""
    from mlir import ir

    from pypto_mlir.dialect.context import make_context
    from pypto_mlir.dialect.diagnostics import Diagnostic
    from pypto_mlir.passes import build_pass_manager

    text = (ROOT / "examples" / kernel).read_text(encoding="utf-8")
    for policy in ("guarded", "leading_full"):
        diagnostics: list[Diagnostic] = []
        ctx = make_context(sink=diagnostics.append)
        module = ir.Module.parse(text, ctx)
        build_pass_manager(f"builtin.module(pl-default{{policy={policy}}})", ctx).run(
            module.operation
        )
        assert diagnostics == [], diagnostics
        out = str(module)
        assert "pl.chunk" not in out
        # Kernels with chunked loops get split ones (explicit_chunks.mlir has none: it shows
        # chunks written by hand, for the lint).
        assert ("pl.loop_origin" in out) == ("pl.chunk" in text)


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
