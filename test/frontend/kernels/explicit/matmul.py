"""matmul (pypto-lib examples/beginner), PR #372 form: C = A @ B, M and N tiles in chunks."""

import pypto_mlir.language as pl

M = 256
N = 256
K = 256
M_TILE = 64
N_TILE = 64
M_CHUNK = 2
N_CHUNK = 2


def build_matmul_program(
    m: int = M,
    n: int = N,
    k: int = K,
    m_tile: int = M_TILE,
    n_tile: int = N_TILE,
    m_chunk: int = M_CHUNK,
    n_chunk: int = N_CHUNK,
):
    @pl.program
    class MatmulProgram:
        @pl.function(type=pl.FunctionType.Opaque)
        def matmul(
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
                                tile_a = pl.slice(a, [m_tile, k], [mb, 0])
                                tile_b = pl.slice(b, [k, n_tile], [0, nb])
                                tile_c = pl.matmul(tile_a, tile_b)
                                c = pl.assemble(c, tile_c, [mb, nb])
            return c

    return MatmulProgram
