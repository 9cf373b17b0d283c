"""A `@pl.function`'s Python AST -> MLIR text, every op located at its Python line.

The AST is read, never run. Names resolve to kernel values first (`Scalar`, `Buffer`), then to
the function's closure and globals (static Python values: shapes, chunk sizes, `pl` itself).
Static arithmetic folds in Python; the rest becomes `arith`. Statements map to:

    for i in pl.range/pl.parallel(...)   scf.for (pl.parallel, pl.chunk, pl.chunk_policy)
    with pl.at(level=CORE_GROUP)         scf.execute_region no_inline {pl.at = "core_group"}
    if c: ... else: ...                  scf.if (a static condition picks its branch here)
    x = <tile op>                        memref / linalg / math (tile_ops.py)

A scalar reassigned in a loop or a branch is carried (iter_args, scf.if results); a tile
reassigned in a loop is written back into the buffer it had before the loop at the end of each
iteration (the emulator tracks no memrefs in iter_args). Anything else is a FrontendError at
the Python position of the construct, which it names.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import linecache
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..dialect import attrs
from . import language as pl
from .errors import FrontendError
from .mlir_text import Buffer, Scalar, Text, location
from .tile_ops import BINARY, REDUCTIONS, UNARY, TileOps, is_float

# What an unsupported node is called in an error message.
CONSTRUCTS = {
    ast.While: "a while loop",
    ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.Lambda: "a lambda",
    ast.Try: "a try statement",
    ast.Raise: "a raise statement",
    ast.FunctionDef: "a nested function",
    ast.ClassDef: "a class definition",
    ast.Import: "an import",
    ast.ImportFrom: "an import",
    ast.Global: "a global statement",
    ast.Nonlocal: "a nonlocal statement",
    ast.Delete: "a del statement",
    ast.Assert: "an assert statement",
    ast.Yield: "a yield expression",
    ast.Await: "an await expression",
    ast.JoinedStr: "an f-string",
    ast.Dict: "a dict display",
    ast.Set: "a set display",
    ast.Starred: "a starred expression",
    ast.NamedExpr: "an assignment expression (:=)",
    ast.Break: "a break statement",
    ast.Continue: "a continue statement",
}

_STATIC_OPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: a // b,
    ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: a**b,
}
# Python operator -> (integer op, float op); floor division and modulo are Python's (floor).
_ARITH = {
    ast.Add: ("arith.addi", "arith.addf"),
    ast.Sub: ("arith.subi", "arith.subf"),
    ast.Mult: ("arith.muli", "arith.mulf"),
    ast.Div: (None, "arith.divf"),
    ast.FloorDiv: ("arith.floordivsi", None),
    ast.Mod: ("mod", "arith.remf"),
}
_TILE_OPERATORS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div"}
_CMP = {
    ast.Lt: ("slt", "olt", lambda a, b: a < b),
    ast.LtE: ("sle", "ole", lambda a, b: a <= b),
    ast.Gt: ("sgt", "ogt", lambda a, b: a > b),
    ast.GtE: ("sge", "oge", lambda a, b: a >= b),
    ast.Eq: ("eq", "oeq", lambda a, b: a == b),
    ast.NotEq: ("ne", "une", lambda a, b: a != b),
}
LOOP_OPTIONS = ("chunk", "chunk_policy", "name_hint", "init_values")
# pl.at optimizations that hand the scope's chunked loops to the chunk machinery (the scope
# itself dissolves: each chunk of a pl.parallel chunked loop becomes one task).
CHUNK_OPTIMIZERS = (pl.chunked_loop_optimizer, pl.auto_chunk)


@dataclass
class Remark:
    file: str
    line: int
    col: int
    message: str


@dataclass
class FunctionInfo:
    """A lowered function: its MLIR text, parameters, and what each returned value is: an
    argument (("arg", i), a tensor written in place) or a result (("result", j))."""

    name: str
    text: str
    params: list[tuple[str, Buffer | Scalar]]  # (name, value) in order
    results: list[tuple[str, int]]  # ("arg", i) | ("result", j)
    result_types: list[str]
    param_types: list[str]


# file -> (its lines as linecache holds them, {(function name, first line): the function's
# AST}); linecache gives a new list when the file changed.
_SOURCE_CACHE: dict[str, tuple[list[str], dict[tuple[str, int], ast.FunctionDef]]] = {}


def function_node(fn) -> tuple[ast.FunctionDef, str]:
    """The AST of a Python function (found in its file, so positions are the file's) and the
    file's name."""
    code = fn.__code__
    file = code.co_filename
    lines = linecache.getlines(file)  # the same list object until the file changes
    if not lines:
        raise FrontendError(f"cannot read the source of {fn.__qualname__} (file {file})")
    cached = _SOURCE_CACHE.get(file)
    if cached is None or cached[0] is not lines:
        functions: dict[tuple[str, int], ast.FunctionDef] = {}
        for each in ast.walk(ast.parse("".join(lines), file)):
            if isinstance(each, ast.FunctionDef):
                for line in {each.lineno, *(d.lineno for d in each.decorator_list)}:
                    functions[(each.name, line)] = each
        cached = _SOURCE_CACHE[file] = (lines, functions)
    found = cached[1].get((fn.__name__, code.co_firstlineno))
    if found is None:
        raise FrontendError(f"cannot find the source of {fn.__qualname__} in {file}")
    return found, file


def static_scope(fn) -> dict[str, Any]:
    """The names a function's body can see at definition time: its closure, then globals."""
    scope = dict(fn.__globals__)
    for name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or (), strict=True):
        with contextlib.suppress(ValueError):  # an empty cell: not bound yet
            scope[name] = cell.cell_contents
    return scope


def _assigned_names(stmts: Sequence[ast.stmt]) -> set[str]:
    names: set[str] = set()
    for s in stmts:
        found = getattr(s, "_pl_assigned", None)  # memo on the node: a loop asks many times
        if found is None:
            found = {
                n.id
                for n in ast.walk(s)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
            }
            setattr(s, "_pl_assigned", found)  # noqa: B010 (an attribute ast does not declare)
        names |= found
    return names


def _loaded_after(tree: ast.AST, line: int) -> set[str]:
    return {
        n.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.lineno > line
    }


def _replaced_names(s: ast.stmt) -> set[str]:
    """Names a statement rebinds other than as `name = pl.assemble(name, ...)` (or pl.write):
    what is not a tensor written in place. Memoized on the node."""
    found = getattr(s, "_pl_replaced", None)
    if found is not None:
        return found
    found = set()
    for node in ast.walk(s):
        if not isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        call = node.value
        in_place = (
            isinstance(node, ast.Assign)
            and isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr in ("assemble", "write")
            and call.args
            and isinstance(call.args[0], ast.Name)
            and names == {call.args[0].id}
        )
        if not in_place:
            found |= names
    setattr(s, "_pl_replaced", found)  # noqa: B010 (an attribute ast does not declare)
    return found


