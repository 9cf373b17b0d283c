// f32 sum of a dynamic-length vector, the accumulator carried in iter_args, in chunks of 1024.
// A reduction is a chain, not independent work: it is not pl.parallel. Both tail policies keep
// the additions in source order, so every variant returns the bits of the unchunked loop.
// (LLVM does not reorder float additions without fast-math, so this loop runs at one add
// latency per element, chunked or not; numpy's pairwise SIMD sum is faster and rounds differently.)
//
//   pypto-run examples/reduce_sum.mlir --entry reduce_sum --arg x.npy
//
// numpy reference: np.sum(x, dtype=np.float64), within the classical bound of a sequential
// float32 sum, n * 2**-24 * sum(|x|); in source order: np.add.accumulate(x)[-1] (bit-exact).
func.func @reduce_sum(%x: memref<?xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %n = memref.dim %x, %c0 : memref<?xf32>
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f32) {
    %xi = memref.load %x[%i] : memref<?xf32>
    %next = arith.addf %acc, %xi : f32
    scf.yield %next : f32
  } {pl.chunk = 1024}
  return %sum : f32
}
