// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:8: error: block with no terminator
func.func @f() {
  %0 = arith.constant 1 : index
}
