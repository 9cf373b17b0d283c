"""hello_world (pypto-lib examples/beginner), PR #372 form: y = x + a, rows in chunks."""

import pypto_mlir.language as pl

ROWS = 1024
COLS = 512
ROW_CHUNK = 128


def build_hello_world_program(rows: int = ROWS, cols: int = COLS, row_chunk: int = ROW_CHUNK):
    @pl.program
    class HelloWorldProgram:
        @pl.function(type=pl.FunctionType.Opaque)
        def add_scalar(
            self,
            x: pl.Tensor[[rows, cols], pl.FP32],
            a: pl.Scalar[pl.FP32],
            y: pl.Out[pl.Tensor[[rows, cols], pl.FP32]],
        ) -> pl.Tensor[[rows, cols], pl.FP32]:
            for r_chunk in pl.parallel(0, rows, 1 * row_chunk):
                with pl.at(level=pl.Level.CORE_GROUP):
                    for r in pl.range(r_chunk, r_chunk + 1 * row_chunk, 1):
                        tile_x = pl.slice(x, [1, cols], [r, 0])
                        tile_y = pl.add(tile_x, a)
                        y = pl.assemble(y, tile_y, [r, 0])
            return y

    return HelloWorldProgram
