"""Prints PyPTO's `for i in pl.range(10, 0, -1, chunk=4)` (test_guarded_negative_step), built
with the builder API: x = x + i over i = 10, 9, ..., 1."""

from mlir import ir
from mlir.dialects import arith, func

from pypto_mlir.dialect.context import make_context
from pypto_mlir.dialect.loop_builder import chunked_for

ctx = make_context()
with ctx, ir.Location.unknown():
    module = ir.Module.create()
    index = ir.IndexType.get()
    with ir.InsertionPoint(module.body):

        @func.FuncOp.from_py_func(index, name="descending")
        def descending(x0):
            with chunked_for(10, 0, -1, chunk=4, iter_args=[x0]) as loop:
                (x,) = loop.iter_args
                loop.yield_(arith.addi(x, loop.iv))
            return loop.results[0]


print(module)
