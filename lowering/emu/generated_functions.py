"""Helper functions (and private globals) the instrumentation adds to a module, each made once
per key on first use and appended to the module at once.

Two ways in, one rule: a helper is built where it is asked for, and a fault in its making
surfaces there.
  * `function(key, type, build)`: built with the bindings' op builders (the per-lane slow
    paths of lane_slow_paths.py);
  * `get(key, make)` / `add(key, text)`: MLIR text (the race checker's helpers and globals in
    races.py, the counters' global in counters.py), parsed and verified right away, with the
    declarations of the runtime hooks and of every helper made so far; text that does not
    parse is a GeneratorError naming the helper (an instrumentation bug, never user input).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from mlir import ir
from mlir.dialects import func

from ...dialect.ir_queries import block_ops, symbol_name
from . import runtime_hooks
from .instrument_ir import byte_size

PREFIX = "__pl_emu_"
# What identifies a made helper: its kind, then what it is specialized on (types, flags).
HelperKey: TypeAlias = "tuple[str | int, ...]"


class GeneratorError(Exception):
    """Generated MLIR text of a helper did not parse or verify (a bug of its generator)."""


class Helpers:
    """The helper functions (and private globals) of one module, made on demand."""

    def __init__(self, module_op: ir.Operation):
        self.module_op = module_op
        self._names: dict[HelperKey | str, str] = {}  # key (or fixed text's name) -> name
        self._count = 0
        # What generated text may reference: the hooks, then each helper made (as a
        # declaration: the text is verified on its own, before it joins the module).
        self._decls: dict[str, str] = {
            name: f"func.func private @{name}({', '.join(['i64'] * arity)})"
            for name, arity in runtime_hooks.HOOKS.items()
        }

    @property
    def _body(self) -> ir.Block:
        return self.module_op.regions[0].blocks[0]

    def _new_name(self, key: HelperKey) -> str:
        name = f"{PREFIX}{key[0]}_{self._count}"
        self._count += 1
        self._names[key] = name
        return name

    def function(
        self,
        key: HelperKey,
        ftype: ir.FunctionType,
        build: Callable[[ir.Operation, ir.Block], None],
    ) -> str:
        """The name of the helper for `key`; on first use, a private func.func of type `ftype`
        at the end of the module, whose body `build(fn, entry_block)` builds (the insertion
        point is the entry block, the location unknown)."""
        name = self._names.get(key)
        if name is None:
            name = self._new_name(key)
            with ir.InsertionPoint(self._body), ir.Location.unknown():
                fn = func.FuncOp(name, ftype, visibility="private")
                entry = fn.add_entry_block()
                with ir.InsertionPoint(entry):
                    build(fn.operation, entry)
            self._declare(fn.operation)
        return name

    def get(self, key: HelperKey, make: Callable[[str], str]) -> str:
        """The name of the helper for `key`; `make(name)` returns its MLIR text on first use."""
        name = self._names.get(key)
        if name is None:
            name = self._new_name(key)
            self._insert_text(name, make(name))
        return name

    def add(self, key: str, text: str) -> None:
        """Adds fixed text (a global, a named function) once."""
        if key not in self._names:
            self._names[key] = key
            self._insert_text(key, text)

    def _insert_text(self, name: str, text: str) -> None:
        declared = dict(self._decls)
        source = "module {\n" + text + "\n" + "\n".join(declared.values()) + "\n}"
        try:
            parsed = ir.Operation.parse(
                source, source_name=f"<emulator helper @{name}>", context=self.module_op.context
            )
        except ir.MLIRError as exc:
            raise GeneratorError(
                f"internal error: the generated MLIR of the emulator's helper @{name} does not "
                f"parse: {exc}"
            ) from None
        for op in block_ops(parsed.regions[0].blocks[0]):
            if symbol_name(op) in declared:
                continue
            op.detach_from_parent()
            self._body.append(op)
            self._declare(op)

    def _declare(self, op: ir.Operation) -> None:
        """Records a declaration of `op` (a func.func or memref.global) for later text."""
        name = symbol_name(op)
        if name is None:
            return
        if op.name == "func.func":
            ftype = ir.FunctionType(ir.TypeAttr(op.attributes["function_type"]).value)
            results = ", ".join(str(t) for t in ftype.results)
            self._decls[name] = (
                f"func.func private @{name}({', '.join(str(t) for t in ftype.inputs)})"
                + (f" -> ({results})" if results else "")
            )
        elif op.name == "memref.global":
            mtype = ir.TypeAttr(op.attributes["type"]).value
            self._decls[name] = f'memref.global "private" @{name} : {mtype}'


# -- MLIR text helpers -------------------------------------------------------------------------


class Text:
    """Builds the body of one function as MLIR text, with fresh SSA names."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.prologue: list[str] = []  # constants, first in the function (they dominate all)
        self._n = 0
        self._consts: dict[str, str] = {}  # constant's text -> its SSA name

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

    def body(self) -> str:
        return "\n".join(self.prologue + self.lines)


def element_bytes(mtype: ir.MemRefType) -> int:
    size = byte_size(mtype.element_type)
    if size is None:
        raise ValueError(f"cannot size the elements of {mtype}")
    return size
