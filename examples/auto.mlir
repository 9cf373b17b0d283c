// One loop per row of the auto policy's decision table (docs/policies.md):
//
//   pypto-opt examples/auto.mlir -p 'builtin.module(pl-split-chunked-loops{policy=auto explain=true})'
//
// prints, as a remark at each loop, what auto chose and why.
func.func @auto_table(%x: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %c12 = arith.constant 12 : index
  %zero = arith.constant 0.0 : f32
  // static, divisible: no tail code
  scf.for %i = %c0 to %c12 step %c1 {
    %v = memref.load %x[%i] : memref<?xf32>
    memref.store %v, %x[%i] : memref<?xf32>
  } {pl.chunk = 4}
  // static, remainder 2: leading_full
  scf.for %i = %c0 to %c10 step %c1 {
    %v = memref.load %x[%i] : memref<?xf32>
    memref.store %v, %x[%i] : memref<?xf32>
  } {pl.chunk = 4}
  // dynamic, carried: guarded
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f32) {
    %v = memref.load %x[%i] : memref<?xf32>
    %s = arith.addf %acc, %v : f32
    scf.yield %s : f32
  } {pl.chunk = 4}
  // dynamic, parallel: guarded
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf32>
    %d = arith.addf %v, %v : f32
    memref.store %d, %x[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  // dynamic, nothing carried, not parallel: clamped
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf32>
    %d = arith.mulf %v, %v : f32
    memref.store %d, %x[%i] : memref<?xf32>
  } {pl.chunk = 4}
  return %sum : f32
}
