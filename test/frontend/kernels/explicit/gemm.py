"""gemm (pypto-lib examples/intermediate), PR #372 form: C = A @ B with M, N and K tiles; the
first K tile starts the accumulator (matmul), the others add to it (matmul_acc)."""

import pypto_mlir.language as pl

M = 256
N = 256
K = 256
M_TILE = 64
N_TILE = 64
K_TILE = 64
M_CHUNK = 2
N_CHUNK = 2


def build_gemm_program(
    m: int = M,
    n: int = N,
    k: int = K,
    m_tile: int = M_TILE,
    n_tile: int = N_TILE,
    k_tile: int = K_TILE,
    m_chunk: int = M_CHUNK,
    n_chunk: int = N_CHUNK,
):
    k_blocks = k // k_tile

    @pl.program
    class GemmProgram:
        @pl.function(type=pl.FunctionType.Opaque)
        def gemm(
            self,
            a: pl.Tensor[[m, k], pl.FP32],
            b: pl.Tensor[[k, n], pl.FP32],
            c: pl.Out[pl.Tensor[[m, n], pl.FP32]],
        ) -> pl.Tensor[[m, n], pl.FP32]:
            for mb_chunk in pl.parallel(0, m, m_tile * m_chunk):
                for nb_chunk in pl.parallel(0, n, n_tile * n_chunk):
                    with pl.at(level=pl.Level.CORE_GROUP):
                        for mb in pl.range(mb_chunk, mb_chunk + m_tile * m_chunk, m_tile):
                            for nb in pl.range(nb_chunk, nb_chunk + n_tile * n_chunk, n_tile):
                                tile_a = pl.slice(a, [m_tile, k_tile], [mb, 0])
                                tile_b = pl.slice(b, [k_tile, n_tile], [0, nb])
                                acc = pl.matmul(tile_a, tile_b)

                                for kb in pl.range(1, k_blocks):
                                    k0 = kb * k_tile
                                    tile_a_i = pl.slice(a, [m_tile, k_tile], [mb, k0])
                                    tile_b_i = pl.slice(b, [k_tile, n_tile], [k0, nb])
                                    acc = pl.matmul_acc(acc, tile_a_i, tile_b_i)

                                c = pl.assemble(c, acc, [mb, nb])
            return c

    return GemmProgram
