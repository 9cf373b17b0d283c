// Sum of a 7-element vector in chunks of 5: a static trip count that C does not divide
// (T = 7 = 1 full chunk + 2). The smallest example of what each tail policy emits.
//
//   pypto-opt examples/sum7.mlir -p 'builtin.module(pl-split-chunked-loops{policy=guarded}, canonicalize, cse)'
//
// numpy reference (in order): acc = np.float32(0); for x in a: acc = np.float32(acc + x)
func.func @sum7(%a: memref<7xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.for %i = %c0 to %c7 step %c1 iter_args(%acc = %zero) -> (f32) {
    %x = memref.load %a[%i] : memref<7xf32>
    %next = arith.addf %acc, %x : f32
    scf.yield %next : f32
  } {pl.chunk = 5}
  return %sum : f32
}
