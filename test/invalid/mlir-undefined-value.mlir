// RUN-ARGS: pypto-opt %s
// EXPECT: %s:6:23: error: use of undeclared SSA value name
func.func @f(%a: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 4}
  return
}
