"""`pl-verify`: the pl verifier (dialect/verify.py) as a pass."""

from __future__ import annotations

from dataclasses import dataclass

from ..dialect.verify import verify_or_raise
from .registry import ModulePass, register_pass


@register_pass
@dataclass
class Verify(ModulePass):
    name = "pl-verify"
    summary = "Check every pl.* attribute: its type, its op, its value (located errors)"

    def apply(self, module) -> None:
        verify_or_raise(module.operation)
