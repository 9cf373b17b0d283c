"""`--verify-diagnostics`: match the diagnostics a run produced against `// expected-*` comments,
as mlir-opt does.

    // expected-error @below {{substring of the message}}
    // expected-warning @+2 {{...}}     expected-remark @above   expected-note @-1   @unknown
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dialect.diagnostics import Diagnostic

_EXPECTED = re.compile(
    r"expected-(error|warning|remark|note)\s*(@(?:below|above|unknown|[+-]\d+))?\s*\{\{(.*?)\}\}")


@dataclass
class Expectation:
    severity: str
    line: int | None  # None: a diagnostic without location (@unknown)
    text: str
    at_line: int  # where the comment is
    at_col: int
    matched: bool = False


def parse_expectations(text: str) -> tuple[list[Expectation], list[tuple[int, int, str]]]:
    """The expectations of a file, and (line, col, message) for each malformed one."""
    out: list[Expectation] = []
    problems: list[tuple[int, int, str]] = []
    lines = text.splitlines()
    pending_below: list[Expectation] = []
    for n, line in enumerate(lines, start=1):
        comment = line.find("//")
        if pending_below and line.strip() and not line.strip().startswith("//"):
            for e in pending_below:
                e.line = n
            pending_below = []
        if comment < 0 or "expected-" not in line[comment:]:
            continue
        for m in _EXPECTED.finditer(line, comment):
            sev, where, msg = m.group(1), m.group(2), m.group(3)
            e = Expectation(sev, n, msg, n, m.start() + 1)
            if where == "@below":
                pending_below.append(e)
            elif where == "@above":
                e.line = _previous_code_line(lines, n)
            elif where == "@unknown":
                e.line = None
            elif where:
                e.line = n + int(where[1:])
            out.append(e)
        if "expected-" in line[comment:] and not _EXPECTED.search(line, comment):
            problems.append((n, comment + 1, "malformed expected-* directive (want "
                             "'expected-error @below {{text}}')"))
    for e in pending_below:
        problems.append((e.at_line, e.at_col, f"expected-{e.severity} @below has no line below it"))
        out.remove(e)
    return out, problems


def _previous_code_line(lines: list[str], n: int) -> int:
    for k in range(n - 1, 0, -1):
        s = lines[k - 1].strip()
        if s and not s.startswith("//"):
            return k
    return n - 1


def check(file: str, text: str, produced: list[Diagnostic]) -> list[str]:
    """Messages for every unmet expectation and every unexpected diagnostic (empty: all good)."""
    expectations, problems = parse_expectations(text)
    errors = [f"{file}:{line}:{col}: error: {msg}" for line, col, msg in problems]
    flat: list[Diagnostic] = []
    for d in produced:
        flat.append(d)
        flat.extend(d.notes)
    for d in flat:
        line = d.line if d.file == file else None
        if d.file is not None and d.file != file:
            line = -1  # another file: cannot be expected here
        match = next((e for e in expectations if not e.matched and e.severity == d.severity
                      and e.line == line and e.text in d.message), None)
        if match is not None:
            match.matched = True
            continue
        errors.append(f"{d.where or file + ':0:0: '}error: unexpected {d.severity}: {d.message}")
    for e in expectations:
        if not e.matched:
            errors.append(f"{file}:{e.at_line}:{e.at_col}: error: expected {e.severity} "
                          f"\"{e.text}\" was not produced")
    return errors
