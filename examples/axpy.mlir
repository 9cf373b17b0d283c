// axpy: y[i] = a * x[i] + y[i] for i in [0, n), n = the length of y (dynamic). The streaming
// baseline: one multiply and one add per element, memory bound, nothing carried between
// iterations.
//
// The element loop is chunked by 1024 (4 KiB of f32 per operand: a tile of work, as the
// `parallel(..., chunk=128)` element loops of pypto-lib's hello_world) and marked pl.parallel:
// chunks are independent tasks. n is dynamic, so C usually does not divide it and the tail
// policy decides what runs the last, partial chunk.
//
//   pypto-run examples/axpy.mlir --entry axpy --arg 2.5 --arg x.npy --arg y.npy
//
// numpy reference (float32, the same two roundings per element, so bit-exact):
//   y = np.float32(a) * x + y
func.func @axpy(%a: f32, %x: memref<?xf32>, %y: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %y, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %xi = memref.load %x[%i] : memref<?xf32>
    %yi = memref.load %y[%i] : memref<?xf32>
    %ax = arith.mulf %a, %xi : f32
    %r = arith.addf %ax, %yi : f32
    memref.store %r, %y[%i] : memref<?xf32>
  } {pl.chunk = 1024, pl.parallel}
  return
}
