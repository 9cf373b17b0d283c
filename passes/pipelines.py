"""Named pipelines, registered like passes."""

from __future__ import annotations

from ..dialect import attrs
from .registry import NamedPipeline, OptionInfo, register_pipeline


def _default(o) -> str:
    steps = ["pl-verify", f"pl-split-chunked-loops{{policy={o['policy']}}}"]
    if o["unswitch"]:
        steps.append("pl-unswitch-guards")
    # Before canonicalize, which miscounts integer loops whose span overflows their type.
    steps += ["pl-normalize-int-loops", "canonicalize", "cse"]
    return ", ".join(steps)


register_pipeline(NamedPipeline(
    name="pl-default",
    summary="pl-verify, pl-split-chunked-loops, pl-unswitch-guards, pl-normalize-int-loops, "
            "canonicalize, cse: what pypto-run applies by default",
    options={
        "policy": OptionInfo("policy", str, attrs.DEFAULT_POLICY,
                             "tail policy for loops without pl.chunk_policy", attrs.POLICIES),
        "unswitch": OptionInfo("unswitch", bool, True,
                               "give guarded chunks a fast path (pl-unswitch-guards)", ()),
    },
    expand=_default,
))
