// RUN-ARGS: pypto-opt %s
// EXPECT: %s:7:17: error: integer constant out of range for attribute
func.func @f(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 99999999999999999999}
  return
}
