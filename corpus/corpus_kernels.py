"""The corpus table: every kernel of corpus/ with its shapes, inputs, numpy reference, tolerance
and the kernel/task/masked-iteration counts the emulator must report, by formula.

Each corpus file is a template (string.Template: `${NAME}` stands for a shape parameter) holding
two functions, `@<name>_auto` (form (a), `pl.chunk`) and `@<name>_explicit` (form (b), the
explicit chunk loops of pypto-lib PR #372). `Shape` gives the parameters of one instantiation
and the data it runs on. Rendering keeps every line where it is, so diagnostics and emulator
faults point at lines of the template file.

In form (b), a line tagged `// unclamped` is an inner chunk loop whose bound is not clamped
(pl-check-chunk-bounds must warn there) and a line tagged `// chunks` is the chunk loop around it
(the lint's note). The tags are the expectation, written where a reader sees it.

    import corpus_kernels
    k = corpus_kernels.KERNELS["hello_world"]
    shape = k.shapes["tail"]
    text = k.render(shape)
    args = k.make_args(np.random.default_rng(0), shape)
    expected = k.reference(args, shape)
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import ml_dtypes
import numpy as np

HERE = Path(__file__).resolve().parent
F32 = np.float32
BF16 = ml_dtypes.bfloat16
U = 2.0**-24  # unit roundoff of float32
SOURCE_REPO = "hw-native-sys/pypto-lib"
EXPLICIT_COMMIT = "43ffc489"  # PR #372 head: the explicit form
AUTO_COMMIT = "cddcc84e"  # its parent: the chunk= form

# The policies of check 1, as (name, pipeline, pl.chunk_policy set on every chunked loop).
POLICIES: dict[str, tuple[str, str | None]] = {
    "guarded": ("builtin.module(pl-default{policy=guarded unswitch=false})", None),
    "guarded+unswitch": ("builtin.module(pl-default{policy=guarded})", None),
    "leading_full": ("builtin.module(pl-default{policy=leading_full})", None),
    "clamped": ("builtin.module(pl-default{policy=clamped})", None),
    "shift_inwards": ("builtin.module(pl-default)", "shift_inwards"),
    "auto": ("builtin.module(pl-default{policy=auto})", None),
}


# A kernel's arguments, in order: numpy arrays and numpy scalars.
Args: TypeAlias = "list[Any]"
# Its outputs (the arguments it writes, or their reference values), in order.
Outputs: TypeAlias = "list[np.ndarray]"
# The allowed |got - expected| of each output: one number, or one per element.
Bounds: TypeAlias = "list[float | np.ndarray]"


@dataclass(frozen=True)
class Shape:
    """One instantiation: template parameters, and what the data looks like."""

    name: str  # "divisible", "tail" or "overrun"
    params: dict[str, int]
    data: dict[str, tuple[int, ...]] = field(default_factory=dict)  # run-time values (seq_lens)
    summary: str = ""


@dataclass(frozen=True)
class Counts:
    kernels: int  # kernels that ran at least one task
    tasks: int
    masked: int  # iterations masked by a guard


@dataclass(frozen=True)
class ChunkLoop:
    """One chunked loop of form (a): `trips` iterations in chunks of `chunk`, the whole loop run
    `repeats` times by the host code around it; `static` when its trip count is a constant."""

    trips: int
    chunk: int
    repeats: int = 1
    static: bool = True

    def _policy(self, policy: str) -> str:
        if policy == "auto":  # docs/policies.md, the auto table, for a pl.parallel loop
            return "leading_full" if self.static else "guarded"
        return policy

    def parts(self, policy: str) -> set[str]:
        """The kernels of this loop that run at least one task: the chunk nest ("main"), the
        leading_full remainder ("rem"; emitted whenever the trip count is not known to divide,
        and one task per execution even when it has nothing to do), or, under shift_inwards
        when there is no full chunk to shift, the one guarded chunk that runs instead."""
        t, c, policy = self.trips, self.chunk, self._policy(policy)
        full, rem = divmod(t, c)
        if policy == "leading_full":
            return {
                p for p, ran in (("main", full > 0), ("rem", rem > 0 or not self.static)) if ran
            }
        if policy == "shift_inwards" and t < c:
            return {"fallback"} if t > 0 else set()
        return {"main"} if t > 0 else set()

    def counts(self, policy: str) -> Counts:
        t, c, r = self.trips, self.chunk, self.repeats
        policy = self._policy(policy)
        full, rem = divmod(t, c)
        chunks = math.ceil(t / c)
        kernels = len(self.parts(policy))
        if policy == "leading_full":
            return Counts(kernels, r * (full + int(rem > 0 or not self.static)), 0)
        if policy == "shift_inwards" and t < c:
            return Counts(kernels, r * int(t > 0), r * (c - t) * (t > 0))
        masked = r * (chunks * c - t) if policy.startswith("guarded") else 0
        return Counts(kernels, r * chunks, masked)


def total(parts: list[Counts]) -> Counts:
    return Counts(
        sum(p.kernels for p in parts), sum(p.tasks for p in parts), sum(p.masked for p in parts)
    )


@dataclass(frozen=True)
class CorpusKernel:
    name: str
    file: str  # in corpus/
    source: str  # path in pypto-lib
    chunking: str  # what is chunked, how
    scaled: str  # how the shapes differ from the source's
    shapes: dict[str, Shape]
    make_args: Callable[[np.random.Generator, Shape], Args]
    outputs: tuple[int, ...]  # positions of the arguments the kernel writes
    reference: Callable[[Args, Shape], Outputs]  # expected outputs, computed before the call
    bound: Callable[[Outputs], Bounds]  # expected outputs -> allowed |got - expected| each
    tolerance: str
    counts: Callable[[Shape, str], Counts]  # form (a) on the emulator, by formula
    shift_legal: bool = False  # pl-split-chunked-loops accepts shift_inwards on its loops
    dynamic_bound: bool = False  # an explicit chunk loop's bound is known only at run time
    large: Shape | None = None  # the source's own sizes (or closer to them): the slow lane

    @property
    def path(self) -> Path:
        return HERE / self.file

    @property
    def auto(self) -> str:
        return f"{self.name}_auto"

    @property
    def explicit(self) -> str:
        return f"{self.name}_explicit"

    def render(self, shape: Shape) -> str:
        text = self.path.read_text(encoding="utf-8")
        return string.Template(text).substitute({k: str(v) for k, v in shape.params.items()})

    def fresh(self, args: Args) -> Args:
        return [a.copy() if i in self.outputs else a for i, a in enumerate(args)]

    def tagged_lines(self, tag: str) -> list[int]:
        """1-based lines of the file that end with the comment `// <tag>`."""
        lines = self.path.read_text(encoding="utf-8").split("\n")
        return [i + 1 for i, line in enumerate(lines) if line.rstrip().endswith(f"// {tag}")]


def _normal(rng: np.random.Generator, *shape: int) -> np.ndarray:
    return rng.standard_normal(shape).astype(F32)


def _exact(expected: Outputs) -> Bounds:
    return [0.0 for _ in expected]


def _in_order_sum(a: np.ndarray) -> np.ndarray:
    """Sum over the last axis, one element after the other in float32 (an ordered reduction)."""
    s = a[..., 0].copy()
    for c in range(1, a.shape[-1]):
        s = s + a[..., c]
    return s


def _matmul_in_order(a: np.ndarray, b: np.ndarray, acc: np.ndarray | None = None) -> np.ndarray:
    """acc + a @ b in float32, each element's products added in k order."""
    c = np.zeros((a.shape[0], b.shape[1]), F32) if acc is None else acc.copy()
    for k in range(a.shape[1]):
        c = c + np.outer(a[:, k], b[k, :])
    return c


