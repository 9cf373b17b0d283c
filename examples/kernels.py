"""The kernel table of examples/: one place for what demo.py, test/python/test_examples.py and
bench/cpu_policies.py all need to know about each real kernel.

A `Kernel` names its .mlir file and entry function, builds fresh arguments (`make_args`), says
which arguments it writes (`outputs`), and carries its numpy reference with an error bound
(`reference`, `bound`, `tolerance`), an optional float32 replay in source order that must match
bit for bit (`in_order`), and the idiomatic numpy version the benchmark times (`numpy`).

A `Variant` is one way to compile a kernel: a pipeline, on the kernel as written or with every
`pl.*` attribute stripped (the unchunked loop, the reference for bit-exactness).

    from pypto_mlir.examples import kernels
    k = kernels.KERNELS["axpy"]
    compiled = kernels.compile_variant(k, kernels.VARIANTS["guarded"])
    args = k.make_args(np.random.default_rng(0))
    expected = k.reference(args)                 # before the call: it writes y in place
    bounds = k.bound(args, expected)
    got = k.call(compiled.fn, k.fresh(args))
    assert kernels.within(got, expected, bounds)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np

if TYPE_CHECKING:  # the MLIR side is imported only where it is used
    from pypto_mlir.dialect.diagnostics import Sink

HERE = Path(__file__).resolve().parent
F32 = np.float32
U = 2.0**-24  # unit roundoff of float32 (round to nearest)

# A kernel's arguments or outputs, in order: numpy arrays and scalars (Python or numpy), used
# through numpy's duck typing.
Values: TypeAlias = "list[Any]"
# Keyword arguments of make_args: a size (int), or several (seq_lens).
Size: TypeAlias = "dict[str, int | tuple[int, ...]]"


# -- the kernels --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kernel:
    name: str
    file: str  # in examples/
    entry: str  # the func.func to call
    chunking: str  # which loops are chunked, how, and what they carry
    sizes: str  # the default sizes of make_args
    make_args: Callable[..., Values]  # (rng, **size) -> fresh arguments, in order
    outputs: tuple[int, ...]  # positions of the memref arguments the kernel writes
    reference: Callable[[Values], Values]  # expected outputs (written args, then results)
    bound: Callable[[Values, Values], Values]  # (args, expected) -> allowed |got - expected|
    tolerance: str  # the bound, and why
    numpy: Callable[[Values], object]  # the idiomatic numpy computation (benchmark)
    in_order: Callable[[Values], Values] | None = None  # float32 in source order: bit-exact
    results: tuple[type[np.generic], ...] = ()  # numpy dtypes of the entry's results
    test_sizes: tuple[Size, ...] = ({},)  # size variants for the tests (tails around the chunk)
    bench_size: Size = field(default_factory=dict)
    shift_legal: bool = False  # re-running an iteration changes nothing (shift_inwards)

    @property
    def path(self) -> Path:
        return HERE / self.file

    def source(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def call(self, fn, args: Values) -> Values:
        """Calls a compiled entry on `args` (written in place); returns the outputs: the written
        arguments, then the results as numpy scalars of their type."""
        results = fn.call(*args)
        if len(results) != len(self.results):
            raise ValueError(
                f"@{self.entry} returned {len(results)} result(s), the table says "
                f"{len(self.results)}"
            )
        return [args[i] for i in self.outputs] + [
            np.asarray(r, dtype=t) for r, t in zip(results, self.results, strict=False)
        ]

    def fresh(self, args: Values) -> Values:
        """The same arguments with copies of those the kernel writes (inputs are shared)."""
        return [a.copy() if i in self.outputs else a for i, a in enumerate(args)]


def _normal(rng, *shape):
    return rng.standard_normal(shape).astype(F32)


# axpy ------------------------------------------------------------------------------------------


def _axpy_args(rng, n=1_000_003):
    return [float(F32(rng.uniform(0.5, 2.0))), _normal(rng, n), _normal(rng, n)]


def _axpy_numpy(args):
    a, x, y = args
    y += F32(a) * x


# scale -----------------------------------------------------------------------------------------


def _scale_args(rng, n=1_000_003):
    return [float(F32(rng.uniform(0.5, 2.0))), _normal(rng, n), np.zeros(n, F32)]


def _scale_numpy(args):
    a, x, out = args
    np.multiply(x, F32(a), out=out)


# reduce_sum ------------------------------------------------------------------------------------


def _sum_in_order(args):
    (x,) = args
    return [np.add.accumulate(x)[-1] if len(x) else F32(0)]


def _sum_bound(args, expected):
    (x,) = args
    return [len(x) * U * float(np.abs(x, dtype=np.float64).sum())]


# rms_norm --------------------------------------------------------------------------------------

RMS_EPS = 1e-6


def _rms_args(rng):
    return [
        _normal(rng, 512, 512),
        rng.uniform(0.5, 1.5, 512).astype(F32),
        np.zeros((512, 512), F32),
    ]


def _rms_reference(args):
    x, gamma, _ = (a.astype(np.float64) for a in args)
    return [x / np.sqrt((x * x).mean(axis=1) + RMS_EPS)[:, None] * gamma]


def _rms_in_order(args):
    x, gamma, _ = args
    ss = np.zeros(x.shape[0], F32)
    for c in range(x.shape[1]):  # column order, all rows at once
        ss = ss + x[:, c] * x[:, c]
    inv = F32(1) / np.sqrt(ss * F32(1 / 512) + F32(RMS_EPS))
    return [(x * inv[:, None]) * gamma]


def _rms_numpy(args):
    x, gamma, y = args
    y[...] = x / np.sqrt(np.mean(x * x, axis=1, keepdims=True) + F32(RMS_EPS)) * gamma


# gemm ------------------------------------------------------------------------------------------


def _gemm_args(rng):
    return [_normal(rng, 256, 256), _normal(rng, 256, 256), _normal(rng, 256, 256)]


def _gemm_reference(args):
    A, B, C = (a.astype(np.float64) for a in args)
    return [C + A @ B]


def _gemm_bound(args, expected):
    A, B, C = (np.abs(a.astype(np.float64)) for a in args)
    return [(A.shape[1] + 2) * U * (C + A @ B)]


def _gemm_in_order(args):
    A, B, C = args
    for k in range(A.shape[1]):  # C[i, j] accumulates its products in k order
        C = C + np.outer(A[:, k], B[k, :])
    return [C]


def _gemm_numpy(args):
    A, B, C = args
    C += A @ B


# decode_attention ------------------------------------------------------------------------------

HEADS, HEAD_DIM, MAX_CTX = 4, 64, 1024
ATTN_ATOL = 1e-5


def _attn_args(rng, seq_lens=(1, 17, 500, 1024)):
    b = len(seq_lens)
    return [
        _normal(rng, b, HEADS, HEAD_DIM),
        _normal(rng, b, HEADS, MAX_CTX, HEAD_DIM),
        _normal(rng, b, HEADS, MAX_CTX, HEAD_DIM),
        np.array(seq_lens, np.int32),
        np.zeros((b, HEADS, HEAD_DIM), F32),
    ]


def _attn_reference(args):
    q, k, v, seq_lens, _ = args
    out = np.zeros(q.shape)
    for b, n in enumerate(seq_lens):
        s = np.einsum("htd,hd->ht", k[b, :, :n].astype(np.float64), q[b].astype(np.float64))
        s /= np.sqrt(HEAD_DIM)
        p = np.exp(s - s.max(axis=1, keepdims=True))
        out[b] = np.einsum(
            "ht,htd->hd", p / p.sum(axis=1, keepdims=True), v[b, :, :n].astype(np.float64)
        )
    return [out]


def _attn_numpy(args):
    q, k, v, seq_lens, out = args
    for b, n in enumerate(seq_lens):
        s = np.einsum("htd,hd->ht", k[b, :, :n], q[b]) * F32(1 / np.sqrt(HEAD_DIM))
        p = np.exp(s - s.max(axis=1, keepdims=True))
        out[b] = np.einsum("ht,htd->hd", p, v[b, :, :n]) / p.sum(axis=1, keepdims=True)


def _exact(args, expected):
    return [0.0 for _ in expected]


KERNELS: dict[str, Kernel] = {
    k.name: k
    for k in [
        Kernel(
            name="axpy",
            file="axpy.mlir",
            entry="axpy",
            chunking="element loop: pl.parallel, chunk 1024, dynamic n",
            sizes="n = 1,000,003 (977 chunks, the last one 579 elements)",
            make_args=_axpy_args,
            outputs=(2,),
            reference=lambda args: [F32(args[0]) * args[1] + args[2]],
            bound=_exact,
            tolerance="exact: numpy's float32 a*x + y rounds the same two operations",
            numpy=_axpy_numpy,
            test_sizes=tuple({"n": n} for n in (0, 1, 1023, 1024, 1025, 5000)),
            bench_size={"n": 10_000_000},
        ),
        Kernel(
            name="scale",
            file="scale.mlir",
            entry="scale",
            chunking="element loop: pl.parallel, chunk 1024, dynamic n; store-only, so "
            "shift_inwards is legal",
            sizes="n = 1,000,003",
            make_args=_scale_args,
            outputs=(2,),
            reference=lambda args: [F32(args[0]) * args[1]],
            bound=_exact,
            tolerance="exact: numpy's float32 a*x rounds the same operation",
            numpy=_scale_numpy,
            test_sizes=tuple({"n": n} for n in (0, 1, 1023, 1024, 1025, 5000)),
            bench_size={"n": 10_000_000},
            shift_legal=True,
        ),
        Kernel(
            name="reduce_sum",
            file="reduce_sum.mlir",
            entry="reduce_sum",
            chunking="element loop: chunk 1024, dynamic n, f32 accumulator in iter_args",
            sizes="n = 1,000,003",
            make_args=lambda rng, n=1_000_003: [_normal(rng, n)],
            outputs=(),
            reference=lambda args: [args[0].sum(dtype=np.float64)],
            bound=_sum_bound,
            tolerance="n * 2^-24 * sum|x| (sequential float32 sum against float64); "
            "bit-exact against np.add.accumulate in float32",
            numpy=lambda args: args[0].sum(),
            in_order=_sum_in_order,
            results=(F32,),
            test_sizes=tuple({"n": n} for n in (0, 1, 1023, 1024, 1025, 5000)),
            bench_size={"n": 10_000_000},
        ),
        Kernel(
            name="rms_norm",
            file="rms_norm.mlir",
            entry="rms_norm",
            chunking="row loop: pl.parallel, chunk 64 (8 x 64 rows, no tail); "
            "sum of squares in iter_args of the column loop",
            sizes="512 x 512, eps = 1e-6",
            make_args=_rms_args,
            outputs=(2,),
            reference=_rms_reference,
            bound=lambda args, expected: [2e-5 * np.abs(expected[0])],
            tolerance="relative 2e-5 per element against float64 (a 512-term float32 sum of "
            "squares: <= 512 * 2^-24 = 3e-5 relative, halved by the sqrt, plus 4 "
            "roundings); bit-exact against the float32 replay in column order",
            numpy=_rms_numpy,
            in_order=_rms_in_order,
        ),
        Kernel(
            name="gemm",
            file="gemm.mlir",
            entry="gemm",
            chunking="row-tile and column-tile loops (8 tiles of 32 each): pl.parallel, chunk 3, "
            "nested, each with a tail of 2 tiles",
            sizes="256 x 256 x 256, 32 x 32 tiles",
            make_args=_gemm_args,
            outputs=(2,),
            reference=_gemm_reference,
            bound=_gemm_bound,
            tolerance="(K + 2) * 2^-24 * (|C| + |A| @ |B|) per element against float64 (the "
            "classical dot-product bound); bit-exact against the float32 replay in k order",
            numpy=_gemm_numpy,
            in_order=_gemm_in_order,
        ),
        Kernel(
            name="decode_attention",
            file="decode_attention.mlir",
            entry="decode_attention",
            chunking="context-block loop (ceildiv(seq_len, 16) trips, runtime): pl.parallel, "
            "chunk 64, carries m, l (f32) and acc (vector<64xf32>)",
            sizes="B = 4, H = 4, D = 64, BLOCK = 16, seq_lens = [1, 17, 500, 1024]",
            make_args=_attn_args,
            outputs=(4,),
            reference=_attn_reference,
            bound=lambda args, expected: [ATTN_ATOL],
            tolerance="1e-5 absolute against float64 (float32 scores, expf and sums of up to 1024 "
            "weights; observed ~3e-7, the worst-case bound is ~4e-4)",
            numpy=_attn_numpy,
            test_sizes=({}, {"seq_lens": (16, 1009, 64, 1008, 33)}),
            bench_size={
                "seq_lens": (
                    1,
                    17,
                    500,
                    1024,
                    1000,
                    900,
                    77,
                    640,
                    256,
                    1023,
                    3,
                    700,
                    512,
                    999,
                    129,
                    808,
                )
            },
        ),
    ]
}


# -- compiling a kernel -------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    name: str
    pipeline: str
    strip: bool = False  # remove every pl.* attribute first: the unchunked loop
    policy_attr: str | None = None  # set pl.chunk_policy on every chunked loop first


VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in [
        Variant("unchunked", "builtin.module(pl-default)", strip=True),
        Variant("guarded", "builtin.module(pl-default{policy=guarded unswitch=false})"),
        Variant("guarded+unswitch", "builtin.module(pl-default{policy=guarded})"),
        Variant("leading_full", "builtin.module(pl-default{policy=leading_full})"),
        Variant("clamped", "builtin.module(pl-default{policy=clamped})"),
        Variant("auto", "builtin.module(pl-default{policy=auto})"),
        Variant("shift_inwards", "builtin.module(pl-default)", policy_attr="shift_inwards"),
    ]
}


def applies(variant: Variant, kernel: Kernel) -> bool:
    """shift_inwards is legal only for kernels whose iterations can run twice."""
    return variant.policy_attr != "shift_inwards" or kernel.shift_legal


def variants_of(kernel: Kernel) -> dict[str, Variant]:
    return {n: v for n, v in VARIANTS.items() if applies(v, kernel)}


def strip_pl(module) -> None:
    """Removes every `pl.*` attribute: chunked loops become plain loops."""
    from pypto_mlir.dialect.attrs import strip_pl as strip

    strip(module)


def prepare(kernel: Kernel, variant: Variant, sink: Sink | None = None):
    """The kernel's module after the variant's pipeline (a fresh Context). The pipeline's
    diagnostics (e.g. a pass's remark) go to `sink`; by default they print to stderr."""
    from mlir import ir

    from pypto_mlir.dialect.context import make_context
    from pypto_mlir.passes import build_pass_manager

    ctx = make_context(sink=sink)
    module = ir.Module.parse(kernel.source(), ctx)
    if variant.strip:
        strip_pl(module)
    if variant.policy_attr:
        set_policy(module, variant.policy_attr)
    build_pass_manager(variant.pipeline, ctx).run(module.operation)
    return module


def set_policy(module, policy: str) -> None:
    """pl.chunk_policy = policy on every chunked loop."""
    from mlir import ir

    def visit(op):
        if "pl.chunk" in op.attributes:
            op.attributes["pl.chunk_policy"] = ir.StringAttr.get(policy, op.context)
        return ir.WalkResult.ADVANCE

    module.operation.walk(visit)


@dataclass(frozen=True)
class Structure:
    loops: int  # scf.for ops
    ifs: int  # scf.if ops
    guards: int  # scf.if ops directly in the body of a loop with pl.loop_origin = "chunk_inner"


def structure(module) -> Structure:
    from mlir import ir

    counts = {"loops": 0, "ifs": 0, "guards": 0}

    def visit(op):
        if op.name == "scf.for":
            counts["loops"] += 1
        elif op.name == "scf.if":
            counts["ifs"] += 1
            parent = op.parent
            if (
                parent is not None
                and parent.name == "scf.for"
                and _origin(parent.operation) == "chunk_inner"
            ):
                counts["guards"] += 1
        return ir.WalkResult.ADVANCE

    module.operation.walk(visit)
    return Structure(**counts)


def _origin(op) -> str | None:
    from mlir import ir

    attrs = op.attributes
    return ir.StringAttr(attrs["pl.loop_origin"]).value if "pl.loop_origin" in attrs else None


@dataclass
class Compiled:
    fn: object  # the JIT-compiled entry (pypto_mlir.lowering.cpu.Function)
    structure: Structure
    text: str  # the module after the pipeline
    seconds: float  # pipeline + lowering + LLVM code generation


def compile_variant(
    kernel: Kernel,
    variant: Variant,
    opt_level: int = 3,
    reuse: dict[tuple[str, int], Compiled] | None = None,
) -> Compiled:
    """The kernel through the variant's pipeline, JIT-compiled. `reuse`: what earlier calls
    compiled, by (module text, opt_level); a variant whose module equals one of them gets that
    Compiled (the same IR gives the same code) instead of a second compilation, and new ones
    are added."""
    from pypto_mlir.lowering.cpu import compile_module

    start = time.perf_counter()
    module = prepare(kernel, variant)
    text = str(module)
    if reuse is not None and (text, opt_level) in reuse:
        return reuse[text, opt_level]
    compiled = compile_module(module, entries=[kernel.entry], opt_level=opt_level)
    compiled.engine.lookup(kernel.entry)  # LLVM generates the code on the first lookup
    seconds = time.perf_counter() - start
    result = Compiled(compiled[kernel.entry], structure(module), text, seconds)
    if reuse is not None:
        reuse[text, opt_level] = result
    return result


# -- comparing outputs --------------------------------------------------------------------------


def max_error(got: Values, expected: Values) -> float:
    """The largest |got - expected| over all outputs (nan if any is nan)."""
    worst = 0.0
    for g, e in zip(got, expected, strict=False):
        if np.size(g):
            worst = max(
                worst, float(np.max(np.abs(np.asarray(g, np.float64) - np.asarray(e, np.float64))))
            )
    return worst


def within(got: Values, expected: Values, bounds: Values) -> bool:
    """Every output has the expected shape and is within its bound elementwise (nan never is)."""
    if len(got) != len(expected):
        return False
    for g, e, b in zip(got, expected, bounds, strict=False):
        g, e = np.asarray(g, np.float64), np.asarray(e, np.float64)
        if g.shape != e.shape or not np.all(np.abs(g - e) <= b):
            return False
    return True


def same_bits(a: Values, b: Values) -> bool:
    """Outputs equal bit for bit (dtype, shape and bytes)."""
    return len(a) == len(b) and all(
        np.asarray(x).dtype == np.asarray(y).dtype
        and np.shape(x) == np.shape(y)
        and np.asarray(x).tobytes() == np.asarray(y).tobytes()
        for x, y in zip(a, b, strict=False)
    )


# -- timing -------------------------------------------------------------------------------------


def timed(
    kernel: Kernel, prepare: Callable[[Values], Callable[[], object]], args: Values, repeat: int
) -> list[float]:
    """Wall times of `repeat` calls. Before each, outside the timed region, the arguments the
    kernel writes are copied and `prepare(fresh_args)` returns the call to time (no arguments)."""
    times: list[float] = []
    for _ in range(repeat):
        call = prepare(kernel.fresh(args))
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def native_call(fn, args: Values) -> Callable[[], object]:
    """The call of a compiled entry on `args`, with the arguments already checked and packed
    when the CPU target can do that ahead (Function.bind): the callable is the native call."""
    if hasattr(fn, "bind"):
        return fn.bind(*args).run
    return lambda: fn.call(*args)  # older lowering: packing (microseconds) is timed too
