"""Diagnostics in MLIR's format, for MLIR's own and for ours.

The bindings can emit only errors (`Location.emit_error`). Errors of our passes go through MLIR
like any other; warnings, remarks and notes are ours. A DiagnosticEngine attached to a Context
(contexts made by `context.make_context` have one) receives both kinds, keeps them in order and
hands each finished diagnostic to a sink: by default it prints `file:line:col: severity: message`
with the source line and a caret, as mlir-opt does. `--verify-diagnostics` uses another sink.

On a Context without an engine (a user's own), errors reach whatever handler the user attached
(MLIR prints them by default) and our warnings, remarks and notes print to stderr.
"""

from __future__ import annotations

import functools
import os
import sys
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypeVar

from mlir import ir

ERROR, WARNING, REMARK, NOTE = "error", "warning", "remark", "note"

# What a diagnostic points at: an op or a Location.
Target: TypeAlias = "ir.Operation | ir.OpView | ir.Location"
# A note after a diagnostic: its text (at the diagnostic's place) or (where, text).
Note: TypeAlias = "str | tuple[Target | None, str]"

_MLIR_SEVERITY = {
    ir.DiagnosticSeverity.ERROR: ERROR,
    ir.DiagnosticSeverity.WARNING: WARNING,
    ir.DiagnosticSeverity.REMARK: REMARK,
    ir.DiagnosticSeverity.NOTE: NOTE,
}


class DiagnosedError(Exception):
    """A failure whose cause has already been reported as located diagnostics.

    Raised by our transform functions (`split_chunked_loops(module)`, ...), it carries what was
    reported while the function ran, as `MLIRError.error_diagnostics` does: `diagnostics` (every
    severity, in order) and `error_diagnostics` (the errors), each a `Diagnostic` with
    `severity`, `message`, `location`, `file`, `line`, `col` and `notes`."""

    def __init__(self, message: str = "", diagnostics: Sequence[Diagnostic] = ()):
        super().__init__(message)
        self.diagnostics: list[Diagnostic] = list(diagnostics)

    @property
    def error_diagnostics(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == ERROR]

    def __str__(self) -> str:
        first = next(iter(self.error_diagnostics), None)
        text = super().__str__()
        if first is None:
            return text
        return f"{text}: {first.where}{first.message}" if text else f"{first.where}{first.message}"


@dataclass
class Diagnostic:
    severity: str
    message: str
    file: str | None = None
    line: int = 0
    col: int = 0
    notes: list[Diagnostic] = field(default_factory=list)
    # The MLIR location the diagnostic was reported at (None: unknown, or built by hand).
    location: ir.Location | None = field(default=None, compare=False, repr=False)

    @property
    def where(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}:{self.col}: "


Sink = Callable[[Diagnostic], None]

# A longer source line (generated code, minified input) is not echoed under the message: a
# caret under column 4,000,000 of a 4 MB line helps nobody. (Clang's limit; mlir-opt has none.)
MAX_SOURCE_LINE = 4096


def file_line_col(loc: ir.Location) -> tuple[str, int, int] | None:
    """The file position a location points at, looking through name/callsite/fused locations."""
    if loc.is_a_file():
        return loc.filename, loc.start_line, loc.start_col
    if loc.is_a_name():
        return file_line_col(loc.child_loc)
    if loc.is_a_callsite():
        return file_line_col(loc.callee)
    if loc.is_a_fused():
        for sub in loc.locations:
            found = file_line_col(sub)
            if found is not None:
                return found
    return None


def _location(target: Target) -> ir.Location:
    if isinstance(target, ir.Location):
        return target
    return target.location


def position(target: Target) -> str:
    """Where an op (or Location) is, as diagnostics print it: `file:line:col`."""
    loc = _location(target)
    engine = engine_of(loc.context)
    if engine is not None:
        where = engine.make(NOTE, loc, "").where
    else:
        pos = file_line_col(loc)
        where = "" if pos is None else "{}:{}:{}: ".format(*pos)
    return where.removesuffix(": ") or "an unknown location"


