// Chunked loops written by hand, as a kernel library wrote them after PyPTO dropped `chunk=`:
//   for o in parallel(lb, ub, S): for i in range(o, o + S): ...
// The first kernel's last chunk runs past ub whenever ub - lb is not a multiple of S; the
// second clamps it and is clean.
//
//   pypto-opt examples/explicit_chunks.mlir -p 'builtin.module(pl-check-chunk-bounds)'
func.func @row_sums(%x: memref<?x64xf32>, %out: memref<?xf32>, %rows: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.for %o = %c0 to %rows step %c16 {
    %end = arith.addi %o, %c16 : index
    scf.for %r = %o to %end step %c1 {
      %s = scf.for %c = %c0 to %c64 step %c1 iter_args(%acc = %zero) -> (f32) {
        %v = memref.load %x[%r, %c] : memref<?x64xf32>
        %t = arith.addf %acc, %v : f32
        scf.yield %t : f32
      }
      memref.store %s, %out[%r] : memref<?xf32>
    }
  } {pl.parallel}
  return
}

func.func @row_sums_clamped(%x: memref<?x64xf32>, %out: memref<?xf32>, %rows: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.for %o = %c0 to %rows step %c16 {
    %end = arith.addi %o, %c16 : index
    %last = arith.minsi %end, %rows : index
    scf.for %r = %o to %last step %c1 {
      %s = scf.for %c = %c0 to %c64 step %c1 iter_args(%acc = %zero) -> (f32) {
        %v = memref.load %x[%r, %c] : memref<?x64xf32>
        %t = arith.addf %acc, %v : f32
        scf.yield %t : f32
      }
      memref.store %s, %out[%r] : memref<?xf32>
    }
  } {pl.parallel}
  return
}
