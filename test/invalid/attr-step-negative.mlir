// A descending chunked loop written with a negative step (scf.for needs a positive one).
// RUN-ARGS: pypto-opt %s -p 'builtin.module(pl-split-chunked-loops)'
// EXPECT: %s:8:3: error: chunked loop has constant step -1, which is not positive
func.func @f(%a: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c9 = arith.constant 9 : index
  %cm1 = arith.constant -1 : index
  scf.for %i = %c9 to %c0 step %cm1 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %a[%i] : memref<?xf32>
  } {pl.chunk = 4}
  return
}
