"""Instrumentation for the emulated accelerator: rewrites a module after `pl-outline-kernels`, in
place, into one the CPU lowering (lowering/cpu.py) compiles and that calls the runtime hooks of
runtime_hooks.py. The runtime registers the hooks, runs the entry, and reads the metadata returned
here.

    metadata = instrument(module, machine_memory_bytes=192 * 1024, check_races=False)

What it does, in order (details in the module each step names):
1. On-chip memory: a located error (DiagnosedError) for a kernel whose static memref.alloca
   buffers exceed `machine_memory_bytes` at once (onchip.py); dynamic allocas are checked at run
   time.
2. Lowers linalg ops to loops (convert-linalg-to-loops), affine ops (lower-affine) and n-D or
   permuted vector transfers to 1-D minor-identity transfers and scalar loads/stores
   (convert-vector-to-scf{full-unroll=true}), so every access is one the checks know; each pass
   runs only when the module has ops for it (their greedy drivers also fold dead code).
3. Task counters in kernels and in the private functions they call (counters.py).
4. Bounds checks of every access and view, in every function (bounds.py): a faulting access is
   suppressed (a load yields 0) and reported through the fault hook; nothing out of bounds is
   ever touched.
5. Footprints (unless `footprints=False`): the accesses of kernels to memory that comes from
   outside the task, and of host code to its arguments and allocations, are appended to the
   footprint log (footprints.py), with the host ops that use a kernel's results marked
   (host_waits.py); races, when `check_races`: kernel accesses are also recorded in shadow
   memory (races.py). Both go through the race helpers.
6. Orchestration: around each kernel call `task_begin(kernel)` ... `task_end(kernel, counters)`;
   launch groups: a kernel call that is the body of a `pl.parallel` scf.for (its only call) is
   launched per iteration and the loop is the group (group_begin before the loop, group_end
   after it); any other call is a group of its own (`once`). A group is `chained` when the call
   takes the loop's iter_args. Each task is marked in the footprint log, which every public
   function hands to the runtime before it returns.

Public functions called from within the module are cloned into private copies (`<name>__pl_emu`)
so that validity flags can follow memrefs into them; the public functions stay as they were
(plus checks) for the runtime to call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from mlir import ir
from mlir.dialects import func, scf
from mlir.passmanager import PassManager

from ...dialect import attrs
from ...dialect.chunk_contract import origin
from ...dialect.diagnostics import DiagnosedError, emit_error, emit_warning
from ...dialect.ir_queries import (
    block_ops,
    callee_name,
    collect_ops,
    enclosing_function,
    function_name,
    has_identity_layout,
    symbol_name,
    walk_ops,
)
from ...passes.effects import is_effect_free
from . import bounds, counters, footprints, host_waits, onchip, races, runtime_hooks
from .generated_functions import PREFIX, Helpers
from .instrument_ir import (
    Consts,
    byte_size,
    call_hook,
    declare_hooks,
    i1_t,
    is_memref,
    to_i64,
    where,
)

# linalg-to-loops makes affine.apply (lowered by lower-affine) before transfers are split.
PRELUDE = ("convert-linalg-to-loops", "lower-affine", "convert-vector-to-scf{full-unroll=true}")
LAUNCH_ATTR = "__pl_emu_launch"  # temporary, on kernel calls: the launch decided before any change
CALL_ATTR = (
    "__pl_emu_call"  # temporary, on kernel calls: the call's id (host_waits.py refers to it)
)
CLONE_SUFFIX = "__pl_emu"


def instrument(
    module,
    machine_memory_bytes: int,
    check_races: bool,
    race_table_log2: int = races.DEFAULT_TABLE_LOG2,
    entries: Sequence[str] | None = None,
    footprints: bool = True,
) -> runtime_hooks.EmuMetadata:
    """Instruments `module` (a Module or its Operation) in place for the emulator; returns the
    kernels, launch groups and access sites the hooks refer to by id. Raises DiagnosedError
    (after located errors) when the module cannot run on the emulator. `footprints=False`
    leaves out the footprint log (the dependency models then see no data: barrier only)."""
    op = module.operation
    with op.context, ir.Location.unknown(op.context):
        return _Instrumenter(
            op, machine_memory_bytes, check_races, race_table_log2, entries, footprints
        ).run()


class _Instrumenter:
    def __init__(
        self,
        module_op: ir.Operation,
        budget: int,
        check_races: bool,
        table_log2: int,
        entries: Sequence[str] | None = None,
        footprints: bool = True,
    ):
        self.module_op = module_op
        self.footprints = footprints
        self.call_groups: dict[int, int] = {}  # call id -> launch group id
        self.entries = entries
        self.budget = budget
        self.check_races = check_races
        self.table_log2 = table_log2
        self.metadata = runtime_hooks.EmuMetadata()
        self.sites = _SiteList(self.metadata)
        self.helpers = Helpers(module_op)
        self.errors = 0
        self.kernel_ids: dict[str, int] = {}
        self.kernel_calls: list[ir.Operation] = []
        self.flag_signatures: dict[str, bounds.FlagSignature] = {}

    @property
    def body(self) -> ir.Block:
        return self.module_op.regions[0].blocks[0]

    def reject(self, op, message: str) -> None:
        emit_error(op, message)
        self.errors += 1

    def name_of(self, fn: ir.Operation) -> str | None:
        return symbol_name(fn)

    def functions(self) -> list[ir.Operation]:
        return [
            f for f in block_ops(self.body) if f.name == "func.func" and len(f.regions[0].blocks)
        ]

    def reachable(self) -> set[str] | None:
        """The functions the entries call, transitively (None: no entries given, all)."""
        if not self.entries:
            return None
        by_name = {symbol_name(f): f for f in self.functions()}
        seen: set[str] = set()
        todo = list(self.entries)
        while todo:
            name = todo.pop()
            if name in seen or name not in by_name:
                continue
            seen.add(name)

            def visit(op):
                if op.name == "func.call":
                    todo.append(ir.FlatSymbolRefAttr(op.attributes["callee"]).value)
                return ir.WalkResult.ADVANCE

            by_name[name].walk(visit)
        return seen

    # -- the steps -----------------------------------------------------------------------------
    def run(self) -> runtime_hooks.EmuMetadata:
        self.check_names()
        kernels = [f for f in self.functions() if attrs.KERNEL.get(f)]
        warn_merged_scopes(kernels)
        # Before the prelude: its greedy rewrites drop unused buffers. Only the kernels the
        # entries can launch must fit (another function of the module may target another
        # machine).
        reachable = self.reachable()
        errors, peaks = onchip.check_static(
            [
                (function_name(k), k)
                for k in kernels
                if reachable is None or function_name(k) in reachable
            ],
            self.budget,
        )
        for k in kernels:  # the others still need their peak (dynamic allocas add to it)
            peaks.setdefault(function_name(k), onchip.kernel_peak(k)[0])
        if errors:
            raise DiagnosedError("kernels exceed the on-chip memory")
        self.prelude()
        self.clone_called_publics()
        fns = self.functions()
        for k in fns:
            if attrs.KERNEL.get(k):
                self.kernel_ids[function_name(k)] = len(self.metadata.kernels)
                self.metadata.kernels.append(function_name(k))
        counted = self.counted_functions(fns)
        collected = [(f, _collect(f)) for f in fns]
        for _, c in collected:
            self.errors += c.errors
        if self.errors:
            raise DiagnosedError("cannot instrument the module for the emulator")
        self.decide_launches(collected)
        if self.footprints:
            host_waits.mark_waits(self.calls_by_id(collected))
        # Helpers made from text are verified when made: what they call must exist first.
        counters.declare(self.helpers)
        if self.footprints:
            footprints.declare(self.helpers)  # before races: its access helper records here
        if self.check_races or self.footprints:
            races.declare(self.helpers, self.table_log2, self.check_races, self.footprints)

        consts = {}
        for f, _ in collected:
            consts[symbol_name(f)] = Consts(f)
        # Counters first: they count the original ops of each block.
        for f, c in collected:
            if symbol_name(f) in counted:
                self.count(f, c, consts[symbol_name(f)])
        self.add_flag_parameters(fns)
        for f, c in collected:
            name = symbol_name(f)
            kernel = name if name in self.kernel_ids else None
            budget = None
            if kernel is not None and any(
                o.name == "memref.alloca" and onchip.DynamicBudget.is_dynamic(o) for o in c.ops
            ):
                budget = onchip.DynamicBudget(f, consts[name], peaks[kernel], self.budget)
            record = self.footprints or (self.check_races and kernel is not None)
            checker = bounds.FunctionChecker(self, f, kernel, record, consts[name], budget)
            self.seed(checker, f, kernel is not None)
            if self.footprints and name not in counted:
                _seed_host_memory(checker, f, c.ops)
                self.record_deallocs(c.ops, checker)
            checker.run(c.ops)
        if self.errors:
            raise DiagnosedError("cannot instrument the module for the emulator")
        for call in self.kernel_calls:
            self.orchestrate(call, consts)
        if self.footprints:
            self.hand_over_footprints(fns)
            self.metadata.site_waits = {
                site: tuple(sorted({self.call_groups[c] for c in calls if c in self.call_groups}))
                for site, calls in self.sites.waits.items()
            }
            host_waits.clear_waits(self.module_op)
        declare_hooks(self.module_op)
        return self.metadata

    def calls_by_id(
        self, collected: list[tuple[ir.Operation, _Collected]]
    ) -> dict[int, ir.Operation]:
        """The kernel calls of host code, each given an id (CALL_ATTR, kept when the call is
        rebuilt)."""
        calls: dict[int, ir.Operation] = {}
        for _, c in collected:
            for op in c.ops:
                if LAUNCH_ATTR in op.attributes:
                    op.attributes[CALL_ATTR] = ir.IntegerAttr.get(
                        ir.IntegerType.get_signless(64), len(calls)
                    )
                    calls[len(calls)] = op
        return calls

    def record_deallocs(self, ops: list[ir.Operation], checker: bounds.FunctionChecker) -> None:
        """Before each memref.dealloc of host code: its buffer's bytes to the footprint log as
        freed (footprints.FREE), so that the dealloc is a host node that waits for the tasks
        that used them. (A buffer of another layout than the identity, or of elements the
        emulator does not size, is left out: its next users are still ordered by address.)"""
        from mlir.dialects import arith, memref

        c = checker.c
        for op in ops:
            if op.name != "memref.dealloc":
                continue
            m = op.operands[0]
            mtype = ir.MemRefType(m.type)
            elem = byte_size(mtype.element_type)
            if elem is None or not has_identity_layout(mtype):
                continue
            site = self.sites.add(op, "dealloc", mtype, None)
            with ir.InsertionPoint(op), op.location:
                nbytes = c.index(elem)
                for k in range(mtype.rank):
                    # the checker's sizes, not memref.dim (see FunctionChecker.dim)
                    nbytes = arith.muli(nbytes, checker.value(checker.dim(m, k)))
                address = memref.extract_aligned_pointer_as_index(m)
                func.CallOp(
                    [],
                    ir.FlatSymbolRefAttr.get(footprints.FREE_BYTES),
                    [to_i64(address), to_i64(nbytes), c.i64(site)],
                )

    def hand_over_footprints(self, fns: list[ir.Operation]) -> None:
        """Before each return of a public function (an entry): the footprint log to the
        runtime."""
        for f in fns:
            if _is_private(f):
                continue
            for op in _collect(f).returns:
                with ir.InsertionPoint(op), op.location:
                    func.CallOp([], ir.FlatSymbolRefAttr.get(footprints.FLUSH), [])

    def check_names(self) -> None:
        """Our symbols must not exist yet (a module instrumented twice, or a user's name)."""
        errors = 0
        for op in block_ops(self.body):
            name = symbol_name(op)
            if name is None:
                continue
            if name.startswith(PREFIX) or (
                name in runtime_hooks.HOOKS and len(op.regions) and len(op.regions[0].blocks)
            ):
                emit_error(
                    op,
                    f"the symbol name @{name} is reserved for the emulator's "
                    f"instrumentation (is the module instrumented already?)",
                )
                errors += 1
        if errors:
            raise DiagnosedError("reserved symbol names")

    def prelude(self) -> None:
        """The upstream lowerings that leave only accesses the checks know, each run only when
        the module has ops for it (their greedy drivers also fold unrelated dead code)."""
        needed = set()

        def visit(op):
            name = op.name
            if name.startswith("linalg."):
                needed.add("convert-linalg-to-loops")
            elif name.startswith("affine."):
                needed.add("lower-affine")
            elif name in ("vector.transfer_read", "vector.transfer_write") and _complex_transfer(
                op
            ):
                needed.add("convert-vector-to-scf{full-unroll=true}")
            return ir.WalkResult.ADVANCE

        self.module_op.walk(visit)
        passes = [p for p in PRELUDE if p in needed]
        if not passes:
            return
        try:
            PassManager.parse(f"builtin.module({', '.join(passes)})").run(self.module_op)
        except ir.MLIRError as exc:
            raise DiagnosedError(
                f"emulator: lowering linalg, affine and vector transfers failed: {exc}"
            ) from None

    def clone_called_publics(self) -> None:
        """A public function called from the module gets a private copy that the calls use."""
        fns = {symbol_name(f): f for f in self.functions()}
        called = set()

        def visit(op):
            if op.name == "func.call":
                called.add(callee_name(op))
            return ir.WalkResult.ADVANCE

        self.module_op.walk(visit)
        renames = {}
        for name in sorted(called):
            f = fns.get(name)
            if f is None or _is_private(f):
                continue
            new_name = name + CLONE_SUFFIX
            while new_name in fns:
                new_name += "_"
            clone = f.clone(ip=ir.InsertionPoint(self.body))
            clone.attributes["sym_name"] = ir.StringAttr.get(new_name)
            clone.attributes["sym_visibility"] = ir.StringAttr.get("private")
            renames[name] = new_name
            fns[new_name] = clone
        if not renames:
            return

        def redirect(op):
            if op.name == "func.call" and callee_name(op) in renames:
                op.attributes["callee"] = ir.FlatSymbolRefAttr.get(renames[callee_name(op)])
            return ir.WalkResult.ADVANCE

        self.module_op.walk(redirect)

    def counted_functions(self, fns: list[ir.Operation]) -> set[str | None]:
        """Kernels and the private functions they call (transitively)."""
        by_name = {symbol_name(f): f for f in fns}
        todo = [symbol_name(f) for f in fns if attrs.KERNEL.get(f)]
        seen = set(todo)
        while todo:
            f = by_name[todo.pop()]
            found = [callee_name(op) for op in walk_ops(f, "func.call")]
            for name in found:
                g = by_name.get(name)
                if g is not None and name not in seen and _is_private(g):
                    seen.add(name)
                    todo.append(name)
        return seen

    def decide_launches(self, collected: list[tuple[ir.Operation, _Collected]]) -> None:
        """Marks each kernel call with its launch (before any change to the loops around it)."""
        for f, c in collected:
            if symbol_name(f) in self.kernel_ids:
                continue
            for op in c.ops:
                if op.name != "func.call" or callee_name(op) not in self.kernel_ids:
                    continue
                launch, chained = launch_of(op)
                op.attributes[LAUNCH_ATTR] = ir.StringAttr.get(
                    f"{launch}{'+chained' if chained else ''}"
                )

    def count(self, f: ir.Operation, c: _Collected, consts: Consts) -> None:
        guards = [g for g in map(counters.guard_of, c.loops) if g is not None]  # before any change
        fc = counters.FunctionCounters(f, consts)
        for block, ops, parent in c.blocks:
            if parent.name in counters.COUNTED_PARENTS:
                fc.block(block, ops)
        for guard in guards:
            fc.guard(guard)
        for op in c.ops:
            if op.name == "memref.copy":
                fc.copy(op)
        for ret in c.returns:
            fc.flush(ret)

    def add_flag_parameters(self, fns: list[ir.Operation]) -> None:
        """Every private function: an i1 argument per memref argument, an i1 result per memref
        result, appended in order."""
        for f in fns:
            if not _is_private(f):
                continue
            ftype = ir.FunctionType(ir.TypeAttr(f.attributes["function_type"]).value)
            args = [i for i, t in enumerate(ftype.inputs) if is_memref(t)]
            results = [i for i, t in enumerate(ftype.results) if is_memref(t)]
            if not args and not results:
                continue
            self.flag_signatures[function_name(f)] = bounds.FlagSignature(args, results)
            entry = f.regions[0].blocks[0]
            for i in args:
                entry.add_argument(i1_t(), entry.arguments[i].location)
            f.attributes["function_type"] = ir.TypeAttr.get(
                ir.FunctionType.get(
                    list(ftype.inputs) + [i1_t()] * len(args),
                    list(ftype.results) + [i1_t()] * len(results),
                )
            )
            for attr, n in (("arg_attrs", len(args)), ("res_attrs", len(results))):
                if attr in f.attributes and n:
                    old = list(ir.ArrayAttr(f.attributes[attr]))
                    f.attributes[attr] = ir.ArrayAttr.get(old + [ir.DictAttr.get({})] * n)

    def seed(self, checker: bounds.FunctionChecker, f: ir.Operation, kernel: bool) -> None:
        entry = f.regions[0].blocks[0]
        sig = self.flag_signatures.get(function_name(f))
        args = list(entry.arguments)
        if sig is not None:
            n = len(args) - len(sig.memref_args)
            for j, i in enumerate(sig.memref_args):
                checker.valid[args[i]] = args[n + j]
                checker.views[args[i]] = (runtime_hooks.FROM_ANOTHER_FUNCTION,)
        if kernel:
            for a in args:
                if is_memref(a.type):
                    checker.shared[a] = True

    # -- orchestration -------------------------------------------------------------------------
    def orchestrate(self, call: ir.Operation, consts: dict[str | None, Consts]) -> None:
        name = callee_name(call)
        assert name is not None, "orchestrate is only given func.call ops"
        kid = self.kernel_ids[name]
        launch = ir.StringAttr(call.attributes[LAUNCH_ATTR]).value
        del call.attributes[LAUNCH_ATTR]
        gid = len(self.metadata.groups)
        if CALL_ATTR in call.attributes:
            self.call_groups[ir.IntegerAttr(call.attributes[CALL_ATTR]).value] = gid
            del call.attributes[CALL_ATTR]
        if self.footprints:  # a kernel call that uses another kernel's results waits for it
            waits = host_waits.waiting_on(call)
            if waits:
                self.metadata.call_waits[gid] = waits
        chained = launch.endswith("+chained")
        launch = launch.split("+")[0]
        fn = enclosing_function(call)
        c = consts[symbol_name(fn)]
        if launch == "per_iteration":
            anchor = call.parent.operation
            if not chained:
                anchor = _band_of(anchor)
        else:
            anchor = call
        self.metadata.groups.append(runtime_hooks.Group(gid, name, launch, chained, where(anchor)))
        races_on = self.check_races
        flags = 1 if chained else 0
        with ir.InsertionPoint(anchor), call.location:
            call_hook(runtime_hooks.HOOK_GROUP_BEGIN, [c.i64(gid), c.i64(flags)])
            if races_on:
                _race_group_begin(c, launch == "per_iteration" and not chained)
        with ir.InsertionPoint(call), call.location:
            call_hook(runtime_hooks.HOOK_TASK_BEGIN, [c.i64(kid)])
            counters.emit_zero(c)
            if self.footprints:
                _mark(c, footprints.BEGIN)
        after_call = ir.InsertionPoint.after(call)
        with after_call, call.location:
            if self.footprints:
                _mark(c, footprints.END)
            values = counters.emit_read(c)
            call_hook(runtime_hooks.HOOK_TASK_END, [c.i64(kid)] + values)
            if races_on:
                _race_task_end(c)
            if anchor == call:
                call_hook(runtime_hooks.HOOK_GROUP_END, [c.i64(gid)])
                if races_on:
                    _race_group_end(c)
        if anchor != call:
            with ir.InsertionPoint.after(anchor), call.location:
                call_hook(runtime_hooks.HOOK_GROUP_END, [c.i64(gid)])
                if races_on:
                    _race_group_end(c)


def warn_merged_scopes(kernels: list[ir.Operation]) -> None:
    """A warning at each pl.at scope inside a kernel: outlining made the enclosing source (a
    scope, a chunk, a parallel loop's body) the task, and a kernel launches no kernel, so the
    nested scope runs inline in that task instead of as a task of its own. Once per location
    (the copies pl-unswitch-guards makes of a chunk body hold copies of its scopes)."""
    seen: set[str] = set()
    for kernel in kernels:
        name = symbol_name(kernel)
        for scope in collect_ops(kernel, [scf.ExecuteRegionOp]):
            if attrs.AT.get(scope) is None:
                continue
            if where(scope) in seen:
                continue
            seen.add(where(scope))
            emit_warning(
                scope,
                f"this pl.at scope is nested in the work of kernel @{name}: it runs inline in "
                f"each task of @{name}, not as a task of its own",
                [(kernel, f"the work of kernel @{name}, one task per execution")],
            )


def _host_computation(op: ir.Operation) -> bool:
    """Host code beside a kernel call that leaves the call's iterations independent: index
    arithmetic, views (memref.subview, ...) and metadata queries, no memory access."""
    return not len(op.regions) and is_effect_free(op)


def _band_of(loop: ir.Operation) -> ir.Operation:
    """The outermost loop of a band of pl.parallel loops around `loop`, each holding only the
    next (plus arith), carrying nothing: after pl-interchange-chunk-loops the chunk loops
    `for o1 { for o2 { call } }` launch one group of o1 x o2 independent tasks, not one group
    (and a barrier) per o1 iteration."""
    while True:
        parent = loop.parent
        if (
            parent is None
            or parent.operation.name != "scf.for"
            or not attrs.PARALLEL.get(parent.operation)
            or len(parent.operation.results)
        ):
            return loop
        others = [o for o in block_ops(parent.operation.regions[0].blocks[0])[:-1] if o != loop]
        if any(not _host_computation(o) for o in others):
            return loop
        loop = parent.operation


def launch_of(call: ir.Operation) -> tuple[str, bool]:
    """("per_iteration" | "once", chained) of a kernel call."""
    parent = call.parent
    if (
        parent is None
        or parent.operation.name != "scf.for"
        or not attrs.PARALLEL.get(parent.operation)
    ):
        return "once", False
    loop = parent.operation
    body = loop.regions[0].blocks[0]
    others = [o for o in block_ops(body)[:-1] if o != call]
    if any(not _host_computation(o) for o in others):
        return "once", False
    iter_args = list(body.arguments)[1:]
    chained = any(v in iter_args for v in call.operands)
    return "per_iteration", chained


def _complex_transfer(op: ir.Operation) -> bool:
    """A transfer the checks do not take as it is: n-D, or not minor identity, on a memref."""
    vtype = (op.results[0] if op.name == "vector.transfer_read" else op.operands[0]).type
    source = op.operands[0 if op.name == "vector.transfer_read" else 1].type
    if not is_memref(source):
        return False
    rank = ir.MemRefType(source).rank
    pmap = ir.AffineMapAttr(op.attributes["permutation_map"]).value
    return vtype.rank != 1 or rank < 1 or pmap != ir.AffineMap.get_minor_identity(rank, 1)


def _mark(c: Consts, kind: int) -> None:
    func.CallOp([], ir.FlatSymbolRefAttr.get(footprints.MARK), [c.i64(kind)])


def _seed_host_memory(
    checker: bounds.FunctionChecker, f: ir.Operation, ops: list[ir.Operation]
) -> None:
    """Host code's accesses to its memref arguments and heap allocations are footprints too
    (stack buffers are not: their addresses are reused by every call)."""
    for a in f.regions[0].blocks[0].arguments:
        if is_memref(a.type):
            checker.shared[a] = True
    for op in ops:
        if op.name == "memref.alloc":
            checker.shared[op.results[0]] = True


def _ctl(c: Consts):
    from mlir.dialects import memref

    return memref.get_global(ir.MemRefType.get([4], ir.IntegerType.get_signless(64)), races.CTL)


def _race_group_begin(c: Consts, enabled: bool) -> None:
    from mlir.dialects import arith, memref

    g = _ctl(c)
    epoch = memref.load(g, [c.index(races.CTL_EPOCH)])
    memref.StoreOp(arith.addi(epoch, c.i64(1)), g, [c.index(races.CTL_EPOCH)])
    memref.StoreOp(c.i64(0), g, [c.index(races.CTL_TASK)])
    memref.StoreOp(c.i64(1 if enabled else 0), g, [c.index(races.CTL_ENABLED)])


def _race_task_end(c: Consts) -> None:
    from mlir.dialects import arith, memref

    g = _ctl(c)
    task = memref.load(g, [c.index(races.CTL_TASK)])
    memref.StoreOp(arith.addi(task, c.i64(1)), g, [c.index(races.CTL_TASK)])


def _race_group_end(c: Consts) -> None:
    from mlir.dialects import memref

    g = _ctl(c)
    memref.StoreOp(c.i64(0), g, [c.index(races.CTL_ENABLED)])


def _is_private(f: ir.Operation) -> bool:
    return (
        "sym_visibility" in f.attributes
        and ir.StringAttr(f.attributes["sym_visibility"]).value == "private"
    )


class _SiteList:
    """The sites of the module. Ops that share kind, location, memref type and kernel share a
    site: the copies pl-unswitch-guards makes of a chunk body report as the one op they come
    from."""

    def __init__(self, metadata: runtime_hooks.EmuMetadata):
        self.sites = metadata.sites
        # (kind, where, memref type, kernel, rank) -> site id
        self._ids: dict[tuple[str, str, str, str | None, int], int] = {}
        self.waits: dict[int, set[int]] = {}  # site id -> the call ids its ops wait on

    def add(
        self,
        op,
        kind: str,
        memref_type,
        kernel: str | None,
        rank: int | None = None,
        views: tuple[int, ...] = (),
        window: tuple[tuple[int | None, ...], tuple[int | None, ...]] = ((), ()),
    ) -> int:
        """`views`: the view sites the access depends on; `window`: a view's static sizes and
        strides (see runtime_hooks.Site)."""
        if rank is None:
            rank = ir.MemRefType(memref_type).rank if is_memref(memref_type) else 0
        key = (kind, where(op), str(memref_type), kernel, rank)
        found = self._ids.get(key)
        if found is None or key[1] == "<unknown>":
            site = runtime_hooks.Site(len(self.sites), *key, views, *window)
            self.sites.append(site)
            self._ids[key] = found = site.id
        else:
            site = self.sites[found]
            merged = site.views + tuple(v for v in views if v not in site.views)
            if merged != site.views:
                self.sites[found] = dataclasses.replace(site, views=merged)
        waits = host_waits.waiting_on(op)
        if waits:
            self.waits.setdefault(found, set()).update(waits)
        return found


class _Collected:
    def __init__(self) -> None:
        self.ops: list[ir.Operation] = []  # every op below the function, pre-order
        # (block, its ops, the op owning its region)
        self.blocks: list[tuple[ir.Block, list[ir.Operation], ir.Operation]] = []
        self.loops: list[ir.Operation] = []  # in-chunk scf.for ops (their guards are counted)
        self.returns: list[ir.Operation] = []  # func.return ops of the function
        self.errors = 0


def _collect(fn: ir.Operation) -> _Collected:
    c = _Collected()

    def region(r: ir.Region, owner: ir.Operation, top: bool) -> None:
        for i, block in enumerate(r.blocks):
            if not (top and i == 0):
                for a in block.arguments:
                    if is_memref(a.type):
                        emit_error(
                            owner,
                            f"the emulator cannot track memref block arguments "
                            f"(of type {a.type}); pass the memref from outside instead",
                        )
                        c.errors += 1
                        break
            ops = block_ops(block)
            c.blocks.append((block, ops, owner))
            for o in ops:
                c.ops.append(o)
                name = o.name
                if name == "func.return" and top:
                    c.returns.append(o)
                elif name == "scf.for" and origin(o) == attrs.CHUNK_INNER:
                    c.loops.append(o)
                for sub in o.regions:
                    region(sub, o, False)

    region(fn.regions[0], fn, True)
    return c
