"""Out-of-bounds checks of every memory access, in kernels and host code alike, and the validity
of views: the checker of one function. It walks the function's ops and hands each access to
access_checks.py and each view to view_checks.py; the per-lane slow paths of vector accesses
are built by lane_slow_paths.py.

Every memref value has a validity flag (an i1 value; none = valid): see view_checks.py. Flags
travel with memrefs into private functions (kernels): each memref argument gets an i1 argument
appended, each memref result an i1 result, and each func.call passes and receives them. Memref
values carried by region ops (scf.for iter_args, scf.if results, ...) are not tracked: such
input is rejected with a located error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mlir import ir
from mlir.dialects import arith, func, memref

from ...dialect.ir_queries import callee_name
from . import access_checks, races, runtime_hooks, view_checks
from .instrument_ir import (
    Consts,
    IntOrValue,
    all_of,
    call_fault_hook,
    i1_t,
    is_memref,
    is_strided,
    static_of,
    ule,
    ult,
)

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


@dataclass
class FlagSignature:
    """Where a private function's memref arguments and results are; their flags follow the
    original arguments and results, in the same order."""

    memref_args: list[int]  # positions
    memref_results: list[int]


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
        self.valid: dict[ir.Value, ir.Value] = {}  # memref -> its i1 validity flag
        # The view sites behind each flag (runtime_hooks.Site.views).
        self.views: dict[ir.Value, tuple[int, ...]] = {}
        self.shared: dict[ir.Value, bool] = {}  # memref -> may other tasks see it
        self._sizes: dict[ir.Value, list[ir.Value] | None] = {}

    # -- values --------------------------------------------------------------------------------
    def flag(self, m: ir.Value) -> ir.Value | None:
        return self.valid.get(m)

    def flag_or_true(self, m: ir.Value) -> ir.Value:
        f = self.valid.get(m)
        return f if f is not None else self.c.i1(True)

    def value(self, v) -> ir.Value:
        return self.c.index(v) if isinstance(v, int) else v

    def dim(self, m: ir.Value, k: int) -> IntOrValue:
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

    def sizes(self, m: ir.Value) -> list[ir.Value] | None:
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

    def in_range(self, m: ir.Value, idxs: Sequence[IntOrValue]) -> ir.Value | None:
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

    def site(
        self,
        op,
        kind: str,
        mtype,
        rank: int | None = None,
        through: Sequence[ir.Value] = (),
        window: tuple[tuple[int | None, ...], tuple[int | None, ...]] = ((), ()),
    ) -> int:
        """A new site; `rank`: how many fault indices it reports (default: the memref's rank);
        `through`: the memrefs an access goes through (their view sites are recorded);
        `window`: a view's static sizes and strides."""
        views: tuple[int, ...] = ()
        for m in through:
            views += tuple(v for v in self.views.get(m, ()) if v not in views)
        return self.inst.sites.add(op, kind, mtype, self.kernel, rank, views, window)

    def fault(
        self,
        site: int,
        lane: ir.Value | None,
        idxs: Sequence[IntOrValue],
        sizes: Sequence[IntOrValue] = (),
    ) -> None:
        """At the current insertion point: the fault hook (site, lane or -1, up to four indices,
        up to four sizes; 0 where there are fewer). Indices and sizes: ints or index values."""

        def values(xs: Sequence[IntOrValue]) -> list[ir.Value]:
            xs = list(xs)[: runtime_hooks.MAX_FAULT_RANK]
            return [self.c.i64(x) if isinstance(x, int) else self.value(x) for x in xs]

        lane_v = lane if lane is not None else self.c.i64(-1)
        call_fault_hook(self.c.i64(site), lane_v, values(idxs), values(sizes), self.c.i64(0))

    def shape(self, m: ir.Value) -> list[IntOrValue]:
        """The sizes of memref `m` (ints and index values), for the fault hook."""
        return [self.dim(m, k) for k in range(ir.MemRefType(m.type).rank)]

    def race_on(self, m: ir.Value) -> bool:
        return self.race and self.shared.get(m, False)

    def race_elem(self, m: ir.Value, idxs: Sequence[ir.Value], site: int, write: bool) -> None:
        name = races.element_helper(self.inst.helpers, ir.MemRefType(m.type))
        func.CallOp(
            [],
            ir.FlatSymbolRefAttr.get(name),
            [m] + list(idxs) + [self.c.i64(site), self.c.i1(write)],
        )

    # -- the walk ------------------------------------------------------------------------------
    def run(self, ops: Sequence[ir.Operation]) -> None:
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
        if src in self.views:
            self.views[r] = self.views[src]
        if self.shared.get(src):
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
            self.views[new.results[i]] = (runtime_hooks.FROM_ANOTHER_FUNCTION,)
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
    **access_checks.HANDLERS,
    **view_checks.HANDLERS,
    "func.call": FunctionChecker.call,
    "func.return": FunctionChecker.ret,
}


# -- the per-lane slow paths -------------------------------------------------------------------
