"""Walks over the ops of one type through MLIR's pattern walker, without its conventions.

`walk_and_apply_patterns` calls back into Python only for the ops a pattern is rooted on, which
makes it much cheaper than `Operation.walk` over every op. But a pattern signals "no match" by
returning a truthy value, which reads backwards. These two functions hide that: one collects,
one rewrites, and their callbacks say what they mean.
"""

from __future__ import annotations

from collections.abc import Callable

from mlir import ir
from mlir.rewrite import PatternRewriter, RewritePatternSet, walk_and_apply_patterns


def ops_of_type(
    root: ir.Operation | ir.OpView, op_type: type[ir.OpView] | str
) -> list[ir.Operation]:
    """The ops of `op_type` (an OpView class or an op name) below `root`, nested ones first."""
    found: list[ir.Operation] = []

    def collect(op: ir.OpView, rewriter: PatternRewriter) -> bool:
        found.append(op.operation)
        return True  # the walker's "no match": nothing changes

    root = root.operation
    with root.context:
        patterns = RewritePatternSet(root.context)
        patterns.add(op_type, collect)
        walk_and_apply_patterns(root, patterns.freeze())
    return found


def rewrite_each(
    root: ir.Operation | ir.OpView,
    op_type: type[ir.OpView] | str,
    rewrite: Callable[[ir.OpView, PatternRewriter], bool],
) -> None:
    """Calls `rewrite(op, rewriter)` on every op of `op_type` below `root`, nested ones first, in
    one walk. `rewrite` returns True when it changed the IR (through the rewriter, which must
    replace or erase `op`), False when the op is not its business."""

    def pattern(op: ir.OpView, rewriter: PatternRewriter) -> bool | None:
        return None if rewrite(op, rewriter) else True

    root = root.operation
    with root.context:
        patterns = RewritePatternSet(root.context)
        patterns.add(op_type, pattern)
        walk_and_apply_patterns(root, patterns.freeze())