def _updated_in_place(stmts: Sequence[ast.stmt], name: str) -> bool:
    """True when every assignment to `name` is `name = pl.assemble(name, ...)` (or pl.write):
    the tensor is written in place, never replaced."""
    return not any(name in _replaced_names(s) for s in stmts)


def _has_chunked_loop(stmts: Sequence[ast.stmt]) -> bool:
    for s in stmts:
        for node in ast.walk(s):
            if isinstance(node, ast.For) and isinstance(node.iter, ast.Call):
                if any(k.arg == "chunk" for k in node.iter.keywords):
                    return True
    return False


_NOTHING = object()
# An AST node with a position.
Located = ast.stmt | ast.expr | ast.keyword | ast.arg


class FunctionLowering:
    """Lowers one function. `program` lowers the functions it calls (`self.f(...)`)."""

    def __init__(self, fn, name: str, program, is_method: bool = True):
        self.fn = fn
        self.name = name
        self.program = program
        self.is_method = is_method
        self.node, self.file = function_node(fn)
        self.statics = static_scope(fn)
        self.text = Text()
        self.text.file = self.file
        self.tiles = TileOps(self.text, self._own)
        self.owned: list[list[Buffer]] = [[]]
        self.env: dict[str, Any] = {}
        self.dyn: dict[int, Scalar] = {}
        self.gone: dict[str, int] = {}  # names whose scope ended: name -> line
        self.depth = 0
        self.returned: list[Any] | None = None  # what `return` gave: any kernel values
        self.name_hints: list[str] = []  # pl.at(name_hint=) of dissolved scopes
        self.remarks: list[Remark] = program.remarks if program is not None else []

    # -- positions and errors -----------------------------------------------------------------

    def error(self, node: Located, message: str) -> FrontendError:
        return FrontendError(message, self.file, node.lineno, node.col_offset + 1)

    def remark(self, node: Located, message: str) -> None:
        self.remarks.append(Remark(self.file, node.lineno, node.col_offset + 1, message))

    @contextlib.contextmanager
    def at(self, node: Located) -> Iterator[None]:
        """Ops written inside carry `node`'s position; an unlocated error gets it too."""
        saved = self.text.node
        self.text.node = node
        try:
            yield
        except (FrontendError, ArithmeticError, TypeError, ValueError) as exc:
            raise self._located(exc, node) from None
        finally:
            self.text.node = saved

    def _located(self, exc: Exception, node: Located) -> FrontendError:
        """`exc` with `node`'s position: an unlocated FrontendError, or an error of static
        Python arithmetic (a division by zero in a shape)."""
        if not isinstance(exc, FrontendError):
            return self.error(node, f"{type(exc).__name__}: {exc}")
        if exc.file is None:
            exc.file, exc.line, exc.col = self.file, node.lineno, node.col_offset + 1
        return exc

    def _keyword(self, k: ast.keyword) -> str:
        if k.arg is None:
            raise self.error(k, "**kwargs is not supported in a kernel")
        return k.arg

    def unsupported(self, node: Located) -> FrontendError:
        what = CONSTRUCTS.get(type(node), f"Python construct '{type(node).__name__}'")
        return self.error(node, f"{what} is not supported in a kernel")

    def _own(self, buf: Buffer) -> None:
        self.owned[-1].append(buf)

    # -- the function -------------------------------------------------------------------------

    def lower(self) -> FunctionInfo:
        node = self.node
        annotations = self.fn.__annotations__
        args = list(node.args.args)
        if self.is_method:
            if not args or args[0].arg != "self":
                raise self.error(node, f"@pl.function {self.name} must take self first")
            args = args[1:]
        if node.args.vararg or node.args.kwarg or node.args.kwonlyargs:
            raise self.error(node, "*args, **kwargs and keyword-only parameters are not supported")
        signature: list[str] = []
        param_values: list[tuple[str, Buffer | Scalar]] = []
        param_types: list[str] = []
        with self.at(node):
            for arg in args:
                p = arg.arg
                # the argument's own Python position, so an error about it points there
                at = location(self.file, arg.lineno, arg.col_offset + 1)
                ann = self._annotation(annotations.get(p), p)
                ssa = f"%p_{p}"
                if isinstance(ann, pl.TensorType):
                    shape = tuple(None if isinstance(d, pl.DynVar) else d for d in ann.shape)
                    value: Any = Buffer.dense(ssa, shape, ann.dtype.mlir)
                    direction = attrs.DIRECTION.attribute_text(ann.direction)
                    signature.append(f"{ssa}: {value.type} {{{direction}}} {at}")
                elif isinstance(ann, pl.ScalarType):
                    value = Scalar(ssa, ann.dtype.mlir)
                    signature.append(f"{ssa}: {value.type} {at}")
                else:
                    raise self.error(
                        node, f"parameter {p}: annotate it pl.Tensor[...] or pl.Scalar[...]"
                    )
                param_types.append(value.type)
                self.env[p] = value
                param_values.append((p, value))
            for p, value in param_values:
                ann = annotations[p]
                if isinstance(ann, pl.TensorType):
                    for i, d in enumerate(ann.shape):
                        if isinstance(d, pl.DynVar) and id(d) not in self.dyn:
                            c = self.text.constant_index(i)
                            dim = self.text.op(f"memref.dim {value.ssa}, {c.ssa} : {value.type}")
                            self.dyn[id(d)] = Scalar(dim, "index")
        self.block(node.body)
        results, result_values = self._results(param_values)
        with self.at(node):
            self._free_owned(keep=result_values)
            ret = ", ".join(v.ssa for v in result_values)
            types = [v.type for v in result_values]
            self.text.effect(f"func.return {ret} : {', '.join(types)}" if ret else "func.return")
        loc = location(self.file, node.lineno, node.col_offset + 1)
        head = f"  func.func @{self.name}({', '.join(signature)})"
        if types:
            head += f" -> ({', '.join(types)})"
        text = "\n".join([head + " {", *self.text.lines, f"  }} {loc}"])
        return FunctionInfo(self.name, text, param_values, results, types, param_types)

    def _annotation(self, ann: Any, param: str) -> Any:
        """An annotation; a string one (`from __future__ import annotations`) is evaluated in
        the function's scope."""
        if not isinstance(ann, str):
            return ann
        try:
            return eval(ann, dict(self.statics))  # the kernel's own annotation
        except Exception as exc:
            raise self.error(
                self.node,
                f"parameter {param}: cannot evaluate its annotation '{ann}' ({exc}); "
                "`from __future__ import annotations` hides the builder's names",
            ) from None

    def _results(
        self, params: list[tuple[str, Buffer | Scalar]]
    ) -> tuple[list[tuple[str, int]], list[Buffer | Scalar]]:
        results: list[tuple[str, int]] = []
        values: list[Buffer | Scalar] = []
        arg_of = {v.ssa: i for i, (_, v) in enumerate(params)}
        for v in self.returned or []:
            if isinstance(v, Buffer) and v.ssa in arg_of:
                results.append(("arg", arg_of[v.ssa]))
            elif isinstance(v, (Buffer, Scalar)):
                results.append(("result", len(values)))
                values.append(v)
            else:
                raise self.error(self.node, f"a kernel returns tensors and scalars, not {v!r}")
        return results, values

    def _free_owned(self, keep: Sequence[Buffer | Scalar] = ()) -> None:
        kept = {v.ssa for v in keep}
        for buf in self.owned[-1]:
            if buf.ssa not in kept:
                self.text.effect(f"memref.dealloc {buf.ssa} : {buf.type}")

    # -- statements ---------------------------------------------------------------------------

    def block(self, stmts: Sequence[ast.stmt]) -> None:
        for s in stmts:
            if self.returned is not None:
                raise self.error(s, "code after return")
            with self.at(s):
                method = getattr(self, "stmt_" + type(s).__name__, None)
                if method is None:
                    raise self.unsupported(s)
                method(s)

    def stmt_Pass(self, s: ast.Pass) -> None:
        pass

    def stmt_Expr(self, s: ast.Expr) -> None:
        if isinstance(s.value, ast.Constant) and isinstance(s.value.value, str):
            return  # a docstring
        self.expr(s.value)

    def stmt_Assign(self, s: ast.Assign) -> None:
        value = self.expr(s.value)
        for target in s.targets:
            self.bind(target, value)

    def stmt_AnnAssign(self, s: ast.AnnAssign) -> None:
        if s.value is None:
            raise self.error(s, "a declaration without a value is not supported in a kernel")
        self.bind(s.target, self.expr(s.value))

    def stmt_AugAssign(self, s: ast.AugAssign) -> None:
        if not isinstance(s.target, ast.Name):
            raise self.unsupported(s.target)
        left = self.expr(
            ast.Name(s.target.id, ast.Load(), lineno=s.lineno, col_offset=s.col_offset)
        )
        self.bind(s.target, self.binop(s, s.op, left, self.expr(s.value)))

    def bind(self, target: ast.expr, value: Any) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = value
            self.gone.pop(target.id, None)
            return
        if isinstance(target, (ast.Tuple, ast.List)):
            if not isinstance(value, (tuple, list)) or len(value) != len(target.elts):
                raise self.error(target, f"cannot unpack {value!r} into {len(target.elts)} names")
            for t, v in zip(target.elts, value, strict=True):
                self.bind(t, v)
            return
        raise self.error(target, "assign to plain names only (no subscripts or attributes)")

    def stmt_Return(self, s: ast.Return) -> None:
        if self.depth:
            raise self.error(s, "return inside a loop, branch or scope is not supported")
        value = None if s.value is None else self.expr(s.value)
        self.returned = (
            [] if value is None else list(value) if isinstance(value, tuple) else [value]
        )

    def stmt_If(self, s: ast.If) -> None:
        cond = self.expr(s.test)
        if not isinstance(cond, Scalar):
            self.block(s.body if cond else s.orelse)
            return
        if cond.type != "i1":
            cond = self.compare_values(s, ast.NotEq(), cond, 0)
        carried = sorted((_assigned_names(s.body) | _assigned_names(s.orelse)) & set(self.env))
        scalars, buffers = self._split_carried(carried, s.body + s.orelse)
        t = self.text
        types = [self.env[n].type for n in scalars]
        res = t.fresh()
        prefix = f"{res}{':' + str(len(types)) if len(types) > 1 else ''} = " if types else ""
        result = f" -> ({', '.join(types)})" if types else ""
        t.line(f"{prefix}scf.if {cond.ssa}{result} {{")
        before = dict(self.env)
        self._region(s.body, scalars, buffers, before, "scf.yield")
        self.env = dict(before)
        if s.orelse or types:
            t.line("} else {")
            self._region(s.orelse, scalars, buffers, before, "scf.yield")
        t.line(f"}} {t.loc}")
        self._after_region(s, before, scalars, res)

    def _split_carried(
        self, names: Sequence[str], body: Sequence[ast.stmt]
    ) -> tuple[list[str], list[str]]:
        """Carried names: scalars (static numbers made SSA constants) and buffers. A tile that
        the body replaces and that is a view (of a tensor, say) gets a buffer of its own first:
        writing the new value back must not write into what it views."""
        scalars, buffers = [], []
        for n in names:
            v = self.env[n]
            if isinstance(v, Buffer) and not v.owned and not _updated_in_place(body, n):
                self.env[n] = v = self.tiles.materialize(v)
            if isinstance(v, (bool, int, float)) and not isinstance(v, bool):
                self.env[n] = self.scalar_of(v, "index" if isinstance(v, int) else "f32")
                v = self.env[n]
            if isinstance(v, Scalar):
                scalars.append(n)
            elif isinstance(v, Buffer):
                buffers.append(n)
        return scalars, buffers

    def _region(
        self,
        body: Sequence[ast.stmt],
        scalars: list[str],
        buffers: list[str],
        before: dict[str, Any],  # the names in scope before the region
        terminator: str,
    ) -> None:
        """The body of a loop, branch or scope: its statements, the carried tiles written back,
        its own tiles freed, the carried scalars yielded."""
        t = self.text
        t.depth += 1
        self.depth += 1
        self.owned.append([])
        self.block(body)
        for n in buffers:
            new, old = self.env[n], before[n]
            if isinstance(new, Buffer) and new.ssa != old.ssa:
                self.tiles.copy(new, old)
            elif not isinstance(new, Buffer):
                raise FrontendError(f"{n} was a tensor before and is now {new!r}")
        yields = []
        for n in scalars:
            v = self.env[n]
            want = before[n].type
            if isinstance(v, Scalar) and v.type != want:
                raise FrontendError(f"{n} changes type in the loop or branch ({want} -> {v.type})")
            yields.append(self.scalar_of(v, want))
        self._free_owned()
        self.owned.pop()
        if yields:
            t.effect(
                f"{terminator} {', '.join(y.ssa for y in yields)} : "
                f"{', '.join(y.type for y in yields)}"
            )
        else:
            t.effect(terminator)
        self.depth -= 1
        t.depth -= 1

    def _after_region(
        self, node: Located, before: dict[str, Any], scalars: list[str], res: str
    ) -> None:
        """After a region: names defined inside are gone, carried scalars are its results."""
        for n in set(self.env) - set(before):
            self.gone[n] = node.lineno
        self.env = dict(before)
        for i, n in enumerate(scalars):
            ssa = res if len(scalars) == 1 else f"{res}#{i}"
            self.env[n] = Scalar(ssa, before[n].type)

    def stmt_For(self, s: ast.For) -> None:
        if s.orelse:
            raise self.error(s, "for ... else is not supported in a kernel")
        it = s.iter
        loops = (pl.OPERATIONS["range"], pl.OPERATIONS["parallel"], builtins.range)
        if not isinstance(it, ast.Call) or self.expr(it.func) not in loops:
            raise self.error(
                s.iter, "a kernel loop iterates over pl.range(...) or pl.parallel(...)"
            )
        parallel = self.expr(it.func) is pl.OPERATIONS["parallel"]
        args = [self.expr(a) for a in it.args]
        options: dict[str, Any] = {}
        body: list[ast.stmt] = s.body
        after: list[tuple[str, str]] = []
        for k in it.keywords:
            if k.arg == "init_values":
                body, after = self._init_values(s, self.expr(k.value))
                continue
            if k.arg is None or k.arg not in LOOP_OPTIONS:
                raise self.error(
                    k.value,
                    f"pl.{'parallel' if parallel else 'range'}: unsupported keyword '{k.arg}'",
                )
            options[k.arg] = self.expr(k.value)
        if not 1 <= len(args) <= 3:
            raise self.error(it, "a loop takes (stop), (start, stop) or (start, stop, step)")
        start, stop, step = ([0, *args, 1] if len(args) == 1 else [*args, 1])[:3]
        if len(args) == 3:
            start, stop, step = args
        if isinstance(step, int) and step <= 0:
            raise self.error(it, f"a loop step must be positive, got {step}")
        loop_attrs = self._loop_attributes(it, parallel, options)
        iv_target = s.target
        if body is not s.body and isinstance(s.target, ast.Tuple):  # `i, (a, b)`: init_values
            iv_target = s.target.elts[0]
        if not isinstance(iv_target, ast.Name):
            raise self.error(s.target, "the loop variable must be a plain name")
        lb, ub, st = (self.index_of(v) for v in (start, stop, step))
        carried = sorted(_assigned_names(body) & set(self.env))
        scalars, buffers = self._split_carried(carried, body)
        before = dict(self.env)
        t = self.text
        iv = t.fresh()
        inits = [self.env[n] for n in scalars]
        iter_args = [t.fresh() for _ in scalars]
        res = t.fresh()
        head = f"scf.for {iv} = {lb.ssa} to {ub.ssa} step {st.ssa}"
        if scalars:
            pairs = ", ".join(f"{a} = {v.ssa}" for a, v in zip(iter_args, inits, strict=True))
            types = ", ".join(v.type for v in inits)
            count = f":{len(scalars)}" if len(scalars) > 1 else ""
            head = f"{res}{count} = {head} iter_args({pairs}) -> ({types})"
        t.line(head + " {")
        self.env[iv_target.id] = Scalar(iv, "index")
        for n, a, v in zip(scalars, iter_args, inits, strict=True):
            self.env[n] = Scalar(a, v.type)
        self._region(body, scalars, buffers, before, "scf.yield")
        t.line(f"}} {{{', '.join(loop_attrs)}}} {t.loc}" if loop_attrs else f"}} {t.loc}")
        self._after_region(s, before, scalars, res)
        for carried_name, result_name in after:  # `out = pl.yield_(...)`: read after the loop
            self.env[result_name] = self.env.pop(carried_name)
            self.gone[carried_name] = s.lineno

    def _init_values(self, s: ast.For, inits: Any) -> tuple[list[ast.stmt], list[tuple[str, str]]]:
        """`for i, (a, b) in pl.range(..., init_values=(x, y)): ...; p, q = pl.yield_(ea, eb)`:
        a and b start as x and y, the yield_ assigns them, p and q name them after the loop.
        Returns the body with the yield_ made that assignment, and the (a, p) pairs."""
        target = s.target
        if not (
            isinstance(target, ast.Tuple)
            and len(target.elts) == 2
            and isinstance(target.elts[0], ast.Name)
            and isinstance(target.elts[1], (ast.Tuple, ast.List))
            and all(isinstance(e, ast.Name) for e in target.elts[1].elts)
        ):
            raise self.error(target, "with init_values= the loop target is `i, (a, b, ...)`")
        names = [e.id for e in target.elts[1].elts if isinstance(e, ast.Name)]
        inits = list(inits) if isinstance(inits, (tuple, list)) else [inits]
        if len(inits) != len(names):
            raise self.error(target, f"{len(names)} carried names for {len(inits)} init_values")
        last = s.body[-1]
        call = last.value if isinstance(last, (ast.Assign, ast.Expr)) else None
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "yield_"
            and len(call.args) == len(names)
        ):
            raise self.error(
                last, f"a loop with init_values= ends with pl.yield_ of {len(names)} values"
            )
        outs = []
        if isinstance(last, ast.Assign):
            (t,) = last.targets
            elts = t.elts if isinstance(t, (ast.Tuple, ast.List)) else [t]
            if len(elts) != len(names) or not all(isinstance(e, ast.Name) for e in elts):
                raise self.error(t, f"pl.yield_ of {len(names)} values is read into as many names")
            outs = [e.id for e in elts if isinstance(e, ast.Name)]
        for name, value in zip(names, inits, strict=True):
            self.env[name] = value
        stores = ast.Tuple([ast.Name(n, ast.Store()) for n in names], ast.Store())
        assign = ast.Assign([stores], ast.Tuple(list(call.args), ast.Load()))
        ast.copy_location(assign, last)
        ast.fix_missing_locations(assign)
        return [*s.body[:-1], assign], list(zip(names, outs, strict=False))

    def _loop_attributes(self, it: ast.Call, parallel: bool, options: dict[str, Any]) -> list[str]:
        out = []
        chunk = options.get("chunk")
        if chunk is not None:
            if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk <= 0:
                raise self.error(it, f"chunk= must be a positive static int, got {chunk!r}")
            out.append(f"{attrs.CHUNK.name} = {chunk}")
        policy = options.get("chunk_policy")
        if policy is not None:
            if chunk is None:
                raise self.error(it, "chunk_policy= needs chunk=")
            if policy not in attrs.POLICIES:
                raise self.error(
                    it, f"chunk_policy= must be one of {', '.join(attrs.POLICIES)}, got {policy!r}"
                )
            out.append(f'{attrs.CHUNK_POLICY.name} = "{policy}"')
        if parallel:
            out.append(attrs.PARALLEL.name)
        hint = options.get("name_hint") or (
            self.name_hints[-1] if chunk and self.name_hints else None
        )
        if hint is not None:
            if not isinstance(hint, str):
                raise self.error(it, "name_hint= must be a string")
            out.append(f'{attrs.NAME_HINT.name} = "{hint}"')
        return out

    def stmt_With(self, s: ast.With) -> None:
        if len(s.items) != 1 or s.items[0].optional_vars is not None:
            raise self.error(s, "a kernel's with statement is `with pl.at(level=...):`")
        call = s.items[0].context_expr
        if not isinstance(call, ast.Call) or self.expr(call.func) is not pl.OPERATIONS["at"]:
            raise self.error(call, "a kernel's with statement is `with pl.at(level=...):`")
        if call.args:
            raise self.error(call, "pl.at takes keywords: level=, name_hint=, optimization(s)=")
        kw = {self._keyword(k): (k, self.expr(k.value)) for k in call.keywords}
        unknown = set(kw) - {"level", "name_hint", "optimization", "optimizations"}
        if unknown:
            raise self.error(call, f"pl.at: unsupported keyword '{sorted(unknown)[0]}'")
        level = kw.get("level", (None, pl.Level.CORE_GROUP))[1]
        if level is not pl.Level.CORE_GROUP:
            raise self.error(
                call, f"pl.at: only level=pl.Level.CORE_GROUP is supported, got {level}"
            )
        hint = kw.get("name_hint", (None, None))[1]
        opts: list[tuple[Located, Any]] = []
        if "optimization" in kw:
            opts.append(kw["optimization"])
        if "optimizations" in kw:
            keyword, values = kw["optimizations"]
            elts = keyword.value.elts if isinstance(keyword.value, (ast.List, ast.Tuple)) else None
            opts += [(elts[i] if elts else keyword, v) for i, v in enumerate(values)]
        chunked = _has_chunked_loop(s.body)
        dissolve = False
        for node, opt in opts:
            if opt in CHUNK_OPTIMIZERS:
                if chunked:
                    dissolve = True
                else:
                    self.remark(node, f"{opt!r} is ignored: this scope has no loop with chunk=")
            elif isinstance(opt, pl.Optimization):
                self.remark(node, f"{opt!r} is ignored: the targets model no core split")
            else:
                raise self.error(node, f"pl.at: {opt!r} is not an optimization")
        if dissolve:
            # The chunked loops inside become the tasks (one per chunk): no scope of its own.
            if hint:
                self.name_hints.append(hint)
            self.block(s.body)
            if hint:
                self.name_hints.pop()
            return
        self._scope(s, hint)

    def _scope(self, s: ast.With, hint: str | None) -> None:
        used_after = _loaded_after(self.node, s.end_lineno or s.lineno)
        assigned = _assigned_names(s.body)
        carried = sorted(assigned & set(self.env))
        scalars, buffers = self._split_carried(carried, s.body)
        fresh = sorted((assigned - set(self.env)) & used_after)
        t = self.text
        before = dict(self.env)
        lines_at = len(t.lines)
        t.line("")  # the scope's head, written once its results are known
        t.depth += 1
        self.depth += 1
        self.owned.append([])
        self.block(s.body)
        outs = scalars + fresh
        for n in buffers:
            new = self.env[n]
            if isinstance(new, Buffer) and new.ssa != before[n].ssa:
                self.tiles.copy(new, before[n])
        values = []
        for n in outs:
            v = self.env.get(n, _NOTHING)
            if n in fresh and not isinstance(v, Scalar):
                raise FrontendError(
                    f"{n} is defined in this pl.at scope and used after it: only scalars can "
                    "leave a scope"
                )
            values.append(self.scalar_of(v, before[n].type) if n in before else v)
        self._free_owned()
        self.owned.pop()
        types = [v.type for v in values]
        if values:
            t.effect(f"scf.yield {', '.join(v.ssa for v in values)} : {', '.join(types)}")
        else:
            t.effect("scf.yield")
        self.depth -= 1
        t.depth -= 1
        res = t.fresh()
        count = f":{len(values)}" if len(values) > 1 else ""
        prefix = f"{res}{count} = " if values else ""
        result = f" -> ({', '.join(types)})" if values else ""
        t.lines[lines_at] = "  " * t.depth + f"{prefix}scf.execute_region{result} no_inline {{"
        scope_attrs = [f'{attrs.AT.name} = "core_group"']
        if hint:
            scope_attrs.append(f'{attrs.NAME_HINT.name} = "{hint}"')
        t.line(f"}} {{{', '.join(scope_attrs)}}} {t.loc}")
        for n in set(self.env) - set(before):
            self.gone[n] = s.lineno
        self.env = dict(before)
        for i, n in enumerate(outs):
            self.env[n] = Scalar(res if len(outs) == 1 else f"{res}#{i}", types[i])
            self.gone.pop(n, None)

    # -- expressions --------------------------------------------------------------------------

    def expr(self, node: ast.expr) -> Any:
        # As `with self.at(node)`, without a context manager: expressions are the hot path.
        t = self.text
        saved = t.node
        t.node = node
        try:
            method = _EXPR.get(type(node))
            if method is None:
                raise self.unsupported(node)
            return method(self, node)
        except (FrontendError, ArithmeticError, TypeError, ValueError) as exc:
            raise self._located(exc, node) from None
        finally:
            t.node = saved

    def expr_Constant(self, node: ast.Constant) -> Any:
        return node.value

    def expr_Name(self, node: ast.Name) -> Any:
        if node.id in self.env:
            value = self.env[node.id]
        elif node.id in self.gone:
            raise self.error(
                node,
                f"{node.id} is defined inside the loop, branch or scope at line "
                f"{self.gone[node.id]} and not visible after it",
            )
        elif node.id in self.statics:
            value = self.statics[node.id]
        elif hasattr(builtins, node.id):
            value = getattr(builtins, node.id)
        else:
            raise self.error(node, f"name '{node.id}' is not defined")
        if isinstance(value, pl.DynVar):
            if id(value) not in self.dyn:
                raise self.error(node, f"{value!r} is not a dimension of any tensor parameter")
            return self.dyn[id(value)]
        return value

    def expr_Attribute(self, node: ast.Attribute) -> Any:
        base = self.expr(node.value)
        if isinstance(base, (Scalar, Buffer)):
            if isinstance(base, Buffer) and node.attr == "shape":
                return list(base.shape)
            raise self.error(node, f"'.{node.attr}' of a kernel value is not supported")
        try:
            return getattr(base, node.attr)
        except AttributeError:
            if base is pl or getattr(base, "__name__", "").endswith(".language"):
                raise self.error(
                    node, f"pl.{node.attr} is not part of the supported language"
                ) from None
            raise self.error(node, f"{ast.unparse(node)} is not defined") from None

    def expr_List(self, node: ast.List) -> list[Any]:
        return [self.expr(e) for e in node.elts]

    def expr_Tuple(self, node: ast.Tuple) -> tuple[Any, ...]:
        return tuple(self.expr(e) for e in node.elts)

    def expr_Subscript(self, node: ast.Subscript) -> Any:
        base = self.expr(node.value)
        if isinstance(base, (Scalar, Buffer)):
            raise self.error(node, "subscripting a tensor is not supported: use pl.slice / pl.read")
        return base[self.expr(node.slice)]

    def expr_IfExp(self, node: ast.IfExp) -> Any:
        cond = self.expr(node.test)
        if isinstance(cond, Scalar):
            raise self.error(node, "a conditional expression on a run-time value is not supported")
        return self.expr(node.body if cond else node.orelse)

    def expr_UnaryOp(self, node: ast.UnaryOp) -> Any:
        v = self.expr(node.operand)
        if isinstance(node.op, ast.Not):
            if isinstance(v, Scalar):
                return self.compare_values(node, ast.Eq(), v, 0 if not v.is_float else 0.0)
            return not v
        if isinstance(node.op, ast.USub):
            if isinstance(v, Scalar):
                return self.binop(node, ast.Sub(), 0 if not v.is_float else 0.0, v)
            if isinstance(v, Buffer):
                return self.tiles.unary("neg", v)
            return -v
        if isinstance(node.op, ast.UAdd):
            return v
        raise self.unsupported(node)

    def expr_BinOp(self, node: ast.BinOp) -> Any:
        return self.binop(node, node.op, self.expr(node.left), self.expr(node.right))

    def expr_Compare(self, node: ast.Compare) -> Any:
        if len(node.ops) != 1:
            raise self.error(node, "chained comparisons are not supported in a kernel")
        return self.compare_values(
            node, node.ops[0], self.expr(node.left), self.expr(node.comparators[0])
        )

    def expr_BoolOp(self, node: ast.BoolOp) -> Any:
        values = [self.expr(v) for v in node.values]
        if not any(isinstance(v, Scalar) for v in values):
            result = values[0]
            for v in values[1:]:
                result = (result and v) if isinstance(node.op, ast.And) else (result or v)
            return result
        op = "arith.andi" if isinstance(node.op, ast.And) else "arith.ori"
        acc = self.scalar_of(values[0], "i1")
        for v in values[1:]:
            acc = Scalar(self.text.op(f"{op} {acc.ssa}, {self.scalar_of(v, 'i1').ssa} : i1"), "i1")
        return acc

    def expr_Call(self, node: ast.Call) -> Any:
        f = node.func
        if self.is_method and isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
            if f.value.id == "self" and "self" not in self.env:
                return self.call_program_function(node, f.attr)
        callee = self.expr(f)
        args = [self.expr(a) for a in node.args]
        kwargs = {self._keyword(k): self.expr(k.value) for k in node.keywords}
        if isinstance(callee, pl.Operation):
            handler = getattr(self, "op_" + callee.name, None) or self._family(callee.name)
            if handler is None:
                raise self.error(
                    node,
                    f"pl.{callee.name} is only valid as {_PLACE.get(callee.name, '(unsupported)')}",
                )
            return handler(node, *args, **kwargs)
        if isinstance(callee, pl.JitFunction) and callee.inline:
            return self.inline(node, callee, args, kwargs)
        if callee in pl.STATIC_BUILTINS or callee is builtins.range:
            if callee in (builtins.min, builtins.max) and any(isinstance(a, Scalar) for a in args):
                return (
                    self.op_min(node, *args) if callee is builtins.min else self.op_max(node, *args)
                )
            if any(isinstance(a, (Scalar, Buffer)) for a in args):
                raise self.error(
                    node,
                    f"{f.id if isinstance(f, ast.Name) else 'this call'}() "
                    "of a run-time value is not supported",
                )
            return callee(*args, **kwargs)
        raise self.error(node, f"call to {ast.unparse(f)} is not supported in a kernel")

    # -- conversions and arithmetic -----------------------------------------------------------

    def scalar_of(self, v: Any, type_: str) -> Scalar:
        """`v` as an SSA scalar of `type_` (a static number becomes a constant)."""
        if isinstance(v, Scalar):
            if v.type == type_:
                return v
            if type_ == "index" and not v.is_float:
                return Scalar(self.text.op(f"arith.index_cast {v.ssa} : {v.type} to index"), type_)
            if v.type == "index" and not is_float(type_):
                return Scalar(self.text.op(f"arith.index_cast {v.ssa} : index to {type_}"), type_)
            raise FrontendError(f"a {v.type} value where {type_} is expected")
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise FrontendError(f"expected a number, got {v!r}")
        if isinstance(v, float) and not is_float(type_):
            raise FrontendError(f"a float ({v!r}) where an integer is expected")
        return self.text.constant(v, type_)

    def index_of(self, v: Any) -> Scalar:
        return self.scalar_of(v, "index")

    def binop(self, node: Located, op: ast.operator, a: Any, b: Any) -> Any:
        if isinstance(a, Buffer) or isinstance(b, Buffer):
            name = _TILE_OPERATORS.get(type(op))
            if name is None:
                raise self.error(node, f"operator {type(op).__name__} on a tile is not supported")
            return self.tiles.binary(name, a, b)
        if not isinstance(a, Scalar) and not isinstance(b, Scalar):
            if type(op) not in _STATIC_OPS:
                raise self.unsupported(node)
            return _STATIC_OPS[type(op)](a, b)
        type_ = (a if isinstance(a, Scalar) else b).type
        if isinstance(a, Scalar) and isinstance(b, Scalar) and a.type != b.type:
            if {a.type, b.type} <= {"index", "i32", "i64"}:
                type_ = "index"
            else:
                raise self.error(node, f"operands of different types ({a.type} and {b.type})")
        iop, fop = _ARITH.get(type(op), (None, None))
        opname = fop if is_float(type_) else iop
        if opname is None:
            hint = "; use // for integers" if isinstance(op, ast.Div) else ""
            raise self.error(
                node, f"operator {type(op).__name__} on {type_} is not supported{hint}"
            )
        x, y = self.scalar_of(a, type_), self.scalar_of(b, type_)
        if opname == "mod":
            return self._floor_mod(x, y)
        return Scalar(self.text.op(f"{opname} {x.ssa}, {y.ssa} : {type_}"), type_)

    def _floor_mod(self, x: Scalar, y: Scalar) -> Scalar:
        """Python's a % b (the sign of b): remsi, then + b when the signs differ."""
        t, ty = self.text, x.type
        r = t.op(f"arith.remsi {x.ssa}, {y.ssa} : {ty}")
        zero = t.constant(0, ty).ssa
        nonzero = t.op(f"arith.cmpi ne, {r}, {zero} : {ty}")
        r_neg = t.op(f"arith.cmpi slt, {r}, {zero} : {ty}")
        y_neg = t.op(f"arith.cmpi slt, {y.ssa}, {zero} : {ty}")
        differ = t.op(f"arith.xori {r_neg}, {y_neg} : i1")
        fix = t.op(f"arith.andi {nonzero}, {differ} : i1")
        plus = t.op(f"arith.addi {r}, {y.ssa} : {ty}")
        return Scalar(t.op(f"arith.select {fix}, {plus}, {r} : {ty}"), ty)

    def compare_values(self, node: Located, op: ast.cmpop, a: Any, b: Any) -> Any:
        if type(op) not in _CMP:
            raise self.unsupported(node)
        ipred, fpred, static = _CMP[type(op)]
        if not isinstance(a, Scalar) and not isinstance(b, Scalar):
            return static(a, b)
        type_ = (a if isinstance(a, Scalar) else b).type
        if isinstance(a, Scalar) and isinstance(b, Scalar) and a.type != b.type:
            type_ = "index"
        x, y = self.scalar_of(a, type_), self.scalar_of(b, type_)
        kind, pred = ("cmpf", fpred) if is_float(type_) else ("cmpi", ipred)
        return Scalar(self.text.op(f"arith.{kind} {pred}, {x.ssa}, {y.ssa} : {type_}"), "i1")

    # -- calls --------------------------------------------------------------------------------

    def call_program_function(self, node: ast.Call, name: str) -> Any:
        if node.keywords:
            raise self.error(node, "calls between kernel functions take positional arguments")
        info = self.program.lower_function(name, node, self)
        args = [self.expr(a) for a in node.args]
        if len(args) != len(info.params):
            raise self.error(
                node, f"self.{name} takes {len(info.params)} arguments, got {len(args)}"
            )
        operands: list[Buffer | Scalar] = []
        for (pname, param), arg in zip(info.params, args, strict=True):
            if isinstance(param, Buffer):
                if not isinstance(arg, Buffer) or arg.type != param.type:
                    got = arg.type if isinstance(arg, Buffer) else repr(arg)
                    raise self.error(node, f"self.{name}: {pname} is {param.type}, got {got}")
                operands.append(arg)
            else:
                operands.append(self.scalar_of(arg, param.type))
        t = self.text
        res = ""
        call = (
            f"func.call @{name}({', '.join(o.ssa for o in operands)}) : "
            f"({', '.join(info.param_types)}) -> ({', '.join(info.result_types)})"
        )
        if info.result_types:
            res = t.op(call, results=len(info.result_types))
        else:
            t.effect(call)
        values: list[Any] = []
        for kind, i in info.results:
            if kind == "arg":
                values.append(args[i])
            else:
                ssa = res if len(info.result_types) == 1 else f"{res}#{i}"
                rtype = info.result_types[i]
                if rtype.startswith("memref<"):
                    buf = _buffer_of_type(ssa, rtype)  # the callee's allocation: ours to free
                    self._own(buf)
                    values.append(buf)
                else:
                    values.append(Scalar(ssa, rtype))
        if not values:
            return None
        return values[0] if len(values) == 1 else tuple(values)

    def inline(
        self, node: ast.Call, jit: pl.JitFunction, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        """A `@pl.jit.inline` function: its body, with its parameters bound, at the call."""
        inner, file = function_node(jit.fn)
        params = [a.arg for a in inner.args.args]
        bound = dict(zip(params, args, strict=False))
        bound.update(kwargs)
        missing = [p for p in params if p not in bound]
        if missing or len(args) > len(params):
            raise self.error(node, f"{jit.name}: expected arguments {', '.join(params)}")
        saved = (self.env, self.statics, self.file, self.returned, self.gone, self.depth)
        self.env, self.statics, self.file = bound, static_scope(jit.fn), file
        self.text.file = file
        self.returned, self.gone, self.depth = None, {}, 0
        try:
            self.block(inner.body)
            returned = self.returned
        finally:
            self.env, self.statics, self.file, self.returned, self.gone, self.depth = saved
            self.text.file = self.file
        if not returned:
            return None
        return returned[0] if len(returned) == 1 else tuple(returned)

    # -- pl operations ------------------------------------------------------------------------

    def _tile(self, v: Any, what: str) -> Buffer:
        if not isinstance(v, Buffer):
            raise FrontendError(f"{what} must be a tensor or tile, got {v!r}")
        return v

    def _shape(self, shape: Any, what: str) -> list[int]:
        if not isinstance(shape, (list, tuple)) or not all(
            isinstance(d, int) and not isinstance(d, bool) for d in shape
        ):
            raise FrontendError(f"{what} must be a list of static ints, got {shape!r}")
        return list(shape)

    def _offsets(self, offsets: Any) -> list[int | Scalar]:
        if not isinstance(offsets, (list, tuple)):
            raise FrontendError(f"offsets must be a list, got {offsets!r}")
        return [
            o if isinstance(o, int) and not isinstance(o, bool) else self.index_of(o)
            for o in offsets
        ]

    def _dtype(self, dtype: Any) -> str:
        if not isinstance(dtype, pl.DataType):
            raise FrontendError(f"expected a pl data type (pl.FP32, ...), got {dtype!r}")
        return dtype.mlir

    def op_slice(self, node, tensor, shape, offsets, valid_shape=None, pad_value=0.0) -> Buffer:
        src = self._tile(tensor, "pl.slice's first argument")
        sizes = self._shape(shape, "pl.slice's shape")
        if valid_shape is None:
            return self.tiles.subview(src, sizes, self._offsets(offsets))
        # Only the valid part [offsets, offsets + valid_shape) is read; the tile keeps its
        # static shape, the rest padded (zero unless pad_value= says otherwise).
        valid = self._offsets(valid_shape)
        if len(valid) != len(sizes):
            raise FrontendError(f"pl.slice: {len(valid)} valid sizes for a rank-{len(sizes)} tile")
        window = self.tiles.subview(src, valid, self._offsets(offsets))
        return self.tiles.padded(window, sizes, valid, _pad(pad_value))

    def op_fillpad(self, node, tile, pad_value=pl.PadValue.zero) -> Buffer:
        src = self._tile(tile, "pl.fillpad's tile")
        return self.tiles.padded(
            src, list(src.shape), list(src.valid or src.shape), _pad(pad_value)
        )

    def op_assemble(self, node, target, tile, offsets) -> Buffer:
        dst = self._tile(target, "pl.assemble's target")
        src = self._tile(tile, "pl.assemble's tile")
        if src.dtype != dst.dtype:
            raise FrontendError(f"pl.assemble: a {src.dtype} tile into a {dst.dtype} tensor")
        if len(src.shape) != len(dst.shape):
            raise FrontendError(
                f"pl.assemble: a rank-{len(src.shape)} tile into a rank-{len(dst.shape)} tensor"
            )
        window = self.tiles.subview(dst, list(src.shape), self._offsets(offsets))
        self.tiles.copy(src, window)
        return dst

    def op_create_tensor(self, node, shape, dtype=pl.FP32) -> Buffer:
        dt = self._dtype(dtype)
        return self.tiles.full(self._shape(shape, "pl.create_tensor's shape"), dt, 0)

    def op_full(self, node, shape, dtype=pl.FP32, value=0.0) -> Buffer:
        if isinstance(value, (Scalar, Buffer)):
            raise FrontendError("pl.full's value must be a static number")
        return self.tiles.full(self._shape(shape, "pl.full's shape"), self._dtype(dtype), value)

    def op_reshape(self, node, tile, shape) -> Buffer:
        return self.tiles.reshape(
            self._tile(tile, "pl.reshape's tile"), self._shape(shape, "shape")
        )

    def op_read(self, node, tensor, indices) -> Scalar:
        src = self._tile(tensor, "pl.read's tensor")
        indices = indices if isinstance(indices, (list, tuple)) else [indices]
        idx = [self.index_of(i) for i in indices]
        if len(idx) != len(src.shape):
            raise FrontendError(f"pl.read: {len(idx)} indices for a rank-{len(src.shape)} tensor")
        ssa = self.text.op(f"memref.load {src.ssa}[{', '.join(i.ssa for i in idx)}] : {src.type}")
        return Scalar(ssa, src.dtype)

    def op_write(self, node, tensor, indices, value) -> Buffer:
        dst = self._tile(tensor, "pl.write's tensor")
        idx = [self.index_of(i) for i in indices]
        v = self.scalar_of(value, dst.dtype)
        self.text.effect(
            f"memref.store {v.ssa}, {dst.ssa}[{', '.join(i.ssa for i in idx)}] : {dst.type}"
        )
        return dst

    def op_cast(self, node, tile, target_type=None, dtype=None, **_mode) -> Buffer:
        target = target_type if target_type is not None else dtype
        return self.tiles.cast(self._tile(tile, "pl.cast's tile"), self._dtype(target))

    def _elementwise(self, name: str, node, a, b) -> Any:
        if isinstance(a, Buffer) or isinstance(b, Buffer):
            return self.tiles.binary(name, a, b)
        op = {"add": ast.Add(), "sub": ast.Sub(), "mul": ast.Mult(), "div": ast.Div()}.get(name)
        if op is None:
            return self._min_max(node, name == "minimum", a, b)
        return self.binop(node, op, a, b)

    def _family(self, name: str):
        """The handler of an operation of a family (elementwise, unary, `row_sum`...,
        `row_expand_mul`...): one method per family, the operation's name says which."""
        if name in BINARY:
            return lambda node, a, b: self._elementwise(name, node, a, b)
        if name in UNARY or name == "recip":
            return lambda node, a: self.tiles.unary(name, self._tile(a, f"pl.{name}'s operand"))
        axis, _, rest = name.partition("_")
        if axis in ("row", "col") and rest in REDUCTIONS:
            return lambda node, a: self.tiles.reduce(
                rest, axis, self._tile(a, f"pl.{name}'s operand")
            )
        kind = rest.removeprefix("expand_")
        if axis in ("row", "col") and rest.startswith("expand_") and kind in BINARY:
            what = f"pl.{name}'s operands"
            return lambda node, a, b: self.tiles.binary(
                kind, self._tile(a, what), self._tile(b, what), axis
            )
        return None

    def op_matmul(self, node, a, b, out_dtype=None, **_flags) -> Buffer:
        a, b = self._tile(a, "pl.matmul's lhs"), self._tile(b, "pl.matmul's rhs")
        return self.tiles.matmul(a, b, self._dtype(out_dtype) if out_dtype else a.dtype)

    def op_matmul_acc(self, node, acc, a, b, **_flags) -> Buffer:
        acc = self._tile(acc, "pl.matmul_acc's accumulator")
        a, b = self._tile(a, "pl.matmul_acc's lhs"), self._tile(b, "pl.matmul_acc's rhs")
        return self.tiles.matmul(a, b, acc.dtype, acc)

    def _min_max(self, node, is_min: bool, a, b) -> Any:
        if not isinstance(a, Scalar) and not isinstance(b, Scalar):
            return builtins.min(a, b) if is_min else builtins.max(a, b)
        type_ = (a if isinstance(a, Scalar) else b).type
        if isinstance(a, Scalar) and isinstance(b, Scalar) and a.type != b.type:
            type_ = "index"
        x, y = self.scalar_of(a, type_), self.scalar_of(b, type_)
        if is_float(type_):
            op = "arith.minimumf" if is_min else "arith.maximumf"
        else:
            op = "arith.minsi" if is_min else "arith.maxsi"
        return Scalar(self.text.op(f"{op} {x.ssa}, {y.ssa} : {type_}"), type_)

    def op_min(self, node, a, b):
        return self._min_max(node, True, a, b)

    def op_max(self, node, a, b):
        return self._min_max(node, False, a, b)


_PLACE = {
    "range": "a for loop's iterable",
    "parallel": "a for loop's iterable",
    "at": "`with pl.at(...):`",
    "yield_": "the last statement of a loop with init_values (not supported yet)",
}


# Dispatch by node class (the hot path of the reader).
_EXPR = {
    getattr(ast, name[len("expr_") :]): method
    for name, method in vars(FunctionLowering).items()
    if name.startswith("expr_") and hasattr(ast, name[len("expr_") :])
}


def _pad(value: Any) -> float:
    """pad_value=: a PadValue, 0, math.inf or -math.inf (the hardware's three modes)."""
    if isinstance(value, pl.PadValue):
        return value.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value in (0, float("inf"), float("-inf")):
            return float(value)
    raise FrontendError(
        f"pad_value must be pl.PadValue.zero/max/min, 0, math.inf or -math.inf, got {value!r}"
    )


def _buffer_of_type(ssa: str, type_: str) -> Buffer:
    """A dense memref result of a call, from its type text `memref<AxBxf32>`."""
    inner = type_[len("memref<") : -1]
    *dims, dtype = inner.split("x")
    shape = tuple(None if d == "?" else int(d) for d in dims)
    return Buffer.dense(ssa, shape, dtype, owned=True)
