"""When may a chunked loop re-run iterations? The legality rule of the `shift_inwards` policy.

`shift_inwards` runs every chunk at full size and shifts the last one back so that it ends at
T: the iterations the last chunk shares with its predecessor run twice. That is invisible only
if re-running an iteration cannot change the result:

* the loop carries nothing (no iter_args);
* the body's only side effects are memory reads and writes of memrefs (memref, vector and the
  write-only linalg.fill/copy forms): a call, an allocation or an op we do not know may do
  anything;
* no read in the body may alias a memref the body writes (then a second run would read what
  the first one wrote). Two values alias when they are views of the same root; the roots are
  function arguments, allocations and globals. Distinct function arguments may alias unless one
  of them is `llvm.noalias`; allocations and distinct globals alias nothing else; a root we
  cannot see (an iter_arg, a call result) may alias anything.

`why_not_idempotent` returns the op that breaks the rule and why, or None.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from mlir import ir

from .effects import STRUCTURE, VIEWS, is_effect_free, is_memref

# Memory ops: (memref operand positions read, memref operand positions written); None = all
# memref operands.
_READS = {
    "memref.load": [0],
    "vector.load": [0],
    "vector.transfer_read": [0],
    "vector.maskedload": [0],
    "vector.gather": [0],
    "affine.load": [0],
}
_WRITES = {
    "memref.store": [1],
    "vector.store": [1],
    "vector.transfer_write": [1],
    "vector.maskedstore": [0],
    "vector.scatter": [0],
    "affine.store": [1],
}
# What a memref view comes from (root_of): a Value, or ("global", symbol name).
Root: TypeAlias = "ir.Value | tuple[str, str]"
# Why a loop may not re-run iterations: (the op, why, the write it conflicts with or None).
Problem: TypeAlias = "tuple[ir.Operation, str, ir.Operation | None]"

# linalg ops that write their outputs without reading them.
_WRITE_ONLY_LINALG = {
    "linalg.fill",
    "linalg.copy",
    "linalg.transpose",
    "linalg.broadcast",
    "linalg.map",
}


def root_of(v: ir.Value) -> Root:
    """The value a memref view comes from, through view ops: a function argument, an
    allocation, a global (as ("global", name)), or the unknown value itself."""
    while True:
        owner = v.owner
        if isinstance(owner, ir.Block):
            return v
        name = owner.operation.name
        if name in VIEWS:
            v = owner.operands[0]
            continue
        if name == "memref.get_global":
            return ("global", ir.FlatSymbolRefAttr(owner.attributes["name"]).value)
        return v


def _kind(root: Root) -> str:
    if isinstance(root, tuple):
        return "global"
    owner = root.owner
    if isinstance(owner, ir.Block):
        parent = owner.owner
        # .operation: on a func.FuncOp view, `.name` is the symbol name, not the op name.
        if parent is not None and parent.operation.name == "func.func":
            entry = parent.regions[0].blocks[0].arguments
            n = ir.BlockArgument(root).arg_number
            if n < len(entry) and entry[n] == root:  # (Blocks do not compare by identity)
                return "argument"
        return "unknown"
    return "allocation" if owner.operation.name in ("memref.alloc", "memref.alloca") else "unknown"


def _noalias(arg: ir.Value) -> bool:
    fn = arg.owner.owner
    if "arg_attrs" not in fn.attributes:
        return False
    arg_attrs = ir.ArrayAttr(fn.attributes["arg_attrs"])
    d = ir.DictAttr(arg_attrs[arg.arg_number])
    return "llvm.noalias" in d


def may_alias(a: Root, b: Root) -> bool:
    """May roots `a` and `b` (see root_of) share memory?"""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return a == b
    if not isinstance(a, tuple) and not isinstance(b, tuple) and a == b:
        return True
    ka, kb = _kind(a), _kind(b)
    if "unknown" in (ka, kb):
        return True
    if "allocation" in (ka, kb):
        return False
    args = [r for r, k in ((a, ka), (b, kb)) if k == "argument"]
    if len(args) == 1:
        return not _noalias(args[0])  # an argument may be (a view of) the global
    return not (_noalias(args[0]) or _noalias(args[1]))


def _memref_operands(op: ir.Operation, positions: Sequence[int] | None) -> list[ir.Value]:
    ops = list(op.operands)
    if positions is None:
        return [v for v in ops if is_memref(v)]
    return [ops[i] for i in positions if i < len(ops) and is_memref(ops[i])]


def _linalg_accesses(op: ir.Operation) -> tuple[list[ir.Value], list[ir.Value]]:
    """(read, written) memrefs of a linalg op on memrefs: its inputs are read; its outputs are
    written, and read as well unless the op only writes them (fill, copy, transpose, broadcast,
    map). The outputs are the trailing operands of the operandSegmentSizes split; ops without
    one have a single output (transpose, broadcast, map), or as many outputs as inputs
    (reduce)."""
    operands = list(op.operands)
    if "operandSegmentSizes" in op.attributes:
        n_ins = ir.DenseI32ArrayAttr(op.attributes["operandSegmentSizes"])[0]
    elif op.name == "linalg.reduce":
        n_ins = len(operands) // 2
    else:
        n_ins = len(operands) - 1
    ins = [v for v in operands[:n_ins] if is_memref(v)]
    outs = [v for v in operands[n_ins:] if is_memref(v)]
    reads = ins if op.name in _WRITE_ONLY_LINALG else ins + outs
    return reads, outs


def why_not_idempotent(loop: ir.Operation) -> Problem | None:
    """(the op that makes re-running an iteration of `loop` observable, why, the write it
    conflicts with or None); None when shift_inwards is legal."""
    if len(loop.results):
        return (
            loop,
            (
                "the loop carries values in iter_args; re-running an iteration would "
                "update them twice"
            ),
            None,
        )
    reads: list[tuple[ir.Operation, Root]] = []
    writes: list[tuple[ir.Operation, Root]] = []
    bad: list[Problem] = []

    def visit(op):
        if op == loop or bad:
            return ir.WalkResult.ADVANCE
        name = op.name
        if name in _READS:
            reads.extend((op, root_of(v)) for v in _memref_operands(op, _READS[name]))
        elif name in _WRITES:
            writes.extend((op, root_of(v)) for v in _memref_operands(op, _WRITES[name]))
        elif (
            name.startswith("linalg.")
            and name != "linalg.yield"
            and any(is_memref(v) for v in op.operands)
        ):
            r, w = _linalg_accesses(op)
            reads.extend((op, root_of(v)) for v in r)
            writes.extend((op, root_of(v)) for v in w)
        elif not (is_effect_free(op) or name in STRUCTURE or name.startswith("linalg.")):
            bad.append(
                (
                    op,
                    f"'{name}' may have side effects other than memref reads and "
                    f"writes; re-running an iteration could repeat them",
                    None,
                )
            )
        return ir.WalkResult.ADVANCE

    loop.walk(visit, ir.WalkOrder.PRE_ORDER)
    if bad:
        return bad[0]
    for rop, rroot in reads:
        for wop, wroot in writes:
            if may_alias(rroot, wroot):
                why = (
                    "this read may alias a memref the loop writes; re-running an iteration "
                    "could read what its first run wrote (mark distinct memref arguments "
                    "`llvm.noalias` if they do not alias)"
                )
                return rop, why, wop
    return None
