"""Small read-only queries on IR, shared by every layer: the ops of a block, the op that defines
a value, the function that holds an op, symbol names, containment, identity layouts, and a typed
walk.

They exist once, here. Ops are compared with `==` (which compares the operations themselves):
their hash is not reliable once an op has moved, so no sets or dict keys of ops.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mlir import ir
from mlir.dialects import arith

# Comparison predicates by name (the attribute holds their integer value).
CMPI = arith.CmpIPredicate

# Views: no effect; their result aliases their first operand.
VIEW_OPS = frozenset(
    {
        "memref.subview",
        "memref.cast",
        "memref.reinterpret_cast",
        "memref.expand_shape",
        "memref.collapse_shape",
        "memref.view",
        "memref.transpose",
        "memref.reshape",
    }
)
# Ops that write the memref of one operand (by index); linalg ops write their `outs`.
_WRITTEN_OPERAND = {
    "memref.store": 1,
    "memref.atomic_rmw": 1,
    "memref.generic_atomic_rmw": 0,
    "memref.copy": 1,
    "vector.store": 1,
    "vector.maskedstore": 0,
    "vector.transfer_write": 1,
    "vector.scatter": 0,
    "vector.compressstore": 0,
}


def block_ops(block: ir.Block) -> list[ir.Operation]:
    """The ops of `block`, in order, as generic operations (not views)."""
    return [op.operation for op in block.operations]


def defining_op(value: ir.Value, name: str | None = None) -> ir.Operation | None:
    """The op that defines `value` (None for a block argument); with `name`, only if the op has
    that name."""
    owner = value.owner
    if not isinstance(owner, ir.Operation | ir.OpView):
        return None
    op = owner.operation
    if name is not None and op.name != name:
        return None
    return op


def cmpi_predicate(op: ir.Operation) -> arith.CmpIPredicate | None:
    """The predicate of an `arith.cmpi`, else None."""
    if op.name != "arith.cmpi":
        return None
    return CMPI(ir.IntegerAttr(op.attributes["predicate"]).value)


def enclosing_function(op: ir.Operation | ir.OpView) -> ir.Operation | None:
    """The `func.func` that holds `op` (or `op` itself if it is one); None outside functions."""
    current: ir.Operation | ir.OpView | None = op
    while current is not None and current.operation.name != "func.func":
        current = current.operation.parent
    return None if current is None else current.operation


def symbol_name(op: ir.Operation | ir.OpView) -> str | None:
    """The `sym_name` of a symbol op (a FuncOp view's `.name` is that string too), else None."""
    attributes = op.operation.attributes
    if "sym_name" in attributes:
        return ir.StringAttr(attributes["sym_name"]).value
    return None


def function_name(fn: ir.Operation | ir.OpView) -> str:
    """The name of a function (verified IR gives every func.func a `sym_name`)."""
    name = symbol_name(fn)
    if name is None:
        raise ValueError(f"{fn.operation.name} has no sym_name")
    return name


def callee_name(op: ir.Operation | ir.OpView) -> str | None:
    """The callee of a `func.call`-like op (its flat `callee` symbol), else None."""
    attributes = op.operation.attributes
    if "callee" in attributes:
        return ir.FlatSymbolRefAttr(attributes["callee"]).value
    return None


def contains(ancestor: ir.Operation | ir.OpView, op: ir.Operation | ir.OpView) -> bool:
    """True when `op` is `ancestor` or nested (at any depth) in one of its regions."""
    target = ancestor.operation
    current: ir.Operation | None = op.operation
    while current is not None:
        if current == target:
            return True
        current = current.parent.operation if current.parent is not None else None
    return False


def walk_ops(
    root: ir.Operation | ir.OpView,
    select: str | Callable[[ir.Operation], bool],
    post_order: bool = False,
) -> list[ir.Operation]:
    """The ops under `root` (itself included) named `select`, or for which `select(op)` is true,
    in pre-order (post-order: nested ops first). The list is taken before anything changes, so a
    caller may rewrite while it iterates, as long as it does not erase an op it has yet to visit.
    """
    wanted: Callable[[ir.Operation], bool]
    if isinstance(select, str):
        name = select

        def wanted(op: ir.Operation) -> bool:
            return op.name == name
    else:
        wanted = select
    found: list[ir.Operation] = []

    def visit(op: ir.Operation) -> ir.WalkResult:
        op = op.operation
        if wanted(op):
            found.append(op)
        return ir.WalkResult.ADVANCE

    order = ir.WalkOrder.POST_ORDER if post_order else ir.WalkOrder.PRE_ORDER
    root.operation.walk(visit, order)
    return found


def writes_operand(op: ir.Operation, index: int) -> bool:
    """True when `op` writes the memory of its operand `index` (stores, copies into it, linalg
    outs)."""
    written = _WRITTEN_OPERAND.get(op.name)
    if written is not None:
        return written == index
    if op.name.startswith("linalg.") and "operandSegmentSizes" in op.attributes:
        n_ins = ir.DenseI32ArrayAttr(op.attributes["operandSegmentSizes"])[0]
        return index >= n_ins
    return False


def memref_uses(value: ir.Value) -> list[tuple[ir.Operation, int]]:
    """(op, operand index) of every use of `value` and of the views of it, at any depth."""
    found: list[tuple[ir.Operation, int]] = []
    pending = [value]
    while pending:
        for use in list(pending.pop().uses):
            op = use.owner.operation if hasattr(use.owner, "operation") else use.owner
            found.append((op, use.operand_number))
            if op.name in VIEW_OPS and use.operand_number == 0:
                pending.extend(op.results)
    return found


def defined_outside(value: ir.Value, op: ir.Operation | ir.OpView) -> bool:
    """True when `value` is defined outside `op` (not by it, nor by anything in its regions,
    nor as an argument of one of its blocks): it is invariant while `op` runs."""
    owner = value.owner
    if isinstance(owner, ir.Block):
        where = owner.owner  # the op whose region holds the block
        return where is None or not contains(op, where)
    return not contains(op, owner)


def has_identity_layout(t: ir.MemRefType) -> bool:
    """A memref type whose layout is the identity map (row-major, no offset: its aligned
    pointer is its first element)."""
    layout = t.layout
    return isinstance(layout, ir.AffineMapAttr) and layout.value == ir.AffineMap.get_identity(
        t.rank, context=t.context
    )


def has_uses(value: ir.Value) -> bool:
    return any(True for _ in value.uses)


def collect_ops(
    root: ir.Operation | ir.OpView, op_classes: Sequence[type[ir.OpView]]
) -> list[ir.Operation]:
    """The ops under `root` of the given op classes (`memref.CopyOp`, ...), nested ops before
    their parents. MLIR's walker does the visiting and only the matching ops cross into Python:
    on a large module this is about a hundred times faster than walk_ops, which calls back for
    every op. The list is taken before anything changes."""
    from mlir.rewrite import RewritePatternSet, walk_and_apply_patterns

    found: list[ir.Operation] = []

    def collect(op: ir.OpView, rewriter) -> bool:
        found.append(op.operation)
        return True  # "no match": the walk changes nothing

    ctx = root.context
    with ctx:
        patterns = RewritePatternSet(ctx)
        for cls in op_classes:
            patterns.add(cls, collect)
        walk_and_apply_patterns(root.operation, patterns.freeze())
    return found
