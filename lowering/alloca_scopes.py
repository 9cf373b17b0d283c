"""`memref.alloca_scope` as stack save and restore, before the CPU lowering pipeline.

Upstream lowers an alloca_scope in convert-to-llvm, but convert-scf-to-cf runs first: a loop in
the scope's body becomes several blocks, and the scope's single-block region fails to verify
("expects region #0 to have 0 or 1 blocks"). canonicalize often dissolves a scope first, but not
always (never when it holds allocas), and a user's pipeline may not run it at all. So each scope
becomes what the upstream lowering makes of it, while its body is still structured:

    %r = memref.alloca_scope -> (T) {          %sp = llvm.intr.stacksave : !llvm.ptr
      body                               =>    body
      memref.alloca_scope.return %x : T        llvm.intr.stackrestore %sp : !llvm.ptr
    }                                          (uses of %r take %x)

The buffers the body allocates are freed when the scope ends, as before.
"""

from __future__ import annotations

from mlir import ir
from mlir.dialects import llvm, memref

from ..dialect.ir_queries import block_ops, collect_ops


def inline_alloca_scopes(module: ir.Module) -> int:
    """Replaces every memref.alloca_scope of `module` by its body between a stack save and a
    stack restore; returns how many there were."""
    # Post-order: inner scopes first; each step only moves ops out of the scope it erases, so
    # the handles of the outer scopes stay valid.
    scopes = collect_ops(module.operation, [memref.AllocaScopeOp])
    with module.context:
        for scope in scopes:
            _inline(scope)
    return len(scopes)


def _inline(scope: ir.Operation) -> None:
    body = block_ops(scope.regions[0].blocks[0])
    terminator = body[-1]  # memref.alloca_scope.return
    with ir.InsertionPoint(scope), scope.location:
        saved = llvm.intr_stacksave(llvm.PointerType.get())
    for op in body[:-1]:
        op.move_before(scope)
    with ir.InsertionPoint(scope), scope.location:
        llvm.intr_stackrestore(saved)
    for result, value in zip(scope.results, terminator.operands, strict=True):
        result.replace_all_uses_with(value)
    scope.erase()
