"""`pl-outline-kernels`: work that runs on one core group becomes a `func.func` kernel marked
`pl.kernel`, called from the orchestration code that remains.

Kernel sources, found outermost first (a source inside a kernel stays inline: no kernel launches
a kernel):

* a split `pl.parallel` chunked loop: the body of its `chunk_outer` loop is a kernel, one task
  per outer iteration (the loop stays, its body becomes a call); after
  pl-interchange-chunk-loops, the innermost chunk loop of a band `for o1 { for o2 {...} }` is
  the one whose body is the kernel (one task per (o1, o2)); a `leading_full` remainder (the
  `scf.execute_region {pl.remainder}` that holds its loop, or the loop's body once canonicalize
  folded a one-trip loop) is a second kernel `<name>_rem`, one task; a split with one chunk
  has no chunk_outer loop but an `scf.execute_region {pl.single_chunk}`, whose body is a
  one-task kernel (the region is replaced by the call); a lone `chunk_inner` loop (hand-written,
  or canonicalize folded a hand-written one-trip `chunk_outer`) is a one-task kernel;
* a split chunked loop that is not `pl.parallel`: its whole nest, main and remainder, is one
  kernel, one task;

Chunk structure is read through dialect/chunk_contract.py (markers, never op sequences).
* `scf.execute_region no_inline {...} {pl.at = "core_group"}`: its body is a kernel, one task per
  execution;
* an unchunked `pl.parallel` loop with no other kernel source inside: its body is a kernel, one
  task per iteration.

Names: `pl.name_hint`, else `<func>_k<N>`; made unique against the module's symbols. Values
defined outside and used inside become kernel arguments (constants are cloned in instead);
iteration arguments come first, then the other values in order of first use; results and
iter_args flow back in order. Kernels are private: the module still runs on the CPU target,
with the same results.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlir import ir
from mlir.dialects import func

from ..dialect import attrs
from ..dialect.chunk_contract import (
    chunks_parallel,
    is_chunk_outer,
    is_remainder,
    is_single_chunk,
    is_unswitched_chunk,
    origin,
)
from ..dialect.diagnostics import DiagnosedError, carries_diagnostics, emit_error
from ..dialect.ir_queries import (
    block_ops,
    callee_name,
    enclosing_function,
    function_name,
    symbol_name,
)
from .registry import ModulePass, register_pass

# How a source runs: one task per iteration of the loop that stays, or one task per execution.
PER_ITERATION = "per_iteration"
ONCE = "once"


@dataclass
class Kernel:
    """What outlining made: the kernel's name, how its tasks are launched, the call site."""

    name: str
    launch: str  # PER_ITERATION or ONCE
    source: str  # chunk_outer, chunk_remainder, chunk_inner, nest, scope, parallel_loop
    function: str  # the function it was outlined from


@dataclass
class _Source:
    kind: str
    ops: list[ir.Operation]  # the ops moved into the kernel (one task's work)
    loop: ir.Operation | None = None  # PER_ITERATION: the loop that stays
    name_from: ir.Operation | None = None
    remainder_of: _Source | None = None
    name: str = ""
    region: ir.Operation | None = None  # a region op whose body is the kernel (then erased)


