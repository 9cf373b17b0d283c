"""matmul (pypto-lib examples/beginner), chunk= form: C = A @ B, M and N tiles in chunks."""

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
            with pl.at(level=pl.Level.CORE_GROUP, optimization=pl.chunked_loop_optimizer):
                for mb in pl.parallel(0, m, m_tile, chunk=m_chunk):
                    for nb in pl.parallel(0, n, n_tile, chunk=n_chunk):
                        tile_a = pl.slice(a, [m_tile, k], [mb, 0])
                        tile_b = pl.slice(b, [k, n_tile], [0, nb])
                        tile_c = pl.matmul(tile_a, tile_b)
                        c = pl.assemble(c, tile_c, [mb, nb])
            return c

    return MatmulProgram
