#!/usr/bin/env python3
"""Regenerates the measured tables of docs/performance.md, docs/reliability.md,
docs/emulator.md and docs/policies.md.

Each table in those pages sits between two markers naming where it comes from,

    <!-- generated: cpu_policies -->
    ...the table, and a line saying when and by which command it was measured...
    <!-- end generated: cpu_policies -->

and this script reruns that source (a benchmark of bench/, or a fuzz run), takes the table the
source prints, and writes it back between the markers with the date, the command and the
machine. Figures are never typed in by hand, so they cannot drift from what the code measures
or name a commit that no longer means anything.

    .venv/bin/python bench/update_docs.py                  # every table (tens of minutes)
    .venv/bin/python bench/update_docs.py cpu_policies     # one table
    .venv/bin/python bench/update_docs.py --list           # the sources and their pages

Run it on a quiet machine: the benchmarks time things.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def markdown_tables(text: str) -> list[str]:
    """The markdown tables of a program's output, in order (runs of lines starting with '|')."""
    tables: list[str] = []
    current: list[str] = []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            current.append(line.rstrip())
        elif current:
            tables.append("\n".join(current))
            current = []
    return tables


_FUZZ = re.compile(
    r"pypto-fuzz: (?P<cases>\d+) cases \(seed (?P<seed>\d+)\), (?P<runs>\d+) variant runs matched: "
    r"(?P<mismatches>\d+) mismatches, (?P<crashes>\d+) crashes in (?P<secs>[\d.]+) s "
    r"\((?P<rate>[\d.]+) cases/s, (?P<jobs>\d+) jobs?\)"
)


def fuzz_table(text: str) -> list[str]:
    """pypto-fuzz prints one summary line; it becomes the reliability table."""
    m = _FUZZ.search(text)
    if m is None:
        raise SystemExit(f"update_docs: no pypto-fuzz summary line in:\n{text[-2000:]}")
    g = m.groupdict()
    return [
        "| cases | seed | variant runs matched | mismatches | crashes | time | jobs |\n"
        "|---|---|---|---|---|---|---|\n"
        f"| {int(g['cases']):,} | {g['seed']} | {int(g['runs']):,} | {g['mismatches']} | "
        f"{g['crashes']} | {g['secs']} s ({g['rate']} cases/s) | {g['jobs']} |"
    ]


@dataclass(frozen=True)
class Source:
    """A generated table: the page it lives in, the command that measures it, and which of the
    tables the command prints is this one."""

    doc: str
    command: tuple[str, ...]
    table: int = 0
    parse: Callable[[str], list[str]] = markdown_tables


SOURCES = {
    # cpu_policies prints the per-variant table first, then the summary the page shows.
    "cpu_policies": Source("docs/performance.md", ("bench/cpu_policies.py",), table=1),
    "cpu_policies_l2": Source(
        "docs/performance.md",
        (
            "bench/cpu_policies.py",
            "--repeat",
            "101",
            "--kernels",
            "axpy,scale,reduce_sum",
            "--n",
            "65536",
        ),
        table=1,
    ),
    "compile_scale": Source("docs/performance.md", ("bench/compile_scale.py",)),
    "emu": Source("docs/performance.md", ("bench/emu.py",)),
    "frontend_speed": Source("docs/performance.md", ("bench/frontend_speed.py",)),
    "emu_models": Source("docs/emulator.md", ("bench/emu_models.py",)),
    "emu_corpus_models": Source("docs/emulator.md", ("bench/emu_corpus_models.py",)),
    "memory_20mb": Source("docs/reliability.md", ("bench/memory_20mb.py",)),
    "growth": Source("docs/policies.md", ("bench/growth.py",)),
    "fuzz_10k": Source(
        "docs/reliability.md",
        ("pypto-fuzz", "--seed", "2027", "--count", "10000", "--jobs", "2"),
        parse=fuzz_table,
    ),
}


def _argv(command: tuple[str, ...]) -> list[str]:
    first = command[0]
    if first.endswith(".py"):
        return [sys.executable, str(ROOT / first), *command[1:]]
    return [str(BIN / first), *command[1:]]


def _shown(command: tuple[str, ...]) -> str:
    first = command[0]
    shown = f".venv/bin/python {first}" if first.endswith(".py") else f".venv/bin/{first}"
    return " ".join([shown, *command[1:]])


def region(name: str) -> re.Pattern[str]:
    """The generated region of `name` in its page, markers included."""
    return re.compile(
        rf"^<!-- generated: {re.escape(name)} -->\n(?P<body>.*?)^<!-- end generated: "
        rf"{re.escape(name)} -->$",
        re.M | re.S,
    )


def render(name: str, table: str, when: datetime.date) -> str:
    source = SOURCES[name]
    cores = os.cpu_count() or 1
    load = os.getloadavg()[0]  # a busy machine moves timings: say how busy it was
    return (
        f"<!-- generated: {name} -->\n{table}\n\n"
        f"Measured on {when.isoformat()} with `{_shown(source.command)}` "
        f"({cores} cores, load average {load:.1f} at the end; written by "
        f"`bench/update_docs.py {name}`).\n"
        f"<!-- end generated: {name} -->"
    )


def update(name: str, output: str, when: datetime.date) -> None:
    source = SOURCES[name]
    tables = source.parse(output)
    if len(tables) <= source.table:
        raise SystemExit(f"update_docs: {name}: the command printed no table {source.table}")
    path = ROOT / source.doc
    text = path.read_text(encoding="utf-8")
    pattern = region(name)
    if not pattern.search(text):
        raise SystemExit(f"update_docs: {source.doc} has no generated region '{name}'")
    text = pattern.sub(lambda _: render(name, tables[source.table], when), text, count=1)
    path.write_text(text, encoding="utf-8")
    print(f"update_docs: {source.doc}: {name} updated")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "names", nargs="*", help=f"tables to update (default: all of {list(SOURCES)})"
    )
    parser.add_argument("--list", action="store_true", help="list the sources and stop")
    opts = parser.parse_args(argv)
    if opts.list:
        width = max(map(len, SOURCES))
        for name, source in SOURCES.items():
            print(f"{name:<{width}}  {source.doc:<20}  {_shown(source.command)}")
        return 0
    unknown = [n for n in opts.names if n not in SOURCES]
    if unknown:
        parser.error(f"unknown table {', '.join(unknown)} (known: {', '.join(SOURCES)})")
    for name in opts.names or list(SOURCES):
        command = SOURCES[name].command
        print(f"update_docs: running {_shown(command)}", flush=True)
        proc = subprocess.run(_argv(command), cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout + proc.stderr)
            print(f"update_docs: {name}: the command failed (exit {proc.returncode})")
            return 1
        update(name, proc.stdout, datetime.date.today())
    return 0


if __name__ == "__main__":
    sys.exit(main())
