"""The one place where pypto-mlir creates MLIR Contexts.

A Context made here has every upstream dialect available (the bindings register them), the `pl`
dialect loaded exactly once, and a diagnostic engine attached (see diagnostics.py).
"""

from __future__ import annotations

import os

from mlir import ir
from mlir.dialects import irdl

from . import diagnostics

IRDL_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pl.irdl.mlir")


def irdl_path() -> str:
    """Path of the shipped IRDL definition (for `mlir-opt --irdl-file=`)."""
    return IRDL_PATH


def has_pl(ctx: ir.Context) -> bool:
    try:
        ctx.dialects["pl"]
    except IndexError:
        return False
    return True


def load_pl(ctx: ir.Context) -> None:
    """Registers `pl` in `ctx` unless it is there already.

    Loading an IRDL dialect twice aborts the process, so this is the only loader, and it checks.
    Safe to call on a user's own Context.
    """
    if has_pl(ctx):
        return
    with open(IRDL_PATH, encoding="utf-8") as f:
        text = f.read()
    with ctx:
        irdl.load_dialects(ir.Module.parse(text))


def make_context(
    allow_unregistered_dialects: bool = False, sink: diagnostics.Sink | None = None
) -> ir.Context:
    """A ready Context: `pl` loaded, diagnostics collected by a DiagnosticEngine.

    `sink` receives every finished top-level diagnostic; by default they print to stderr.
    """
    ctx = ir.Context()
    ctx.allow_unregistered_dialects = allow_unregistered_dialects
    load_pl(ctx)
    diagnostics.DiagnosticEngine(ctx, sink)
    return ctx
