# Kernels with one mistake each; ERROR selects which one is built (pypto-opt reads the
# build_* function whose parameters all have defaults: build_program()).
import os

import pypto_mlir.language as pl

ERROR = os.environ.get("ERROR", "while")


def build_program(error: str = ERROR):
    if error == "while":

        @pl.program
        class P:
            @pl.function
            def f(self, x: pl.Tensor[[8], pl.FP32], n: pl.Scalar[pl.INDEX]):
                i = 0
                while i < n:
                    i = i + 1
                return x

    elif error == "listcomp":

        @pl.program
        class P:
            @pl.function
            def f(self, x: pl.Tensor[[8, 8], pl.FP32]):
                offsets = [i for i in range(2)]
                return pl.slice(x, [2, 2], offsets)

    elif error == "unknown_pl":

        @pl.program
        class P:
            @pl.function
            def f(self, x: pl.Tensor[[8, 8], pl.FP32]):
                t = pl.slice(x, [2, 2], [0, 0])
                return pl.softplus(t)

    elif error == "shape":

        @pl.program
        class P:
            @pl.function
            def f(self, x: pl.Tensor[[8, 8], pl.FP32], y: pl.Out[pl.Tensor[[8, 8], pl.FP32]]):
                a = pl.slice(x, [2, 4], [0, 0])
                b = pl.slice(x, [4, 2], [0, 0])
                y = pl.assemble(y, pl.add(a, b), [0, 0])
                return y

    elif error == "dtype":

        @pl.program
        class P:
            @pl.function
            def f(self, x: pl.Tensor[[8], pl.FP32], y: pl.Out[pl.Tensor[[8], pl.INT32]]):
                y = pl.assemble(y, pl.slice(x, [4], [0]), [0])
                return y

    elif error == "write_in":

        @pl.program
        class P:
            @pl.function
            def f(self, x: pl.Tensor[[8], pl.FP32], y: pl.Tensor[[8], pl.FP32]):
                y = pl.assemble(y, pl.exp(pl.slice(x, [4], [0])), [4])
                return y

    elif error == "chunk":

        @pl.program
        class P:
            @pl.function
            def f(self, x: pl.Tensor[[8], pl.FP32], n: pl.Scalar[pl.INDEX]):
                for _i in pl.parallel(0, 8, 1, chunk=n):
                    pass
                return x

    elif error == "loop_local":

        @pl.program
        class P:
            @pl.function
            def f(self, x: pl.Tensor[[8], pl.FP32]):
                for i in pl.range(4):
                    t = pl.read(x, [i])
                return t

    return P