# hello_world ------------------------------------------------------------------------------------


def _hello_args(rng, shape):
    rows, cols = shape.params["ROWS"], shape.params["COLS"]
    return [_normal(rng, rows, cols), F32(1.5), np.zeros((rows, cols), F32)]


# matmul, gemm -----------------------------------------------------------------------------------


def _mm_args(rng, shape):
    m, n, k = shape.params["M"], shape.params["N"], shape.params["K"]
    return [_normal(rng, m, k), _normal(rng, k, n), np.zeros((m, n), F32)]


def _tiles_counts(shape: Shape, policy: str) -> Counts:
    """Two nested chunked tile loops (chunk 2 each, tiles of 16): the outer loop's chunks are
    the tasks; the inner loop runs inside them. Guards mask the outer loop's missing tiles
    (each one iteration) and, in every present row of tiles, the inner loop's missing tiles."""
    tm, tn = shape.params["M"] // 16, shape.params["N"] // 16
    outer = ChunkLoop(tm, 2).counts(policy)
    if not policy.startswith("guarded"):
        return outer
    return Counts(
        outer.kernels, outer.tasks, outer.masked + tm * ChunkLoop(tn, 2).counts(policy).masked
    )


def _mm_shapes(extra: dict[str, int]) -> dict[str, Shape]:
    """The matmul shapes, with the template parameters `extra` added to each."""
    return {
        "divisible": Shape(
            "divisible", {"M": 64, "N": 64, "K": 48, **extra}, summary="64 x 64 x 48: 4 x 4 tiles"
        ),
        "tail": Shape(
            "tail", {"M": 48, "N": 80, "K": 48, **extra}, summary="48 x 80 x 48: 3 x 5 tiles"
        ),
    }


