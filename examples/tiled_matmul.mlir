// C += A * B on 64x48 by 48x40 memrefs, the two outer loops chunked: rows in chunks of 16
// (64 = 4 full chunks: no tail), columns in chunks of 16 (40 = 2 full chunks + 8: a tail).
// The split pass handles the nest inside out; with leading_full the column loop's main nest and
// remainder both appear inside the row chunk.
//
//   pypto-opt examples/tiled_matmul.mlir -p 'builtin.module(pl-split-chunked-loops{policy=leading_full}, canonicalize, cse)'
//
// numpy reference: C + A @ B (the k loop accumulates in order, as the unchunked loop does)
func.func @matmul(%A: memref<64x48xf32>, %B: memref<48x40xf32>, %C: memref<64x40xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c40 = arith.constant 40 : index
  %c48 = arith.constant 48 : index
  %c64 = arith.constant 64 : index
  scf.for %i = %c0 to %c64 step %c1 {
    scf.for %j = %c0 to %c40 step %c1 {
      %init = memref.load %C[%i, %j] : memref<64x40xf32>
      %acc = scf.for %k = %c0 to %c48 step %c1 iter_args(%s = %init) -> (f32) {
        %a = memref.load %A[%i, %k] : memref<64x48xf32>
        %b = memref.load %B[%k, %j] : memref<48x40xf32>
        %p = arith.mulf %a, %b : f32
        %t = arith.addf %s, %p : f32
        scf.yield %t : f32
      }
      memref.store %acc, %C[%i, %j] : memref<64x40xf32>
    } {pl.chunk = 16}
  } {pl.chunk = 16, pl.parallel}
  return
}
