"""Named pipelines, registered like passes."""

from __future__ import annotations

from ..dialect import attrs
from .registry import NamedPipeline, OptionInfo, register_pipeline


def _default(o) -> str:
    split = f"policy={o['policy']}" + (" explain=true" if o["explain"] else "")
    steps = ["pl-verify", f"pl-split-chunked-loops{{{split}}}"]
    if o["unswitch"]:
        steps.append("pl-unswitch-guards")
    # Before canonicalize, which miscounts integer loops whose span overflows their type.
    steps += ["pl-normalize-int-loops", "canonicalize", "cse"]
    return ", ".join(steps)


register_pipeline(
    NamedPipeline(
        name="pl-default",
        summary="pl-verify, pl-split-chunked-loops, pl-unswitch-guards, pl-normalize-int-loops, "
        "canonicalize, cse: what pypto-run applies by default",
        options={
            "policy": OptionInfo(
                "policy",
                str,
                attrs.DEFAULT_POLICY,
                "tail policy for loops without pl.chunk_policy",
                attrs.OPTION_POLICIES,
            ),
            "unswitch": OptionInfo(
                "unswitch", bool, True, "give guarded chunks a fast path (pl-unswitch-guards)", ()
            ),
            "explain": OptionInfo(
                "explain", bool, False, "report each choice of the auto policy as a remark", ()
            ),
        },
        expand=_default,
    )
)
