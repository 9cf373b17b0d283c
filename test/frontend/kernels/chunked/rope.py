"""rope (pypto-lib examples/intermediate), chunk= form: rotary embedding of each head's halves,
batch entries in chunks."""

import pypto_mlir.language as pl

BATCH = 16
NUM_HEADS = 8
HEAD_DIM = 128
BATCH_CHUNK = 4


def build_rope_program(
    batch: int = BATCH,
    num_heads: int = NUM_HEADS,
    head_dim: int = HEAD_DIM,
    batch_chunk: int = BATCH_CHUNK,
):
    total_rows = batch * num_heads
    half_dim = head_dim // 2

    @pl.program
    class RoPEProgram:
        @pl.function(type=pl.FunctionType.Opaque)
        def rope(
            self,
            x: pl.Tensor[[total_rows, head_dim], pl.FP32],
            cos: pl.Tensor[[1, head_dim], pl.FP32],
            sin: pl.Tensor[[1, head_dim], pl.FP32],
            y: pl.Out[pl.Tensor[[total_rows, head_dim], pl.FP32]],
        ) -> pl.Tensor[[total_rows, head_dim], pl.FP32]:
            with pl.at(level=pl.Level.CORE_GROUP, optimization=pl.chunked_loop_optimizer):
                for b in pl.parallel(0, batch, 1, chunk=batch_chunk):
                    cos_lo = pl.slice(cos, [1, half_dim], [0, 0])
                    cos_hi = pl.slice(cos, [1, half_dim], [0, half_dim])
                    sin_lo = pl.slice(sin, [1, half_dim], [0, 0])
                    sin_hi = pl.slice(sin, [1, half_dim], [0, half_dim])

                    base = b * num_heads
                    x_lo = pl.slice(x, [num_heads, half_dim], [base, 0])
                    x_hi = pl.slice(x, [num_heads, half_dim], [base, half_dim])

                    rot_lo = pl.sub(
                        pl.col_expand_mul(x_lo, cos_lo),
                        pl.col_expand_mul(x_hi, sin_lo),
                    )
                    rot_hi = pl.add(
                        pl.col_expand_mul(x_hi, cos_hi),
                        pl.col_expand_mul(x_lo, sin_hi),
                    )
                    y = pl.assemble(y, rot_lo, [base, 0])
                    y = pl.assemble(y, rot_hi, [base, half_dim])
            return y

    return RoPEProgram
