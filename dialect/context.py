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
    return _has_dialect(ctx, "pl")


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


def load_irdl_file(ctx: ir.Context, path: str) -> None:
    """Loads the dialects an IRDL file defines into `ctx` (mlir-opt's --irdl-file). A dialect
    already in `ctx` is skipped when it is `pl` from our own file (mlir-opt command lines pass
    it) and an error otherwise: loading a dialect twice would abort the process. Raises
    DiagnosedError after a located error, or OSError."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    ours = os.path.exists(IRDL_PATH) and os.path.samefile(path, IRDL_PATH)
    with ctx:
        top = ir.Operation.parse(text, source_name=path).operation
        # A file holds one irdl.dialect or a module of them: load_dialects wants a Module.
        ops = (
            [o.operation for o in top.regions[0].blocks[0].operations]
            if top.name == "builtin.module"
            else [top]
        )
        definition = ir.Module.create(ir.Location.file(path, 0, 0))
        for op in ops:
            if op is not top:
                op.detach_from_parent()
            definition.body.append(op)
        for op in [o for o in ops if o.name == "irdl.dialect"]:
            name = ir.StringAttr(op.attributes["sym_name"]).value
            if _has_dialect(ctx, name):
                if name == "pl" and ours:
                    op.erase()  # top-level, no uses: safe; no handle to it is kept
                    continue
                diagnostics.emit_error(
                    op, f"dialect '{name}' is already loaded; an IRDL file cannot redefine it"
                )
                raise diagnostics.DiagnosedError(f"cannot load '{path}'")
        irdl.load_dialects(definition)


def _has_dialect(ctx: ir.Context, name: str) -> bool:
    try:
        ctx.dialects[name]
    except IndexError:
        return False
    return True