# gemm_eltwise -----------------------------------------------------------------------------------


def _ge_args(rng, shape):
    b, h = shape.params["B"], shape.params["H"]
    return [_normal(rng, b, h), _normal(rng, b, h), _normal(rng, h, h), np.zeros((b, h), F32)]


def _ge_reference(args, shape):
    attn, hs, wo, _ = args
    return [_matmul_in_order(attn, wo) + hs]


def _ge_shape(name: str, hidden: int) -> Shape:
    return Shape(
        name,
        {"B": 4, "H": hidden, "NB": hidden // 16, "KB": hidden // 32},
        summary=f"batch 4, hidden {hidden}: {hidden // 16} n-blocks",
    )


# softmax, rms_norm, layer_norm: row tiles, step = tile height, chunk 1 ---------------------------


def _row_tile_counts(tile: int) -> Callable[[Shape, str], Counts]:
    def counts(shape: Shape, policy: str) -> Counts:
        return ChunkLoop(math.ceil(shape.params["ROWS"] / tile), 1).counts(policy)

    return counts


def _softmax_args(rng, shape):
    rows, cols = shape.params["ROWS"], shape.params["COLS"]
    return [_normal(rng, rows, cols), np.zeros((rows, cols), F32)]


def _softmax_reference(args, shape):
    x = args[0].astype(np.float64)
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return [e / e.sum(axis=1, keepdims=True)]


def _softmax_bound(expected):
    # exp (<= 2 ulp) of x - max (rounded: <= u |x - max|, |x - max| < 16 for these inputs), an
    # ordered float32 sum of `cols` terms (<= (cols - 1) u relative), one division (u).
    cols = expected[0].shape[1]
    return [(cols + 20) * U * np.abs(expected[0])]


def _rms_args(rng, shape):
    rows = shape.params["ROWS"]
    return [
        _normal(rng, rows, 128),
        rng.uniform(0.5, 1.5, (1, 128)).astype(F32),
        np.zeros((rows, 128), F32),
    ]


def _rms_reference(args, shape):
    x, gamma, _ = args
    sq = np.zeros(x.shape[0], F32)
    for hb in range(2):
        chunk = x[:, hb * 64 : (hb + 1) * 64]
        sq = sq + _in_order_sum(chunk * chunk)
    inv = F32(1) / np.sqrt(sq * F32(1 / 128) + F32(1e-6))
    return [(x * inv[:, None]) * gamma]


def _ln_args(rng, shape):
    rows = shape.params["ROWS"]
    return [
        _normal(rng, rows, 64),
        rng.uniform(0.5, 1.5, (1, 64)).astype(F32),
        _normal(rng, 1, 64),
        np.zeros((rows, 64), F32),
    ]


def _ln_reference(args, shape):
    x, gamma, beta, _ = args
    hinv, eps = F32(1 / 64), F32(1e-5)
    mean = _in_order_sum(x * hinv)
    cen = x - mean[:, None]
    var = _in_order_sum((cen * cen + eps) * hinv)
    normed = cen / np.sqrt(var)[:, None]
    ones = (x - x) + F32(1)
    return [normed * gamma + ones * beta]


# rope -------------------------------------------------------------------------------------------


def _rope_args(rng, shape):
    rows = shape.params["ROWS"]
    ang = rng.uniform(0, 2 * np.pi, (1, 32))
    return [
        _normal(rng, rows, 32),
        np.cos(ang).astype(F32),
        np.sin(ang).astype(F32),
        np.zeros((rows, 32), F32),
    ]


def _rope_reference(args, shape):
    x, cos, sin, _ = args
    lo, hi = x[:, :16], x[:, 16:]
    return [
        np.concatenate(
            [lo * cos[:, :16] - hi * sin[:, :16], hi * cos[:, 16:] + lo * sin[:, 16:]], axis=1
        )
    ]


def _rope_shape(name: str, batch: int) -> Shape:
    return Shape(
        name, {"B": batch, "ROWS": batch * 4}, summary=f"batch {batch}, 4 heads, head_dim 32"
    )


# hc_post ----------------------------------------------------------------------------------------


def _hc_args(rng, shape):
    """x, residual and y bf16 (ml_dtypes), post and comb f32, as in the source."""
    t = shape.params["T"]
    return [
        _normal(rng, t, 64).astype(BF16),
        _normal(rng, t, 256).astype(BF16),
        _normal(rng, t * 4),
        _normal(rng, t * 16),
        np.zeros((t, 256), BF16),
    ]


def _hc_reference(args, shape):
    """The kernel's order replayed in f32 (bf16 inputs widened exactly, no fused multiply-add),
    rounded to bf16 once at the end (to nearest even, as arith.truncf)."""
    x, res, post, comb, _ = args
    x, res = x.astype(F32), res.astype(F32)
    t = x.shape[0]
    post, comb = post.reshape(t, 4), comb.reshape(t, 4, 4)
    y = np.zeros((t, 256), F32)
    for o in range(4):
        acc = x * post[:, o : o + 1]
        for i in range(4):
            acc = acc + res[:, i * 64 : (i + 1) * 64] * comb[:, i, o : o + 1]
        y[:, o * 64 : (o + 1) * 64] = acc
    return [y.astype(BF16)]


def _hc_shape(name: str, t: int) -> Shape:
    return Shape(name, {"T": t, "T4": 4 * t, "T16": 16 * t}, summary=f"{t} tokens")


# kv_cache_write ---------------------------------------------------------------------------------

START_POS = 300  # cache column 300 // 128 = 2


def _kvw_args(rng, shape):
    b = shape.params["B"]
    # The outputs start as a sentinel, so rows the kernel must not touch are checked too.
    return [
        _normal(rng, b, 32),
        np.full((2 * b, 32), -7, F32),
        np.full((8 * b, 32), -7, F32),
        START_POS,
    ]


def _kvw_reference(args, shape):
    kv_final, kv, cache, start = args
    kv, cache = kv.copy(), cache.copy()
    kv[0::2] = kv_final
    cache[np.arange(kv_final.shape[0]) * 8 + start // 128] = kv_final
    return [kv, cache]


def _kvw_shape(name: str, b: int) -> Shape:
    return Shape(name, {"B": b, "BS": 2 * b, "BI": 8 * b}, summary=f"batch {b}")


# swa_scatter_kv ---------------------------------------------------------------------------------


def _swa_args(rng, shape):
    b = shape.params["B"]
    table = rng.permutation(b).astype(np.int32)
    return [_normal(rng, 2 * b, 32), table, np.full((8 * b, 32), -7, F32), START_POS]


def _swa_reference(args, shape):
    kv, table, cache, start = args
    cache = cache.copy()
    for s in range(2):
        cache[table.astype(np.int64) * 8 + (start + s) % 8] = kv[s::2]
    return [cache]


def _swa_shape(name: str, b: int) -> Shape:
    return Shape(name, {"B": b, "BS": 2 * b, "BW": 8 * b}, summary=f"batch {b}, 2 tokens each")


# qwen3 decode attention -------------------------------------------------------------------------

ATTN_ATOL = 1e-5
SB_BATCH, BLOCK, MAX_BLOCKS = 4, 8, 6


def _attn_args(rng, shape):
    b = shape.params["B"]
    lens = np.array(shape.data["seq_lens"], np.int32)
    rows = b * MAX_BLOCKS * 2 * BLOCK
    return [
        _normal(rng, b * 8, 16),
        _normal(rng, rows, 16),
        _normal(rng, rows, 16),
        rng.permutation(b * MAX_BLOCKS).astype(np.int32),
        lens,
        np.zeros((48, 8), F32),
        np.zeros((48, 8), F32),
        np.zeros((48, 16), F32),
        np.zeros((48, 1), F32),
        np.zeros((48, 1), F32),
        np.zeros((b, 128), F32),
    ]


def _attn_reference(args, shape):
    q, kc, vc, table, lens = (a.astype(np.float64) if a.dtype == F32 else a for a in args[:5])
    b_count = q.shape[0] // 8
    out = np.zeros((b_count, 128))
    for b in range(b_count):
        n = int(lens[b])
        pos = np.arange(n)
        pbid = table[b * MAX_BLOCKS + pos // BLOCK].astype(np.int64)
        for g in range(2):
            rows = (pbid * 2 + g) * BLOCK + pos % BLOCK
            k, v = kc[rows], vc[rows]
            qg = q[b * 8 + g * 4 : b * 8 + g * 4 + 4]
            s = qg @ k.T * 0.25
            p = np.exp(s - s.max(axis=1, keepdims=True))
            out[b, g * 64 : (g + 1) * 64] = ((p / p.sum(axis=1, keepdims=True)) @ v).reshape(-1)
    return [out]


def _attn_counts(shape: Shape, policy: str) -> Counts:
    """Per batch entry: three stages, each a chunked loop over ctx_blocks (known at run time)
    run once per query group, and one online-softmax scope (one task). A kernel counts once
    however many entries ran it."""
    loops = [
        ChunkLoop(math.ceil(n / BLOCK), SB_BATCH, 2, static=False) for n in shape.data["seq_lens"]
    ]
    per_stage = total([loop.counts(policy) for loop in loops])
    parts = set().union(*(loop.parts(policy) for loop in loops))
    entries = len(loops)
    return Counts(1 + 3 * len(parts), 3 * per_stage.tasks + entries, 3 * per_stage.masked)


def _attn_shape(name: str, lens: tuple[int, ...]) -> Shape:
    b = len(lens)
    return Shape(
        name,
        {"B": b, "BG": 8 * b, "NR": b * MAX_BLOCKS * 2 * BLOCK, "BT": b * MAX_BLOCKS},
        data={"seq_lens": lens},
        summary="seq_lens " + ", ".join(map(str, lens)),
    )


def _single(loop: Callable[[Shape], ChunkLoop]) -> Callable[[Shape, str], Counts]:
    return lambda shape, policy: loop(shape).counts(policy)


KERNELS: dict[str, CorpusKernel] = {
    k.name: k
    for k in [
        CorpusKernel(
            name="hello_world",
            file="hello_world.mlir",
            source="examples/beginner/hello_world.py",
            chunking="row loop, step 1: pl.parallel, chunk ROW_CHUNK = 128",
            scaled="1024 x 512 -> 256 x 64 (and 200 x 64)",
            shapes={
                "divisible": Shape("divisible", {"ROWS": 256, "COLS": 64}, summary="256 x 64"),
                "tail": Shape("tail", {"ROWS": 200, "COLS": 64}, summary="200 x 64"),
            },
            make_args=_hello_args,
            outputs=(2,),
            reference=lambda args, shape: [args[0] + args[1]],
            bound=_exact,
            tolerance="exact (one float32 addition)",
            counts=_single(lambda s: ChunkLoop(s.params["ROWS"], 128)),
            shift_legal=True,
            large=Shape("large", {"ROWS": 1000, "COLS": 512}, summary="1000 x 512"),
        ),
        CorpusKernel(
            name="matmul",
            file="matmul.mlir",
            source="examples/beginner/matmul.py",
            chunking="m and n tile loops (step 16): both pl.parallel, chunk 2, nested",
            scaled="256^3 with 64 x 64 tiles -> 64 x 64 x 48 (and 48 x 80 x 48) with 16 x 16 tiles",
            shapes=_mm_shapes({}),
            large=Shape("large", {"M": 256, "N": 240, "K": 256}, summary="256 x 240 x 256"),
            make_args=_mm_args,
            outputs=(2,),
            reference=lambda args, shape: [_matmul_in_order(args[0], args[1])],
            bound=_exact,
            tolerance="exact against float32 products added in k order",
            counts=_tiles_counts,
            shift_legal=True,
        ),
        CorpusKernel(
            name="gemm",
            file="gemm.mlir",
            source="examples/intermediate/gemm.py",
            chunking="m and n tile loops (step 16): both pl.parallel, chunk 2, nested; K tiles "
            "accumulated in order",
            scaled="256^3 with 64-wide tiles -> 64 x 64 x 48 (and 48 x 80 x 48) with 16-wide tiles",
            shapes=_mm_shapes({"KB": 3}),
            large=Shape(
                "large", {"M": 256, "N": 240, "K": 256, "KB": 16}, summary="256 x 240 x 256"
            ),
            make_args=_mm_args,
            outputs=(2,),
            reference=lambda args, shape: [_matmul_in_order(args[0], args[1])],
            bound=_exact,
            tolerance="exact against float32 products added in k order",
            counts=_tiles_counts,
            shift_legal=True,
        ),
        CorpusKernel(
            name="gemm_eltwise",
            file="gemm_eltwise.mlir",
            source="examples/advanced/gemm_eltwise.py",
            chunking="n-block loop, step 1: pl.parallel, chunk 4",
            scaled="batch 16, hidden 8192, n_chunk 64, k_chunk 128 -> batch 4, hidden 256 (and "
            "224), n_chunk 16, k_chunk 32; bf16 inputs as f32",
            shapes={"divisible": _ge_shape("divisible", 256), "tail": _ge_shape("tail", 224)},
            large=_ge_shape("large", 1184),
            make_args=_ge_args,
            outputs=(3,),
            reference=_ge_reference,
            bound=_exact,
            tolerance="exact against float32 products added in k order, then the residual",
            counts=_single(lambda s: ChunkLoop(s.params["NB"], 4)),
            shift_legal=True,
        ),
        CorpusKernel(
            name="softmax",
            file="softmax.mlir",
            source="examples/intermediate/softmax.py",
            chunking="row-tile loop, step ROW_CHUNK = 64: pl.parallel, chunk 1",
            scaled="none: 512 x 256 (and 480 x 256, the overrun)",
            shapes={
                "divisible": Shape("divisible", {"ROWS": 512, "COLS": 256}, summary="512 x 256"),
                "overrun": Shape("overrun", {"ROWS": 480, "COLS": 256}, summary="480 x 256"),
            },
            make_args=_softmax_args,
            outputs=(1,),
            reference=_softmax_reference,
            bound=_softmax_bound,
            tolerance="relative (cols + 20) * 2^-24 against float64 (expf, an ordered sum)",
            counts=_row_tile_counts(64),
            shift_legal=True,
        ),
        CorpusKernel(
            name="rms_norm",
            file="rms_norm.mlir",
            source="examples/intermediate/rms_norm.py",
            chunking="row-tile loop, step ROW_CHUNK = 64: pl.parallel, chunk 1",
            scaled="512 x 512 -> 128 x 128 (and 96 x 128, the overrun)",
            shapes={
                "divisible": Shape("divisible", {"ROWS": 128}, summary="128 x 128"),
                "overrun": Shape("overrun", {"ROWS": 96}, summary="96 x 128"),
            },
            large=Shape("large", {"ROWS": 512}, summary="512 x 128"),
            make_args=_rms_args,
            outputs=(2,),
            reference=_rms_reference,
            bound=_exact,
            tolerance="exact against the float32 replay (ordered row sums per hidden chunk)",
            counts=_row_tile_counts(64),
            shift_legal=True,
        ),
        CorpusKernel(
            name="layer_norm",
            file="layer_norm.mlir",
            source="examples/intermediate/layer_norm.py",
            chunking="row-tile loop, step ROW_CHUNK = 32: pl.parallel, chunk 1",
            scaled="512 x 256 -> 128 x 64 (and 112 x 64, the overrun)",
            shapes={
                "divisible": Shape("divisible", {"ROWS": 128}, summary="128 x 64"),
                "overrun": Shape("overrun", {"ROWS": 112}, summary="112 x 64"),
            },
            large=Shape("large", {"ROWS": 512}, summary="512 x 64"),
            make_args=_ln_args,
            outputs=(3,),
            reference=_ln_reference,
            bound=_exact,
            tolerance="exact against the float32 replay (ordered row sums)",
            counts=_row_tile_counts(32),
            shift_legal=True,
        ),
        CorpusKernel(
            name="rope",
            file="rope.mlir",
            source="examples/intermediate/rope.py",
            chunking="batch loop, step 1: pl.parallel, chunk BATCH_CHUNK = 4",
            scaled="16 x 8 heads x 128 -> 16 (and 14) x 4 heads x 32",
            shapes={"divisible": _rope_shape("divisible", 16), "tail": _rope_shape("tail", 14)},
            make_args=_rope_args,
            outputs=(3,),
            reference=_rope_reference,
            bound=_exact,
            tolerance="exact (two products and one sum or difference per element)",
            counts=_single(lambda s: ChunkLoop(s.params["B"], 4)),
            shift_legal=True,
        ),
        CorpusKernel(
            name="qwen3_decode_attention",
            file="qwen3_decode_attention.mlir",
            source="models/qwen3/14b/qwen3_14b_l3_generate.py",
            chunking="context-block loops of 3 stages (ctx_blocks at run time): pl.parallel, "
            "chunk SB_BATCH = 4; online softmax in a core-group scope",
            scaled="40 heads, head_dim 128, BLOCK 256, SB_BATCH 64 -> 2 groups of 4 rows, "
            "head_dim 16, BLOCK 8, SB_BATCH 4, max 6 blocks; bf16 as f32",
            shapes={
                "divisible": _attn_shape("divisible", (32, 25, 30)),
                "tail": _attn_shape("tail", (1, 17, 40, 48)),
            },
            make_args=_attn_args,
            outputs=(10,),
            reference=_attn_reference,
            bound=lambda expected: [ATTN_ATOL],
            tolerance="1e-5 absolute against float64 (as examples/decode_attention.mlir)",
            counts=_attn_counts,
            shift_legal=True,
            dynamic_bound=True,
        ),
        CorpusKernel(
            name="hc_post",
            file="hc_post.mlir",
            source="models/deepseek/v4/hc_post.py",
            chunking="token loop, step 1, inside a pl.parallel loop over 4 streams: pl.parallel, "
            "chunk 16",
            scaled="hidden size -> D = 64, D_CHUNK 512 -> 32",
            shapes={"divisible": _hc_shape("divisible", 32), "tail": _hc_shape("tail", 40)},
            large=_hc_shape("large", 1000),
            make_args=_hc_args,
            outputs=(4,),
            reference=_hc_reference,
            bound=_exact,
            tolerance="exact against the float32 replay (stream by stream, in order), "
            "rounded to bf16 once",
            counts=_single(lambda s: ChunkLoop(s.params["T"], 16, repeats=4)),
            shift_legal=True,
        ),
        CorpusKernel(
            name="kv_cache_write",
            file="kv_cache_write.mlir",
            source="models/deepseek/v4/decode_compressor_ratio128.py",
            chunking="batch loop, step 1: pl.parallel, chunk 16",
            scaled="HEAD_DIM 512 -> 32, IDX_KV_LEN -> 8; the bf16 cache as f32",
            shapes={"divisible": _kvw_shape("divisible", 32), "tail": _kvw_shape("tail", 20)},
            make_args=_kvw_args,
            outputs=(1, 2),
            reference=_kvw_reference,
            bound=_exact,
            tolerance="exact (copies)",
            counts=_single(lambda s: ChunkLoop(s.params["B"], 16)),
            shift_legal=True,
        ),
        CorpusKernel(
            name="swa_scatter_kv",
            file="swa_scatter_kv.mlir",
            source="models/deepseek/v4/decode_attention_swa.py",
            chunking="batch loop, step 1, per token: pl.parallel, chunk 16",
            scaled="HEAD_DIM -> 32, WIN = BLOCK_SIZE -> 8; the bf16 cache as f32",
            shapes={"divisible": _swa_shape("divisible", 32), "tail": _swa_shape("tail", 20)},
            make_args=_swa_args,
            outputs=(2,),
            reference=_swa_reference,
            bound=_exact,
            tolerance="exact (copies)",
            counts=_single(lambda s: ChunkLoop(s.params["B"], 16, repeats=2)),
            shift_legal=True,
        ),
    ]
}
