"""The CPU target: lower a module our passes produce to LLVM and run it with MLIR's JIT.

    from pypto_mlir.lowering.cpu import compile_module
    fns = compile_module(module, entries=["kernel"], opt_level=3)   # lower + JIT, once
    results = fns["kernel"](a, n)     # numpy arrays for memrefs (in place), ints/floats for scalars

The lowering works on a copy: the caller's module is left as it was. Entry functions get
`llvm.emit_c_interface` (the ExecutionEngine calls `_mlir_ciface_<name>`). There is no fast-math
and no math approximation anywhere: results must stay bit-exact against the unchunked program.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional, Sequence, Union

from mlir import ir
from mlir.execution_engine import ExecutionEngine
from mlir.passmanager import PassManager

from .abi import ArgumentError, Signature, SignatureError

# Why each step is here:
# - expand-strided-metadata, lower-affine: memref.subview has no direct LLVM lowering; it becomes
#   strided metadata plus affine.apply, which lower-affine turns into arith.
# - convert-math-to-llvm{approximate-log1p=false}: math ops to LLVM intrinsics, exactly (the
#   default approximates log1p); convert-math-to-libm takes what has no intrinsic (tanh, erf...).
# - allow-pattern-rollback=false: without it dialect conversion keeps a rollback log that makes
#   large functions quadratic in time and memory (only these two passes take the option).
LOWERING_PIPELINE = (
    "builtin.module("
    "expand-strided-metadata, "
    "lower-affine, "
    "convert-scf-to-cf{allow-pattern-rollback=false}, "
    "convert-math-to-llvm{approximate-log1p=false}, "
    "convert-math-to-libm, "
    "convert-to-llvm{allow-pattern-rollback=false}, "
    "reconcile-unrealized-casts)"
)

C_INTERFACE = "llvm.emit_c_interface"


class CompileError(Exception):
    """The module could not be lowered or JIT-compiled; the message says why. `location` is
    the op at fault when one is known (tools print it as file:line:col)."""

    def __init__(self, message: str, location: Optional[ir.Location] = None):
        super().__init__(message)
        self.location = location


# What may remain after the lowering: LLVM ops and the module itself.
_LOWERED_DIALECTS = ("llvm.",)
_LOWERED_OPS = ("builtin.module",)


def _first_unlowered(module: ir.Module) -> Optional[ir.Operation]:
    """The first op the lowering left behind, if any. Named here because the JIT would only
    report a leftover `unrealized_conversion_cast`, not the op that caused it."""
    found: list = []

    def visit(op):
        name = op.name
        if name.startswith(_LOWERED_DIALECTS) or name in _LOWERED_OPS:
            return ir.WalkResult.ADVANCE
        if name == "builtin.unrealized_conversion_cast":
            # The cast's operand is produced by the op that failed to convert, when there is one.
            for v in op.operands:
                owner = v.owner
                if isinstance(owner, (ir.Operation, ir.OpView)) and not owner.name.startswith(_LOWERED_DIALECTS):
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
            out[ir.StringAttr(op.operation.attributes["sym_name"]).value] = op.operation
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


def _mlir_error_text(exc: ir.MLIRError) -> str:
    diags = list(getattr(exc, "error_diagnostics", []) or [])
    if not diags:
        return str(exc).splitlines()[0] if str(exc) else "failed (see the diagnostics above)"
    d = diags[0]
    return f"{d.location}: {d.message}"


def lower_to_llvm(module: ir.Module, entries: Iterable[str] = ()) -> None:
    """Lowers `module` to the LLVM dialect in place; `entries` get the C interface."""
    fns = _functions(module)
    with module.context:
        for name in entries:
            fns[name].attributes[C_INTERFACE] = ir.UnitAttr.get()
        pm = PassManager.parse(LOWERING_PIPELINE)
        try:
            pm.run(module.operation)
        except ir.MLIRError as exc:
            raise CompileError(f"lowering to LLVM failed: {_mlir_error_text(exc)}") from None
    left = _first_unlowered(module)
    if left is not None:
        raise CompileError(f"'{left.name}' cannot be lowered to LLVM by the CPU target "
                           f"(supported: func, scf, cf, arith, math, memref, vector, affine)",
                           left.location)


class Function:
    """One JIT-compiled entry function, callable with numpy arrays and Python scalars."""

    def __init__(self, module: "CompiledModule", signature: Signature):
        self._module = module  # keeps the ExecutionEngine (and the code) alive
        self.signature = signature
        self.name = signature.name
        self._fn = None

    def call(self, *args: Any) -> list:
        """Calls the function; returns the list of its results (memrefs as fresh arrays).
        Array arguments are passed by reference: writes through a memref change them."""
        packed = self.signature.pack(args)  # ArgumentError before anything runs
        if self._fn is None:
            self._fn = self._module.engine.lookup(self.name)
        self._fn(_as_void_array(packed.pointers))
        return packed.finish()

    def __call__(self, *args: Any):
        """As `call`, but returns None, the single result, or a tuple of results."""
        results = self.call(*args)
        if not results:
            return None
        return results[0] if len(results) == 1 else tuple(results)


def _as_void_array(pointers: Sequence):
    import ctypes

    packed = (ctypes.c_void_p * max(len(pointers), 1))()
    for i, p in enumerate(pointers):
        packed[i] = ctypes.cast(p, ctypes.c_void_p)
    return packed


class CompiledModule:
    """A module lowered to LLVM and JIT-compiled once; its entries are called many times."""

    def __init__(self, engine: ExecutionEngine, signatures: dict[str, Signature], llvm_module,
                 skipped: Optional[dict[str, str]] = None):
        self.engine = engine
        self.llvm_module = llvm_module  # the lowered module; the engine refers to it
        self.functions = {name: Function(self, sig) for name, sig in signatures.items()}
        self.skipped = dict(skipped or {})  # name -> why it cannot be called from Python

    def __getitem__(self, name: str) -> Function:
        try:
            return self.functions[name]
        except KeyError:
            if name in self.skipped:
                raise KeyError(f"@{name} cannot be called from Python: {self.skipped[name]}") from None
            raise KeyError(f"no entry function @{name} (compiled entries: "
                           f"{', '.join(sorted(self.functions)) or 'none'})") from None

    def __contains__(self, name: str) -> bool:
        return name in self.functions

    def __call__(self, name: str, *args: Any):
        return self[name](*args)


def compile_module(module: ir.Module, entries: Optional[Union[str, Sequence[str]]] = None,
                   opt_level: int = 3, shared_libs: Sequence[str] = ()) -> CompiledModule:
    """Lowers a copy of `module` for the CPU and JIT-compiles it.

    `entries`: the function(s) to call from Python; default every public function with a body
    whose signature Python can pass (the others are listed in `skipped`, with the reason).
    Raises CompileError for an unknown entry, an entry with an unsupported signature, or a
    failing lowering.
    """
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
            raise CompileError(f"@{name} is only a declaration; it has no body to run")
        try:
            signatures[name] = Signature.of(fn)
        except SignatureError as exc:
            raise CompileError(str(exc)) from None
    lowered = copy_module(module)
    lower_to_llvm(lowered, names)
    try:
        engine = ExecutionEngine(lowered, opt_level=opt_level, shared_libs=list(shared_libs))
    except (RuntimeError, ir.MLIRError) as exc:
        raise CompileError(f"JIT compilation failed: {str(exc).splitlines()[0] if str(exc) else exc}") from None
    return CompiledModule(engine, signatures, lowered, skipped)


__all__ = ["LOWERING_PIPELINE", "ArgumentError", "CompileError", "CompiledModule", "Function",
           "compile_module", "copy_module", "lower_to_llvm"]
