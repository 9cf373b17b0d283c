// Tiled GEMM, C += A @ B on 256 x 256 f32 matrices with 32 x 32 tiles, after pypto-lib's
// examples/intermediate/gemm.py (there: 64 x 64 tiles, `pl.parallel(0, 256, 64, chunk=2)`).
//
// Both tile loops step over the matrix by 32 (8 tiles each) and are pl.parallel with chunk 3:
// nested chunked loops, and 8 = 2 * 3 + 2 so each has a partial last chunk (a tail in both
// dimensions: 3 x 3 chunks of tiles, the last row and column of chunks 2 tiles wide). The
// K-tile loop is sequential (a chain through C, like PyPTO's matmul_acc loop) and not chunked.
// Inside a tile, each row of C is a vector<32xf32> accumulator carried through the k loop:
// every C element still accumulates its 256 products one at a time, in k order.
//
//   pypto-run examples/gemm.mlir --entry gemm --arg a.npy --arg b.npy --arg c.npy
//
// numpy reference (float64): C + A @ B, within the classical dot-product error bound
// (K + 2) * 2**-24 * (|C| + |A| @ |B|). In source order, in float32 (bit-exact):
//   for k in range(256): C = C + np.outer(A[:, k], B[k, :])
func.func @gemm(%A: memref<256x256xf32>, %B: memref<256x256xf32>, %C: memref<256x256xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c256 = arith.constant 256 : index
  scf.for %i0 = %c0 to %c256 step %c32 {
    scf.for %j0 = %c0 to %c256 step %c32 {
      scf.for %k0 = %c0 to %c256 step %c32 {
        // One 32 x 32 x 32 tile product: each row of the C tile is loaded once into a
        // vector<32xf32> accumulator, carried in iter_args through the k loop (PyPTO's
        // acc = matmul_acc(acc, ...)), and stored back.
        scf.for %ii = %c0 to %c32 step %c1 {
          %i = arith.addi %i0, %ii : index
          %row = vector.load %C[%i, %j0] : memref<256x256xf32>, vector<32xf32>
          %acc = scf.for %kk = %c0 to %c32 step %c1 iter_args(%r = %row) -> (vector<32xf32>) {
            %k = arith.addi %k0, %kk : index
            %a = memref.load %A[%i, %k] : memref<256x256xf32>
            %av = vector.broadcast %a : f32 to vector<32xf32>
            %b = vector.load %B[%k, %j0] : memref<256x256xf32>, vector<32xf32>
            %p = arith.mulf %av, %b : vector<32xf32>
            %s = arith.addf %r, %p : vector<32xf32>
            scf.yield %s : vector<32xf32>
          }
          vector.store %acc, %C[%i, %j0] : memref<256x256xf32>, vector<32xf32>
        }
      }
    } {pl.chunk = 3, pl.parallel}
  } {pl.chunk = 3, pl.parallel}
  return
}
