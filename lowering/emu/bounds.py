"""Out-of-bounds checks of every memory access, in kernels and host code alike, and the validity
of views.

Accesses. Each memref.load/store/atomic_rmw/generic_atomic_rmw, vector.load/store,
vector.maskedload/maskedstore, vector.transfer_read/write (1-D, minor identity: instrument.py
lowers the others to these first) and memref.copy runs only when it is in bounds:

    %ok = valid(%m) & (i0 ult dim0) & ... & (i_last ult dim_last)       (unsigned: negative
    scf.if %ok { the access } else { fault hook; a load yields 0 }       indices fault too)

The fault hook gets the site, the lane (-1), the indices and the memref's run-time sizes. Sizes
come from one memref.extract_strided_metadata per memref, placed where the memref is defined.

A vector access tests all its lanes at once (`N ule dim` and `i ule dim - N` along each vector
dimension); when the test fails, a per-lane slow path (a helper function) accesses the lanes in
bounds, calls the fault hook once per faulting lane (lane number, the lane's element indices)
and yields 0 for them. Lanes a mask disables, and lanes past the end of a transfer dimension
that is not `in_bounds` (the transfer's own padding semantics), are not accessed and do not
fault. Parts of a test known at compile time are not emitted; an access known to be in bounds
gets no check at all.

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
memory touched. Flags travel with memrefs into private functions (kernels): each memref argument
gets an i1 argument appended, each memref result an i1 result, and each func.call passes and
receives them. Memref values carried by region ops (scf.for iter_args, scf.if results, ...) are
not tracked: such input is rejected with a located error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mlir import ir
from mlir.dialects import arith, func, memref, scf

from ...dialect.ir_queries import callee_name
from ...dialect.static_values import constant_int
from . import races, runtime_hooks
from .generated_functions import (
    Helpers,
    Text,
    dims_text,
    fault_text,
    flat_mask_type,
    flat_type,
    zero_literal,
)
from .instrument_ir import (
    Consts,
    all_of,
    byte_size,
    call_hook,
    i1_t,
    is_memref,
    is_strided,
    num_elements,
    to_i64,
    ule,
    ult,
)

DYNAMIC = ir.ShapedType.get_dynamic_size()
LIMIT = 1 << 62  # offsets, sizes and strides of a valid window are below this

# Ops that read or write memory and that the checker cannot make safe: rejected.
UNSUPPORTED = frozenset(
    [
        "vector.gather",
        "vector.scatter",
        "vector.expandload",
        "vector.compressstore",
        "memref.dma_start",
        "memref.dma_wait",
        "affine.load",
        "affine.store",
        "affine.vector_load",
        "affine.vector_store",
    ]
)
# Ops whose memref result is a view of their (single) memref operand, with no window to check.
PASS_THROUGH = frozenset(
    [
        "memref.collapse_shape",
        "memref.transpose",
        "memref.memory_space_cast",
        "memref.assume_alignment",
    ]
)
FRESH = frozenset(["memref.alloc", "memref.alloca", "memref.get_global", "memref.realloc"])


class Unsupported(Exception):
    """The input has a construct the checker cannot make safe (already reported, located)."""


@dataclass
class FlagSignature:
    """Where a private function's memref arguments and results are; their flags follow the
    original arguments and results, in the same order."""

    memref_args: list
    memref_results: list


def mixed(static: list, dynamic: list) -> list:
    """Static values (ints) with the dynamic ones (Values) in the DYNAMIC slots."""
    out, it = [], iter(dynamic)
    for s in static:
        out.append(next(it) if s == DYNAMIC else s)
    return out


def static_of(v) -> int | None:
    if isinstance(v, int):
        return v
    return constant_int(v)


class FunctionChecker:
    """Instruments the accesses and views of one function (`ops`: its original ops, pre-order)."""

    def __init__(
        self,
        inst,
        fn: ir.Operation,
        kernel: str | None,
        race: bool,
        consts: Consts | None = None,
        budget=None,
    ):
        self.inst = inst  # the module's instrumenter: sites, helpers, signatures, kernel calls
        self.fn = fn
        self.kernel = kernel  # the kernel's name, None in host code and functions kernels call
        self.race = race
        self.budget = budget  # onchip.DynamicBudget of a kernel with dynamic allocas
        self.c = consts or Consts(fn)
        self.valid: dict = {}
        self.shared: dict = {}
        self._sizes: dict = {}

    # -- values --------------------------------------------------------------------------------
    def flag(self, m: ir.Value) -> ir.Value | None:
        return self.valid.get(m)

    def flag_or_true(self, m: ir.Value) -> ir.Value:
        f = self.valid.get(m)
        return f if f is not None else self.c.i1(True)

    def value(self, v) -> ir.Value:
        return self.c.index(v) if isinstance(v, int) else v

    def dim(self, m: ir.Value, k: int):
        """The size of dimension k: an int when static, else a Value. Sizes come from one
        memref.extract_strided_metadata right after the memref's definition (memref.dim, at
        the current insertion point, for layouts that are not strided). Not memref.dim: with
        allow-pattern-rollback=false its lowering spills the sizes to a stack alloca, which in
        a loop is a dynamic alloca: the stack grows each iteration when LLVM does not optimize
        it away (opt level 0), and the frame loses the alignment of vector call arguments."""
        t = ir.MemRefType(m.type)
        if not t.is_dynamic_dim(k):
            return t.shape[k]
        sizes = self.sizes(m)
        if sizes is None:
            return memref.dim(m, self.c.index(k))
        return sizes[k]

    def sizes(self, m: ir.Value) -> list | None:
        found = self._sizes.get(m)
        if found is not None or m in self._sizes:
            return found
        sizes = None
        t = ir.MemRefType(m.type)
        if is_strided(t) and t.rank > 0:
            owner = m.owner
            if isinstance(owner, ir.Block):
                ip = ir.InsertionPoint.at_block_begin(owner)
                loc = self.fn.location
            else:
                ip = ir.InsertionPoint.after(owner.operation)
                loc = owner.location
            with ip, loc:
                sizes = list(memref.ExtractStridedMetadataOp(m).sizes)
        self._sizes[m] = sizes
        return sizes

    def lt(self, i, d) -> ir.Value | None:
        """i ult d: None when known true at compile time (d and i ints or constants)."""
        si, sd = static_of(i), static_of(d)
        if si is not None and sd is not None and 0 <= si < sd:
            return None
        if si is not None and sd is not None:
            return self.c.i1(False)
        return ult(self.value(i), self.value(d))

    def in_range(self, m: ir.Value, idxs: list) -> ir.Value | None:
        return all_of([self.flag(m)] + [self.lt(i, self.dim(m, k)) for k, i in enumerate(idxs)])

    def lanes_fit(self, i, n: int, d) -> ir.Value | None:
        """Lanes i..i+n-1 lie in [0, d): n <= d and i <= d - n (unsigned)."""
        si, sd = static_of(i), static_of(d)
        if sd is not None:
            if n > sd:
                return self.c.i1(False)
            if si is not None:
                return None if 0 <= si <= sd - n else self.c.i1(False)
            return ule(i, self.c.index(sd - n))
        dv = self.value(d)
        return arith.andi(
            ule(self.c.index(n), dv), ule(self.value(i), arith.subi(dv, self.c.index(n)))
        )

    def site(self, op, kind: str, mtype, rank: int | None = None) -> int:
        """A new site; `rank`: how many fault indices it reports (default: the memref's rank)."""
        return self.inst.sites.add(op, kind, mtype, self.kernel, rank)

    def fault(self, site: int, lane: ir.Value | None, idxs: Sequence, sizes: Sequence = ()) -> None:
        """At the current insertion point: the fault hook (site, lane or -1, up to four indices,
        up to four sizes; 0 where there are fewer). Indices and sizes: ints or index values."""

        def words(values) -> list:
            out = [
                self.c.i64(v) if isinstance(v, int) else to_i64(self.value(v))
                for v in list(values)[: runtime_hooks.MAX_FAULT_RANK]
            ]
            return out + [self.c.i64(0)] * (runtime_hooks.MAX_FAULT_RANK - len(out))

        lane_v = lane if lane is not None else self.c.i64(-1)
        call_hook(runtime_hooks.HOOK_FAULT, [self.c.i64(site), lane_v] + words(idxs) + words(sizes))

    def shape(self, m: ir.Value) -> list:
        """The sizes of memref `m` (ints and index values), for the fault hook."""
        return [self.dim(m, k) for k in range(ir.MemRefType(m.type).rank)]

    def race_on(self, m: ir.Value) -> bool:
        return self.race and self.shared.get(m, False)

    def race_elem(self, m: ir.Value, idxs: list, site: int, write: bool) -> None:
        name = races.element_helper(self.inst.helpers, ir.MemRefType(m.type))
        func.CallOp(
            [],
            ir.FlatSymbolRefAttr.get(name),
            [m] + list(idxs) + [self.c.i64(site), self.c.i1(write)],
        )

    # -- the walk ------------------------------------------------------------------------------
    def run(self, ops: list) -> None:
        for op in ops:
            self.visit(op)

    def visit(self, op: ir.Operation) -> None:
        name = op.name
        handler = _HANDLERS.get(name)
        if handler is not None:
            handler(self, op)
            return
        if name in UNSUPPORTED:
            self.inst.reject(op, f"'{name}' is not supported by the emulator's bounds checks")
            return
        if name == "memref.alloca_scope" and self.budget is not None:
            self.budget.scope(op)
        for r in op.results:
            if is_memref(r.type):
                self.memref_result(op, r)

    def memref_result(self, op: ir.Operation, r: ir.Value) -> None:
        name = op.name
        if name in FRESH:
            if name == "memref.get_global":
                self.shared[r] = True
            if name == "memref.alloca" and self.budget is not None:
                self.budget.alloca(self, op)
            return
        if name in PASS_THROUGH or name.startswith("memref.") and len(op.regions) == 0:
            sources = [v for v in op.operands if is_memref(v.type)]
            if len(sources) == 1:
                self.inherit(r, sources[0])
                return
        if len(op.regions) > 0:
            self.inst.reject(
                op,
                f"the emulator cannot track the memref values carried by '{name}' "
                f"(result of type {r.type}); pass the memref from outside instead",
            )
            return
        sources = [v for v in op.operands if is_memref(v.type)]
        if len(sources) == 1:
            self.inherit(r, sources[0])
        # otherwise: a memref from nowhere we know (an external call...): valid, private.

    def inherit(self, r: ir.Value, src: ir.Value, extra: ir.Value | None = None) -> None:
        f = all_of([self.flag(src), extra])
        if f is not None:
            self.valid[r] = f
        if self.shared.get(src):
            self.shared[r] = True

    # -- scalar accesses -----------------------------------------------------------------------
    def scalar(self, op: ir.Operation, kind: str, m: ir.Value, idxs: list, write: bool) -> None:
        with ir.InsertionPoint(op), op.location:
            ok = self.in_range(m, idxs)
        race = self.race_on(m)
        if ok is None and not race:
            return
        site = self.site(op, kind, m.type)
        if ok is None:
            with ir.InsertionPoint(op), op.location:
                self.race_elem(m, idxs, site, write)
            return
        with ir.InsertionPoint(op), op.location:
            shape = self.shape(m)
        self.guard(
            op,
            ok,
            site,
            idxs,
            shape,
            (lambda: self.race_elem(m, idxs, site, write)) if race else None,
        )

    def guard(
        self, op: ir.Operation, ok: ir.Value, site: int, idxs: list, shape: list, before=None
    ) -> None:
        """Moves `op` into `scf.if %ok`; the else branch calls the fault hook and yields zeros."""
        types = [r.type for r in op.results]
        with ir.InsertionPoint(op), op.location:
            branch = scf.IfOp(ok, types, has_else=True)
        for old, new in zip(op.results, branch.results, strict=False):
            old.replace_all_uses_with(new)
        branch.then_block.append(op)
        with op.location:
            if before is not None:
                with ir.InsertionPoint(op):
                    before()
            with ir.InsertionPoint(branch.then_block):
                scf.YieldOp(list(op.results))
            with ir.InsertionPoint(branch.else_block):
                self.fault(site, None, idxs, shape)
                scf.YieldOp([self.c.zero(t) for t in types])

    def load(self, op):
        m = op.operands[0]
        self.scalar(op, "load", m, list(op.operands)[1:], False)

    def store(self, op):
        m = op.operands[1]
        self.scalar(op, "store", m, list(op.operands)[2:], True)

    def generic_atomic(self, op):
        m = op.operands[0]
        self.scalar(op, "store", m, list(op.operands)[1:], True)

    # -- vector accesses -----------------------------------------------------------------------
    def vector_access(
        self,
        op: ir.Operation,
        kind: str,
        m: ir.Value,
        idxs: list,
        vtype: ir.VectorType,
        extra: list,
        in_bounds: bool = True,
        has_mask: bool = False,
    ) -> None:
        """`extra`: the slow path's operands after the indices (value, mask, pass-through or
        padding, as the helper of `kind` takes them)."""
        mtype = ir.MemRefType(m.type)
        write = kind in ("vstore", "mstore", "twrite")
        if isinstance(mtype.element_type, ir.VectorType):
            # A memref of vectors: one element per access.
            if kind in ("vload", "vstore"):
                self.scalar(op, "store" if write else "load", m, idxs, write)
                return
            self.inst.reject(
                op,
                f"'{op.name}' on a memref of vectors is not supported by the "
                f"emulator's bounds checks",
            )
            return
        r, k = mtype.rank, vtype.rank
        transfer = kind in ("tread", "twrite")
        with ir.InsertionPoint(op), op.location:
            conds = [self.flag(m)]
            for j in range(r - k):
                conds.append(self.lt(idxs[j], self.dim(m, j)))
            for d in range(k):
                j = r - k + d
                if transfer and not in_bounds:
                    # The transfer masks lanes past the end itself; its start must be in [0, dim].
                    dv = self.dim(m, j)
                    si, sd = static_of(idxs[j]), static_of(dv)
                    if not (si is not None and sd is not None and 0 <= si <= sd):
                        conds.append(ule(self.value(idxs[j]), self.value(dv)))
                else:
                    conds.append(self.lanes_fit(idxs[j], vtype.shape[d], self.dim(m, j)))
            fast = all_of(conds)
        race = self.race_on(m)
        # With races on, the fast path records its lanes only for a plain 1-D access (every lane
        # is accessed); masked, padded and n-D accesses always take the exact per-lane path.
        race_fast = race and k == 1 and not has_mask and (in_bounds or not transfer)
        if fast is None and not race:
            return
        site = self.site(op, "store" if write else "load", m.type)
        slow = slow_path(self.inst.helpers, kind, mtype, vtype, in_bounds, has_mask, race)
        site_v = self.c.i64(site)

        def call_slow():
            args = [m] + list(idxs) + list(extra) + [self.flag_or_true(m), site_v]
            call = func.CallOp([vtype] if not write else [], ir.FlatSymbolRefAttr.get(slow), args)
            return list(call.results)

        if race and not race_fast:
            with ir.InsertionPoint(op), op.location:
                results = call_slow()
            for old, new in zip(op.results, results, strict=False):
                old.replace_all_uses_with(new)
            op.erase()
            return
        record = None
        if race_fast:
            lanes = races.lanes_helper(self.inst.helpers, mtype, vtype.shape[0])

            def record():
                func.CallOp(
                    [],
                    ir.FlatSymbolRefAttr.get(lanes),
                    [m] + list(idxs) + [site_v, self.c.i1(write)],
                )

        if fast is None:
            with ir.InsertionPoint(op), op.location:
                record()
            return
        types = [res.type for res in op.results]
        with ir.InsertionPoint(op), op.location:
            branch = scf.IfOp(fast, types, has_else=True)
        for old, new in zip(op.results, branch.results, strict=False):
            old.replace_all_uses_with(new)
        branch.then_block.append(op)
        with op.location:
            if record is not None:
                with ir.InsertionPoint(op):
                    record()
            with ir.InsertionPoint(branch.then_block):
                scf.YieldOp(list(op.results))
            with ir.InsertionPoint(branch.else_block):
                scf.YieldOp(call_slow())

    def vload(self, op):
        m = op.operands[0]
        self.vector_access(op, "vload", m, list(op.operands)[1:], op.results[0].type, [])

    def vstore(self, op):
        value, m = op.operands[0], op.operands[1]
        self.vector_access(op, "vstore", m, list(op.operands)[2:], value.type, [value])

    def mload(self, op):
        ops = list(op.operands)
        m, r = ops[0], ir.MemRefType(ops[0].type).rank
        idxs, mask, passthru = ops[1 : 1 + r], ops[1 + r], ops[2 + r]
        self.vector_access(
            op, "mload", m, idxs, op.results[0].type, [mask, passthru], has_mask=True
        )

    def mstore(self, op):
        ops = list(op.operands)
        m, r = ops[0], ir.MemRefType(ops[0].type).rank
        idxs, mask, value = ops[1 : 1 + r], ops[1 + r], ops[2 + r]
        self.vector_access(op, "mstore", m, idxs, value.type, [mask, value], has_mask=True)

    def _transfer_form(self, op, m: ir.Value, vtype) -> bool | None:
        """in_bounds of a 1-D minor-identity transfer on a memref; None (after a located error)
        for other forms."""
        if not is_memref(m.type):
            return None  # a transfer on a tensor touches no memory
        mtype = ir.MemRefType(m.type)
        pmap = ir.AffineMapAttr(op.attributes["permutation_map"]).value
        if (
            vtype.rank != 1
            or mtype.rank < 1
            or vtype.scalable
            or pmap != ir.AffineMap.get_minor_identity(mtype.rank, 1)
        ):
            self.inst.reject(
                op,
                f"'{op.name}' of {vtype} with permutation map {pmap} is not "
                f"supported by the emulator's bounds checks",
            )
            return None
        in_bounds = [ir.BoolAttr(a).value for a in ir.ArrayAttr(op.attributes["in_bounds"])]
        return in_bounds[0]

    def tread(self, op):
        ops = list(op.operands)
        m = ops[0]
        vtype = op.results[0].type
        in_bounds = self._transfer_form(op, m, vtype)
        if in_bounds is None:
            return
        r = ir.MemRefType(m.type).rank
        idxs, pad = ops[1 : 1 + r], ops[1 + r]
        mask = ops[2 + r :]
        self.vector_access(op, "tread", m, idxs, vtype, [pad] + mask, in_bounds, bool(mask))

    def twrite(self, op):
        ops = list(op.operands)
        value, m = ops[0], ops[1]
        if not is_memref(m.type):
            return
        in_bounds = self._transfer_form(op, m, value.type)
        if in_bounds is None:
            return
        r = ir.MemRefType(m.type).rank
        idxs, mask = ops[2 : 2 + r], ops[2 + r :]
        self.vector_access(op, "twrite", m, idxs, value.type, [value] + mask, in_bounds, bool(mask))

    def copy(self, op):
        src, dst = op.operands[0], op.operands[1]
        st, dt = ir.MemRefType(src.type), ir.MemRefType(dst.type)
        with ir.InsertionPoint(op), op.location:
            conds = [self.flag(src), self.flag(dst)]
            for k in range(st.rank):
                a, b = self.dim(src, k), self.dim(dst, k)
                if isinstance(a, int) and isinstance(b, int):
                    if a != b:
                        conds.append(self.c.i1(False))
                    continue
                conds.append(arith.cmpi(arith.CmpIPredicate.eq, self.value(a), self.value(b)))
            ok = all_of(conds)
        if ok is None:
            return
        site = self.site(op, "copy", dt, rank=0)
        with ir.InsertionPoint(op), op.location:
            shape = self.shape(dst)
        self.guard(op, ok, site, [], shape)

    # -- views ---------------------------------------------------------------------------------
    def view_check(
        self, op: ir.Operation, kind: str, src: ir.Value, ok: ir.Value | None, report: list
    ) -> None:
        """The view's flag: valid(src) & ok; a fault at the view when src is valid and ok is not.
        Built before the view op (at the current insertion point)."""
        self.inherit(op.results[0], src, ok)
        if ok is None:
            return
        site = self.site(op, kind, src.type, rank=len(report))
        bad = arith.xori(ok, self.c.i1(True))
        src_flag = self.flag(src)
        if src_flag is not None:
            bad = arith.andi(bad, src_flag)
        branch = scf.IfOp(bad, [], has_else=False)
        with ir.InsertionPoint(branch.then_block):
            self.fault(site, None, report, self.shape(src))
            scf.YieldOp([])

    def _i128(self, v) -> ir.Value:
        t = ir.IntegerType.get_signless(128)
        if isinstance(v, int):
            return arith.constant(t, v)
        return arith.extui(t, arith.index_cast(ir.IntegerType.get_signless(64), v))

    def window_ok(self, off, size, stride, dim) -> ir.Value | None:
        """size == 0 or off + (size - 1) * stride < dim, all unsigned."""
        so, ss, st, sd = (static_of(x) for x in (off, size, stride, dim))
        if so is not None and ss is not None and st is not None and sd is not None:
            fits = ss == 0 or (so >= 0 and ss > 0 and st >= 0 and so + (ss - 1) * st < sd)
            return None if fits else self.c.i1(False)
        smalls = []
        for x in (off, size, stride):
            sx = static_of(x)
            if sx is None:
                smalls.append(ult(self.value(x), self.c.index(LIMIT)))
            elif not 0 <= sx < LIMIT:
                smalls.append(self.c.i1(False))
        small = all_of(smalls)
        one = self._i128(1)
        last = arith.addi(
            self._i128(off), arith.muli(arith.subi(self._i128(size), one), self._i128(stride))
        )
        inside = ult(last, self._i128(dim))
        empty = arith.cmpi(arith.CmpIPredicate.eq, self.value(size), self.c.index(0))
        return arith.ori(empty, all_of([small, inside]))

    def subview(self, op):
        v = op.opview
        src = op.operands[0]
        offs = mixed(list(v.static_offsets), list(v.offsets))
        sizes = mixed(list(v.static_sizes), list(v.sizes))
        strides = mixed(list(v.static_strides), list(v.strides))
        with ir.InsertionPoint(op), op.location:
            ok = all_of(
                [
                    self.window_ok(o, s, t, self.dim(src, k))
                    for k, (o, s, t) in enumerate(zip(offs, sizes, strides, strict=False))
                ]
            )
            self.view_check(op, "subview", src, ok, offs)

    def span(self, off, sizes, strides):
        """(lo, hi, empty) of a strided window, as i128 values (empty: i1 or None)."""
        hi = self._i128(off)
        one = self._i128(1)
        empties = []
        for s, t in zip(sizes, strides, strict=False):
            hi = arith.addi(hi, arith.muli(arith.subi(self._i128(s), one), self._i128(t)))
            ss = static_of(s)
            if ss is None:
                empties.append(arith.cmpi(arith.CmpIPredicate.eq, self.value(s), self.c.index(0)))
            elif ss == 0:
                empties.append(self.c.i1(True))
        empty = None
        for e in empties:
            empty = e if empty is None else arith.ori(empty, e)
        return self._i128(off), hi, empty

    def reinterpret_cast(self, op):
        v = op.opview
        src = op.operands[0]
        offs = mixed(list(v.static_offsets), list(v.offsets))
        sizes = mixed(list(v.static_sizes), list(v.sizes))
        strides = mixed(list(v.static_strides), list(v.strides))
        with ir.InsertionPoint(op), op.location:
            smalls = []
            for x in offs + sizes + strides:
                sx = static_of(x)
                if sx is None:
                    smalls.append(ult(self.value(x), self.c.index(LIMIT)))
                elif not 0 <= sx < LIMIT:
                    smalls.append(self.c.i1(False))
            meta = memref.ExtractStridedMetadataOp(src)
            s_off = meta.offset
            s_sizes, s_strides = list(meta.sizes), list(meta.strides)
            for x in [s_off] + s_sizes + s_strides:
                smalls.append(ult(x, self.c.index(LIMIT)))
            lo, hi, empty = self.span(offs[0], sizes, strides)
            slo, shi, sempty = self.span(s_off, s_sizes, s_strides)
            inside = all_of(
                [
                    arith.cmpi(arith.CmpIPredicate.uge, lo, slo),
                    arith.cmpi(arith.CmpIPredicate.ule, hi, shi),
                ]
                + smalls
            )
            if sempty is not None:
                inside = arith.andi(inside, arith.xori(sempty, self.c.i1(True)))
            ok = inside if empty is None else arith.ori(empty, inside)
            self.view_check(op, "reinterpret_cast", src, ok, offs)

    def view(self, op):
        src, shift = op.operands[0], op.operands[1]
        rt = ir.MemRefType(op.results[0].type)
        esize = byte_size(rt.element_type)
        sizes = list(op.operands)[2:]
        with ir.InsertionPoint(op), op.location:
            total = self._i128(shift)
            n = self._i128(esize)
            it = iter(sizes)
            for k in range(rt.rank):
                s = next(it) if rt.is_dynamic_dim(k) else rt.shape[k]
                n = arith.muli(n, self._i128(s))
            total = arith.addi(total, n)
            smalls = [ult(x, self.c.index(LIMIT)) for x in [shift] + sizes]
            ok = all_of(
                smalls + [arith.cmpi(arith.CmpIPredicate.ule, total, self._i128(self.dim(src, 0)))]
            )
            self.view_check(op, "view", src, ok, [shift])

    def reshape(self, op):
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
                v = memref.load(shape, [self.c.index(k)])
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
                ok = None if need <= have else self.c.i1(False)
            else:
                have = self._i128(1)
                for k in range(st.rank):
                    have = arith.muli(have, self._i128(self.dim(src, k)))
                # Partial products stay <= have < 2**62 while they fit, so i128 cannot overflow;
                # any zero size makes the view empty, and valid.
                conds, zeros, need = [], [], self._i128(1)
                for x in sizes:
                    if isinstance(x, int):
                        if x == 0:
                            zeros.append(self.c.i1(True))
                    else:
                        conds.append(ult(x, self.c.index(LIMIT)))
                        zeros.append(arith.cmpi(arith.CmpIPredicate.eq, x, self.c.index(0)))
                    need = arith.muli(need, self._i128(x))
                    conds.append(arith.cmpi(arith.CmpIPredicate.ule, need, have))
                ok = all_of(conds)
                for z in zeros:
                    ok = arith.ori(z, ok)
            self.view_check(op, "view", src, ok, [x for x in sizes if not isinstance(x, int)])

    def cast(self, op):
        src, r = op.operands[0], op.results[0]
        st, rt = src.type, r.type
        if not (is_memref(st) and is_memref(rt)):
            if is_memref(rt):
                self.memref_result(op, r)
            return
        st, rt = ir.MemRefType(st), ir.MemRefType(rt)
        conds = []
        with ir.InsertionPoint(op), op.location:
            for k in range(rt.rank):
                if st.is_dynamic_dim(k) and not rt.is_dynamic_dim(k):
                    conds.append(
                        arith.cmpi(
                            arith.CmpIPredicate.eq,
                            self.value(self.dim(src, k)),
                            self.c.index(rt.shape[k]),
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
                    conds.append(
                        arith.cmpi(arith.CmpIPredicate.eq, meta.offset, self.c.index(r_off))
                    )
                strides = list(meta.strides)
                for j, v in need:
                    conds.append(arith.cmpi(arith.CmpIPredicate.eq, strides[j], self.c.index(v)))
            ok = all_of(conds)
            self.view_check(op, "view", src, ok, [])

    def expand_shape(self, op):
        src, r = op.operands[0], op.results[0]
        v = op.opview
        out = mixed(list(v.static_output_shape), list(v.output_shape))
        if all(isinstance(x, int) for x in out):
            self.inherit(r, src)
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
                prod = self._i128(1)
                for j in group:
                    prod = arith.muli(prod, self._i128(out[j]))
                conds.append(arith.cmpi(arith.CmpIPredicate.eq, prod, self._i128(self.dim(src, k))))
            ok = all_of(conds)
            self.view_check(op, "view", src, ok, [x for x in out if not isinstance(x, int)])

    def select(self, op):
        r = op.results[0]
        if not is_memref(r.type):
            return
        a, b = op.operands[1], op.operands[2]
        fa, fb = self.flag(a), self.flag(b)
        if fa is not None or fb is not None:
            with ir.InsertionPoint(op), op.location:
                self.valid[r] = arith.select(
                    op.operands[0], self.flag_or_true(a), self.flag_or_true(b)
                )
        if self.shared.get(a) and self.shared.get(b):
            self.shared[r] = True

    # -- calls and returns ---------------------------------------------------------------------
    def call(self, op):
        name = callee_name(op)
        sig = self.inst.flag_signatures.get(name)
        if sig is None:
            for r in op.results:
                if is_memref(r.type):
                    self.memref_result(op, r)
            if name in self.inst.kernel_ids:
                self.inst.kernel_calls.append(op)
            return
        operands = list(op.operands)
        flags = [self.flag_or_true(operands[i]) for i in sig.memref_args]
        types = [r.type for r in op.results] + [i1_t()] * len(sig.memref_results)
        with ir.InsertionPoint(op), op.location:
            new = func.CallOp(types, ir.FlatSymbolRefAttr.get(name), operands + flags).operation
        for name_attr in op.attributes:
            if name_attr not in ("callee", "operandSegmentSizes", "arg_attrs", "res_attrs"):
                new.attributes[name_attr] = op.attributes[name_attr]
        n = len(op.results)
        for old, fresh in zip(op.results, list(new.results)[:n], strict=False):
            old.replace_all_uses_with(fresh)
        for j, i in enumerate(sig.memref_results):
            self.valid[new.results[i]] = new.results[n + j]
        op.erase()
        if name in self.inst.kernel_ids:
            self.inst.kernel_calls.append(new)

    def ret(self, op):
        sig = self.inst.flag_signatures.get(self.inst.name_of(self.fn))
        if sig is None or not sig.memref_results or op.parent != self.fn:
            return
        operands = list(op.operands)
        flags = [self.flag_or_true(operands[i]) for i in sig.memref_results]
        with ir.InsertionPoint(op), op.location:
            func.ReturnOp(operands + flags)
        op.erase()


_HANDLERS = {
    "memref.load": FunctionChecker.load,
    "memref.store": FunctionChecker.store,
    "memref.atomic_rmw": FunctionChecker.store,
    "memref.generic_atomic_rmw": FunctionChecker.generic_atomic,
    "vector.load": FunctionChecker.vload,
    "vector.store": FunctionChecker.vstore,
    "vector.maskedload": FunctionChecker.mload,
    "vector.maskedstore": FunctionChecker.mstore,
    "vector.transfer_read": FunctionChecker.tread,
    "vector.transfer_write": FunctionChecker.twrite,
    "memref.copy": FunctionChecker.copy,
    "memref.subview": FunctionChecker.subview,
    "memref.reinterpret_cast": FunctionChecker.reinterpret_cast,
    "memref.view": FunctionChecker.view,
    "memref.reshape": FunctionChecker.reshape,
    "memref.cast": FunctionChecker.cast,
    "memref.expand_shape": FunctionChecker.expand_shape,
    "arith.select": FunctionChecker.select,
    "func.call": FunctionChecker.call,
    "func.return": FunctionChecker.ret,
}


# -- the per-lane slow paths -------------------------------------------------------------------


def slow_path(
    helpers: Helpers,
    kind: str,
    mtype: ir.MemRefType,
    vtype: ir.VectorType,
    in_bounds: bool,
    has_mask: bool,
    race: bool,
) -> str:
    """The helper that performs a vector access lane by lane. Parameters: the memref, its
    indices, then per kind (vstore/twrite: the value; mload: mask, pass-through; mstore: mask,
    value; tread: padding[, mask]; twrite: value[, mask]), then the view's flag and the site."""
    key = ("slow_" + kind, str(mtype), str(vtype), in_bounds, has_mask, race)
    return helpers.get(
        key, lambda name: _slow_text(name, kind, mtype, vtype, in_bounds, has_mask, race, helpers)
    )


def _slow_text(
    name: str,
    kind: str,
    mtype: ir.MemRefType,
    vtype: ir.VectorType,
    in_bounds: bool,
    has_mask: bool,
    race: bool,
    helpers: Helpers,
) -> str:
    load = kind in ("vload", "mload", "tread")
    r, k = mtype.rank, vtype.rank
    shape = list(vtype.shape)
    n = num_elements(shape)
    elem = vtype.element_type
    flat, fmask = flat_type(vtype), flat_mask_type(vtype)
    vmask = ir.VectorType.get(shape, ir.IntegerType.get_signless(1))
    idx_params = [f"%i{j}" for j in range(r)]
    params = [f"%m: {mtype}"] + [f"{i}: index" for i in idx_params]
    if kind in ("vstore",):
        params.append(f"%val: {vtype}")
    elif kind == "mload":
        params += [f"%mask: {vmask}", f"%pass: {vtype}"]
    elif kind == "mstore":
        params += [f"%mask: {vmask}", f"%val: {vtype}"]
    elif kind == "tread":
        params.append(f"%pad: {elem}")
        if has_mask:
            params.append(f"%mask: {vmask}")
    elif kind == "twrite":
        params.append(f"%val: {vtype}")
        if has_mask:
            params.append(f"%mask: {vmask}")
    params += ["%valid: i1", "%site: i64"]
    elem_race = races.element_helper(helpers, mtype) if race else None

    t = Text()
    dims = dims_text(t, "%m", mtype)
    c0, c1, cn = t.index(0), t.index(1), t.index(n)

    def flatten(v: str, vt, ft) -> str:
        return v if k == 1 else t.op(f"vector.shape_cast {v} : {vt} to {ft}")

    valf = flatten("%val", vtype, flat) if kind in ("vstore", "mstore", "twrite") else None
    maskf = flatten("%mask", vmask, fmask) if has_mask else None
    passf = flatten("%pass", vtype, flat) if kind == "mload" else None
    mlit = f"{mtype}"
    if load:
        init = t.const(zero_literal(flat), "z")
        t.emit(
            f"%res = scf.for %f = {c0} to {cn} step {c1} iter_args(%acc = {init}) -> ({flat}) {{"
        )
    else:
        t.emit(f"scf.for %f = {c0} to {cn} step {c1} {{")
    # The lane's position in the vector, and its element's indices.
    pos = []
    for d in range(k):
        stride = num_elements(shape[d + 1 :])
        p = "%f" if stride == 1 else t.op(f"arith.divui %f, {t.index(stride)} : index")
        if d > 0:
            p = t.op(f"arith.remui {p}, {t.index(shape[d])} : index")
        pos.append(p)
    idx = list(idx_params)
    for d in range(k):
        j = r - k + d
        idx[j] = t.op(f"arith.addi {idx_params[j]}, {pos[d]} : index")
    ok = "%valid"
    for j in range(r):
        ok = t.and_(ok, t.op(f"arith.cmpi ult, {idx[j]}, {dims[j]} : index", "b"))
    attempt = None
    if has_mask:
        attempt = t.op(f"vector.extract {maskf}[%f] : i1 from {fmask}", "b")
    if kind in ("tread", "twrite") and not in_bounds:
        beyond = t.op(f"arith.cmpi sge, {idx[r - 1]}, {dims[r - 1]} : index", "b")
        inside = t.op(f"arith.xori {beyond}, {t.i1(True)} : i1", "b")
        attempt = inside if attempt is None else t.and_(attempt, inside)
    lane = t.op("arith.index_cast %f : index to i64", "lane")
    idx_text = ", ".join(idx)

    def access_lane() -> str | None:
        """The in-bounds test and the access of one lane; for loads, the lane's value."""
        if load:
            x = t.fresh("x")
            t.emit(f"{x} = scf.if {ok} -> ({elem}) {{")
            if elem_race:
                t.emit(
                    f"func.call @{elem_race}(%m, {idx_text}, %site, {t.i1(False)}) : "
                    f"({mlit}, {', '.join(['index'] * r)}, i64, i1) -> ()"
                )
            y = t.op(f"memref.load %m[{idx_text}] : {mlit}")
            t.emit(f"scf.yield {y} : {elem}")
            t.emit("} else {")
            fault_text(t, "%site", lane, idx, dims)
            t.emit(f"scf.yield {t.const(zero_literal(elem), 'z')} : {elem}")
            t.emit("}")
            return x
        t.emit(f"scf.if {ok} {{")
        y = t.op(f"vector.extract {valf}[%f] : {elem} from {flat}")
        if elem_race:
            t.emit(
                f"func.call @{elem_race}(%m, {idx_text}, %site, {t.i1(True)}) : "
                f"({mlit}, {', '.join(['index'] * r)}, i64, i1) -> ()"
            )
        t.emit(f"memref.store {y}, %m[{idx_text}] : {mlit}")
        t.emit("} else {")
        fault_text(t, "%site", lane, idx, dims)
        t.emit("}")
        return None

    if load:
        if attempt is None:
            x = access_lane()
            out = t.op(f"vector.insert {x}, %acc [%f] : {elem} into {flat}")
            t.emit(f"scf.yield {out} : {flat}")
        else:
            nv = t.fresh("nv")
            t.emit(f"{nv} = scf.if {attempt} -> ({flat}) {{")
            x = access_lane()
            out = t.op(f"vector.insert {x}, %acc [%f] : {elem} into {flat}")
            t.emit(f"scf.yield {out} : {flat}")
            t.emit("} else {")
            fill = (
                "%pad"
                if kind == "tread"
                else t.op(f"vector.extract {passf}[%f] : {elem} from {flat}")
            )
            out = t.op(f"vector.insert {fill}, %acc [%f] : {elem} into {flat}")
            t.emit(f"scf.yield {out} : {flat}")
            t.emit("}")
            t.emit(f"scf.yield {nv} : {flat}")
        t.emit("}")
        result = "%res" if k == 1 else t.op(f"vector.shape_cast %res : {flat} to {vtype}")
        t.emit(f"return {result} : {vtype}")
        sig = f"({', '.join(params)}) -> {vtype}"
    else:
        if attempt is None:
            access_lane()
        else:
            t.emit(f"scf.if {attempt} {{")
            access_lane()
            t.emit("}")
        t.emit("}")
        t.emit("return")
        sig = f"({', '.join(params)})"
    return f"func.func private @{name}{sig} {{\n{t.body()}\n}}"
