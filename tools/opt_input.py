"""pypto-opt's input: splitting it as mlir-opt does, parsing text or bytecode, and giving the
parsed IR the locations mlir-opt would (the input's name, not the bindings' "-")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: a missing MLIR install is then a one-line error
    from mlir import ir

DEFAULT_SPLIT_MARKER = "// -----"


@dataclass(frozen=True)
class Chunk:
    """One part of the input, with the position of its first character in the whole input
    (0-based line and column), so that locations keep the file's line and column numbers."""

    line: int
    col: int
    source: str | bytes

    def padded(self) -> str | bytes:
        if isinstance(self.source, bytes):
            return self.source
        return "\n" * self.line + " " * self.col + self.source


def split_chunks(source: str | bytes, marker: str | None) -> list[Chunk]:
    """As mlir-opt's --split-input-file: the input cut at every occurrence of `marker` (None:
    not split). Bytecode is never split."""
    if marker is None or isinstance(source, bytes):
        return [Chunk(0, 0, source)]
    out: list[Chunk] = []
    start = 0
    for part in source.split(marker):
        line = source.count("\n", 0, start)
        col = start - (source.rfind("\n", 0, start) + 1)
        out.append(Chunk(line, col, part))
        start += len(part) + len(marker)
    return out


def parse_chunk(
    ctx: ir.Context, name: str, chunk: Chunk, implicit_module: bool = True
) -> ir.Operation:
    """The top-level op of a chunk (raises ir.MLIRError). With `implicit_module` (mlir-opt's
    default) the ops are wrapped in a builtin.module unless the input is a single module;
    without, the input must hold exactly one op, which is returned as it is."""
    from mlir import ir

    source = chunk.padded()
    if implicit_module or isinstance(source, bytes):
        op = ir.Module.parse(source, ctx).operation
        loc = op.location
        if (chunk.line or chunk.col) and loc.is_a_file() and loc.start_line == 0:
            # An implicit module: mlir-opt places it where its part of the input starts.
            op.location = ir.Location.file("-", chunk.line + 1, chunk.col + 1, context=ctx)
        return op
    # A detached op that owns itself; its locations carry `name` already.
    return ir.Operation.parse(source, source_name=name, context=ctx).operation


def name_locations(root: ir.Operation, name: str) -> None:
    """Renames the parser's buffer "-" to `name` in the locations of `root`'s ops and block
    arguments: what `--mlir-print-debuginfo` and bytecode show, and what the next stage of a
    pipe reports its errors at. Other locations (written in the input) stay as they are."""
    from mlir import ir

    ctx = root.context

    def renamed(loc: ir.Location) -> ir.Location | None:
        if loc.is_a_file() and loc.filename == "-":
            return ir.Location.file(name, loc.start_line, loc.start_col, context=ctx)
        return None

    def visit(op: ir.Operation) -> ir.WalkResult:
        op = op.operation
        new = renamed(op.location)
        if new is not None:
            op.location = new
        for region in op.regions:
            for block in region.blocks:
                for arg in block.arguments:
                    new = renamed(arg.location)
                    if new is not None:
                        arg.set_location(new)
        return ir.WalkResult.ADVANCE

    root.walk(visit, ir.WalkOrder.PRE_ORDER)
