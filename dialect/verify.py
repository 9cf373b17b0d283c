"""The `pl` verifier: every `pl.*` attribute has the type of its row, on the ops of its row.

IRDL cannot check discardable attributes, so this is ours. Each problem is a located error
emitted through MLIR; `verify` reports all of them and returns how many there were.
"""

from __future__ import annotations

import difflib

from mlir import ir

from . import attrs
from .diagnostics import DiagnosedError, carries_diagnostics, emit_error
from .ir_queries import block_ops, callee_name, memref_uses, symbol_name, writes_operand
from .static_values import as_type, constant_int, int_width

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
    errors += _check_contract(op, names)
    if errors == 0 and op.name == "scf.for" and attrs.CHUNK.name in names:
        step = constant_int(op.operands[2])
        if step is not None and "unsignedCmp" in op.attributes:
            # An unsigned loop reads its step as unsigned: i8 200 is 200, not -56.
            step = as_type(step, int_width(op.operands[2].type), unsigned=True)
        if step is not None and step <= 0:
            emit_error(
                op,
                f"chunked loop has constant step {step}, which is not positive",
                notes=[DESCENDING_HINT],
            )
            errors += 1
    return errors


def _check_contract(op: ir.Operation, names: list[str]) -> int:
    """The markers of the chunk contract (docs/internals.md) sit where their readers look."""
    why = None
    if op.name == "scf.for" and attrs.GUARDED.name in names:
        if attrs.LOOP_ORIGIN.get(op) != attrs.CHUNK_INNER:
            why = f"'{attrs.GUARDED.name}' requires '{attrs.LOOP_ORIGIN.name} = \"chunk_inner\"'"
    if op.name == "scf.for" and attrs.UNSWITCHED.name in names and why is None:
        if attrs.GUARDED.name not in names:
            why = f"'{attrs.UNSWITCHED.name}' requires '{attrs.GUARDED.name}' on the same loop"
    if op.name == "scf.execute_region" and "no_inline" not in op.attributes:
        marker = next((m.name for m in attrs.REGION_MARKERS if m.name in names), None)
        if marker is not None:
            why = (
                f"'{marker}' requires 'no_inline' (canonicalize inlines the region and drops "
                "the marker otherwise)"
            )
    if op.name == "scf.execute_region" and attrs.PARALLEL.name in names and why is None:
        if attrs.SINGLE_CHUNK.name not in names:
            why = (
                f"'{attrs.PARALLEL.name}' on 'scf.execute_region' requires "
                f"'{attrs.SINGLE_CHUNK.name}' (only the region of a one-chunk split carries it)"
            )
    if why is None:
        return 0
    emit_error(op, why)
    return 1


def verify(root) -> int:
    """Checks every `pl.*` attribute below (and on) `root`; returns the number of errors."""
    root = root.operation if hasattr(root, "operation") else root
    found: list[tuple[ir.Operation, list[str]]] = []
    with_directions: list[ir.Operation] = []  # functions with argument attributes

    def visit(op):  # one walk: pypto-opt runs this on every input, a callback per op
        op_attrs = op.attributes
        names = [n for n in op_attrs if n.startswith("pl.")]
        if names:
            found.append((op, names))
        if "arg_attrs" in op_attrs and op.name == "func.func":
            with_directions.append(op.operation)
        return ir.WalkResult.ADVANCE

    root.walk(visit)
    errors = sum(check_op(op.operation, names) for op, names in found)
    return errors + sum(check_directions(fn) for fn in with_directions)


def _direction(fn: ir.Operation, index: int) -> tuple[str | None, str | None]:
    """(the argument's direction, why it is invalid)."""
    attr = attrs.DIRECTION.of_argument(fn, index)
    if attr is None:
        return None, None
    why = _check_value(attrs.DIRECTION.spec, attr)
    return (None, why) if why else (ir.StringAttr(attr).value, None)


def _callee_directions(call: ir.Operation) -> list[str | None]:
    """The directions of the parameters of a func.call's callee (None: unconstrained)."""
    name = callee_name(call)
    module = call.parent
    while module is not None and module.name != "builtin.module":
        module = module.parent
    if name is None or module is None:
        return []
    for op in block_ops(module.regions[0].blocks[0]):
        if op.name == "func.func" and symbol_name(op) == name:
            if "arg_attrs" not in op.attributes:
                return []
            count = len(ir.ArrayAttr(op.attributes["arg_attrs"]))
            return [_direction(op, i)[0] for i in range(count)]
    return []


def _unknown_argument_attrs(entries: ir.ArrayAttr, index: int) -> list[str]:
    """`pl.*` names on argument `index` other than the ones argument attributes may have."""
    if index >= len(entries):
        return []
    known = {attrs.DIRECTION.name}
    return [
        a.name
        for a in ir.DictAttr(entries[index])
        if a.name.startswith("pl.") and a.name not in known
    ]


def check_directions(fn: ir.Operation) -> int:
    """`pl.direction` on the arguments of `fn`: a valid value, on a memref argument; an "in"
    argument is never written, through a view or by a callee's out/inout parameter. (No
    attribute: unconstrained.)"""
    if not fn.regions[0].blocks:
        return 0
    errors = 0
    name = symbol_name(fn)
    entries = ir.ArrayAttr(fn.attributes["arg_attrs"])
    for i, arg in enumerate(fn.regions[0].blocks[0].arguments):
        for unknown in _unknown_argument_attrs(entries, i):
            emit_error(
                arg.location, f"argument {i} of @{name}: unknown argument attribute '{unknown}'"
            )
            errors += 1
        direction, why = _direction(fn, i)
        if why is not None:
            emit_error(arg.location, f"argument {i} of @{name}: {why}")
            errors += 1
            continue
        if direction is None:
            continue
        if not isinstance(arg.type, ir.MemRefType):
            emit_error(
                arg.location, f"argument {i} of @{name}: '{attrs.DIRECTION.name}' is for memrefs"
            )
            errors += 1
            continue
        if direction != "in":
            continue
        for op, index in memref_uses(arg):
            writes = writes_operand(op, index)
            if op.name == "func.call":
                callee = _callee_directions(op)
                writes = index < len(callee) and callee[index] in ("out", "inout")
            if writes:
                emit_error(
                    op,
                    f'writes argument {i} of @{name}, declared {attrs.DIRECTION.name} = "in"',
                    notes=[(arg.location, "declare it pl.Out or pl.InOut if the kernel writes it")],
                )
                errors += 1
    return errors


@carries_diagnostics
def verify_or_raise(root) -> None:
    if verify(root):
        raise DiagnosedError("invalid pl attributes")
