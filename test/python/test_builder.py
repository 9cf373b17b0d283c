"""dialect/loop_builder.py: chunked_for emits PyPTO range(start, stop, step) loops, descending ones
normalised to an ascending scf.for over the trip count."""

from __future__ import annotations

import numpy as np
import pytest
from mlir import ir
from mlir.dialects import arith, func, memref

from pypto_mlir.dialect import attrs
from pypto_mlir.dialect.context import make_context
from pypto_mlir.dialect.loop_builder import chunked_for
from pypto_mlir.dialect.verify import verify
from pypto_mlir.lowering.cpu import compile_module
from pypto_mlir.passes import build_pass_manager


@pytest.fixture
def ctx():
    return make_context()


def _loops(module):
    found = []

    def visit(op):
        if op.name == "scf.for":
            found.append(op)
        return ir.WalkResult.ADVANCE

    module.operation.walk(visit)
    return found


def _trace_kernel(ctx, name, start, stop, step, *, iv_type=None, dyn=False, **kw):
    """func @name(%trace: memref<?xi64> [, %start, %stop]) -> index: stores each IV (as i64)
    at trace[n] and returns the iteration count n."""
    with ctx, ir.Location.unknown():
        module = ir.Module.create()
        idx, i64 = ir.IndexType.get(), ir.IntegerType.get_signless(64)
        t = iv_type or idx
        trace_t = ir.MemRefType.get([ir.ShapedType.get_dynamic_size()], i64)
        with ir.InsertionPoint(module.body):
            fn = func.FuncOp(name, ([trace_t] + ([t, t] if dyn else []), [idx]))
        with ir.InsertionPoint(fn.add_entry_block()):
            args = list(fn.arguments)
            lo, hi = (args[1], args[2]) if dyn else (start, stop)
            c0, c1 = arith.constant(idx, 0), arith.constant(idx, 1)
            with chunked_for(lo, hi, step, iter_args=[c0], iv_type=iv_type, **kw) as loop:
                (n,) = loop.iter_args
                v = loop.iv
                if isinstance(t, ir.IndexType):
                    v = arith.index_cast(i64, v)
                elif ir.IntegerType(t).width < 64:
                    v = arith.extsi(i64, v)
                memref.store(v, args[0], [n])
                loop.yield_(arith.addi(n, c1))
            func.ReturnOp(list(loop.results))
    assert module.operation.verify()
    return module


def _run(module, name, *scalars, size=64):
    trace = np.full(size, -1, np.int64)
    n = compile_module(module, opt_level=0)[name](trace, *scalars)
    return trace[:n].tolist()


# -- structure ---------------------------------------------------------------------------------


def test_ascending_is_a_plain_scf_for_with_attributes(ctx):
    m = _trace_kernel(
        ctx, "up", 2, 11, 3, chunk=4, policy="leading_full", parallel=True, name_hint="k"
    )
    (loop,) = _loops(m)
    assert attrs.CHUNK.get(loop) == 4
    assert attrs.CHUNK_POLICY.get(loop) == "leading_full"
    assert attrs.PARALLEL.get(loop) is True
    assert attrs.NAME_HINT.get(loop) == "k"
    text = str(m)
    assert "arith.constant 2 : index" in text and "arith.constant 11 : index" in text
    assert "arith.constant 3 : index" in text
    assert verify(m.operation) == 0


def test_descending_static_loops_over_the_trip_count(ctx):
    m = _trace_kernel(ctx, "down", 10, 0, -3, chunk=4)
    (loop,) = _loops(m)
    lb, ub, step = (
        ir.IntegerAttr(o.owner.attributes["value"]).value for o in list(loop.operands)[:3]
    )
    assert (lb, ub, step) == (0, 4, 1)  # k in [0, 4): iv = 10, 7, 4, 1
    assert attrs.CHUNK.get(loop) == 4 and attrs.CHUNK_POLICY.get(loop) is None
    text = str(m)
    assert "arith.muli" in text and "arith.constant -3 : index" in text
    assert verify(m.operation) == 0


def test_descending_dynamic_clamps_the_trip_count(ctx):
    text = str(_trace_kernel(ctx, "down", None, None, -2, dyn=True, chunk=3))
    assert "arith.ceildivui" in text and "arith.cmpi sgt" in text and "arith.select" in text


def test_plain_loop_without_chunk(ctx):
    (loop,) = _loops(_trace_kernel(ctx, "plain", 5, 1, -1))
    assert not [n for n in loop.attributes if n.startswith("pl.")]


