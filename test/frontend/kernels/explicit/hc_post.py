"""hc_post (pypto-lib models/deepseek/v4), PR #372 form: the hyper-connections post-mix,
y[t, o, :] = x[t, :] * post[t, o] + sum_i residual[t, i, :] * comb[t, i, o].

Edits against the source, besides the import: the sizes of `config` are written here (small
ones), with a D_CHUNK that fits their D. The types are the source's: x, residual and y BF16
(ml_dtypes bfloat16 arrays from numpy), post and comb FP32, the mix computed in FP32 and
rounded to BF16 once (pypto-lib 149c0398, models/deepseek/v4/hc_post.py).
"""

import pypto_mlir.language as pl

B = 4
S = 5
T = B * S
D = 128
HC_MULT = 4
HC_DIM = HC_MULT * D

D_CHUNK = 64
D_BLOCKS = D // D_CHUNK


@pl.jit.inline
def hc_post(
    x: pl.Tensor[[B, S, D], pl.BF16],
    residual: pl.Tensor[[B, S, HC_MULT, D], pl.BF16],
    post: pl.Tensor[[B, S, HC_MULT], pl.FP32],
    comb: pl.Tensor[[B, S, HC_MULT, HC_MULT], pl.FP32],
    y: pl.Out[pl.Tensor[[B, S, HC_MULT, D], pl.BF16]],
):
    x_flat = pl.reshape(x, [T, D])
    residual_flat = pl.reshape(residual, [T, HC_DIM])
    post_flat = pl.reshape(post, [T * HC_MULT])
    comb_flat = pl.reshape(comb, [T * HC_MULT * HC_MULT])
    y_flat = pl.reshape(y, [T, HC_DIM])

    for out_h in pl.parallel(HC_MULT):
        for t_chunk in pl.parallel(0, T, 1 * 16):
            with pl.at(level=pl.Level.CORE_GROUP, name_hint="hc_post"):
                for t in pl.range(t_chunk, t_chunk + 1 * 16, 1):
                    post_w = pl.read(post_flat, [t * HC_MULT + out_h])
                    for db in pl.range(D_BLOCKS):
                        d0 = db * D_CHUNK
                        x_row = pl.cast(
                            pl.slice(x_flat, [1, D_CHUNK], [t, d0]),
                            target_type=pl.FP32,
                        )
                        y_row = pl.mul(x_row, post_w)
                        for in_h in pl.range(HC_MULT):
                            comb_w = pl.read(
                                comb_flat,
                                [t * HC_MULT * HC_MULT + in_h * HC_MULT + out_h],
                            )
                            residual_row = pl.cast(
                                pl.slice(residual_flat, [1, D_CHUNK], [t, in_h * D + d0]),
                                target_type=pl.FP32,
                            )
                            y_row = pl.add(y_row, pl.mul(residual_row, comb_w))
                        y_flat = pl.assemble(
                            y_flat,
                            pl.cast(y_row, target_type=pl.BF16, mode="rint"),
                            [t, out_h * D + d0],
                        )
    y = pl.reshape(y_flat, [B, S, HC_MULT, D])
    return y


@pl.jit
def hc_post_test(
    x: pl.Tensor[[B, S, D], pl.BF16],
    residual: pl.Tensor[[B, S, HC_MULT, D], pl.BF16],
    post: pl.Tensor[[B, S, HC_MULT], pl.FP32],
    comb: pl.Tensor[[B, S, HC_MULT, HC_MULT], pl.FP32],
    y: pl.Out[pl.Tensor[[B, S, HC_MULT, D], pl.BF16]],
):
    y = hc_post(x, residual, post, comb, y)
    return y