class _Finder:
    """Finds the outermost kernel sources of one function. Work that already launches a kernel
    (outlined before) is orchestration, not a source: outlining twice changes nothing."""

    def __init__(self, kernels: frozenset[str] = frozenset()):
        self.sources: list[_Source] = []
        self.errors = 0
        self.kernels = kernels

    def _launches_kernel(self, ops: list[ir.Operation]) -> bool:
        found: list[ir.Operation] = []

        def visit(op):
            if op.name == "func.call" and callee_name(op) in self.kernels:
                found.append(op)
                return ir.WalkResult.INTERRUPT
            return ir.WalkResult.ADVANCE

        for op in ops:
            op.walk(visit, ir.WalkOrder.PRE_ORDER)
            if found:
                return True
        return False

    def block(self, block: ir.Block) -> None:
        ops = block_ops(block)
        claimed: set[ir.Operation] = set()
        for i, op in enumerate(ops):
            if op in claimed:
                continue
            source = self.source_at(ops, i)
            if source is not None and self.kernels and self._launches_kernel(source.ops):
                source = None
            if source is not None:
                claimed.update(source.ops)
                self.sources.append(source)
                if source.kind in (attrs.CHUNK_OUTER, attrs.CHUNK_INNER):
                    rem = self._remainder_after(ops, i)
                    if rem is not None:
                        claimed.add(rem)
                        self.sources.append(self._remainder(rem, source))
                continue
            for region in op.regions:
                for b in region.blocks:
                    self.block(b)

    @staticmethod
    def _remainder_after(ops: list[ir.Operation], i: int) -> ir.Operation | None:
        """The remainder of the chunk loop ops[i]: the next loop or region of the block, if it
        is a remainder region (or a hand-written chunk_remainder loop)."""
        for op in ops[i + 1 :]:
            if op.name in ("scf.for", "scf.execute_region"):
                return op if is_remainder(op) or origin(op) == attrs.CHUNK_REMAINDER else None
        return None

    @staticmethod
    def _remainder(op: ir.Operation, main: _Source | None = None) -> _Source:
        """A remainder as a source: the body of its region (one task), or a bare loop."""
        if is_remainder(op):
            body = block_ops(op.regions[0].blocks[0])[:-1]
            return _Source(attrs.CHUNK_REMAINDER, body, name_from=op, remainder_of=main, region=op)
        return _Source(attrs.CHUNK_REMAINDER, [op], name_from=op, remainder_of=main)

    def source_at(self, ops: list[ir.Operation], i: int) -> _Source | None:
        op = ops[i]
        if op.name == "scf.for":
            if attrs.CHUNK.name in op.attributes:
                emit_error(
                    op,
                    "pl-outline-kernels: this chunked loop is not split yet; run "
                    "pl-split-chunked-loops first",
                )
                self.errors += 1
                return None
            kind = origin(op)
            parallel = attrs.PARALLEL.get(op)
            if kind == attrs.CHUNK_OUTER:
                return self._chunks(ops, i)
            if kind == attrs.CHUNK_REMAINDER:
                return self._remainder(op)
            if kind == attrs.CHUNK_INNER:
                return _Source(kind, [op], name_from=op)
            if parallel and kind is None and not self._has_source(op):
                return _Source("parallel_loop", self._body(op), loop=op, name_from=op)
            return None
        if op.name == "scf.execute_region" and attrs.AT.get(op) == "core_group":
            region = op.regions[0]
            if len(region.blocks) != 1:
                emit_error(
                    op,
                    "pl-outline-kernels: a pl.at scope must have a single block "
                    f"(this one has {len(region.blocks)})",
                )
                self.errors += 1
                return None
            return _Source("scope", block_ops(region.blocks[0])[:-1], name_from=op, region=op)
        if is_single_chunk(op):
            return self._chunks(ops, i)
        if is_remainder(op):
            return self._remainder(op)
        if is_unswitched_chunk(op):
            slow = next(o for o in block_ops(op.regions[1].blocks[0]) if o.name == "scf.for")
            return _Source(attrs.CHUNK_INNER, [op], name_from=slow)
        return None

    def _chunks(self, ops: list[ir.Operation], i: int) -> _Source | None:
        """ops[i] runs the chunks of a split loop (a chunk_outer loop, or the pl.single_chunk
        region of a one-chunk split). Parallel: its body is the kernel, one task per chunk (the
        loop stays; a region is replaced by the call). Otherwise the nest with its remainder is
        one kernel of one task."""
        op = ops[i]
        region = op if is_single_chunk(op) else None
        if chunks_parallel(op):
            if any(is_chunk_outer(b) for b in self._body(op)):
                return None  # a band of chunk loops (pl-interchange-chunk-loops): descend
            loop = op if region is None else None
            return _Source(
                attrs.CHUNK_OUTER, self._body(op), loop=loop, name_from=op, region=region
            )
        nest = [op]
        rem = self._remainder_after(ops, i)
        if rem is not None:
            nest = ops[i : ops.index(rem) + 1]
        return _Source("nest", nest, name_from=op)

    @staticmethod
    def _body(loop: ir.Operation) -> list[ir.Operation]:
        return block_ops(loop.regions[0].blocks[0])[:-1]  # without the scf.yield

    def _has_source(self, loop: ir.Operation) -> bool:
        inner = _Finder(self.kernels)
        inner.block(loop.regions[0].blocks[0])
        self.errors += inner.errors
        return bool(inner.sources)


