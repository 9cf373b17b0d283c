"""On-chip memory (always on): the `memref.alloca` buffers of a kernel that are live at once must
fit the machine's on-chip memory per core group.

Liveness follows MLIR: an alloca lives until its enclosing allocation scope ends: the kernel
function, or a `memref.alloca_scope`. The peak of a block is the sum of its static allocas
(including those in nested regions that are not alloca scopes: a loop body's alloca is counted
once, as if hoisted) plus the largest peak among its alloca scopes (sibling scopes run one after
another).

* Static sizes: a kernel whose peak exceeds the budget is a located error before anything runs
  (`check_static`), at the alloca that crosses the budget.
* Dynamic sizes: a run-time check at the alloca (`DynamicBudget`). A local counter of the bytes
  in use starts at the kernel's static peak; an alloca that would take it past the budget calls
  the fault hook (site kind "alloca", index 0 = the requested bytes, saturated at 2**63 - 1) and
  allocates zero elements instead (every dynamic size becomes 0), so every access to it faults
  and no memory is touched; otherwise its bytes are added. An alloca scope restores the counter
  when it ends. A dynamic alloca in a loop (outside an alloca scope) adds its bytes on each
  iteration, as the stack really grows.
Buffers of functions a kernel calls are not counted.
"""

from __future__ import annotations

from collections.abc import Sequence

from mlir import ir
from mlir.dialects import arith, memref, scf

from ...dialect.diagnostics import emit_error
from ...dialect.ir_queries import block_ops
from .instrument_ir import byte_size, i64_t, wide_constant


def _static_bytes(op: ir.Operation) -> int | None:
    """Bytes of an alloca with a static shape, or None when a size is dynamic."""
    t = ir.MemRefType(op.results[0].type)
    if not t.has_static_shape:
        return None
    n = byte_size(t.element_type) or 0
    for d in t.shape:
        n *= d
    return n


def _collect(block: ir.Block, out: list[tuple[ir.Operation, int]]) -> tuple[int, list[int]]:
    """(sum of static allocas in the block and its non-scope regions, peaks of its scopes);
    `out` receives the static allocas in order, with their sizes."""
    total = 0
    scopes: list[int] = []  # the peak of each alloca_scope
    for op in block_ops(block):
        if op.name == "memref.alloca":
            n = _static_bytes(op)
            if n is not None:
                total += n
                out.append((op, n))
        elif op.name == "memref.alloca_scope":
            scopes.append(peak(op.regions[0].blocks[0], out))
        else:
            for region in op.regions:
                for b in region.blocks:
                    t, s = _collect(b, out)
                    total += t
                    scopes += s
    return total, scopes


def peak(block: ir.Block, out: list[tuple[ir.Operation, int]]) -> int:
    total, scopes = _collect(block, out)
    return total + max(scopes, default=0)


def kernel_peak(fn: ir.Operation) -> tuple[int, list[tuple[ir.Operation, int]]]:
    """(peak bytes of static allocas, [(alloca, bytes)] in order) of a kernel function."""
    allocas: list[tuple[ir.Operation, int]] = []
    total = 0
    for block in fn.regions[0].blocks:
        total = max(total, peak(block, allocas))
    return total, allocas


def check_static(
    kernels: Sequence[tuple[str, ir.Operation]], budget: int
) -> tuple[int, dict[str, int]]:
    """Located errors for kernels whose static allocas exceed `budget` bytes at once; returns
    (number of errors, {kernel name: static peak})."""
    errors = 0
    peaks: dict[str, int] = {}
    for name, fn in kernels:
        total, allocas = kernel_peak(fn)
        peaks[name] = total
        if total <= budget:
            continue
        running, at = 0, fn
        for op, n in allocas:
            running += n
            if running > budget:
                at = op
                break
        notes = [(op, f"this buffer takes {n} bytes") for op, n in allocas[:8] if op != at]
        emit_error(
            at,
            f"on-chip memory: kernel '{name}' needs {total} bytes of memref.alloca "
            f"buffers at once, more than the {budget} bytes of on-chip memory of a core "
            f"group",
            notes,
        )
        errors += 1
    return errors, peaks


def _dims_of(t: ir.MemRefType, sizes: list[ir.Value]) -> list[int | ir.Value]:
    """Each dimension's size: the static size, or the dynamic size operand."""
    it = iter(sizes)
    return [next(it) if t.is_dynamic_dim(k) else t.shape[k] for k in range(t.rank)]


class DynamicBudget:
    """The run-time budget of one kernel with dynamically sized allocas."""

    def __init__(self, fn: ir.Operation, consts, static_peak: int, budget: int):
        self.c = consts
        self.budget = budget
        entry = fn.regions[0].blocks[0]
        with ir.InsertionPoint.at_block_begin(entry), fn.location:
            self.used = memref.AllocaOp(ir.MemRefType.get([], i64_t()), [], []).result
            memref.StoreOp(arith.constant(i64_t(), static_peak), self.used, [])

    @staticmethod
    def is_dynamic(op: ir.Operation) -> bool:
        return not ir.MemRefType(op.results[0].type).has_static_shape

    def alloca(self, checker, op: ir.Operation) -> None:
        if not self.is_dynamic(op):
            return
        t = ir.MemRefType(op.results[0].type)
        i128 = ir.IntegerType.get_signless(128)
        sizes = [
            op.operands[i] for i in range(sum(1 for k in range(t.rank) if t.is_dynamic_dim(k)))
        ]
        site = checker.site(op, "alloca", t, rank=1)
        with ir.InsertionPoint(op), op.location:
            req = arith.constant(i128, byte_size(t.element_type) or 0)
            it = iter(sizes)
            requested = _dims_of(t, sizes)
            for k in range(t.rank):
                if t.is_dynamic_dim(k):
                    d = arith.extui(i128, arith.index_cast(i64_t(), next(it)))
                else:
                    d = arith.constant(i128, t.shape[k])
                req = arith.muli(req, d)  # at most 2**64 * ... : saturated below
                big = wide_constant(i128, 1 << 63)
                req = arith.select(arith.cmpi(arith.CmpIPredicate.ugt, req, big), big, req)
            used = memref.load(self.used, [])
            total = arith.addi(arith.extui(i128, used), req)
            over = arith.cmpi(arith.CmpIPredicate.ugt, total, arith.constant(i128, self.budget))
            req64 = arith.trunci(
                i64_t(),
                arith.select(
                    arith.cmpi(arith.CmpIPredicate.uge, req, wide_constant(i128, 1 << 63)),
                    arith.constant(i128, (1 << 63) - 1),
                    req,
                ),
            )
            branch = scf.IfOp(over, [], has_else=True)
            with ir.InsertionPoint(branch.then_block):
                checker.fault(site, None, [req64], requested)
                scf.YieldOp([])
            with ir.InsertionPoint(branch.else_block):
                memref.StoreOp(arith.trunci(i64_t(), total), self.used, [])
                scf.YieldOp([])
            zero = self.c.index(0)
            for i, s in enumerate(sizes):
                op.operands[i] = arith.select(over, zero, s)

    def scope(self, op: ir.Operation) -> None:
        """An alloca scope gives back what its allocas took when it ends."""
        body = op.regions[0].blocks[0]
        ops = block_ops(body)
        with ir.InsertionPoint(ops[0]), op.location:
            saved = memref.load(self.used, [])
        with ir.InsertionPoint(ops[-1]), op.location:
            memref.StoreOp(saved, self.used, [])
