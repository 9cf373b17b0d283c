"""Pipeline strings (mlir-opt syntax) to a PassManager, mixing our passes and upstream ones.

    builtin.module(pl-split-chunked-loops{policy=leading_full}, canonicalize, func.func(cse))

One parser, used by pypto-opt, pypto-run and the Python API. Our passes are module-level and are
added as Python passes (`pm.add(callable, name=..., argument=...)`, never with `op_name`, which
is broken in these bindings); every other element goes to MLIR's own parser by name.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field

from mlir import ir
from mlir.passmanager import PassManager

from ..dialect.diagnostics import DiagnosedError
from ..dialect.verify import verify_or_raise
from .registry import PASSES, PIPELINES, ModulePass, PipelineError, our_names

_NAME = re.compile(r"[A-Za-z0-9_.\-]+")


@dataclass
class Element:
    """One pipeline element: `name{options}(children)`."""

    name: str
    options: str | None = None
    children: list[Element] | None = None
    raw_options: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        out = self.name
        if self.options is not None:
            out += "{" + self.options + "}"
        if self.children is not None:
            out += "(" + ", ".join(c.text() for c in self.children) + ")"
        return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def fail(self, what: str) -> PipelineError:
        return PipelineError(
            f"malformed pass pipeline '{self.text}': {what} at column {self.pos + 1}"
        )

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        self.skip_ws()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def element(self) -> Element:
        self.skip_ws()
        m = _NAME.match(self.text, self.pos)
        if not m:
            raise self.fail("expected a pass name")
        self.pos = m.end()
        el = Element(m.group(0))
        if self.peek() == "{":
            el.options = self.braced()
            el.raw_options = parse_options(el.options, el.name)
        if self.peek() == "(":
            self.pos += 1
            el.children = self.elements(")")
        return el

    def elements(self, closer: str) -> list[Element]:
        out: list[Element] = []
        if self.peek() == closer:
            self.pos += 1
            return out
        while True:
            out.append(self.element())
            c = self.peek()
            if c == ",":
                self.pos += 1
                continue
            if c == closer:
                self.pos += 1
                return out
            if c == "":
                raise self.fail(f"unbalanced parentheses: missing '{closer}'")
            raise self.fail(f"unexpected '{c}'")

    def braced(self) -> str:
        start = self.pos + 1
        depth, quote = 0, None
        for i in range(self.pos, len(self.text)):
            c = self.text[i]
            if quote:
                if c == quote:
                    quote = None
            elif c in "\"'":
                quote = c
            elif c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    self.pos = i + 1
                    return self.text[start:i]
        raise self.fail("unbalanced braces: missing '}'")


def parse_options(text: str, owner: str) -> dict[str, str]:
    """`k1=v1 k2="v 2" flag` -> {'k1': 'v1', 'k2': 'v 2', 'flag': 'true'}."""
    out: dict[str, str] = {}
    for token in re.findall(r"""(?:[^\s"'{}]+|"[^"]*"|'[^']*'|\{[^}]*\})+""", text):
        key, sep, value = token.partition("=")
        if not key:
            raise PipelineError(f"malformed option '{token}' for '{owner}'")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        out[key] = value if sep else "true"
    return out


def parse(text: str) -> Element:
    """Parses an anchored pipeline `builtin.module(...)`."""
    p = _Parser(text)
    if not p.peek():
        raise PipelineError("empty pass pipeline")
    anchor = p.element()
    if anchor.children is None:
        raise PipelineError(
            f"pass pipeline must be anchored on an op, as in 'builtin.module({text.strip()})'"
        )
    if p.peek():
        raise p.fail(f"unexpected '{p.peek()}' after the pipeline")
    if anchor.name != "builtin.module":
        raise PipelineError(
            f"pipeline anchored on '{anchor.name}': pypto-mlir pipelines run on "
            f"'builtin.module(...)'"
        )
    return anchor


def expand_named(elements: list[Element]) -> list[Element]:
    """Replaces our named pipelines by their elements (recursively)."""
    out: list[Element] = []
    for el in elements:
        named = PIPELINES.get(el.name)
        if named is None:
            out.append(el)
            continue
        if el.children is not None:
            raise PipelineError(f"'{el.name}' is a pipeline and takes no nested elements")
        inner = parse("builtin.module(" + named.elements(el.raw_options) + ")")
        out.extend(expand_named(inner.children or []))
    return out


def _reject_nested_ours(parent: Element) -> None:
    for child in parent.children or []:
        if child.name in PASSES or child.name in PIPELINES:
            kind = "pipeline" if child.name in PIPELINES else "pass"
            raise PipelineError(
                f"'{child.name}' is a module-level {kind} of pypto-mlir: it runs on the "
                f"top-level module only and cannot be nested under '{parent.name}(...)'; list "
                f"it directly in the outermost 'builtin.module(...)' of the pipeline"
            )
        _reject_nested_ours(child)


@contextmanager
def stderr_captured():
    """Collects what MLIR prints on fd 2 (LLVM's option parser, the timing report) so that it
    can join our message, or be reworked: the text is in the list once the block has ended."""
    captured: list[str] = []
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no usable fd 2: nothing to capture
        yield captured
        return
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            yield captured
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            captured.append(tmp.read().decode("utf-8", "replace"))


_UNKNOWN = re.compile(r"'([^']*)' does not refer to a registered pass or pass pipeline")


def unknown_pass_error(name: str) -> PipelineError:
    return PipelineError(
        f"unknown pass or pipeline '{name}' (ours: {', '.join(our_names())}; "
        f"any upstream MLIR pass is accepted by name)",
        unknown_pass=name,
    )


def _mlir_reason(text: str) -> str:
    """The gist of what MLIR said (in the exception and on stderr) when `pm.add` failed."""
    reasons = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("failed to add") or line == "^":
            continue
        if "error:" in line:
            line = line.split("error:", 1)[1]
        elif ": " in line and line.split(": ", 1)[0] in ("", "<Pass-Options-Parser>"):
            line = line.split(": ", 1)[1]  # LLVM's option parser: "<prog>: message"
        elif not line.startswith(("for the", "no such option")):
            continue  # an echo of the pipeline text under a caret
        line = line.strip().rstrip("!").strip()
        if line and line not in reasons:
            reasons.append(line)
    return "; ".join(reasons) or "rejected by MLIR"


def _add_upstream(pm: PassManager, el: Element) -> None:
    _reject_nested_ours(el)
    text = el.text()
    err: list[str] = []
    try:
        with stderr_captured() as err:
            pm.add(text)
    except ValueError as exc:
        said = str(exc) + "\n" + "".join(err)
        unknown = _UNKNOWN.search(said)
        if unknown:
            raise unknown_pass_error(unknown.group(1)) from None
        raise PipelineError(f"invalid pipeline element '{text}': {_mlir_reason(said)}") from None
    if "".join(err).strip():  # not an error: let the user see it
        sys.stderr.write("".join(err))


def pass_runner(p: ModulePass, verify_after: bool = True):
    """The callable given to `PassManager.add` for one of our passes."""

    def run(op, pass_):
        try:
            p.apply(op)
            if verify_after and not p.preserves_pl_validity:
                verify_or_raise(op)
        except DiagnosedError:
            pass_.signal_pass_failure()

    return run


def add_pass(pm: PassManager, p: ModulePass, verify_after: bool = True) -> None:
    pm.add(
        pass_runner(p, verify_after), name=type(p).__name__, argument=p.name, description=p.summary
    )


def add_elements(pm: PassManager, text: str, verify_after: bool = True) -> None:
    """Adds the elements of a pipeline (anchored `builtin.module(...)`, or a bare element list)
    to `pm`, a PassManager on `builtin.module` that may be the user's own."""
    anchor = parse(text if _is_anchored(text) else f"builtin.module({text})")
    for el in expand_named(anchor.children or []):
        cls = PASSES.get(el.name)
        if cls is None:
            _add_upstream(pm, el)
            continue
        if el.children is not None:
            raise PipelineError(f"'{el.name}' is a pass and takes no nested elements")
        add_pass(pm, cls.from_options(el.raw_options), verify_after)


def _is_anchored(text: str) -> bool:
    m = _NAME.match(text.strip())
    return (
        m is not None
        and m.group(0) == "builtin.module"
        and text.strip()[m.end() :].lstrip().startswith("(")
    )


def build_pass_manager(
    text: str, context: ir.Context | None = None, verify_each: bool = True
) -> PassManager:
    """A PassManager on `builtin.module` for an anchored pipeline string that mixes our passes
    and upstream ones, on `context` (yours, or the current one). `PassManager.parse` cannot see
    Python passes; this is the function that can. `verify_each=False`: neither MLIR's verifier
    nor pl-verify runs between passes (mlir-opt's --verify-each=0)."""
    parse(text)  # anchored, well-formed
    pm = PassManager("builtin.module", context)
    add_elements(pm, text, verify_after=verify_each)
    if not verify_each:
        pm.enable_verifier(False)
    return pm


def describe_pass_manager(pm: PassManager) -> str:
    """The pipeline of `pm` as mlir-opt's --dump-pass-pipeline prints it: one element per line,
    nested pipelines indented, upstream passes with all their options."""
    anchor = parse(str(pm))

    def lines(el: Element, depth: int) -> list[str]:
        pad = "  " * depth
        head = el.name + ("{" + el.options + "}" if el.options is not None else "")
        if el.children is None:
            return [pad + head]
        out = [pad + head + "("]
        children = [lines(c, depth + 1) for c in el.children]
        for i, child in enumerate(children):
            if i + 1 < len(children):
                child[-1] += ","
            out.extend(child)
        return out + [pad + ")"]

    count = len(anchor.children or [])
    return f"Pass Manager with {count} passes:\n" + "\n".join(lines(anchor, 0)) + "\n\n"
