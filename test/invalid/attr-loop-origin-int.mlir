// RUN-ARGS: pypto-opt %s
// EXPECT: %s:6:3: error: 'pl.loop_origin' expects a string, got 1 : i64
func.func @f(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %a[%i] : memref<?xf32>
  } {pl.loop_origin = 1}
  return
}
