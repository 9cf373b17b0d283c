"""Validity of views (functions of bounds.FunctionChecker, which provides the values,
flags, sites and the fault hook).

Views. Every memref value has a validity flag (an i1 value; none = valid). Function arguments
of the entry functions, memref.alloc/alloca and memref.get_global results are valid. A view is
valid when its source is and its window lies inside the source:
  * memref.subview: each dimension's window `offset + (size-1)*stride < dim(source)` or
    `size == 0` (computed in i128 after requiring offset, size, stride < 2**62, so no overflow);
  * memref.reinterpret_cast: the new window's span [offset, offset + sum((size-1)*stride)] lies
    within the source view's span (both from their strided metadata; negative strides fault);
  * memref.view: byte_shift + elements * element size <= dim(source);
  * memref.reshape: the new shape holds no more elements than the source;
  * memref.cast (to static sizes, offset or strides) and memref.expand_shape (dynamic output
    sizes): the static or given sizes agree with the source;
  * casts, collapse_shape, transpose and other one-memref-operand ops: as their source.
A view created out of bounds reports a fault at its creation (site kind "subview",
"reinterpret_cast" or "view"; indices: the offsets) and every access through it faults, with no
memory touched. The checker also records which view sites each flag depends on
(FunctionChecker.views, then runtime_hooks.Site.views): the report of a fault through an
invalid view names that view (fault_causes.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mlir import ir
from mlir.dialects import arith, memref, scf

from .instrument_ir import DYNAMIC, IntOrValue, all_of, byte_size, is_memref, mixed, static_of, ult

if TYPE_CHECKING:
    from .bounds import FunctionChecker

LIMIT = 1 << 62  # offsets, sizes and strides of a valid window are below this


# -- views ---------------------------------------------------------------------------------
def view_check(
    ck: FunctionChecker,
    op: ir.Operation,
    kind: str,
    src: ir.Value,
    ok: ir.Value | None,
    report: Sequence[IntOrValue],
    sizes: Sequence[IntOrValue] = (),
    strides: Sequence[IntOrValue] = (),
) -> None:
    """The view's flag: valid(src) & ok; a fault at the view when src is valid and ok is not.
    Built before the view op (at the current insertion point). `sizes`, `strides`: the
    view's window (ints and Values), named in the fault's message where static."""
    r = op.results[0]
    ck.inherit(r, src, ok)
    if ok is None:
        return
    window = (tuple(static_of(x) for x in sizes), tuple(static_of(x) for x in strides))
    site = ck.site(op, kind, src.type, rank=len(report), window=window)
    ck.views[r] = ck.views.get(src, ()) + (site,)
    bad = arith.xori(ok, ck.c.i1(True))
    src_flag = ck.flag(src)
    if src_flag is not None:
        bad = arith.andi(bad, src_flag)
    branch = scf.IfOp(bad, [], has_else=False)
    with ir.InsertionPoint(branch.then_block):
        ck.fault(site, None, report, ck.shape(src))
        scf.YieldOp([])


def _i128(ck: FunctionChecker, v) -> ir.Value:
    t = ir.IntegerType.get_signless(128)
    if isinstance(v, int):
        return arith.constant(t, v)
    return arith.extui(t, arith.index_cast(ir.IntegerType.get_signless(64), v))


def window_ok(ck: FunctionChecker, off, size, stride, dim) -> ir.Value | None:
    """size == 0 or off + (size - 1) * stride < dim, all unsigned."""
    so, ss, st, sd = (static_of(x) for x in (off, size, stride, dim))
    if so is not None and ss is not None and st is not None and sd is not None:
        fits = ss == 0 or (so >= 0 and ss > 0 and st >= 0 and so + (ss - 1) * st < sd)
        return None if fits else ck.c.i1(False)
    smalls = []
    for x in (off, size, stride):
        sx = static_of(x)
        if sx is None:
            smalls.append(ult(ck.value(x), ck.c.index(LIMIT)))
        elif not 0 <= sx < LIMIT:
            smalls.append(ck.c.i1(False))
    small = all_of(smalls)
    one = _i128(ck, 1)
    last = arith.addi(
        _i128(ck, off), arith.muli(arith.subi(_i128(ck, size), one), _i128(ck, stride))
    )
    inside = ult(last, _i128(ck, dim))
    empty = arith.cmpi(arith.CmpIPredicate.eq, ck.value(size), ck.c.index(0))
    return arith.ori(empty, all_of([small, inside]))


def subview(ck: FunctionChecker, op):
    src = op.operands[0]
    offs, sizes, strides = _window(op)
    with ir.InsertionPoint(op), op.location:
        ok = all_of(
            [
                window_ok(ck, o, s, t, ck.dim(src, k))
                for k, (o, s, t) in enumerate(zip(offs, sizes, strides, strict=False))
            ]
        )
        view_check(ck, op, "subview", src, ok, offs, sizes, strides)


def span(ck: FunctionChecker, off, sizes, strides):
    """(lo, hi, empty) of a strided window, as i128 values (empty: i1 or None)."""
    hi = _i128(ck, off)
    one = _i128(ck, 1)
    empties = []
    for s, t in zip(sizes, strides, strict=False):
        hi = arith.addi(hi, arith.muli(arith.subi(_i128(ck, s), one), _i128(ck, t)))
        ss = static_of(s)
        if ss is None:
            empties.append(arith.cmpi(arith.CmpIPredicate.eq, ck.value(s), ck.c.index(0)))
        elif ss == 0:
            empties.append(ck.c.i1(True))
    empty = None
    for e in empties:
        empty = e if empty is None else arith.ori(empty, e)
    return _i128(ck, off), hi, empty


def reinterpret_cast(ck: FunctionChecker, op):
    src = op.operands[0]
    offs, sizes, strides = _window(op)
    with ir.InsertionPoint(op), op.location:
        smalls = []
        for x in offs + sizes + strides:
            sx = static_of(x)
            if sx is None:
                smalls.append(ult(ck.value(x), ck.c.index(LIMIT)))
            elif not 0 <= sx < LIMIT:
                smalls.append(ck.c.i1(False))
        meta = memref.ExtractStridedMetadataOp(src)
        s_off = meta.offset
        s_sizes, s_strides = list(meta.sizes), list(meta.strides)
        for x in [s_off] + s_sizes + s_strides:
            smalls.append(ult(x, ck.c.index(LIMIT)))
        lo, hi, empty = span(ck, offs[0], sizes, strides)
        slo, shi, sempty = span(ck, s_off, s_sizes, s_strides)
        inside = all_of(
            [
                arith.cmpi(arith.CmpIPredicate.uge, lo, slo),
                arith.cmpi(arith.CmpIPredicate.ule, hi, shi),
            ]
            + smalls
        )
        if sempty is not None:
            inside = arith.andi(inside, arith.xori(sempty, ck.c.i1(True)))
        ok = inside if empty is None else arith.ori(empty, inside)
        view_check(ck, op, "reinterpret_cast", src, ok, offs, sizes, strides)


def view(ck: FunctionChecker, op):
    src, shift = op.operands[0], op.operands[1]
    rt = ir.MemRefType(op.results[0].type)
    esize = byte_size(rt.element_type)
    sizes = list(op.operands)[2:]
    with ir.InsertionPoint(op), op.location:
        total = _i128(ck, shift)
        n = _i128(ck, esize)
        it = iter(sizes)
        for k in range(rt.rank):
            s = next(it) if rt.is_dynamic_dim(k) else rt.shape[k]
            n = arith.muli(n, _i128(ck, s))
        total = arith.addi(total, n)
        smalls = [ult(x, ck.c.index(LIMIT)) for x in [shift] + sizes]
        ok = all_of(
            smalls + [arith.cmpi(arith.CmpIPredicate.ule, total, _i128(ck, ck.dim(src, 0)))]
        )
        view_check(ck, op, "view", src, ok, [shift])


def reshape(ck: FunctionChecker, op):
    """memref.reshape: the new shape (static in the result type, or read from the shape
    operand) must not hold more elements than the (contiguous) source."""
    src, shape = op.operands[0], op.operands[1]
    rt = ir.MemRefType(op.results[0].type)
    st = ir.MemRefType(src.type)
    with ir.InsertionPoint(op), op.location:
        sizes = []
        for k in range(rt.rank):
            if not rt.is_dynamic_dim(k):
                sizes.append(rt.shape[k])
                continue
            v = memref.load(shape, [ck.c.index(k)])
            if not isinstance(v.type, ir.IndexType):
                v = arith.index_cast(ir.IndexType.get(), v)
            sizes.append(v)
        if all(isinstance(x, int) for x in sizes) and all(
            not st.is_dynamic_dim(k) for k in range(st.rank)
        ):
            need = 1
            for x in sizes:
                need *= x
            have = 1
            for x in st.shape:
                have *= x
            ok = None if need <= have else ck.c.i1(False)
        else:
            have = _i128(ck, 1)
            for k in range(st.rank):
                have = arith.muli(have, _i128(ck, ck.dim(src, k)))
            # Partial products stay <= have < 2**62 while they fit, so i128 cannot overflow;
            # any zero size makes the view empty, and valid.
            conds, zeros, need = [], [], _i128(ck, 1)
            for x in sizes:
                if isinstance(x, int):
                    if x == 0:
                        zeros.append(ck.c.i1(True))
                else:
                    conds.append(ult(x, ck.c.index(LIMIT)))
                    zeros.append(arith.cmpi(arith.CmpIPredicate.eq, x, ck.c.index(0)))
                need = arith.muli(need, _i128(ck, x))
                conds.append(arith.cmpi(arith.CmpIPredicate.ule, need, have))
            ok = all_of(conds)
            for z in zeros:
                ok = arith.ori(z, ok)
        view_check(ck, op, "view", src, ok, [x for x in sizes if not isinstance(x, int)])


def cast(ck: FunctionChecker, op):
    src, r = op.operands[0], op.results[0]
    st, rt = src.type, r.type
    if not (is_memref(st) and is_memref(rt)):
        if is_memref(rt):
            ck.memref_result(op, r)
        return
    st, rt = ir.MemRefType(st), ir.MemRefType(rt)
    conds = []
    with ir.InsertionPoint(op), op.location:
        for k in range(rt.rank):
            if st.is_dynamic_dim(k) and not rt.is_dynamic_dim(k):
                conds.append(
                    arith.cmpi(
                        arith.CmpIPredicate.eq,
                        ck.value(ck.dim(src, k)),
                        ck.c.index(rt.shape[k]),
                    )
                )
        s_strides, s_off = st.get_strides_and_offset()
        r_strides, r_off = rt.get_strides_and_offset()
        need = [
            (j, v)
            for j, (a, v) in enumerate(zip(s_strides, r_strides, strict=False))
            if a == DYNAMIC and v != DYNAMIC
        ]
        if (s_off == DYNAMIC and r_off != DYNAMIC) or need:
            meta = memref.ExtractStridedMetadataOp(src)
            if s_off == DYNAMIC and r_off != DYNAMIC:
                conds.append(arith.cmpi(arith.CmpIPredicate.eq, meta.offset, ck.c.index(r_off)))
            strides = list(meta.strides)
            for j, v in need:
                conds.append(arith.cmpi(arith.CmpIPredicate.eq, strides[j], ck.c.index(v)))
        ok = all_of(conds)
        view_check(ck, op, "view", src, ok, [])


def expand_shape(ck: FunctionChecker, op):
    src, r = op.operands[0], op.results[0]
    v = op.opview
    out = mixed(list(v.static_output_shape), list(v.output_shape))
    if all(isinstance(x, int) for x in out):
        ck.inherit(r, src)
        return
    groups = [
        [ir.IntegerAttr(i).value for i in ir.ArrayAttr(g)]
        for g in ir.ArrayAttr(op.attributes["reassociation"])
    ]
    conds = []
    with ir.InsertionPoint(op), op.location:
        for k, group in enumerate(groups):
            if all(isinstance(out[j], int) for j in group):
                continue
            prod = _i128(ck, 1)
            for j in group:
                prod = arith.muli(prod, _i128(ck, out[j]))
            conds.append(arith.cmpi(arith.CmpIPredicate.eq, prod, _i128(ck, ck.dim(src, k))))
        ok = all_of(conds)
        view_check(ck, op, "view", src, ok, [x for x in out if not isinstance(x, int)])


def select(ck: FunctionChecker, op):
    r = op.results[0]
    if not is_memref(r.type):
        return
    a, b = op.operands[1], op.operands[2]
    fa, fb = ck.flag(a), ck.flag(b)
    if fa is not None or fb is not None:
        with ir.InsertionPoint(op), op.location:
            ck.valid[r] = arith.select(op.operands[0], ck.flag_or_true(a), ck.flag_or_true(b))
    if ck.shared.get(a) and ck.shared.get(b):
        ck.shared[r] = True
    views = ck.views.get(a, ()) + ck.views.get(b, ())
    if views:
        ck.views[r] = tuple(dict.fromkeys(views))


def _window(
    op: ir.Operation,
) -> tuple[list[IntOrValue], list[IntOrValue], list[IntOrValue]]:
    """Offsets, sizes and strides of a memref.subview or memref.reinterpret_cast (ints where
    static, Values where dynamic)."""
    v = op.opview
    return (
        mixed(list(v.static_offsets), list(v.offsets)),
        mixed(list(v.static_sizes), list(v.sizes)),
        mixed(list(v.static_strides), list(v.strides)),
    )


# The op names each function checks (bounds.FunctionChecker dispatches on them).
HANDLERS = {
    "memref.subview": subview,
    "memref.reinterpret_cast": reinterpret_cast,
    "memref.view": view,
    "memref.reshape": reshape,
    "memref.cast": cast,
    "memref.expand_shape": expand_shape,
    "arith.select": select,
}
