"""Which ops wait for a kernel call's results: the host op that uses what a task returned (a
scalar, a vector, the values a chained launch carries out of its loop) waits for that task; host
work that uses none of it does not (docs/emulator.md, "Host code").

    waits = mark_waits({call_id: call_op, ...})    # before the accesses are instrumented
    ...  sites read `waiting_on(op)` ...
    clear_waits(module_op)                          # the temporary attribute removed

An op waits on call C when an operand comes, through any chain of SSA uses, from C's results:
through scf.yield into the results of the loop or `if` that yields (and into the loop's
iter_args), and into every op nested in an op that waits (its control depends on the value).
"""

from __future__ import annotations

from mlir import ir

WAITS_ATTR = "__pl_emu_waits"  # temporary: the call ids an op waits on (instrument.py's ids)


def mark_waits(calls: dict[int, ir.Operation]) -> None:
    """Sets WAITS_ATTR on every op that uses, transitively, the results of a call of `calls`
    (call id -> kernel call op); the calls themselves are marked only when another call's
    results reach them."""
    waits: dict[ir.Operation, set[int]] = {}
    for cid, call in calls.items():
        seen: set[ir.Value] = set()
        todo: list[ir.Value] = list(call.results)
        while todo:
            v = todo.pop()
            if v in seen:
                continue
            seen.add(v)
            for use in v.uses:
                owner = use.owner
                if owner.name == "scf.yield":
                    todo.extend(_yielded_into(owner, use.operand_number))
                    continue
                for op in _with_nested(owner):
                    if op == call:
                        continue
                    waits.setdefault(op, set()).add(cid)
                    todo.extend(op.results)
    for op, ids in waits.items():
        op.attributes[WAITS_ATTR] = ir.ArrayAttr.get(
            [ir.IntegerAttr.get(ir.IntegerType.get_signless(64), i) for i in sorted(ids)]
        )


def waiting_on(op: ir.Operation) -> tuple[int, ...]:
    """The call ids `op` waits on (empty when it waits on none)."""
    if WAITS_ATTR not in op.attributes:
        return ()
    return tuple(ir.IntegerAttr(a).value for a in ir.ArrayAttr(op.attributes[WAITS_ATTR]))


def clear_waits(root: ir.Operation) -> None:
    def visit(op):
        if WAITS_ATTR in op.attributes:
            del op.attributes[WAITS_ATTR]
        return ir.WalkResult.ADVANCE

    root.walk(visit)


def _yielded_into(yield_op: ir.Operation, i: int) -> list[ir.Value]:
    """The values operand `i` of an scf.yield flows into: the parent's result i, and for a loop
    the iter_arg i (the next iteration's value)."""
    parent = yield_op.parent
    out: list[ir.Value] = []
    if parent is None:
        return out
    if i < len(parent.results):
        out.append(parent.results[i])
    if parent.name == "scf.for":
        args = list(parent.regions[0].blocks[0].arguments)
        if i + 1 < len(args):
            out.append(args[i + 1])
    return out


def _with_nested(op: ir.Operation) -> list[ir.Operation]:
    """`op` and every op nested in its regions."""
    out: list[ir.Operation] = [op]
    if len(op.regions):

        def visit(inner):
            out.append(inner)
            return ir.WalkResult.ADVANCE

        for region in op.regions:
            for block in region.blocks:
                for inner in block.operations:
                    inner.operation.walk(visit)
    return out


__all__ = ["WAITS_ATTR", "clear_waits", "mark_waits", "waiting_on"]
