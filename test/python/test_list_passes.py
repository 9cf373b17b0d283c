"""`pypto-opt --list-passes` lists the upstream passes from a table generated from the pinned
mlir-opt's --help (the bindings cannot enumerate them): the table must be that mlir-opt's, and
every pass in it must be usable through our pipeline parser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mlir import ir
from mlir.passmanager import PassManager

from pypto_mlir.passes import PASSES, PIPELINES
from pypto_mlir.tools.upstream_passes import load, mlir_opt_help, parse_help, render

OPT = str(Path(sys.executable).parent / "pypto-opt")


def test_the_table_is_the_pinned_mlir_opts():
    live = parse_help(mlir_opt_help())
    assert (
        len(live["passes"]) > 200 and ("canonicalize", "Canonicalize operations") in live["passes"]
    )
    assert load() == live, "regenerate: python -m pypto_mlir.tools.upstream_passes"
    assert render(load()) == Path(__file__).parents[2].joinpath(
        "tools", "upstream_passes.txt"
    ).read_text(encoding="utf-8")


def test_every_listed_upstream_pass_is_known_to_the_bindings():
    """Known by name (a pass anchored on another op is refused at the module level, with
    "did you intend to nest?", which names it: it exists)."""
    ctx = ir.Context()
    unknown = []
    for section in ("passes", "pipelines"):
        for name, _ in load()[section]:
            try:
                PassManager("builtin.module", ctx).add(name)
            except ValueError as exc:
                if "does not refer to a registered pass" in str(exc):
                    unknown.append(name)
    assert unknown == []


def test_list_passes_has_ours_then_upstream_sections():
    out = subprocess.run([OPT, "--list-passes"], capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    heads = [i for i, line in enumerate(lines) if not line.startswith(" ")]
    assert [lines[i].split(" (")[0].rstrip(":") for i in heads] == [
        "Passes of pypto-mlir",
        "Pipelines of pypto-mlir",
        "Upstream MLIR passes",
        "Upstream MLIR pass pipelines",
    ]
    listed = {line.split("  -  ")[0].strip() for line in lines if "  -  " in line}
    table = load()
    for name in [*PASSES, *PIPELINES, *(n for s in table.values() for n, _ in s)]:
        assert name in listed, name
    upstream = lines[heads[2] + 1 : heads[3]]
    assert upstream[0] == "  " + "  -  ".join(table["passes"][0])
