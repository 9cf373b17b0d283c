"""softmax (pypto-lib examples/intermediate), PR #372 form: row-wise softmax, row blocks in
parallel."""

import pypto_mlir.language as pl

ROWS = 512
COLS = 256
ROW_CHUNK = 64


def build_softmax_program(rows: int = ROWS, cols: int = COLS, row_chunk: int = ROW_CHUNK):
    @pl.program
    class SoftmaxProgram:
        @pl.function(type=pl.FunctionType.Opaque)
        def softmax(
            self,
            x: pl.Tensor[[rows, cols], pl.FP32],
            y: pl.Out[pl.Tensor[[rows, cols], pl.FP32]],
        ) -> pl.Tensor[[rows, cols], pl.FP32]:
            for r_chunk in pl.parallel(0, rows, row_chunk * 1):
                with pl.at(level=pl.Level.CORE_GROUP):
                    for r in pl.range(r_chunk, r_chunk + row_chunk * 1, row_chunk):
                        tile_x = pl.slice(x, [row_chunk, cols], [r, 0])
                        row_max = pl.row_max(tile_x)
                        shifted = pl.row_expand_sub(tile_x, row_max)
                        exp_shifted = pl.exp(shifted)
                        row_sum = pl.row_sum(exp_shifted)
                        result = pl.row_expand_div(exp_shifted, row_sum)
                        y = pl.assemble(y, result, [r, 0])
            return y

    return SoftmaxProgram
