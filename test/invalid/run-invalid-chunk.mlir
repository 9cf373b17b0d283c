// RUN-ARGS: pypto-run %s --entry f --arg 8
// EXPECT: %s:6:3: error: 'pl.chunk' must be a positive integer, got 0
func.func @f(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 0}
  return
}
