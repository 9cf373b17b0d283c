"""Which ops have effects: the op classes that the passes reasoning about re-running or moving
work share (shift_inwards legality, interchange)."""

from __future__ import annotations

from mlir import ir

from ..dialect.ir_queries import VIEW_OPS

# Ops that only compute: no effect of their own. (Division may trap on zero; see
# `may_trap`.)
PURE_DIALECTS = (
    "arith.",
    "math.",
    "index.",
    "affine.apply",
    "affine.min",
    "affine.max",
    "complex.",
)
# Ops that hold regions and have no effect of their own.
STRUCTURE = {
    "scf.for",
    "scf.if",
    "scf.yield",
    "scf.while",
    "scf.condition",
    "scf.execute_region",
    "scf.index_switch",
    "affine.for",
    "affine.if",
    "affine.yield",
    "linalg.yield",
    "vector.yield",
}
# Views: no effect; their result aliases their first operand.
VIEWS = VIEW_OPS
# Reads of a memref's metadata, not of its elements.
QUERIES = {
    "memref.dim",
    "memref.rank",
    "memref.extract_strided_metadata",
    "memref.extract_aligned_pointer_as_index",
}

_DIVISIONS = (
    "arith.divsi",
    "arith.divui",
    "arith.remsi",
    "arith.remui",
    "arith.ceildivsi",
    "arith.ceildivui",
    "arith.floordivsi",
    "index.divs",
    "index.divu",
    "index.rems",
    "index.remu",
    "index.ceildivs",
    "index.ceildivu",
    "index.floordivs",
)


def is_memref(v: ir.Value) -> bool:
    return isinstance(v.type, (ir.MemRefType, ir.UnrankedMemRefType))


def is_effect_free(op: ir.Operation) -> bool:
    """`op` (without its regions) reads and writes no memory and has no other effect: running
    it again, or where it did not run, changes nothing but its results."""
    name = op.name
    if name.startswith(PURE_DIALECTS) or name in VIEWS or name in QUERIES:
        return True
    if name == "memref.get_global":
        return True
    return (
        name.startswith("vector.")
        and name != "vector.print"
        and not any(is_memref(v) for v in op.operands)
    )


def may_trap(op: ir.Operation) -> bool:
    """An integer division or remainder whose divisor is not a non-zero constant: undefined
    behaviour if run where the source program would not have run it."""
    if op.name not in _DIVISIONS:
        return False
    divisor = op.operands[1].owner
    if isinstance(divisor, ir.Block) or divisor.operation.name != "arith.constant":
        return True
    value = divisor.operation.attributes["value"]
    return not isinstance(value, ir.IntegerAttr) or ir.IntegerAttr(value).value == 0
