// RUN-ARGS: pypto-opt %s
// EXPECT: %s:7:6: error: expected operation name in quotes
func.func @f(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
  } } {pl.chunk = 4}
  return
}
