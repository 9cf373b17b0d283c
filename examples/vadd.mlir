// Vector add, c[i] = a[i] + b[i] for i in [0, n), in chunks of 4 iterations. Each chunk is one
// unit of work (pl.parallel: the chunks may run as separate tasks). n is dynamic, so the tail
// policy decides what happens to the last, partial chunk.
//
//   pypto-opt examples/vadd.mlir -p 'builtin.module(pl-default)'
//
// numpy reference: c = a + b
func.func @vadd(%a: memref<?xf32>, %b: memref<?xf32>, %c: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    %y = memref.load %b[%i] : memref<?xf32>
    %s = arith.addf %x, %y : f32
    memref.store %s, %c[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}
