"""rms_norm (pypto-lib examples/intermediate), chunk= form: y = x / sqrt(mean(x^2) + eps) * gamma,
row blocks in parallel, the hidden dimension in column blocks (sum of squares, then scaling)."""

import pypto_mlir.language as pl

ROWS = 512
HIDDEN = 512
ROW_CHUNK = 64
HIDDEN_CHUNK = 64
EPS = 1e-6


def build_rms_norm_program(
    rows: int = ROWS,
    hidden: int = HIDDEN,
    row_chunk: int = ROW_CHUNK,
    hidden_chunk: int = HIDDEN_CHUNK,
    eps: float = EPS,
):
    hidden_blocks = hidden // hidden_chunk
    hidden_inv = 1.0 / hidden

    @pl.program
    class RMSNormProgram:
        @pl.function(type=pl.FunctionType.Opaque)
        def rms_norm(
            self,
            x: pl.Tensor[[rows, hidden], pl.FP32],
            gamma: pl.Tensor[[1, hidden], pl.FP32],
            y: pl.Out[pl.Tensor[[rows, hidden], pl.FP32]],
        ) -> pl.Tensor[[rows, hidden], pl.FP32]:
            with pl.at(level=pl.Level.CORE_GROUP, optimization=pl.chunked_loop_optimizer):
                for r in pl.parallel(0, rows, row_chunk, chunk=1):
                    sq_sum = pl.create_tensor([1, row_chunk], dtype=pl.FP32)
                    sq_sum = pl.mul(sq_sum, 0.0)
                    for hb in pl.range(hidden_blocks):
                        h0 = hb * hidden_chunk
                        x_chunk = pl.slice(x, [row_chunk, hidden_chunk], [r, h0])
                        rs = pl.row_sum(pl.mul(x_chunk, x_chunk))
                        sq_sum = pl.add(sq_sum, pl.reshape(rs, [1, row_chunk]))

                    inv_rms_T = pl.rsqrt(pl.add(pl.mul(sq_sum, hidden_inv), eps))
                    inv_rms = pl.reshape(inv_rms_T, [row_chunk, 1])

                    for hb in pl.range(hidden_blocks):
                        h0 = hb * hidden_chunk
                        x_chunk = pl.slice(x, [row_chunk, hidden_chunk], [r, h0])
                        gamma_chunk = pl.slice(gamma, [1, hidden_chunk], [0, h0])
                        normed = pl.col_expand_mul(pl.row_expand_mul(x_chunk, inv_rms), gamma_chunk)
                        y = pl.assemble(y, normed, [r, h0])
            return y

    return RMSNormProgram
