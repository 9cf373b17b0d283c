"""The `pl` verifier: every `pl.*` attribute has the type of its row, on the ops of its row.

IRDL cannot check discardable attributes, so this is ours. Each problem is a located error
emitted through MLIR; `verify` reports all of them and returns how many there were.
"""

from __future__ import annotations

import difflib

from mlir import ir

from . import attrs
from .diagnostics import DiagnosedError, emit_error
from .static_values import constant_int

DESCENDING_HINT = (
    "scf.for needs a positive step: write a descending loop as an ascending loop over its trip "
    "count k and compute iv = start + k * step in the body (the form the builder API emits for "
    "PyPTO's range(start, stop, step) with a negative step)"
)


def _check_value(spec: attrs.AttrSpec, attr: ir.Attribute) -> str | None:
    """Why `attr` is not a valid value for `spec`, or None."""
    if spec.kind == "int":
        t = attr.type if isinstance(attr, ir.IntegerAttr) else None
        ok = t is not None and (
            isinstance(t, ir.IndexType)
            or (ir.IntegerType(t).width == 64 and ir.IntegerType(t).is_signless)
        )
        if not ok:
            return f"'{spec.name}' expects an integer (i64, or index), got {attr}"
        if spec.name == attrs.CHUNK.name and ir.IntegerAttr(attr).value <= 0:
            return f"'{spec.name}' must be a positive integer, got {ir.IntegerAttr(attr).value}"
    elif spec.kind == "string":
        if not isinstance(attr, ir.StringAttr):
            return f"'{spec.name}' expects a string, got {attr}"
        value = ir.StringAttr(attr).value
        if spec.choices and value not in spec.choices:
            allowed = ", ".join(f'"{c}"' for c in spec.choices)
            return f"'{spec.name}' must be one of {allowed}, got \"{value}\""
    elif spec.kind == "unit" and not isinstance(attr, ir.UnitAttr):
        return f"'{spec.name}' is a unit attribute (write it without a value), got {attr}"
    return None


def check_op(op: ir.Operation, names: list[str]) -> int:
    """Checks the `pl.*` attributes `names` of one op; returns the number of errors emitted."""
    errors = 0
    op_attrs = op.attributes
    for name in names:
        spec = attrs.SPECS.get(name)
        if spec is None:
            close = difflib.get_close_matches(name, attrs.SPECS, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            emit_error(op, f"unknown attribute '{name}' in the pl namespace{hint}")
            errors += 1
            continue
        if op.name not in spec.on:
            on = " or ".join(f"'{o}'" for o in spec.on)
            emit_error(op, f"'{name}' is only valid on {on}, not on '{op.name}'")
            errors += 1
            continue
        why = _check_value(spec, op_attrs[name])
        if why is not None:
            emit_error(op, why)
            errors += 1
    if op.name == "scf.for" and attrs.CHUNK_POLICY.name in names and attrs.CHUNK.name not in names:
        emit_error(
            op, f"'{attrs.CHUNK_POLICY.name}' requires '{attrs.CHUNK.name}' on the same loop"
        )
        errors += 1
    if errors == 0 and op.name == "scf.for" and attrs.CHUNK.name in names:
        step = constant_int(op.operands[2])
        if step is not None and step <= 0:
            emit_error(
                op,
                f"chunked loop has constant step {step}, which is not positive",
                notes=[DESCENDING_HINT],
            )
            errors += 1
    return errors


def verify(root) -> int:
    """Checks every `pl.*` attribute below (and on) `root`; returns the number of errors."""
    root = root.operation if hasattr(root, "operation") else root
    found: list[tuple[ir.Operation, list[str]]] = []

    def visit(op):
        names = [n for n in op.attributes if n.startswith("pl.")]
        if names:
            found.append((op, names))
        return ir.WalkResult.ADVANCE

    root.walk(visit)
    return sum(check_op(op.operation, names) for op, names in found)


def verify_or_raise(root) -> None:
    if verify(root):
        raise DiagnosedError("invalid pl attributes")
