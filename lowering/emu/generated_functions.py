"""Helper functions the instrumentation calls from JIT code, written as MLIR text: the per-lane
slow paths of vector accesses (bounds.py) and the element-address helpers of the race check
(races.py). Each is generated once per (kind, types) key, parsed in the module's Context and
appended to the module as a private function."""

from __future__ import annotations

from collections.abc import Callable

from mlir import ir

from ...dialect.ir_queries import block_ops, symbol_name
from . import runtime_hooks
from .instrument_ir import byte_size, is_strided, num_elements

PREFIX = "__pl_emu_"


class Helpers:
    """The helper functions (and private globals) of one module, made on demand."""

    def __init__(self, module_op: ir.Operation):
        self.module_op = module_op
        self._names: dict = {}
        self._texts: list[str] = []
        self._count = 0

    def get(self, key, make: Callable[[str], str]) -> str:
        """The name of the helper for `key`; `make(name)` returns its MLIR text on first use."""
        name = self._names.get(key)
        if name is None:
            name = f"{PREFIX}{key[0]}_{self._count}"
            self._count += 1
            self._names[key] = name
            self._texts.append(make(name))
        return name

    def add(self, key, text: str) -> None:
        """Adds fixed text (a global, a named function) once."""
        if key not in self._names:
            self._names[key] = key
            self._texts.append(text)

    def finish(self) -> None:
        """Parses every helper and appends them to the module (hook declarations are only
        there to let the text verify: the module declares the hooks itself)."""
        if not self._texts:
            return
        decls = "\n".join(
            f"func.func private @{n}({', '.join(['i64'] * k)})"
            for n, k in runtime_hooks.HOOKS.items()
        )
        text = decls + "\n" + "\n".join(self._texts)
        ctx = self.module_op.context
        parsed = ir.Module.parse(text, ctx)
        body = self.module_op.regions[0].blocks[0]
        hooks = set(runtime_hooks.HOOKS)
        for op in block_ops(parsed.body):
            if symbol_name(op) in hooks:
                continue
            op.detach_from_parent()
            body.append(op)
        self._texts = []


# -- MLIR text helpers -------------------------------------------------------------------------


class Text:
    """Builds the body of one function as MLIR text, with fresh SSA names."""

    def __init__(self):
        self.lines: list[str] = []
        self.prologue: list[str] = []  # constants, first in the function (they dominate all)
        self._n = 0
        self._consts: dict = {}

    def fresh(self, hint: str = "v") -> str:
        self._n += 1
        return f"%{hint}{self._n}"

    def emit(self, line: str) -> None:
        self.lines.append("  " + line)

    def op(self, text: str, hint: str = "v") -> str:
        name = self.fresh(hint)
        self.emit(f"{name} = {text}")
        return name

    def const(self, text: str, hint: str = "c") -> str:
        """A constant (`arith.constant ...`), made once, in the prologue."""
        if text not in self._consts:
            name = self.fresh(hint)
            self.prologue.append(f"  {name} = {text}")
            self._consts[text] = name
        return self._consts[text]

    def index(self, v: int) -> str:
        return self.const(f"arith.constant {v} : index")

    def i64(self, v: int) -> str:
        return self.const(f"arith.constant {v} : i64")

    def i1(self, v: bool) -> str:
        return self.const(f"arith.constant {'true' if v else 'false'}", "b")

    def and_(self, a: str, b: str) -> str:
        return self.op(f"arith.andi {a}, {b} : i1", "b")

    def body(self) -> str:
        return "\n".join(self.prologue + self.lines)


def zero_literal(t: ir.Type) -> str:
    """The text of a constant zero of type `t` (scalar or vector)."""
    if isinstance(t, ir.VectorType):
        elem = t.element_type
        z = "0.000000e+00" if isinstance(elem, ir.FloatType) else "0"
        return f"arith.constant dense<{z}> : {t}"
    if isinstance(t, ir.FloatType):
        return f"arith.constant 0.000000e+00 : {t}"
    return f"arith.constant 0 : {t}"


def dims_text(t: Text, m: str, mtype: ir.MemRefType) -> list[str]:
    """The sizes of memref `m` (text of index values), from its strided metadata when it has
    a strided layout (memref.dim lowers through a stack alloca, see bounds.py)."""
    r = mtype.rank
    sizes = None
    if r and any(mtype.is_dynamic_dim(j) for j in range(r)) and is_strided(mtype):
        base_t = ir.MemRefType.get([], mtype.element_type, memory_space=mtype.memory_space)
        names = (
            [t.fresh("base"), t.fresh("off")]
            + [t.fresh("sz") for _ in range(r)]
            + [t.fresh("st") for _ in range(r)]
        )
        t.emit(
            f"{', '.join(names)} = memref.extract_strided_metadata {m} : {mtype} -> "
            f"{base_t}, {', '.join(['index'] * (1 + 2 * r))}"
        )
        sizes = names[2 : 2 + r]
    out = []
    for j, d in enumerate(mtype.shape):
        if not mtype.is_dynamic_dim(j):
            out.append(t.index(d))
        elif sizes is not None:
            out.append(sizes[j])
        else:
            out.append(t.op(f"memref.dim {m}, {t.index(j)} : {mtype}", "d"))
    return out


def fault_text(t: Text, site: str, lane: str, idx: list[str], sizes: list[str]) -> None:
    """`call @pl_emu_fault(site, lane, idx0..3, size0..3)` (site and lane: i64 values; indices
    and sizes: index values)."""
    args = [site, lane]
    for values in (idx, sizes):
        words = [
            t.op(f"arith.index_cast {i} : index to i64", "x")
            for i in values[: runtime_hooks.MAX_FAULT_RANK]
        ]
        args += words + [t.i64(0)] * (runtime_hooks.MAX_FAULT_RANK - len(words))
    t.emit(
        f"func.call @{runtime_hooks.HOOK_FAULT}({', '.join(args)})"
        f" : ({', '.join(['i64'] * len(args))}) -> ()"
    )


def flat_type(vtype: ir.VectorType) -> ir.VectorType:
    return ir.VectorType.get([num_elements(vtype.shape)], vtype.element_type)


def flat_mask_type(vtype: ir.VectorType) -> ir.VectorType:
    return ir.VectorType.get([num_elements(vtype.shape)], ir.IntegerType.get_signless(1))


def element_bytes(mtype: ir.MemRefType) -> int:
    size = byte_size(mtype.element_type)
    if size is None:
        raise ValueError(f"cannot size the elements of {mtype}")
    return size