def _defined_in(value: ir.Value, fn: ir.Operation) -> bool:
    owner = value.owner
    op = owner.owner if isinstance(owner, ir.Block) else owner
    return op is not None and enclosing_function(op.operation) == fn


class _Outliner:
    """Moves the ops of one source into a new kernel function."""

    def __init__(self, module: _ModuleView, symbols: set[str]):
        self.module = module
        self.symbols = symbols

    def unique(self, name: str) -> str:
        out, n = name, 1
        while out in self.symbols:
            out = f"{name}_{n}"
            n += 1
        self.symbols.add(out)
        return out

    def outline(self, src: _Source, name: str) -> None:
        owner = src.region if src.region is not None else src.loop
        if owner is not None:
            # The body of a scope or of a loop that stays: what it yields comes back from the
            # call, and the yield (which stays) takes the call's results instead.
            block = owner.regions[0].blocks[0]
            terminator = block_ops(block)[-1]
            entry = [] if src.region is not None else list(block.arguments)
            exits = list(terminator.operands)
            call = self._move(
                src.ops,
                entry,
                exits,
                name,
                anchor=terminator if src.loop else owner,
                loc=owner.location,
            )
            for v, r in zip(exits, call.results, strict=False):
                terminator.replace_uses_of_with(v, r)
            if src.region is not None:
                for old, new in zip(owner.results, call.results, strict=False):
                    old.replace_all_uses_with(new)
                owner.erase()  # its block holds only the scf.yield of the call's results
            return
        # Whole ops (loops, an unswitched chunk, a nest): their results used afterwards come
        # back from the call, which goes where the ops were.
        anchor = _next_op(src.ops[-1])
        call = self._move(src.ops, [], None, name, anchor)
        for v, r in zip(self._exits, call.results, strict=False):
            for use in list(v.uses):
                user = use.owner.operation
                if enclosing_function(user) != self._kernel:
                    user.replace_uses_of_with(v, r)

    def _move(
        self,
        ops: list[ir.Operation],
        entry: list[ir.Value],
        exits: list[ir.Value] | None,
        name: str,
        anchor: ir.Operation,
        loc: ir.Location | None = None,
    ) -> ir.Operation:
        """Creates kernel @name(entry..., live-ins...) -> exits, moves `ops` into it, and puts a
        call before `anchor`. `exits=None`: the results of `ops` used outside them. The caller
        rewires the uses of the exits (`self._exits`) to the call's results."""
        # The kernel and its call carry the source's location: the scope or the loop whose
        # work it is (reports point there).
        if loc is None:
            loc = ops[0].location if ops else anchor.location
        with ir.InsertionPoint(self.module.body), loc:
            kernel = func.FuncOp(name, ([v.type for v in entry], []))
            attrs.KERNEL.set(kernel.operation, True)
            kernel.operation.attributes["sym_visibility"] = ir.StringAttr.get("private")
            kblock = kernel.add_entry_block()
        kop = self._kernel = kernel.operation
        for op in ops:
            kblock.append(op)
        if exits is None:
            exits = [
                r
                for op in ops
                for r in op.results
                if any(enclosing_function(u.owner.operation) != kop for u in r.uses)
            ]
        self._exits = exits
        mapping = dict(zip(entry, kblock.arguments, strict=False))
        live_ins: list[ir.Value] = []
        users: list[ir.Operation] = []
        constants: list[ir.Operation] = []
        before_first = ir.InsertionPoint(block_ops(kblock)[0]) if ops else ir.InsertionPoint(kblock)

        def bring_in(v: ir.Value) -> None:
            owner = v.owner
            if not isinstance(owner, ir.Block) and owner.name == "arith.constant":
                # A constant is cloned in: the kernel sees its value (bounds, sizes) directly.
                clone = owner.operation.clone(ip=before_first)
                mapping[v] = clone.results[0]
                constants.append(owner.operation)
            else:
                mapping[v] = kblock.add_argument(v.type, loc)
                live_ins.append(v)

        def collect(op):
            for v in op.operands:
                if v not in mapping and not _defined_in(v, kop):
                    bring_in(v)
            users.append(op.operation)
            return ir.WalkResult.ADVANCE

        for op in ops:
            op.walk(collect, ir.WalkOrder.PRE_ORDER)
        for op in users:
            for old in {v for v in op.operands if v in mapping}:
                op.replace_uses_of_with(old, mapping[old])
        for v in exits:  # a value passed straight through must come in to go out
            if v not in mapping and not _defined_in(v, kop):
                bring_in(v)
        with ir.InsertionPoint(kblock), loc:
            func.ReturnOp([mapping.get(v, v) for v in exits])
        kop.attributes["function_type"] = ir.TypeAttr.get(
            ir.FunctionType.get([a.type for a in kblock.arguments], [v.type for v in exits])
        )
        with ir.InsertionPoint(anchor), loc:
            call = func.CallOp(
                [v.type for v in exits], ir.FlatSymbolRefAttr.get(name), entry + live_ins
            )
        for c in constants:  # originals only the kernel used: dead now
            if not any(True for _ in c.results[0].uses):
                c.erase()
        return call.operation


