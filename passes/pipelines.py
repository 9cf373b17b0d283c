"""Named pipelines, registered like passes."""

from __future__ import annotations

from ..dialect import attrs
from .registry import NamedPipeline, OptionInfo, register_pipeline

register_pipeline(NamedPipeline(
    name="pl-default",
    summary="pl-verify, pl-split-chunked-loops, canonicalize, cse: what pypto-run applies by default",
    options={"policy": OptionInfo("policy", str, attrs.DEFAULT_POLICY,
                                  "tail policy for loops without pl.chunk_policy", attrs.POLICIES)},
    expand=lambda o: f"pl-verify, pl-split-chunked-loops{{policy={o['policy']}}}, canonicalize, cse",
))
