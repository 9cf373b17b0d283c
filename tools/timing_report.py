"""`--mlir-timing` as mlir-opt prints it: MLIR's execution time report of the pass manager,
with the rows that mlir-opt adds around it, `Parser` first and `Output` after the passes.

The bindings' PassManager prints its own report when it is destroyed: passes, and "Rest" for
everything else since timing was enabled. pypto-opt enables it before parsing, captures that
text, and moves its parse and print times out of "Rest" into their own rows here.
"""

from __future__ import annotations

import re

_ROW = re.compile(r"^(\s*)(\d+\.\d+) \(\s*(\d+\.\d+)%\)(\s+)(.*)$")
_TOTAL_LINE = re.compile(r"Total Execution Time: (\d+\.\d+) seconds")


def _row(indent: str, seconds: float, total: float, gap: str, name: str) -> str:
    share = 100.0 * seconds / total if total > 0 else 0.0
    return f"{indent}{seconds:.4f} ({share:5.1f}%){gap}{name}"


def merge_timing(report: str, parser_s: float, output_s: float) -> str:
    """`report` (MLIR's text, wall-time column only) with Parser and Output rows taken out of
    "Rest", and every percentage recomputed. Text that is not a report comes back unchanged."""
    total_m = _TOTAL_LINE.search(report)
    if total_m is None:
        return report
    total = float(total_m.group(1))
    lines = report.split("\n")
    rows = [(i, m) for i, m in ((i, _ROW.match(line)) for i, line in enumerate(lines)) if m]
    if not rows:
        return report
    indent = " " * min(len(m.group(1)) for _, m in rows)
    gap = rows[0][1].group(4)
    # Parser before the first row; Output after the passes, before "Rest" (or "Total").
    top = {m.group(5): i for i, m in rows if m.group(1) == indent}
    output_before = top.get("Rest", top.get("Total", len(lines)))
    total_line = next(i for i, line in enumerate(lines) if _TOTAL_LINE.search(line))
    out: list[str] = []
    for i, line in enumerate(lines):
        if i == rows[0][0]:
            out.append(_row(indent, parser_s, total, gap, "Parser"))
        if i == output_before:
            out.append(_row(indent, output_s, total, gap, "Output"))
        m = _ROW.match(line)
        if i == total_line:
            line = line.replace(total_m.group(1), f"{total:.4f}")
        elif m is not None:
            seconds = float(m.group(2))
            if m.group(5) == "Rest" and m.group(1) == indent:
                seconds = max(seconds - parser_s - output_s, 0.0)
            line = _row(m.group(1), seconds, total, m.group(4), m.group(5))
        out.append(line)
    return "\n".join(out)
