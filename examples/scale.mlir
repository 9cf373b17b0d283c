// scale: out[i] = a * x[i] for i in [0, n), n = the length of out (dynamic). A store-only
// streaming kernel: each iteration writes one element from inputs it never writes, so running
// an iteration twice changes nothing. That makes the shift_inwards policy legal (the last chunk
// moves back to end at n and overlaps its predecessor, so every chunk is full): x is marked
// `llvm.noalias`, the promise that it does not overlap out.
//
//   pypto-run examples/scale.mlir --entry scale --arg 2.5 --arg x.npy --arg out.npy
//
// numpy reference (float32, one rounding per element, so bit-exact): out = np.float32(a) * x
func.func @scale(%a: f32, %x: memref<?xf32> {llvm.noalias}, %out: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %out, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %xi = memref.load %x[%i] : memref<?xf32>
    %r = arith.mulf %a, %xi : f32
    memref.store %r, %out[%i] : memref<?xf32>
  } {pl.chunk = 1024, pl.parallel}
  return
}
