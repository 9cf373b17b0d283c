// Sum of an 8x3 matrix with both loops chunked: rows 8 in chunks of 4 (divisible), columns 3 in
// chunks of 2 (one full chunk + 1). One accumulator threads through both loops as iter_args.
//
//   pypto-opt examples/nested_sum.mlir -p 'builtin.module(pl-split-chunked-loops{policy=leading_full}, canonicalize, cse)'
//
// numpy reference (row-major order): acc = np.float32(0); for x in m.ravel(): acc = np.float32(acc + x)
func.func @nested_sum(%m: memref<8x3xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.for %i = %c0 to %c8 step %c1 iter_args(%row_acc = %zero) -> (f32) {
    %r = scf.for %j = %c0 to %c3 step %c1 iter_args(%acc = %row_acc) -> (f32) {
      %x = memref.load %m[%i, %j] : memref<8x3xf32>
      %next = arith.addf %acc, %x : f32
      scf.yield %next : f32
    } {pl.chunk = 2}
    scf.yield %r : f32
  } {pl.chunk = 4, pl.parallel}
  return %sum : f32
}
