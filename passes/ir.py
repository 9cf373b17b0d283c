"""Shared IR helpers for our passes: reading a loop once, moving a loop body into a new block,
building loops. The loop arithmetic (trip counts, induction values) is in dialect/loop_arith.py,
shared with the builder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mlir import ir

from ..dialect.loop_arith import IndexBuilder, static_trip_count
from ..dialect.static_values import int_width

# Inherent attributes of scf.for (properties); everything else on a loop is discardable.
_FOR_INHERENT = frozenset({"unsignedCmp"})


def discardable_attributes(op: ir.Operation, drop: Sequence[str] = ()) -> dict[str, ir.Attribute]:
    """The discardable attributes of a loop, minus `drop`."""
    return {n: op.attributes[n] for n in op.attributes if n not in _FOR_INHERENT and n not in drop}


def transplant_body(
    loop: ir.Operation, dest: ir.Block, iv: ir.Value, iter_values: Sequence[ir.Value]
) -> None:
    """Moves every op of `loop`'s body (its scf.yield included) to the end of `dest`, with the
    induction variable and iter_args replaced by `iv` and `iter_values`. The loop is left with
    an empty body and no uses of its block arguments, ready to be erased."""
    body = loop.regions[0].blocks[0]
    args = list(body.arguments)
    args[0].replace_all_uses_with(iv)
    for old, new in zip(args[1:], iter_values, strict=False):
        old.replace_all_uses_with(new)
    ops = body.operations
    for _ in range(len(ops)):
        # Moves the first op out of `body`; measured a third cheaper than list(body.operations).
        dest.append(ops[0])


@dataclass(frozen=True)
class BuiltLoop:
    """An scf.for made by `new_for`: the op, and its body block and block arguments, read once
    (the properties of scf.ForOp read them again through four binding calls at every use)."""

    operation: ir.Operation
    body: ir.Block
    induction_variable: ir.BlockArgument
    inner_iter_args: list[ir.BlockArgument]

    @property
    def results(self) -> ir.OpResultList:
        return self.operation.results


def new_for(
    lb: ir.Value,
    ub: ir.Value,
    step: ir.Value,
    inits: Sequence[ir.Value],
    attributes: dict[str, ir.Attribute],
) -> BuiltLoop:
    """An scf.for without terminator, carrying `attributes`. Built with Operation.create: the
    generated ForOp builder costs about three times as much, and the pass builds many loops."""
    types = [v.type for v in inits]
    op = ir.Operation.create(
        "scf.for", results=types, operands=[lb, ub, step, *inits], attributes=attributes, regions=1
    )
    body = op.regions[0].blocks.append(lb.type, *types)
    iv, *iter_args = body.arguments
    return BuiltLoop(op, body, iv, iter_args)


@dataclass
class LoopInfo:
    """What a pass needs to know about an scf.for, read once."""

    op: ir.Operation
    lb: ir.Value
    ub: ir.Value
    step: ir.Value
    inits: list[ir.Value]
    unsigned: bool

    @classmethod
    def of(cls, op: ir.Operation) -> LoopInfo:
        operands = list(op.operands)
        return cls(
            op, operands[0], operands[1], operands[2], operands[3:], "unsignedCmp" in op.attributes
        )

    @property
    def width(self) -> int:
        return int_width(self.lb.type)

    def static_trip_count(self, b: IndexBuilder) -> int | None:
        lb, ub, step = (b.value_of(v) for v in (self.lb, self.ub, self.step))
        if lb is None or ub is None or step is None:
            return None
        return static_trip_count(lb, ub, step, self.width, self.unsigned)
