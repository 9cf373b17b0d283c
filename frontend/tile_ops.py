"""PyPTO's tile operations as memref, linalg and math IR.

A tile is a buffer (`Buffer`): `pl.slice` is a `memref.subview` of a tensor (no copy, so the
emulator checks the window where the slice is written); every operation that makes a new tile
allocates one (`memref.alloc`, freed at the end of its block) and fills it with a
`linalg.generic` (elementwise ops, expansions, reductions in index order), `linalg.fill` or
`linalg.matmul`; `pl.assemble` is a `linalg.copy` into a subview of the target tensor.
Errors raised here carry no location: the caller adds the Python position of the call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from .errors import FrontendError
from .mlir_text import Buffer, Scalar, Text

# name -> (float op, integer op); a "math." op has no integer form.
BINARY = {
    "add": ("arith.addf", "arith.addi"),
    "sub": ("arith.subf", "arith.subi"),
    "mul": ("arith.mulf", "arith.muli"),
    "div": ("arith.divf", "arith.divsi"),
    "maximum": ("arith.maximumf", "arith.maxsi"),
    "minimum": ("arith.minimumf", "arith.minsi"),
}
UNARY = {"exp": "math.exp", "sqrt": "math.sqrt", "rsqrt": "math.rsqrt", "log": "math.log"}
UNARY.update({"neg": "arith.negf", "abs": "math.absf"})
# Reductions: the combining op (float, integer) and the initial value.
REDUCTIONS = {
    "sum": (("arith.addf", "arith.addi"), 0.0),
    "max": (("arith.maximumf", "arith.maxsi"), float("-inf")),
    "min": (("arith.minimumf", "arith.minsi"), float("inf")),
}

Operand = Buffer | Scalar


def is_float(dtype: str) -> bool:
    return dtype.startswith(("f", "bf"))


def shape_text(shape: Sequence[int | Scalar | None]) -> str:
    return "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"


def _dims(rank: int) -> str:
    return ", ".join(f"d{i}" for i in range(rank))


class TileOps:
    """Emits tile operations into `text`; `own(buffer)` is told of every buffer allocated."""

    def __init__(self, text: Text, own: Callable[[Buffer], None]):
        self.t = text
        self.own = own

    # -- buffers ------------------------------------------------------------------------------

    def alloc(self, shape: Sequence[int | None], dtype: str) -> Buffer:
        if any(d is None for d in shape):
            raise FrontendError(f"a tile needs a static shape, got {shape_text(shape)}")
        buf = Buffer.dense("", tuple(shape), dtype, owned=True)
        buf = Buffer.dense(self.t.op(f"memref.alloc() : {buf.type}"), buf.shape, dtype, True)
        self.own(buf)
        return buf

    def fill(self, buf: Buffer, value: Scalar) -> None:
        self.t.effect(f"linalg.fill ins({value.ssa} : {value.type}) outs({buf.ssa} : {buf.type})")

    def full(self, shape: Sequence[int | None], dtype: str, value: float) -> Buffer:
        buf = self.alloc(shape, dtype)
        self.fill(buf, self.t.constant(value, dtype))
        return buf

    def copy(self, src: Buffer, dst: Buffer) -> None:
        if src.shape != dst.shape:
            raise FrontendError(
                f"cannot copy a {shape_text(src.shape)} tile into {shape_text(dst.shape)}"
            )
        # linalg.copy, not memref.copy: a copy into a strided window would call the MLIR
        # runtime's memrefCopy, which the CPU target does not link.
        self.t.effect(f"linalg.copy ins({src.ssa} : {src.type}) outs({dst.ssa} : {dst.type})")

    def materialize(self, src: Buffer) -> Buffer:
        """A dense copy of a view."""
        buf = self.alloc(src.shape, src.dtype)
        self.copy(src, buf)
        return buf

    def subview(
        self,
        src: Buffer,
        sizes: Sequence[int | Scalar | None],  # None (a dynamic size) is an error
        offsets: Sequence[int | Scalar],
    ) -> Buffer:
        """The window [offsets, offsets + sizes) of `src`; offsets and sizes are ints or index
        Scalars (a Scalar size makes that dimension dynamic)."""
        if len(sizes) != len(src.shape) or len(offsets) != len(src.shape):
            raise FrontendError(
                f"a window of a rank-{len(src.shape)} tensor needs {len(src.shape)} sizes and "
                f"offsets, got {len(sizes)} and {len(offsets)}"
            )
        for s, d in zip(sizes, src.shape, strict=True):
            if isinstance(s, Scalar):
                continue
            if isinstance(s, bool) or not isinstance(s, int) or s < 0:
                raise FrontendError(f"a tile size must be a static non-negative int, got {s!r}")
            if d is not None and s > d:
                raise FrontendError(
                    f"a {shape_text(sizes)} window does not fit a {shape_text(src.shape)} tensor"
                )
        offset: int | None = src.offset
        for o, stride in zip(offsets, src.strides, strict=True):
            if offset is None or stride is None or not isinstance(o, int):
                offset = None
            else:
                offset += o * stride
        shape = tuple(None if isinstance(s, Scalar) else s for s in sizes)
        result = Buffer("", shape, src.dtype, src.strides, offset)
        offs = ", ".join(o.ssa if isinstance(o, Scalar) else str(o) for o in offsets)
        size_text = ", ".join(s.ssa if isinstance(s, Scalar) else str(s) for s in sizes)
        ones = ", ".join("1" for _ in sizes)
        ssa = self.t.op(
            f"memref.subview {src.ssa}[{offs}] [{size_text}] [{ones}] : {src.type} to {result.type}"
        )
        return Buffer(ssa, result.shape, result.dtype, result.strides, result.offset)

    def padded(
        self,
        src: Buffer,
        sizes: Sequence[int | None],
        valid: Sequence[int | Scalar | None],
        pad: float,
    ) -> Buffer:
        """A tile of `sizes` holding `src`'s valid part [0, valid) (`src` is a window of at
        least that much), the rest `pad`."""
        tile = self.full(sizes, src.dtype, pad)
        zeros = [0] * len(sizes)
        part = self.subview(tile, valid, zeros)
        self.copy(self.subview(src, valid, zeros) if src.shape != part.shape else src, part)
        checked = cast("Sequence[int | Scalar]", valid)  # subview rejected a None size
        return Buffer(tile.ssa, tile.shape, tile.dtype, tile.strides, 0, True, tuple(checked))

    def reshape(self, src: Buffer, shape: Sequence[int]) -> Buffer:
        n_src, n_new = 1, 1
        for d in src.shape:
            n_src = n_src * d if d is not None else -1
        for d in shape:
            n_new *= d
        if n_src != n_new:
            raise FrontendError(
                f"cannot reshape a {shape_text(src.shape)} tile to {shape_text(shape)}: "
                "the element counts differ"
            )
        if not src.is_dense:
            src = self.materialize(src)
        flat = src
        if len(src.shape) != 1:
            flat = Buffer.dense("", (n_src,), src.dtype)
            groups = "[[" + ", ".join(str(i) for i in range(len(src.shape))) + "]]"
            flat = Buffer.dense(
                self.t.op(
                    f"memref.collapse_shape {src.ssa} {groups} : {src.type} into {flat.type}"
                ),
                (n_src,),
                src.dtype,
            )
        if len(shape) == 1:
            return flat
        out = Buffer.dense("", tuple(shape), src.dtype)
        groups = "[[" + ", ".join(str(i) for i in range(len(shape))) + "]]"
        ssa = self.t.op(
            f"memref.expand_shape {flat.ssa} {groups} output_shape {shape_text(shape)} "
            f": {flat.type} into {out.type}"
        )
        return Buffer.dense(ssa, tuple(shape), src.dtype)

    # -- linalg.generic -----------------------------------------------------------------------

    def generic(
        self,
        out: Buffer,
        ins: Sequence[tuple[Buffer, str]],
        body: Callable[[list[str], str], str],
        iterators: Sequence[str] | None = None,
        out_map: str | None = None,
    ) -> None:
        """`out[...] = body(elements of ins, element of out)`; each input with its map's
        results (`(d0, d1) -> (` + results + `)`)."""
        rank = len(iterators) if iterators is not None else len(out.shape)
        iterators = iterators or ["parallel"] * rank
        dims = _dims(rank)
        maps = [f"affine_map<({dims}) -> ({m})>" for _, m in ins]
        maps.append(f"affine_map<({dims}) -> ({out_map or dims})>")
        its = ", ".join(f'"{i}"' for i in iterators)
        ins_text = ""
        if ins:
            ins_text = (
                f"ins({', '.join(b.ssa for b, _ in ins)} : {', '.join(b.type for b, _ in ins)}) "
            )
        t = self.t
        t.line(
            f"linalg.generic {{indexing_maps = [{', '.join(maps)}], iterator_types = [{its}]}} "
            f"{ins_text}outs({out.ssa} : {out.type}) {{"
        )
        t.depth += 1
        args = [t.fresh() for _ in ins]
        acc = t.fresh()
        params = ", ".join(f"{a}: {b.dtype}" for a, (b, _) in zip(args, ins, strict=True))
        params = f"{params}, {acc}: {out.dtype}" if params else f"{acc}: {out.dtype}"
        t.line(f"^bb0({params}):")
        result = body(args, acc)
        t.effect(f"linalg.yield {result} : {out.dtype}")
        t.depth -= 1
        t.line(f"}} {t.loc}")

    def _operand(self, x, dtype: str) -> Operand:
        """A tile, a scalar, or a static number made a constant of the tile's type."""
        if isinstance(x, (Buffer, Scalar)):
            return x
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise FrontendError(f"expected a tile or a number, got {x!r}")
        if isinstance(x, float) and not is_float(dtype):
            raise FrontendError(f"a float ({x!r}) with a {dtype} tile")
        return self.t.constant(x, dtype)

    def _scalar_in_body(self, value: Scalar, dtype: str) -> str:
        if value.type != dtype:
            raise FrontendError(f"a {value.type} scalar used with a {dtype} tile")
        return value.ssa

    # -- elementwise --------------------------------------------------------------------------

    def binary(self, name: str, a: Operand, b: Operand, broadcast: str = "") -> Buffer:
        """An elementwise op on tiles (same shape) or a tile and a scalar. `broadcast` "row":
        `b` is [R, 1] and repeats along each row; "col": `b` is [1, C]."""
        tile = a if isinstance(a, Buffer) else b
        if not isinstance(tile, Buffer):
            raise FrontendError(f"pl.{name} needs a tile operand")
        dtype = tile.dtype
        a, b = (self._operand(x, dtype) for x in (a, b))
        fop, iop = BINARY[name]
        opname = fop if is_float(dtype) else iop
        ins: list[tuple[Buffer, str]] = []
        rank = len(tile.shape)
        ident = _dims(rank)
        for x in (a, b):
            if isinstance(x, Buffer):
                if x.dtype != dtype:
                    raise FrontendError(
                        f"pl.{name}: operands of different types ({dtype} and {x.dtype})"
                    )
                ins.append((x, ident))
        if broadcast:
            if not isinstance(b, Buffer) or rank != 2:
                raise FrontendError(f"pl.{name} takes a 2-D tile and a 2-D vector tile")
            want = (tile.shape[0], 1) if broadcast == "row" else (1, tile.shape[1])
            if b.shape != want:
                raise FrontendError(
                    f"pl.{name}: the second operand must be {shape_text(want)} for a "
                    f"{shape_text(tile.shape)} tile, got {shape_text(b.shape)}"
                )
            ins[1] = (b, "d0, 0" if broadcast == "row" else "0, d1")
        elif isinstance(a, Buffer) and isinstance(b, Buffer) and a.shape != b.shape:
            raise FrontendError(
                f"pl.{name}: shapes {shape_text(a.shape)} and {shape_text(b.shape)} differ"
            )
        scalars = {id(x): self._scalar_in_body(x, dtype) for x in (a, b) if isinstance(x, Scalar)}
        out = self.alloc(tile.shape, dtype)

        def body(args: list[str], _acc: str) -> str:
            it = iter(args)
            xs = [next(it) if isinstance(x, Buffer) else scalars[id(x)] for x in (a, b)]
            return self.t.op(f"{opname} {xs[0]}, {xs[1]} : {dtype}")

        self.generic(out, ins, body)
        return out

    def unary(self, name: str, a: Buffer) -> Buffer:
        if not is_float(a.dtype):
            raise FrontendError(f"pl.{name} takes a floating-point tile, got {a.dtype}")
        out = self.alloc(a.shape, a.dtype)
        dtype = a.dtype

        def body(args: list[str], _acc: str) -> str:
            if name == "recip":
                one = self.t.constant(1.0, dtype).ssa
                return self.t.op(f"arith.divf {one}, {args[0]} : {dtype}")
            return self.t.op(f"{UNARY[name]} {args[0]} : {dtype}")

        self.generic(out, [(a, _dims(len(a.shape)))], body)
        return out

    def cast(self, a: Buffer, dtype: str) -> Buffer:
        if a.dtype == dtype:
            return self.materialize(a)
        out = self.alloc(a.shape, dtype)
        src = a.dtype

        def body(args: list[str], _acc: str) -> str:
            return self.t.op(f"{_cast_op(src, dtype)} {args[0]} : {src} to {dtype}")

        self.generic(out, [(a, _dims(len(a.shape)))], body)
        return out

    # -- reductions and products --------------------------------------------------------------

    def reduce(self, kind: str, axis: str, a: Buffer) -> Buffer:
        """`row_<kind>`: [R, C] -> [R, 1], each row combined in column order; `col_<kind>`:
        [R, C] -> [1, C]."""
        if len(a.shape) != 2:
            raise FrontendError(f"pl.{axis}_{kind} takes a 2-D tile, got {shape_text(a.shape)}")
        (fop, iop), init = REDUCTIONS[kind]
        op = fop if is_float(a.dtype) else iop
        shape = (a.shape[0], 1) if axis == "row" else (1, a.shape[1])
        out = self.full(shape, a.dtype, init)
        iterators = ["parallel", "reduction"] if axis == "row" else ["reduction", "parallel"]
        dtype = a.dtype

        def body(args: list[str], acc: str) -> str:
            return self.t.op(f"{op} {acc}, {args[0]} : {dtype}")

        out_map = "d0, 0" if axis == "row" else "0, d1"
        self.generic(out, [(a, "d0, d1")], body, iterators, out_map)
        return out

    def matmul(self, a: Buffer, b: Buffer, out_dtype: str, acc: Buffer | None = None) -> Buffer:
        if len(a.shape) != 2 or len(b.shape) != 2 or a.shape[1] != b.shape[0]:
            raise FrontendError(
                f"matmul of {shape_text(a.shape)} and {shape_text(b.shape)}: the inner "
                "dimensions differ"
            )
        shape = (a.shape[0], b.shape[1])
        if acc is not None:
            if acc.shape != shape:
                raise FrontendError(
                    f"pl.matmul_acc: the accumulator is {shape_text(acc.shape)}, the product "
                    f"{shape_text(shape)}"
                )
            out = self.alloc(shape, acc.dtype)
            self.copy(acc, out)
        else:
            out = self.full(shape, out_dtype, 0.0 if is_float(out_dtype) else 0)
        self.t.effect(
            f"linalg.matmul ins({a.ssa}, {b.ssa} : {a.type}, {b.type}) outs({out.ssa} : {out.type})"
        )
        return out


def _cast_op(src: str, dst: str) -> str:
    if is_float(src) and is_float(dst):
        width = {"f16": 16, "bf16": 16, "f32": 32, "f64": 64}
        return "arith.extf" if width[dst] > width[src] else "arith.truncf"
    if is_float(src):
        return "arith.fptosi"
    if is_float(dst):
        return "arith.sitofp"
    return "arith.extsi" if int(dst[1:]) > int(src[1:]) else "arith.trunci"