def test_results_and_yield_errors(ctx):
    with ctx, ir.Location.unknown():
        m = ir.Module.create()
        idx, f32 = ir.IndexType.get(), ir.F32Type.get()
        with ir.InsertionPoint(m.body):
            fn = func.FuncOp("f", ([], []))
        with ir.InsertionPoint(fn.add_entry_block()):
            x = arith.constant(f32, 1.0)
            loop = chunked_for(0, 4, 1, chunk=2, iter_args=[x])
            with pytest.raises(RuntimeError, match="after the with-block"):
                _ = loop.results
            with pytest.raises(ValueError, match="must call yield_"):
                with loop:
                    pass
            with chunked_for(0, 4, 1, iter_args=[x]) as loop2:
                with pytest.raises(ValueError, match="1 iter_arg"):
                    loop2.yield_()
                with pytest.raises(TypeError, match="has type index"):
                    loop2.yield_(arith.constant(idx, 0))
                loop2.yield_(loop2.iter_args[0])
                with pytest.raises(RuntimeError, match="twice"):
                    loop2.yield_(loop2.iter_args[0])
            assert len(loop2.results) == 1 and loop2.results[0].type == f32
            func.ReturnOp([])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(step=0), ValueError, "nonzero"),
        (dict(step=1.5), ValueError, "nonzero Python int"),
        (dict(chunk=0), ValueError, "positive"),
        (dict(chunk=-2), ValueError, "positive"),
        (dict(policy="guarded"), ValueError, "needs a chunk"),
        (dict(chunk=2, policy="bogus"), ValueError, "one of"),
        (dict(start=1.0), TypeError, "Python ints or SSA values"),
        (dict(iv_type="f32"), TypeError, "index or an integer"),
        (dict(start=2**40, iv_type="i32"), ValueError, "does not fit"),
    ],
)
def test_bad_arguments(ctx, kwargs, error, match):
    with ctx, ir.Location.unknown():
        m = ir.Module.create()
        with ir.InsertionPoint(m.body):
            fn = func.FuncOp("f", ([], []))
        with ir.InsertionPoint(fn.add_entry_block()):
            spec = dict(start=0, stop=8, step=1)
            spec.update(kwargs)
            if isinstance(spec.get("iv_type"), str):
                spec["iv_type"] = ir.Type.parse(spec["iv_type"])
            with pytest.raises(error, match=match):
                with chunked_for(spec.pop("start"), spec.pop("stop"), spec.pop("step"), **spec):
                    pass


def test_mismatched_bound_types(ctx):
    with ctx, ir.Location.unknown():
        m = ir.Module.create()
        i32, i64 = ir.IntegerType.get_signless(32), ir.IntegerType.get_signless(64)
        with ir.InsertionPoint(m.body):
            fn = func.FuncOp("f", ([i32, i64], []))
        with ir.InsertionPoint(fn.add_entry_block()):
            a, b = fn.arguments
            with pytest.raises(TypeError, match="different types"):
                with chunked_for(a, b, 1):
                    pass
            with pytest.raises(TypeError, match="iv_type"):
                with chunked_for(a, 5, 1, iv_type=i64):
                    pass


# -- execution ---------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", ["guarded", "leading_full"])
@pytest.mark.parametrize(
    "start, stop, step, chunk",
    [
        (10, 0, -1, 4),
        (10, 0, -3, 4),
        (0, 10, -1, 4),
        (5, 5, -1, 2),
        (3, -20, -5, 2),
        (2, 11, 3, 4),
    ],
)
def test_static_loops_visit_pythons_range(ctx, policy, start, stop, step, chunk):
    m = _trace_kernel(ctx, "k", start, stop, step, chunk=chunk)
    build_pass_manager(
        f"builtin.module(pl-split-chunked-loops{{policy={policy}}}, canonicalize, cse)", ctx
    ).run(m.operation)
    assert _run(m, "k") == list(range(start, stop, step))


@pytest.mark.parametrize(
    "iv, runs, step",
    [
        ("index", [(10, 0), (9, 0), (0, 9), (-3, -3), (2**62, -(2**62))], -(2**61)),
        ("i32", [(2**31 - 1, -(2**31)), (5, -30), (-(2**31) + 3, -(2**31))], -1000000000),
        ("i64", [(2**63 - 1, -(2**63)), (3, -(2**62)), (-5, 0)], -(2**62)),
        ("i32", [(2**31 - 1, 2**31 - 30), (0, -7)], -3),
    ],
)
def test_dynamic_descending_loops_near_the_limits(ctx, iv, runs, step):
    t = ir.Type.parse(iv, ctx)
    m = _trace_kernel(ctx, "k", None, None, step, iv_type=t, dyn=True, chunk=2)
    build_pass_manager("builtin.module(pl-split-chunked-loops{policy=guarded})", ctx).run(
        m.operation
    )
    f = compile_module(m, opt_level=0)["k"]
    for a, b in runs:
        trace = np.full(64, -1, np.int64)
        n = f(trace, a, b)
        assert trace[:n].tolist() == list(range(a, b, step)), (a, b)


def test_builder_loop_without_pass_runs_as_written(ctx):
    m = _trace_kernel(ctx, "k", 7, -2, -2)
    assert _run(m, "k") == list(range(7, -2, -2))
