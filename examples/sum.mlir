// Float sum of a[lo + 0], a[lo + 2], ... below hi: a strided reduction whose accumulator is an
// iter_arg, in chunks of 4 iterations. Both policies keep the additions in source order, so the
// result is bit-identical to the unchunked loop.
//
//   pypto-opt examples/sum.mlir -p 'builtin.module(pl-default)'
//
// numpy reference (sequential float32 accumulation, in order):
//   acc = np.float32(0); for x in a[lo:hi:2]: acc = np.float32(acc + x)
func.func @strided_sum(%a: memref<?xf32>, %lo: index, %hi: index) -> f32 {
  %c2 = arith.constant 2 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.for %i = %lo to %hi step %c2 iter_args(%acc = %zero) -> (f32) {
    %x = memref.load %a[%i] : memref<?xf32>
    %next = arith.addf %acc, %x : f32
    scf.yield %next : f32
  } {pl.chunk = 4}
  return %sum : f32
}