class DiagnosticEngine:
    """Collects the diagnostics of one Context and passes each finished one to a sink."""

    def __init__(self, ctx: ir.Context, sink: Sink | None = None):
        self.sink: Sink = sink or self.print_to_stderr
        # Module.parse names its buffer "-": diagnostics show `buffer_name` instead.
        self.buffer_name = "<stdin>"
        # name -> the text, split into lines on first use (most runs report nothing, and the
        # lines of a large input cost more memory than its text).
        self.sources: dict[str, str | list[str]] = {}
        self._unreadable: set[str] = set()  # files named by locations that cannot be echoed
        self.counts = {ERROR: 0, WARNING: 0, REMARK: 0, NOTE: 0}
        self._notes_for_next_error: list[Diagnostic] = []
        # By default the bindings capture errors raised during parse/pm.run into the MLIRError
        # and never show them to handlers; then our notes would not join their error and the
        # order of ours and MLIR's would be lost. Route everything through the handler instead:
        # the MLIRError then carries no diagnostics (they have been reported here already).
        ctx.emit_error_diagnostics = True
        ctx.attach_diagnostic_handler(self._on_mlir_diagnostic)
        self.ctx_ref = weakref.ref(ctx)
        _ENGINES[ctx] = self

    # -- sources, for the caret line -------------------------------------------------------
    def set_source(self, name: str, text: str) -> None:
        self.buffer_name = name
        self.sources[name] = text

    def source_line(self, name: str | None, line: int) -> str | None:
        key = name or ""
        lines = self.sources.get(key)
        if lines is None and name and name not in self._unreadable:
            lines = _read_source(name)
            if lines is None:
                self._unreadable.add(name)
            else:
                self.sources[name] = lines
        if lines is None:
            return None
        if isinstance(lines, str):
            lines = self.sources[key] = lines.split("\n")  # lines as MLIR counts them
        return lines[line - 1] if 1 <= line <= len(lines) else None

    # -- building Diagnostics ----------------------------------------------------------------
    def make(self, severity: str, loc: ir.Location | None, message: str) -> Diagnostic:
        pos = file_line_col(loc) if loc is not None else None
        if pos is None:
            return Diagnostic(severity, message, location=loc)
        name, line, col = pos
        if name == "-":
            name = self.buffer_name
        return Diagnostic(severity, message, name, line, col, location=loc)

    def _on_mlir_diagnostic(self, d) -> bool:
        try:
            diag = self.make(_MLIR_SEVERITY.get(d.severity, ERROR), d.location, d.message)
            diag.notes = [self.make(NOTE, n.location, n.message) for n in d.notes]
            if diag.severity == ERROR and self._notes_for_next_error:
                diag.notes.extend(self._notes_for_next_error)
                self._notes_for_next_error = []
            self.report(diag)
        except Exception as exc:  # an exception must not cross into C++
            print(f"error: while reporting a diagnostic: {exc}", file=sys.stderr)
        return True

    def report(self, diag: Diagnostic) -> None:
        self.counts[diag.severity] = self.counts.get(diag.severity, 0) + 1
        _record(self.ctx_ref(), diag)
        self.sink(diag)

    # -- printing ----------------------------------------------------------------------------
    def format(self, diag: Diagnostic) -> str:
        out = [f"{diag.where}{diag.severity}: {diag.message}"]
        src = self.source_line(diag.file, diag.line)
        if src is not None and len(src) <= MAX_SOURCE_LINE:
            out.append(src)
            out.append(" " * max(diag.col - 1, 0) + "^")
        # As MLIR's SourceMgrDiagnosticHandler: a note repeats the source line only when it
        # points somewhere else than the diagnostic before it.
        previous = (diag.file, diag.line, diag.col)
        for note in diag.notes:
            here = (note.file, note.line, note.col)
            out.append(
                self.format(note)
                if here != previous
                else f"{note.where}{note.severity}: {note.message}"
            )
            previous = here
        return "\n".join(out)

    def print_to_stderr(self, diag: Diagnostic) -> None:
        print(self.format(diag), file=sys.stderr)


# A file named by a location (e.g. the original of a `--mlir-print-debuginfo` pipe) is echoed
# under the message when it exists and is no larger than this.
MAX_SOURCE_FILE = 64 << 20


