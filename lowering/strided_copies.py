"""`memref.copy` between memrefs that are not both contiguous, as a loop nest, before the CPU
lowering pipeline.

Upstream lowers a copy between contiguous memrefs to a memcpy and any other copy to a call of
the MLIR runtime's `memrefCopy`, which the CPU target does not link: a copy into a strided
window (`pl.assemble` of a tile into a larger tensor: a subview as the target) could not run.
Such a copy becomes the loops it stands for, in row-major order:

    memref.copy %src, %dst          =>    scf.for %i0 = 0 to dim(%src, 0) {
      : memref<AxBxf32> to                  scf.for %i1 = 0 to dim(%src, 1) {
        memref<AxBxf32, strided<..>>          %x = memref.load %src[%i0, %i1]
                                              memref.store %x, %dst[%i0, %i1] } }

(memref.copy requires equal shapes; the emulator checks them at run time before the copy.)
"""

from __future__ import annotations

from mlir import ir
from mlir.dialects import arith, memref, scf

from ..dialect.ir_queries import collect_ops, has_identity_layout


def copies_to_loops(module: ir.Module) -> int:
    """Rewrites each ranked memref.copy of `module` whose source or target is not contiguous
    into loads and stores; returns how many."""
    with module.context:
        copies = [op for op in collect_ops(module.operation, [memref.CopyOp]) if _needs_loops(op)]
        for op in copies:
            _to_loops(op)
    return len(copies)


def is_contiguous(t: ir.Type) -> bool:
    """A ranked memref whose elements are laid out row-major without gaps (identity layout, or
    static sizes and strides that say so): upstream copies it with a memcpy."""
    if not isinstance(t, ir.MemRefType):
        return False
    if has_identity_layout(t):
        return True
    if not t.has_static_shape:
        return False
    try:
        strides, _ = t.get_strides_and_offset()
    except Exception:  # an affine map that is not strided
        return False
    expected = 1
    for size, stride in reversed(list(zip(t.shape, strides, strict=True))):
        if size != 1 and stride != expected:
            return False
        expected *= size
    return True


def _needs_loops(op: ir.Operation) -> bool:
    src, dst = (v.type for v in op.operands)
    ranked = isinstance(src, ir.MemRefType) and isinstance(dst, ir.MemRefType)
    return ranked and not (is_contiguous(src) and is_contiguous(dst))


def _to_loops(op: ir.Operation) -> None:
    src, dst = op.operands
    with ir.InsertionPoint(op), op.location:
        _copy_nest(src, dst, [])
    op.erase()


def _copy_nest(src: ir.Value, dst: ir.Value, indices: list[ir.Value]) -> None:
    """At the current insertion point: the loops over the dimensions from len(indices) on."""
    t = ir.MemRefType(src.type)
    k = len(indices)
    if k == t.rank:
        memref.store(memref.load(src, indices), dst, indices)
        return
    index = ir.IndexType.get()
    size = (
        memref.dim(src, arith.constant(index, k))
        if t.is_dynamic_dim(k)
        else arith.constant(index, t.shape[k])
    )
    loop = scf.ForOp(arith.constant(index, 0), size, arith.constant(index, 1))
    with ir.InsertionPoint(loop.body):
        _copy_nest(src, dst, indices + [loop.induction_variable])
        scf.YieldOp([])
