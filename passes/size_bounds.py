"""The documented bound on each pass's output size (docs/policies.md, "Code growth").

Sizes are op counts (every op of the module, nested ones included). For an input of N ops, F of
them `scf.for` loops and C of those chunked, each pass of ours emits at most `bound(...)` ops:
linear in N, except pl-split-chunked-loops, whose factor 2**max_copy_depth is an explicit limit
(nested policies that copy the loop body double the output per level, and only that many levels
may). The tests and the fuzzer check these bounds on every program they run.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlir import ir

from ..dialect import attrs
from ..dialect.ir_queries import walk_ops
from .split_chunked_loops import DEFAULT_MAX_COPY_DEPTH

# Ops a pass adds per loop, at most: a chunked loop's nest (two loops, the trip count, the guard,
# a remainder loop or a shift's branch), a loop counted up (its trip count and induction value),
# an interchanged or outlined loop (a guard combined, a function with its call and return).
PER_CHUNKED_LOOP = 32
PER_LOOP = 16


@dataclass(frozen=True)
class Size:
    """What the bounds are a function of."""

    ops: int  # N
    loops: int  # F
    chunked_loops: int  # C
    stores: int  # memref.store ops: each is a copy of one of the input's (see `copies_bound`)

    @classmethod
    def of(cls, root: ir.Operation | ir.OpView) -> Size:
        ops = walk_ops(root, lambda op: True)
        loops = [op for op in ops if op.name == "scf.for"]
        chunked = [op for op in loops if attrs.CHUNK.name in op.attributes]
        stores = sum(op.name == "memref.store" for op in ops)
        return cls(len(ops), len(loops), len(chunked), stores)


def copies_bound(size: Size, max_copy_depth: int = DEFAULT_MAX_COPY_DEPTH) -> int:
    """The most memref.store ops pl-split-chunked-loops may emit: a loop body exists at most
    2**max_copy_depth times. (The op bound alone is loose enough to hide a few extra levels.)"""
    return 2**max_copy_depth * size.stores


def bound(pass_name: str, size: Size, max_copy_depth: int | None = None) -> int:
    """The most ops `pass_name` may emit for an input of `size` (a KeyError for a pass that is
    not ours). `max_copy_depth` is pl-split-chunked-loops's option (its default when None)."""
    n, f, c = size.ops, size.loops, size.chunked_loops
    if pass_name == "pl-split-chunked-loops":
        if max_copy_depth is None:
            max_copy_depth = DEFAULT_MAX_COPY_DEPTH
        return 2**max_copy_depth * (n + PER_CHUNKED_LOOP * c)
    return {
        "pl-verify": n,
        "pl-check-chunk-bounds": n + 2 * f,  # with fix=true: a minsi (and a constant) per loop
        "pl-unswitch-guards": 2 * n,  # the innermost guarded chunks only are copied
        "pl-normalize-int-loops": n + PER_LOOP * f,
        "pl-interchange-chunk-loops": n + PER_LOOP * f,
        "pl-outline-kernels": 2 * n + PER_LOOP * f,  # kernels take clones of the constants they use
    }[pass_name]
