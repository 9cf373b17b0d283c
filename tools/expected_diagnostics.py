"""`--verify-diagnostics`: match the diagnostics a run produced against `// expected-*` comments,
as mlir-opt does.

    // expected-error @below {{substring of the message}}
    // expected-warning @+2 {{...}}     expected-remark @above   expected-note @-1   @unknown
    // expected-error-re {{op has {{[0-9]+}} operands}}      (regex inside the inner {{ }})

`@below` is the next line without an expected-* directive, `@above` the previous one; `@+N` and
`@-N` count from the directive's own line; no designator means the directive's line. Each
expectation matches one diagnostic (errors, warnings, remarks and the notes attached to them).
Problems are reported as mlir-opt does: `unexpected error: ...` at the diagnostic's location, and
`expected error "..." was not produced` at the directive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dialect.diagnostics import ERROR, Diagnostic

_DIRECTIVE = re.compile(
    r"expected-(error|warning|remark|note)(-re)? *(@(?:below|above|unknown|[+-]\d+))? *"
    r"\{\{(.*)\}\}\s*$"
)
_MENTION = re.compile(r"//\s*(expected-(?:error|warning|remark|note))\b")

# mlir-opt turns off "see current operation" notes under --verify-diagnostics; the bindings
# cannot, so they are dropped here.
_OP_DUMP_NOTE = "see current operation: "


@dataclass
class Expectation:
    severity: str
    line: int | None  # None: a diagnostic without location (@unknown)
    text: str
    at_line: int  # where the directive is
    at_col: int
    regex: re.Pattern[str] | None = None
    matched: bool = False

    def matches(self, message: str) -> bool:
        if self.regex is not None:
            return self.regex.search(message) is not None
        return self.text in message


def _compile(text: str) -> re.Pattern[str]:
    """`-re` text: literal outside `{{...}}`, a regular expression inside."""
    parts, pos = [], 0
    while True:
        start = text.find("{{", pos)
        if start < 0:
            parts.append(re.escape(text[pos:]))
            break
        end = text.find("}}", start + 2)
        if end < 0:
            raise re.error("missing '}}'")
        parts.append(re.escape(text[pos:start]))
        parts.append("(?:" + text[start + 2 : end] + ")")
        pos = end + 2
    return re.compile("".join(parts))


def parse_expectations(
    lines: list[str], first_line: int = 1
) -> tuple[list[Expectation], list[tuple[int, int, str]]]:
    """The expectations in `lines` (whose first line is line `first_line` of the file), and
    (line, col, message) for each malformed directive."""
    out: list[Expectation] = []
    problems: list[tuple[int, int, str]] = []
    pending_below: list[Expectation] = []
    has_directive = [bool(_DIRECTIVE.search(text)) for text in lines]
    for i, line in enumerate(lines):
        n = first_line + i
        m = _DIRECTIVE.search(line)
        if m is None:
            for e in pending_below:
                e.line = n
            pending_below = []
            mention = _MENTION.search(line)
            if mention:
                problems.append(
                    (
                        n,
                        mention.start(1) + 1,
                        "malformed expected-* directive (want 'expected-error @below {{text}}')",
                    )
                )
            continue
        sev, is_re, where, text = m.groups()
        e = Expectation(sev, n, text, n, m.start() + 1)
        if is_re:
            try:
                e.regex = _compile(text)
            except re.error as exc:
                problems.append((n, m.start() + 1, f"invalid regex in expected-{sev}-re: {exc}"))
                continue
        if where == "@below":
            pending_below.append(e)
        elif where == "@above":
            e.line = next(
                (first_line + k for k in range(i - 1, -1, -1) if not has_directive[k]), None
            )
            if e.line is None:
                problems.append((n, e.at_col, f"expected-{sev} @above has no line above it"))
                continue
        elif where == "@unknown":
            e.line = None
        elif where:
            e.line = n + int(where[1:])
        out.append(e)
    for e in pending_below:
        problems.append((e.at_line, e.at_col, f"expected-{e.severity} @below has no line below it"))
        out.remove(e)
    return out, problems


def check(
    file: str,
    lines: list[str],
    first_line: int,
    produced: list[Diagnostic],
    only_expected: bool = False,
) -> list[Diagnostic]:
    """Checks the diagnostics `produced` while processing `lines` (one split of `file`, starting
    at line `first_line`) against its directives. Returns one error per unexpected diagnostic
    (unless `only_expected`, mlir-opt's --verify-diagnostics=only-expected) and per unmet
    expectation (empty: all good)."""
    expectations, problems = parse_expectations(lines, first_line)
    errors = [Diagnostic(ERROR, msg, file, line, col) for line, col, msg in problems]
    flat: list[Diagnostic] = []
    for d in produced:
        flat.append(d)
        flat.extend(n for n in d.notes if not n.message.startswith(_OP_DUMP_NOTE))
    for d in flat:
        if d.file is None:
            line = None
        elif d.file == file:
            line = d.line
        else:
            line = -1  # another file: cannot be expected here
        match = next(
            (
                e
                for e in expectations
                if not e.matched
                and e.severity == d.severity
                and e.line == line
                and e.matches(d.message)
            ),
            None,
        )
        if match is not None:
            match.matched = True
            continue
        if only_expected:
            continue
        errors.append(
            Diagnostic(ERROR, f"unexpected {d.severity}: {d.message}", d.file, d.line, d.col)
        )
    for e in expectations:
        if not e.matched:
            errors.append(
                Diagnostic(
                    ERROR,
                    f'expected {e.severity} "{e.text}" was not produced',
                    file,
                    e.at_line,
                    e.at_col,
                )
            )
    return errors