def _read_source(name: str) -> str | None:
    """The text of the file `name`, if it is a regular, readable UTF-8 file of sane size."""
    try:
        if not os.path.isfile(name) or os.path.getsize(name) > MAX_SOURCE_FILE:
            return None
        with open(name, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None


# Weak keys: the table must not keep a Context (and all its IR) alive. (The engine holds no
# reference to its Context either; the Context holds the engine through its handler.)
_ENGINES: weakref.WeakKeyDictionary[ir.Context, DiagnosticEngine] = weakref.WeakKeyDictionary()


def engine_of(ctx: ir.Context) -> DiagnosticEngine | None:
    return _ENGINES.get(ctx)


def context_engine(ctx: ir.Context) -> DiagnosticEngine:
    """The engine of a context made by make_context (the tools' contexts always have one)."""
    engine = _ENGINES.get(ctx)
    if engine is None:
        raise ValueError("this context has no diagnostic engine: make it with make_context")
    return engine


def _notes(
    engine: DiagnosticEngine | None, parent: ir.Location, notes: Iterable[Note]
) -> list[Diagnostic]:
    out = []
    for note in notes:
        target, text = (None, note) if isinstance(note, str) else note
        loc = parent if target is None else _location(target)
        if engine is not None:
            out.append(engine.make(NOTE, loc, text))
        else:
            pos = file_line_col(loc)
            out.append(Diagnostic(NOTE, text, *(pos or (None, 0, 0))))
    return out


def emit_error(target: Target, message: str, notes: Sequence[Note] = ()) -> None:
    """An error at an op (or Location), emitted through MLIR; `notes` follow it."""
    loc = _location(target)
    engine = engine_of(loc.context)
    note_diags = _notes(engine, loc, notes)
    if engine is not None:
        engine._notes_for_next_error = note_diags
    try:
        loc.emit_error(message)
    finally:
        if engine is not None:
            engine._notes_for_next_error = []
    if engine is None:
        for n in note_diags:
            print(f"{n.where}note: {n.message}", file=sys.stderr)


def _emit_ours(severity: str, target: Target, message: str, notes: Sequence[Note]) -> None:
    loc = _location(target)
    engine = engine_of(loc.context)
    note_diags = _notes(engine, loc, notes)
    if engine is not None:
        diag = engine.make(severity, loc, message)
        diag.notes = note_diags
        engine.report(diag)
        return
    file, line, col = file_line_col(loc) or (None, 0, 0)
    diag = Diagnostic(severity, message, file, line, col, notes=note_diags, location=loc)
    _record(loc.context, diag)
    print(f"{diag.where}{severity}: {message}", file=sys.stderr)
    for n in note_diags:
        print(f"{n.where}note: {n.message}", file=sys.stderr)


def emit_warning(target: Target, message: str, notes: Sequence[Note] = ()) -> None:
    _emit_ours(WARNING, target, message, notes)


def emit_remark(target: Target, message: str, notes: Sequence[Note] = ()) -> None:
    _emit_ours(REMARK, target, message, notes)


# -- errors that carry their diagnostics -------------------------------------------------------

# Context -> the lists that collect what is reported while a transform function runs.
_COLLECTORS: weakref.WeakKeyDictionary[ir.Context, list[list[Diagnostic]]] = (
    weakref.WeakKeyDictionary()
)


def _record(ctx: ir.Context | None, diag: Diagnostic) -> None:
    if ctx is None:
        return
    for collected in _COLLECTORS.get(ctx, ()):
        collected.append(diag)


def _from_mlir(d: Any) -> Diagnostic:
    file, line, col = file_line_col(d.location) or (None, 0, 0)
    severity = _MLIR_SEVERITY.get(d.severity, ERROR)
    diag = Diagnostic(severity, d.message, file, line, col, location=d.location)
    diag.notes = [_from_mlir(n) for n in d.notes]
    return diag


@contextmanager
def collected_diagnostics(ctx: ir.Context) -> Iterator[list[Diagnostic]]:
    """Collects the diagnostics reported in `ctx` during the block; a DiagnosedError leaving
    the block carries them. On a Context without our engine (a user's own), MLIR's errors are
    collected by a handler that lets them go on to the user's handlers (or MLIR's printing)."""
    collected: list[Diagnostic] = []
    _COLLECTORS.setdefault(ctx, []).append(collected)
    handler = None
    if engine_of(ctx) is None:

        def on_diagnostic(d: Any) -> bool:
            try:
                collected.append(_from_mlir(d))
            except Exception:  # an exception must not cross into C++
                pass
            return False  # not handled: the user's handlers (or MLIR's printer) see it too

        handler = ctx.attach_diagnostic_handler(on_diagnostic)
    try:
        yield collected
    except DiagnosedError as exc:
        if not exc.diagnostics:
            exc.diagnostics = list(collected)
        raise
    finally:
        _COLLECTORS[ctx].remove(collected)
        if handler is not None:
            handler.detach()


F = TypeVar("F", bound=Callable[..., Any])


def carries_diagnostics(fn: F) -> F:
    """For a transform function whose first argument is a Module or an Operation: a
    DiagnosedError it raises carries the diagnostics reported meanwhile."""

    @functools.wraps(fn)
    def wrapper(root: Any, *args: Any, **kwargs: Any) -> Any:
        with collected_diagnostics(root.operation.context):
            return fn(root, *args, **kwargs)

    return wrapper  # type: ignore[return-value]  # functools.wraps keeps fn's signature: F
