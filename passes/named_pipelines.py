"""Named pipelines, registered like passes."""

from __future__ import annotations

from ..dialect import attrs
from .registry import NamedPipeline, OptionInfo, register_pipeline
from .split_chunked_loops import DEFAULT_MAX_COPY_DEPTH


def _steps(o, interchange: bool) -> str:
    split = f"policy={o['policy']}" + (" explain=true" if o["explain"] else "")
    if o["max_copy_depth"] != DEFAULT_MAX_COPY_DEPTH:
        split += f" max_copy_depth={o['max_copy_depth']}"
    steps = ["pl-verify", f"pl-split-chunked-loops{{{split}}}"]
    if interchange:  # right after the split: pl-unswitch-guards' fast paths hide the nest
        steps.append("pl-interchange-chunk-loops")
    if o["unswitch"]:
        steps.append("pl-unswitch-guards")
    # Before canonicalize, which miscounts integer loops whose span overflows their type.
    steps += ["pl-normalize-int-loops", "canonicalize", "cse"]
    return ", ".join(steps)


def _default(o) -> str:
    return _steps(o, interchange=False)


def _accelerator(o) -> str:
    return _steps(o, interchange=True)


# pl-default and pl-accelerator take the same options.
_OPTIONS = {
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
    "max_copy_depth": OptionInfo(
        "max_copy_depth",
        int,
        DEFAULT_MAX_COPY_DEPTH,
        "nested chunked loops that may copy their body; deeper ones are split guarded",
        (),
    ),
}

register_pipeline(
    NamedPipeline(
        name="pl-default",
        summary="pl-verify, pl-split-chunked-loops, pl-unswitch-guards, pl-normalize-int-loops, "
        "canonicalize, cse: what pypto-run applies by default on the cpu target",
        options=_OPTIONS,
        expand=_default,
    )
)

register_pipeline(
    NamedPipeline(
        name="pl-accelerator",
        summary="pl-default with pl-interchange-chunk-loops after the split (nested parallel "
        "chunk loops become one grid of tasks): what pypto-run --target emu applies by default",
        options=_OPTIONS,
        expand=_accelerator,
    )
)
