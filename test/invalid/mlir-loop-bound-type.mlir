// RUN-ARGS: pypto-opt %s
// EXPECT: %s:6:16: error: use of value '%c0' expects different type than prior uses: 'index' vs 'i32'
func.func @f(%n: index) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 4}
  return
}
