# One function per construct of the supported subset (docs/frontend.md), for
# test/frontend/constructs.mlir (the MLIR) and test/python/test_frontend_language.py (runs).
import math

import pypto_mlir.language as pl

N = pl.dynamic("N")
COLS = 8
CHUNK = 4
SCALE = 0.5


@pl.jit.inline
def scaled(t, factor):
    return pl.mul(t, factor)


def build_constructs_program(cols: int = COLS, chunk: int = CHUNK):
    @pl.program
    class Constructs:
        @pl.function
        def chunked_rows(
            self, x: pl.Tensor[[N, cols], pl.FP32], y: pl.Out[pl.Tensor[[N, cols], pl.FP32]]
        ) -> pl.Tensor[[N, cols], pl.FP32]:
            for r in pl.parallel(N, chunk=chunk, chunk_policy="leading_full"):
                y = pl.assemble(y, scaled(pl.slice(x, [1, cols], [r, 0]), SCALE), [r, 0])
            return y

        @pl.function
        def scoped(
            self, x: pl.Tensor[[16, cols], pl.FP32], y: pl.InOut[pl.Tensor[[16, cols], pl.FP32]]
        ) -> pl.Tensor[[16, cols], pl.FP32]:
            for b in pl.parallel(0, 16, 4):
                with pl.at(level=pl.Level.CORE_GROUP, name_hint="rows4"):
                    t = pl.exp(pl.slice(x, [4, cols], [b, 0]))
                    y = pl.assemble(y, pl.add(pl.slice(y, [4, cols], [b, 0]), t), [b, 0])
            return y

        @pl.function
        def carried(self, x: pl.Tensor[[16], pl.FP32]) -> pl.Scalar[pl.FP32]:
            total = 0.0
            for i in pl.range(16):
                v = pl.read(x, [i])
                if v > 0.0:
                    total = total + v
            for i, (m,) in pl.range(16, init_values=(-math.inf,)):
                best = pl.yield_(pl.max(m, pl.read(x, [i])))
            return total + best

        @pl.function
        def padded(
            self,
            x: pl.Tensor[[6, 8], pl.FP32],
            n: pl.Scalar[pl.INDEX],
            y: pl.Out[pl.Tensor[[4, 8], pl.FP32]],
        ) -> pl.Tensor[[4, 8], pl.FP32]:
            t = pl.slice(x, [4, 8], [2, 0], valid_shape=[pl.min(n, 4), 8])
            y = pl.assemble(y, pl.fillpad(t, pad_value=pl.PadValue.min), [0, 0])
            return y

        @pl.function
        def row_stats(
            self, x: pl.Tensor[[4, cols], pl.FP32]
        ) -> pl.Tuple[pl.Tensor[[4, 1], pl.FP32], pl.Tensor[[4, 1], pl.FP32]]:
            t = pl.slice(x, [4, cols], [0, 0])
            return pl.row_max(t), pl.row_sum(t)

        @pl.function
        def calls(
            self, x: pl.Tensor[[4, cols], pl.FP32], y: pl.Out[pl.Tensor[[4, 1], pl.FP32]]
        ) -> pl.Tensor[[4, 1], pl.FP32]:
            hi, total = self.row_stats(x)
            y = pl.assemble(y, pl.sub(total, hi), [0, 0])
            return y

        @pl.function
        def ignored(
            self, x: pl.Tensor[[8], pl.FP32], y: pl.Out[pl.Tensor[[8], pl.FP32]]
        ) -> pl.Tensor[[8], pl.FP32]:
            with pl.at(
                level=pl.Level.CORE_GROUP,
                optimizations=[pl.auto_chunk, pl.split(pl.SplitMode.UP_DOWN)],
            ):
                y = pl.assemble(y, pl.exp(pl.slice(x, [8], [0])), [0])
            return y

        @pl.function
        def filled(
            self, x: pl.Tensor[[2, cols], pl.FP32], y: pl.Out[pl.Tensor[[2, cols], pl.FP32]]
        ) -> pl.Tensor[[2, cols], pl.FP32]:
            bias = pl.full([2, cols], dtype=pl.FP32, value=1.5)
            y = pl.assemble(y, pl.add(pl.slice(x, [2, cols], [0, 0]), bias), [0, 0])
            return y

    return Constructs


def build_two_bound_program(n: int = 10, chunk: int = 4):
    """pl.parallel(0, n, chunk=C): start and stop, no step (gemm_eltwise's form)."""

    @pl.program
    class TwoBound:
        @pl.function
        def twice(
            self, x: pl.Tensor[[n], pl.FP32], y: pl.Out[pl.Tensor[[n], pl.FP32]]
        ) -> pl.Tensor[[n], pl.FP32]:
            for i in pl.parallel(0, n, chunk=chunk):
                y = pl.assemble(y, pl.add(pl.slice(x, [1], [i]), pl.slice(x, [1], [i])), [i])
            return y

    return TwoBound