def _next_op(op: ir.Operation) -> ir.Operation:
    ops = block_ops(op.block)
    return ops[ops.index(op) + 1]  # a block ends with its terminator, never with a source


@carries_diagnostics
def outline_kernels(module) -> list[Kernel]:
    """Outlines every kernel source below `module` (a Module or its Operation); returns the
    kernels made, in order. Raises DiagnosedError (after located errors) on input it cannot
    outline, before changing anything."""
    op = module.operation
    body = op.regions[0].blocks[0]
    functions = [
        f
        for f in block_ops(body)
        if f.name == "func.func" and not attrs.KERNEL.get(f) and len(f.regions[0].blocks)
    ]
    kernels = frozenset(
        function_name(f) for f in block_ops(body) if f.name == "func.func" and attrs.KERNEL.get(f)
    )
    found = []
    errors = 0
    for fn in functions:
        finder = _Finder(kernels)
        finder.block(fn.regions[0].blocks[0])
        errors += finder.errors
        found.append((fn, finder.sources))
    if errors:
        raise DiagnosedError("cannot outline kernels")
    symbols = {n for n in map(symbol_name, block_ops(body)) if n}
    outliner = _Outliner(_ModuleView(op), symbols)
    made: list[Kernel] = []
    with op.context:
        for fn, sources in found:
            fname = function_name(fn)
            count = 0
            for src in sources:
                if src.remainder_of is not None:
                    base = src.remainder_of.name
                else:
                    hint = (
                        attrs.NAME_HINT.get(src.name_from)
                        if src.name_from is not None
                        and src.name_from.name in ("scf.for", "scf.execute_region")
                        else None
                    )
                    base = hint or f"{fname}_k{count}"
                    count += 1
                wanted = f"{base}_rem" if src.kind == attrs.CHUNK_REMAINDER else base
                src.name = outliner.unique(wanted)
                launch = PER_ITERATION if src.loop is not None else ONCE
                outliner.outline(src, src.name)
                made.append(Kernel(src.name, launch, src.kind, fname))
    return made


@dataclass
class _ModuleView:
    """The module's body for building kernels, from a Module or its Operation."""

    operation: ir.Operation

    @property
    def body(self) -> ir.Block:
        return self.operation.regions[0].blocks[0]


@register_pass
@dataclass
class OutlineKernels(ModulePass):
    name = "pl-outline-kernels"
    summary = (
        "Outline the work of each core-group task (chunks, pl.at scopes, parallel loops) into "
        "pl.kernel functions"
    )
    preserves_pl_validity = True  # adds pl.kernel to func.func, which is its place

    def apply(self, module) -> None:
        outline_kernels(module)
