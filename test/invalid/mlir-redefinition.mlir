// RUN-ARGS: pypto-opt %s
// EXPECT: %s:5:3: error: redefinition of SSA value '%c0'
func.func @f() {
  %c0 = arith.constant 0 : index
  %c0 = arith.constant 1 : index
  return
}
