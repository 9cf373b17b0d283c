"""The integer rule for a pipeline run as a stage (pypto-opt): where `pl-normalize-int-loops`
goes so that no upstream pass of the pipeline miscounts an integer loop (docs/policies.md).

Upstream `canonicalize` (and `inline`, which canonicalizes; `sccp` and the others fold too)
deletes a loop whose span overflows its type once its bounds are constants. Our passes never
miscount a loop, and none of those upstream passes makes a safe loop unsafe, so the first
upstream pass of a pipeline is the first that can do harm: the rule puts
`pl-normalize-int-loops{exit_values=false}` (what pypto-run runs before a pipeline of the
user's) right before it, unless a `pl-normalize-int-loops` runs earlier (`pl-default` runs one
before its `canonicalize`). Our passes before it (the split above all) see the loops as
written.
"""

from __future__ import annotations

from mlir import ir

from .normalize_int_loops import NormalizeIntLoops, loops_to_normalize
from .pipeline_parser import Element, expand_named, parse
from .registry import PASSES

GUARD = Element(NormalizeIntLoops.name, "exit_values=false")


def _first_exposed(elements: list[Element]) -> int | None:
    """The index of the first element that runs an upstream pass before any
    `pl-normalize-int-loops` has run; None when there is none."""
    for index, element in enumerate(elements):
        for step in expand_named([element]):  # a named pipeline of ours: its own steps
            if step.name == NormalizeIntLoops.name:
                return None
            if step.name not in PASSES:
                return index
    return None


def protected_pipeline(text: str) -> str:
    """`text` (an anchored pipeline, already known to be valid) with `pl-normalize-int-loops
    {exit_values=false}` before its first exposed upstream pass; `text` itself when no upstream
    pass is exposed."""
    anchor = parse(text)
    elements = anchor.children or []
    index = _first_exposed(elements)
    if index is None:
        return text
    protected = [*elements[:index], GUARD, *elements[index:]]
    return Element(anchor.name, anchor.options, protected).text()


def needs_protection(root: ir.Operation) -> bool:
    """Some loop below `root` could be miscounted by an upstream pass once its bounds fold."""
    return bool(loops_to_normalize(root, exit_values=False))
