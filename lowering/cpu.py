"""The CPU target: lower a module our passes produce to LLVM and run it with MLIR's JIT.

    from pypto_mlir.lowering.cpu import compile_module
    fns = compile_module(module, entries=["kernel"], opt_level=3)   # lower + JIT, once
    results = fns["kernel"](a, n)     # numpy arrays for memrefs (in place), ints/floats for scalars
    call = fns["kernel"].bind(a, n)   # checked and packed once; call.run() is the native call only
    call.run(); results = call.results()

The lowering works on a copy: the caller's module is left as it was. Entry functions get
`llvm.emit_c_interface` (the ExecutionEngine calls `_mlir_ciface_<name>`). There is no fast-math
and no math approximation anywhere: results must stay bit-exact against the unchunked program.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from mlir import ir
from mlir.execution_engine import ExecutionEngine
from mlir.passmanager import PassManager

from ..dialect.attrs import strip_argument_attrs
from ..dialect.diagnostics import engine_of, file_line_col
from ..dialect.ir_queries import function_name, symbol_name
from ..passes.normalize_int_loops import normalize_int_loops
from .alloca_scopes import inline_alloca_scopes
from .numpy_abi import (
    SUB_BYTE_REASON,
    ArgumentError,
    PackedCall,
    PyValue,
    Signature,
    SignatureError,
    is_sub_byte,
)
from .strided_copies import copies_to_loops


# Why each step is here:
# - convert-linalg-to-loops: linalg ops on memrefs (matmul, fill, generic...) become scf.for
#   loops over memref.load/store, in the op's iteration order (a reduction stays sequential).
# - convert-vector-to-scf: n-D vector.transfer_read/write become loops of 1-D transfers.
# - lower-vector-multi-reduction: vector.multi_reduction into elementwise ops and ordered
#   vector.reduction (convert-vector-to-llvm does not lower it).
# - expand-strided-metadata, lower-affine: memref.subview has no direct LLVM lowering; it becomes
#   strided metadata plus affine.apply, which lower-affine turns into arith.
# - convert-math-to-funcs: math.ipowi and math.fpowi as outlined loops (repeated squaring, as
#   compiler-rt's __powidf2, which the JIT cannot find); nothing else (convert-ctlz=false).
# - convert-math-to-llvm{approximate-log1p=false}: math ops to LLVM intrinsics, exactly (the
#   default approximates log1p; math.expm1, which it approximates as exp(x) - 1, is turned into
#   a libm call before the pipeline, see _expm1_to_libm); convert-math-to-libm takes what has
#   no intrinsic (erf, cbrt...).
# - convert-vector-to-llvm: the vector ops convert-to-llvm leaves alone (1-D transfers, masks,
#   contractions). Its defaults keep floating-point reductions ordered
#   (reassociate-fp-reductions=false); force-32bit-vector-indices=false because the masks of
#   out-of-bounds transfers would otherwise compare indices in i32 (wrong past 2^31 elements).
# - allow-pattern-rollback=false: without it dialect conversion keeps a rollback log that makes
#   large functions quadratic in time and memory (only these two passes take the option).
def lowering_pipeline(linalg: bool = True, vector: bool = True, powi: bool = True) -> str:
    """The pipeline the CPU target appends. The linalg, vector and powi passes only run when
    the module has such ops (lower_to_llvm checks): on a large module without them they would
    cost about a third more lowering time for nothing."""
    passes = ["convert-linalg-to-loops"] if linalg else []
    if vector:
        passes += ["convert-vector-to-scf", "func.func(lower-vector-multi-reduction)"]
    passes += [
        "expand-strided-metadata",
        "lower-affine",
        "convert-scf-to-cf{allow-pattern-rollback=false}",
    ]
    if powi:
        passes.append("convert-math-to-funcs")
    passes += ["convert-math-to-llvm{approximate-log1p=false}", "convert-math-to-libm"]
    if vector:
        passes.append("convert-vector-to-llvm{force-32bit-vector-indices=false}")
    passes += ["convert-to-llvm{allow-pattern-rollback=false}", "reconcile-unrealized-casts"]
    return "builtin.module(" + ", ".join(passes) + ")"


LOWERING_PIPELINE = lowering_pipeline()  # all of it


C_INTERFACE = "llvm.emit_c_interface"


def _where(loc: ir.Location | None) -> str | None:
    """`file:line:col` of a location, as our diagnostics print it (the buffer of Module.parse,
    "-", shows under the name the Context's diagnostic engine knows it by)."""
    if loc is None:
        return None
    pos = file_line_col(loc)
    if pos is None:
        return None
    name, line, col = pos
    engine = engine_of(loc.context)
    if name == "-" and engine is not None:
        name = engine.buffer_name
    return f"{name}:{line}:{col}"


class CompileError(Exception):
    """The module could not be lowered or JIT-compiled. `message` says why; `location` is the op
    at fault when one is known (str() then starts with its file:line:col, as tools print it)."""

    def __init__(self, message: str, location: ir.Location | None = None):
        where = _where(location)
        super().__init__(f"{where}: {message}" if where else message)
        self.message = message
        self.location = location if where else None


class _Diagnostics:
    """Catches the errors MLIR reports while the lowering runs, so CompileError can carry the
    first one. Contexts of ours route every diagnostic to a handler (dialect/diagnostics.py),
    which leaves MLIRError.error_diagnostics empty; a user's Context leaves them in the MLIRError
    instead. Errors are kept (and not printed: the CompileError reports them); warnings pass on
    to the handlers attached before."""

    def __init__(self, ctx: ir.Context):
        self.ctx = ctx
        self.errors: list[tuple[ir.Location, str]] = []

    def __enter__(self):
        self._handler = self.ctx.attach_diagnostic_handler(self._on_diagnostic)
        return self

    def __exit__(self, *exc) -> None:
        self._handler.detach()
        # The handler holds our bound method, which holds us: drop it, or the cycle (through an
        # object the garbage collector cannot see into) keeps the Context and its IR alive.
        self._handler = None
        self.ctx = None

    def _on_diagnostic(self, d) -> bool:
        if d.severity != ir.DiagnosticSeverity.ERROR:
            return False
        try:
            self.errors.append((d.location, str(d.message)))
        except Exception:  # never let an exception cross into C++
            pass
        return True

    def error(self, what: str, exc: Exception | None = None) -> CompileError:
        found = list(self.errors)
        if not found and isinstance(exc, ir.MLIRError):
            found = [(d.location, d.message) for d in (exc.error_diagnostics or [])]
        if found:
            # Prefer the first located error: MLIR sometimes reports an unlocated summary first.
            loc, message = next(((where, m) for where, m in found if _where(where)), found[0])
            return CompileError(f"{what}: {message}", loc)
        text = str(exc).splitlines()[0] if exc is not None and str(exc) else "failed"
        return CompileError(f"{what}: {text}")


# What may remain after the lowering: LLVM ops and the module itself.
_LOWERED_DIALECTS = ("llvm.",)
_LOWERED_OPS = ("builtin.module",)


def _first_unlowered(module: ir.Module) -> ir.Operation | None:
    """The first op the lowering left behind, if any. Named here because the JIT would only
    report a leftover `unrealized_conversion_cast`, not the op that caused it."""
    found: list[ir.Operation] = []

    def visit(op):
        name = op.name
        if name.startswith(_LOWERED_DIALECTS) or name in _LOWERED_OPS:
            return ir.WalkResult.ADVANCE
        if name == "builtin.unrealized_conversion_cast":
            # The cast's operand is produced by the op that failed to convert, when there is one.
            for v in op.operands:
                owner = v.owner
                if isinstance(owner, (ir.Operation, ir.OpView)) and not owner.name.startswith(
                    _LOWERED_DIALECTS
                ):
                    found.append(owner.operation)
                    return ir.WalkResult.INTERRUPT
            return ir.WalkResult.ADVANCE
        found.append(op)
        return ir.WalkResult.INTERRUPT

    module.operation.walk(visit, ir.WalkOrder.PRE_ORDER)
    return found[0] if found else None


def _functions(module: ir.Module) -> dict[str, ir.Operation]:
    out = {}
    for op in module.body.operations:
        if op.operation.name == "func.func":
            out[function_name(op.operation)] = op.operation
    return out


def _is_definition(fn: ir.Operation) -> bool:
    return len(fn.regions[0].blocks) > 0


def _is_public(fn: ir.Operation) -> bool:
    attrs = fn.attributes
    return "sym_visibility" not in attrs or ir.StringAttr(attrs["sym_visibility"]).value == "public"


def copy_module(module: ir.Module) -> ir.Module:
    """A deep copy in the same Context (clones ops; no printing and re-parsing)."""
    with module.context:
        new = ir.Module.create(module.operation.location)
        for name in list(module.operation.attributes):
            new.operation.attributes[name] = module.operation.attributes[name]
        ip = ir.InsertionPoint(new.body)
        for op in module.body.operations:
            op.operation.clone(ip=ip)
    return new


# -- before the pipeline -----------------------------------------------------------------------


def _collect(module: ir.Module, names: tuple[str, ...]) -> list[ir.Operation]:
    found: list[ir.Operation] = []

    def visit(op):
        if op.name in names:
            found.append(op)
        return ir.WalkResult.ADVANCE

    module.operation.walk(visit)
    return found


# Ops that read or write memref elements (what aborts on sub-byte elements, see numpy_abi.py).
_ACCESSES = frozenset(
    [
        "memref.load",
        "memref.store",
        "memref.atomic_rmw",
        "memref.generic_atomic_rmw",
        "memref.copy",
        "affine.load",
        "affine.store",
        "vector.load",
        "vector.store",
        "vector.transfer_read",
        "vector.transfer_write",
        "vector.maskedload",
        "vector.maskedstore",
        "vector.gather",
        "vector.scatter",
        "vector.expandload",
        "vector.compressstore",
    ]
)


def _prepare(module: ir.Module) -> dict[str, bool]:
    """One walk before the lowering pipeline: a located CompileError for element accesses of
    sub-byte memrefs (the pipeline would abort the process), math.expm1 made exact, and which
    optional groups of lowering_pipeline() the module needs."""
    expm1: list[ir.Operation] = []
    bad: list[ir.Operation] = []
    needs = {"linalg": False, "vector": False, "powi": False}

    def visit(op):
        name = op.name
        if name.startswith(("linalg.", "vector.")):
            needs[name[: name.index(".")]] = True
        elif name == "math.expm1":
            expm1.append(op)
            if isinstance(op.operands[0].type, ir.VectorType):
                needs["vector"] = True  # its rewrite uses vector.to_elements/from_elements
        elif name in ("math.fpowi", "math.ipowi"):
            needs["powi"] = True
        if name in _ACCESSES or name.startswith("linalg."):
            for v in op.operands:
                if isinstance(v.type, ir.MemRefType) and is_sub_byte(v.type.element_type):
                    bad.append(op)
                    return ir.WalkResult.INTERRUPT
        return ir.WalkResult.ADVANCE

    module.operation.walk(visit)
    if bad:
        raise CompileError(
            f"'{bad[0].name}' on a memref of {_sub_byte_type(bad[0])}: {SUB_BYTE_REASON}",
            bad[0].location,
        )
    if expm1:
        _expm1_to_libm(module, expm1)
    return needs


def _sub_byte_type(op) -> str:
    return next(
        str(v.type.element_type)
        for v in op.operands
        if isinstance(v.type, ir.MemRefType) and is_sub_byte(v.type.element_type)
    )


def _expm1_to_libm(module: ir.Module, ops: list[ir.Operation]) -> None:
    """math.expm1 -> a call of libm's expm1 (f64) / expm1f (f32; f16 and bf16 go through f32),
    element by element for vectors. convert-math-to-llvm would lower it to exp(x) - 1, which
    loses every digit for small x; convert-math-to-libm would do it right but, running first,
    would also turn sqrt, floor, fma... into calls."""
    from mlir.dialects import arith, func, vector

    declared: dict[str, Any] = {}
    body = module.body
    for op in ops:
        x = op.operands[0]
        vtype = x.type if isinstance(x.type, ir.VectorType) else None
        elem = vtype.element_type if vtype is not None else x.type
        if not isinstance(elem, (ir.F64Type, ir.F32Type, ir.F16Type, ir.BF16Type)) or (
            vtype is not None and vtype.scalable
        ):
            continue  # f80, f128: no libm function of that width here; left as it was
        with op.location:
            f32, f64 = ir.F32Type.get(), ir.F64Type.get()
            ctype = f64 if isinstance(elem, ir.F64Type) else f32
            name = "expm1" if isinstance(elem, ir.F64Type) else "expm1f"
            if name not in declared:
                existing = next(
                    (
                        o.operation
                        for o in body.operations
                        if "sym_name" in o.operation.attributes and symbol_name(o.operation) == name
                    ),
                    None,
                )
                if existing is not None and (
                    existing.name != "func.func"
                    or _is_definition(existing)
                    or ir.TypeAttr(existing.attributes["function_type"]).value
                    != ir.FunctionType.get([ctype], [ctype])
                ):
                    raise _clash_error(name, _where(op.location), existing.location)
                if existing is None:
                    with ir.InsertionPoint.at_block_begin(body):
                        decl = func.FuncOp(
                            name, ir.FunctionType.get([ctype], [ctype]), visibility="private"
                        )
                        decl.operation.attributes["llvm.readnone"] = ir.UnitAttr.get()
                declared[name] = True
            with ir.InsertionPoint(op):
                if vtype is not None:
                    scalars = list(vector.ToElementsOp(x).results)
                else:
                    scalars = [x]
                out = []
                for s in scalars:
                    v = s if elem == ctype else arith.extf(ctype, s)
                    r = func.CallOp([ctype], ir.FlatSymbolRefAttr.get(name), [v]).result
                    out.append(r if elem == ctype else arith.truncf(elem, r))
                new = vector.FromElementsOp(vtype, out).result if vtype is not None else out[0]
        op.result.replace_all_uses_with(new)
        op.erase()


# -- calls that reach the wrong function ------------------------------------------------------

# LLVM turns these ops into calls of C library functions (libm's `name`, `namef` for f32 and
# f16, `namel` beyond f64) when the target has no instruction for them. The JIT binds such a
# call to the first symbol of that name it finds, and a function of the module comes first: a
# user's @expf would be called by every math.exp on f32, itself included.
_LIBCALL_OPS = {
    "llvm.intr.exp": "exp",
    "llvm.intr.exp2": "exp2",
    "llvm.intr.exp10": "exp10",
    "llvm.intr.log": "log",
    "llvm.intr.log2": "log2",
    "llvm.intr.log10": "log10",
    "llvm.intr.pow": "pow",
    "llvm.intr.sqrt": "sqrt",
    "llvm.intr.fma": "fma",
    "llvm.intr.fmuladd": "fma",
    "llvm.intr.sin": "sin",
    "llvm.intr.cos": "cos",
    "llvm.intr.tan": "tan",
    "llvm.intr.asin": "asin",
    "llvm.intr.acos": "acos",
    "llvm.intr.atan": "atan",
    "llvm.intr.atan2": "atan2",
    "llvm.intr.sinh": "sinh",
    "llvm.intr.cosh": "cosh",
    "llvm.intr.tanh": "tanh",
    "llvm.intr.floor": "floor",
    "llvm.intr.ceil": "ceil",
    "llvm.intr.trunc": "trunc",
    "llvm.intr.round": "round",
    "llvm.intr.roundeven": "roundeven",
    "llvm.intr.rint": "rint",
    "llvm.intr.nearbyint": "nearbyint",
    "llvm.intr.minnum": "fmin",
    "llvm.intr.maxnum": "fmax",
    "llvm.intr.ldexp": "ldexp",
    "llvm.intr.frexp": "frexp",
    "llvm.intr.lround": "lround",
    "llvm.intr.llround": "llround",
    "llvm.intr.lrint": "lrint",
    "llvm.intr.llrint": "llrint",
    "llvm.frem": "fmod",
    "llvm.intr.memcpy": "memcpy",
    "llvm.intr.memmove": "memmove",
    "llvm.intr.memset": "memset",
}
# sin and cos of one value may become one sincos call.
_EXTRA_LIBCALLS = {"llvm.intr.sin": ("sincos",), "llvm.intr.cos": ("sincos",)}
# LLVM may call these from any code (a loop that copies or fills memory becomes a call).
_ALWAYS_CALLED = ("memcpy", "memmove", "memset")
_MATH_BASES = sorted(
    {b for b in _LIBCALL_OPS.values()}
    | {"sincos", "expm1", "log1p", "cbrt", "erf", "erfc", "asinh", "acosh", "atanh"}
)
# Every name a call introduced by the lowering or the code generator may have: functions of
# the module named otherwise cannot clash, and the (slower) check is skipped.
_RESERVED = frozenset(
    [b + s for b in _MATH_BASES for s in ("", "f", "l")]
    + ["malloc", "free", "aligned_alloc", "memrefCopy", "__powisf2", "__powidf2"]
)


def _libcalls(op: ir.Operation) -> tuple[str, ...]:
    name = op.name
    if name == "llvm.intr.powi":
        base, suffixes = "__powi", {"f": "sf2", "": "df2"}
    elif name in _LIBCALL_OPS:
        base, suffixes = _LIBCALL_OPS[name], None
    else:
        return ()
    if base in _ALWAYS_CALLED:
        return (base,)
    t = op.operands[0].type if len(op.operands) else None
    if isinstance(t, ir.VectorType):
        t = t.element_type
    suffix = (
        ""
        if isinstance(t, ir.F64Type)
        else "f"
        if isinstance(t, (ir.F32Type, ir.F16Type, ir.BF16Type))
        else "l"
    )
    if suffixes is not None:
        return (base + suffixes.get(suffix, "tf2"),)
    return tuple(b + suffix for b in (base,) + _EXTRA_LIBCALLS.get(name, ()))


def _defined_symbols(module: ir.Module) -> dict[str, ir.Location]:
    """Functions with a body (func.func or llvm.func), by name."""
    out = {}
    for op in module.body.operations:
        op = op.operation
        if op.name in ("func.func", "llvm.func") and len(op.regions[0].blocks) > 0:
            out[function_name(op)] = op.location
    return out


def _calls_in(module: ir.Module, functions: Iterable[str], with_libcalls: bool):
    """(calls per callee, {C library function: the op that needs it}) within `functions`."""
    wanted = set(functions)
    calls: Counter[str] = Counter()
    needs: dict[str, ir.Location] = {}

    def visit(op):
        name = op.name
        if name in ("func.call", "llvm.call"):
            if "callee" in op.attributes:
                calls[ir.FlatSymbolRefAttr(op.attributes["callee"]).value] += 1
        elif with_libcalls:
            for sym in _libcalls(op):
                needs.setdefault(sym, op.location)
        return ir.WalkResult.ADVANCE

    for op in module.body.operations:
        op = op.operation
        if op.name in ("func.func", "llvm.func") and symbol_name(op) in wanted:
            op.walk(visit)
    return calls, needs


def _libcall_clash(
    before_calls: Counter[str], defined: dict[str, ir.Location], lowered: ir.Module
) -> CompileError | None:
    """A function of the module named like a C library function that the lowered code calls
    (so the call would reach it), or None."""
    suspects = sorted(n for n in defined if n in _RESERVED)
    if not suspects:
        return None
    after_calls, needs = _calls_in(lowered, defined, with_libcalls=True)
    for name in suspects:
        if name in needs:
            where = _where(needs[name])
            why = f" for the op at {where}" if where else ""
        elif after_calls[name] > before_calls[name]:
            why = " for one of the module's ops"
        elif name in _ALWAYS_CALLED:
            why = " to copy or fill memory"
        else:
            continue
        return _clash_error(name, why, defined[name])
    return None


def _clash_error(name: str, why: str | None, location: ir.Location) -> CompileError:
    """`why`: where the call comes from, " for the op at FILE:LINE:COL" or similar."""
    if why and not why.startswith(" "):
        why = f" for the op at {why}"
    return CompileError(
        f"function @{name} has the name of a C library function that the compiled "
        f"code may call{why or ''}: the call would reach @{name} instead (a recursion "
        f"or a wrong result); rename the function",
        location,
    )


# -- symbols the JIT must find ------------------------------------------------------------------

_HINTS = {
    "memrefCopy": "memref.copy between unranked memrefs calls the MLIR runtime's "
    "memrefCopy, which the CPU target does not link; copy ranked memrefs (memref.cast)",
}


def _missing_symbol(
    lowered: ir.Module, shared_libs: Sequence[str], provided: Iterable[str] = ()
) -> CompileError | None:
    """An external function the code calls that neither the process nor `shared_libs` define
    (nor `provided`: symbols registered on the engine). Checked before the JIT, which would only
    print 'Symbols not found' and fail the lookup."""
    provided = set(provided)
    declared = [
        op.operation
        for op in lowered.body.operations
        if op.operation.name == "llvm.func"
        and len(op.operation.regions[0].blocks) == 0
        and symbol_name(op.operation) not in provided
    ]
    if not declared:
        return None
    libs = [ctypes.CDLL(None)]
    for path in shared_libs:
        try:
            libs.append(ctypes.CDLL(path))
        except OSError as exc:
            return CompileError(f"cannot load shared library '{path}': {exc}")
    unresolved = [d for d in declared if not any(hasattr(lib, function_name(d)) for lib in libs)]
    if not unresolved:
        return None
    # A declaration nobody calls is dropped by LLVM: only a used one is an error.
    uses: dict[str, ir.Operation] = {}
    for op in _collect(lowered, ("llvm.call", "llvm.mlir.addressof")):
        attr = "callee" if op.name == "llvm.call" else "global_name"
        if attr in op.attributes:
            uses.setdefault(ir.FlatSymbolRefAttr(op.attributes[attr]).value, op)
    for decl in unresolved:
        name = symbol_name(decl)
        if name not in uses:
            continue
        loc = decl.location
        if _where(uses[name].location):
            loc = uses[name].location  # the op whose lowering needs the function
        hint = f" ({_HINTS[name]})" if name in _HINTS else ""
        return CompileError(
            f"the compiled code calls '{name}', which is not defined in the module "
            f"nor found in this process{' or the shared libraries' if shared_libs else ''}"
            f"{hint}",
            loc,
        )
    return None


# -- lowering --------------------------------------------------------------------------------------


def dims_from_metadata(module: ir.Module) -> int:
    """`memref.dim %m, <constant>` of a ranked memref becomes a size of
    `memref.extract_strided_metadata %m` (a constant when the size is static). The conversion
    (with allow-pattern-rollback=false) lowers every memref.dim through a stack array of the
    sizes, which inside a loop is a dynamic alloca: at -O0 the stack grows with each iteration
    and misaligns what follows. The metadata sizes lower to plain descriptor reads."""
    from mlir.dialects import arith, memref

    from ..dialect.static_values import constant_int
    from ..passes.pattern_walk import ops_of_type

    def wanted(op: ir.Operation) -> bool:
        source, index = op.operands
        n = constant_int(index)
        return (
            n is not None
            and isinstance(source.type, ir.MemRefType)
            and 0 <= n < ir.MemRefType(source.type).rank
        )

    with module.context:
        found = [op for op in ops_of_type(module.operation, memref.DimOp) if wanted(op)]
        for op in found:
            source, index = op.operands
            mtype = ir.MemRefType(source.type)
            n = constant_int(index)
            with ir.InsertionPoint(op), op.location:
                size = mtype.shape[n]
                if not ir.ShapedType.is_dynamic_size(size):
                    new = arith.constant(ir.IndexType.get(), size)
                else:
                    meta = memref.ExtractStridedMetadataOp(source)
                    new = meta.sizes[n]
            op.results[0].replace_all_uses_with(new)
            op.erase()
    return len(found)


def lower_to_llvm(module: ir.Module, entries: Iterable[str] = ()) -> None:
    """Lowers `module` to the LLVM dialect in place; `entries` get the C interface.
    Raises CompileError (with the op's location when known) if the module cannot be lowered."""
    # Every loop runs T = max(ceildiv(ub - lb, step), 0) times, as the split pass counts them,
    # even where `iv + step` would pass the IV type's limit in the loop as written.
    normalize_int_loops(module)
    copies_to_loops(module)  # before dims_from_metadata: the loops' bounds are memref.dim
    dims_from_metadata(module)
    inline_alloca_scopes(module)
    fns = _functions(module)
    defined = _defined_symbols(module)
    before_calls: Counter[str] = Counter()
    if any(n in _RESERVED for n in defined):
        before_calls, _ = _calls_in(module, defined, with_libcalls=False)
    with module.context:
        for name in entries:
            fns[name].attributes[C_INTERFACE] = ir.UnitAttr.get()
        for fn in fns.values():
            strip_argument_attrs(fn)  # pl.direction: checked by pl-verify, unknown to LLVM
        with _Diagnostics(module.context) as diags:
            try:
                needs = _prepare(module)
                PassManager.parse(lowering_pipeline(**needs)).run(module.operation)
            except ir.MLIRError as exc:
                # Without an error message, the op the passes left behind says what went wrong.
                left = _first_unlowered(module)
                if left is not None and not diags.errors and not exc.error_diagnostics:
                    raise _cannot_lower(left) from None
                raise diags.error("lowering to LLVM failed", exc) from None
    left = _first_unlowered(module)
    if left is not None:
        raise _cannot_lower(left)
    clash = _libcall_clash(before_calls, defined, module)
    if clash is not None:
        raise clash


def _cannot_lower(op: ir.Operation) -> CompileError:
    return CompileError(
        f"'{op.name}' cannot be lowered to LLVM by the CPU target (supported: "
        f"func, scf, cf, arith, math, memref, vector, affine, linalg on memrefs)",
        op.location,
    )


# -- calling -----------------------------------------------------------------------------------


class BoundCall:
    """One call of a compiled function, prepared: arguments checked and packed. `run()` is the
    native call and nothing else (what a benchmark times); `results()` then writes dense copies
    of non-contiguous arrays back and converts the results. Each `run()` sees the memory the
    previous one left: bind fresh arrays for independent calls."""

    def __init__(self, fn, packed: PackedCall, args: Sequence[Any]):
        self.args = tuple(args)  # what the call was bound to (arrays by reference)
        self._fn = fn
        self._packed = packed
        self._args = _as_void_array(packed.pointers)
        self._ran = False
        self._results: list[PyValue] | None = None

    def run(self) -> None:
        self._fn(self._args)
        self._ran = True
        self._results = None

    def results(self) -> list[PyValue]:
        """The results of the last run (memrefs as fresh arrays); array arguments hold what it
        wrote."""
        if not self._ran:
            raise RuntimeError("results() before run()")
        if self._results is None:
            self._results = self._packed.finish()
        return list(self._results)


class Function:
    """One JIT-compiled entry function, callable with numpy arrays and Python scalars."""

    def __init__(self, module: CompiledModule, signature: Signature, fn=None):
        self._module = module  # keeps the ExecutionEngine (and the code) alive
        self.signature = signature
        self.name = signature.name
        self._fn = fn  # the packed entry, looked up once

    def _native(self):
        if self._fn is None:
            self._fn = self._module.engine.lookup(self.name)
        return self._fn

    def bind(self, *args: Any) -> BoundCall:
        """Checks and packs `args` (ArgumentError names the argument at fault) for one call.
        Array arguments are passed by reference: writes through a memref change them."""
        packed = self.signature.pack(args)  # ArgumentError before anything runs
        return BoundCall(self._native(), packed, args)

    def call(self, *args: Any) -> list[PyValue]:
        """Calls the function; returns the list of its results (memrefs as fresh arrays).
        Array arguments are passed by reference: writes through a memref change them."""
        bound = self.bind(*args)
        bound.run()
        return bound.results()

    def __call__(self, *args: Any):
        """As `call`, but returns None, the single result, or a tuple of results."""
        results = self.call(*args)
        if not results:
            return None
        return results[0] if len(results) == 1 else tuple(results)


def _as_void_array(pointers: Sequence[ctypes._Pointer[Any]]) -> ctypes.Array[ctypes.c_void_p]:
    packed = (ctypes.c_void_p * max(len(pointers), 1))()
    for i, p in enumerate(pointers):
        packed[i] = ctypes.cast(p, ctypes.c_void_p)
    return packed


class CompiledModule:
    """A module lowered to LLVM and JIT-compiled once; its entries are called many times."""

    def __init__(
        self,
        engine: ExecutionEngine,
        signatures: dict[str, Signature],
        llvm_module,
        skipped: dict[str, str] | None = None,
        natives: dict[str, Callable[..., None]] | None = None,  # ExecutionEngine.lookup's
    ):
        self.engine = engine
        self.llvm_module = llvm_module  # the lowered module; the engine refers to it
        natives = natives or {}
        self.functions = {
            name: Function(self, sig, natives.get(name)) for name, sig in signatures.items()
        }
        self.skipped = dict(skipped or {})  # name -> why it cannot be called from Python

    def __getitem__(self, name: str) -> Function:
        try:
            return self.functions[name]
        except KeyError:
            if name in self.skipped:
                raise KeyError(
                    f"@{name} cannot be called from Python: {self.skipped[name]}"
                ) from None
            raise KeyError(
                f"no entry function @{name} (compiled entries: "
                f"{', '.join(sorted(self.functions)) or 'none'})"
            ) from None

    def __contains__(self, name: str) -> bool:
        return name in self.functions

    def __call__(self, name: str, *args: Any):
        return self[name](*args)


def compile_module(
    module: ir.Module,
    entries: str | Sequence[str] | None = None,
    opt_level: int = 3,
    shared_libs: Sequence[str] = (),
    runtime_symbols: dict[str, Callable[..., Any]] | None = None,
) -> CompiledModule:
    """Lowers a copy of `module` for the CPU and JIT-compiles it, once.

    `runtime_symbols`: {name: ctypes callback} for functions the module declares with
    `llvm.emit_c_interface` and the caller implements in Python; registered on the engine
    before its first lookup (ExecutionEngine.register_runtime). The caller keeps the callbacks
    alive as long as the CompiledModule (the emulator target's hooks).

    `entries`: the function(s) to call from Python; default every public function with a body
    whose signature Python can pass (the others are listed in `skipped`, with the reason).
    `opt_level` (0-3) is LLVM's. Raises CompileError for an unknown entry, an entry with an
    unsupported signature, a failing lowering or a failing JIT compilation.
    """
    if opt_level not in (0, 1, 2, 3):
        raise ValueError(f"opt_level must be 0, 1, 2 or 3, got {opt_level!r}")
    fns = _functions(module)
    skipped: dict[str, str] = {}
    if entries is None:
        names = []
        for n, f in fns.items():
            if not (_is_definition(f) and _is_public(f)):
                continue
            try:
                Signature.of(f)
                names.append(n)
            except SignatureError as exc:
                skipped[n] = str(exc)
    else:
        names = [entries] if isinstance(entries, str) else list(entries)
    signatures = {}
    for name in names:
        fn = fns.get(name)
        if fn is None:
            known = ", ".join(f"@{n}" for n in fns) or "none"
            raise CompileError(f"no function @{name} in the module (functions: {known})")
        if not _is_definition(fn):
            raise CompileError(f"@{name} is only a declaration; it has no body to run", fn.location)
        try:
            signatures[name] = Signature.of(fn)
        except SignatureError as exc:
            raise CompileError(str(exc), fn.location) from None
    lowered = copy_module(module)
    lower_to_llvm(lowered, names)
    runtime_symbols = dict(runtime_symbols or {})
    missing = _missing_symbol(lowered, shared_libs, (f"_mlir_ciface_{n}" for n in runtime_symbols))
    if missing is not None:
        raise missing
    with _Diagnostics(lowered.context) as diags, _StderrOfLLVM() as llvm_stderr:
        try:
            engine = ExecutionEngine(lowered, opt_level=opt_level, shared_libs=list(shared_libs))
            for name, callback in runtime_symbols.items():  # before the first lookup
                engine.register_runtime(name, callback)
            # Looking the entries up generates the code now, so a failure is a CompileError here
            # rather than an error at the first call.
            natives = {name: engine.lookup(name) for name in signatures}
            failure = None
        except (RuntimeError, ir.MLIRError) as exc:
            failure = exc
    if failure is not None:
        if not diags.errors and llvm_stderr.text.strip():
            # e.g. "JIT session error: Symbols not found: [ __powisf2 ]": LLVM's own words.
            first = llvm_stderr.text.strip().splitlines()[0]
            raise CompileError(
                f"JIT compilation failed: {first.removeprefix('JIT session error: ')}"
            )
        raise diags.error("JIT compilation failed", failure)
    llvm_stderr.replay()
    return CompiledModule(engine, signatures, lowered, skipped, natives)


class _StderrOfLLVM:
    """Captures what LLVM writes to file descriptor 2 while the JIT runs: it reports unresolved
    symbols there ("JIT session error: ..."), not through MLIR's diagnostics. On success the
    text is written back to stderr (`replay`); on failure it becomes the CompileError. The
    descriptor is the process's: other threads' writes to it land here meanwhile."""

    def __enter__(self):
        import tempfile

        self.text = ""
        self._saved = None
        try:
            if sys.stderr is not None:
                sys.stderr.flush()
            self._file = tempfile.TemporaryFile()
            saved = os.dup(2)
        except (OSError, ValueError):  # no usable stderr: LLVM's words cannot be caught
            return self
        os.dup2(self._file.fileno(), 2)
        self._saved = saved
        return self

    def __exit__(self, *exc) -> None:
        if self._saved is None:
            return
        os.dup2(self._saved, 2)
        os.close(self._saved)
        self._file.seek(0)
        self.text = self._file.read().decode("utf-8", errors="replace")
        self._file.close()

    def replay(self) -> None:
        if self.text and sys.stderr is not None:
            sys.stderr.write(self.text)
            sys.stderr.flush()


__all__ = [
    "LOWERING_PIPELINE",
    "ArgumentError",
    "BoundCall",
    "CompileError",
    "CompiledModule",
    "Function",
    "compile_module",
    "copy_module",
    "lower_to_llvm",
]
