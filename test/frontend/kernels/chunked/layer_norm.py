"""layer_norm (pypto-lib examples/intermediate), chunk= form:
y = (x - mean) / sqrt(var + eps) * gamma + beta per row, row blocks in parallel."""

import pypto_mlir.language as pl

ROWS = 512
HIDDEN = 256
ROW_CHUNK = 32
EPS = 1e-5


def build_layer_norm_program(
    rows: int = ROWS,
    hidden: int = HIDDEN,
    row_chunk: int = ROW_CHUNK,
    eps: float = EPS,
):
    hidden_inv = 1.0 / hidden

    @pl.program
    class LayerNormProgram:
        @pl.function(type=pl.FunctionType.Opaque)
        def layer_norm(
            self,
            x: pl.Tensor[[rows, hidden], pl.FP32],
            gamma: pl.Tensor[[1, hidden], pl.FP32],
            beta: pl.Tensor[[1, hidden], pl.FP32],
            y: pl.Out[pl.Tensor[[rows, hidden], pl.FP32]],
        ) -> pl.Tensor[[rows, hidden], pl.FP32]:
            with pl.at(level=pl.Level.CORE_GROUP, optimization=pl.chunked_loop_optimizer):
                for r in pl.parallel(0, rows, row_chunk, chunk=1):
                    tile_x = pl.slice(x, [row_chunk, hidden], [r, 0])
                    gamma_tile = pl.slice(gamma, [1, hidden], [0, 0])
                    beta_tile = pl.slice(beta, [1, hidden], [0, 0])

                    mean = pl.row_sum(pl.mul(tile_x, hidden_inv))

                    centred = pl.row_expand_sub(tile_x, mean)
                    var_eps = pl.row_sum(pl.mul(pl.add(pl.mul(centred, centred), eps), hidden_inv))

                    std = pl.reshape(
                        pl.sqrt(pl.reshape(var_eps, [1, row_chunk])),
                        [row_chunk, 1],
                    )
                    normed = pl.row_expand_div(centred, std)

                    scaled = pl.col_expand_mul(normed, gamma_tile)
                    ones = pl.add(pl.sub(tile_x, tile_x), 1.0)
                    result = pl.add(scaled, pl.col_expand_mul(ones, beta_tile))
                    y = pl.assemble(y, result, [r, 0])
            return y

    return LayerNormProgram
