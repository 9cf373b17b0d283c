// A valid chunked outer loop around an invalid inner one: nothing is rewritten.
// RUN-ARGS: pypto-opt %s -p 'builtin.module(pl-split-chunked-loops, canonicalize)'
// EXPECT: %s:8:5: error: 'pl.chunk' must be a positive integer, got 0
func.func @f(%a: memref<?x?xf32>, %m: index, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %m step %c1 {
    scf.for %j = %c0 to %n step %c1 {
      %x = memref.load %a[%i, %j] : memref<?x?xf32>
      memref.store %x, %a[%i, %j] : memref<?x?xf32>
    } {pl.chunk = 0}
  } {pl.chunk = 4, pl.chunk_policy = "leading_full"}
  return
}
