// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:8: error: operand #0 does not dominate this use
func.func @f() -> index {
  %0 = arith.addi %1, %1 : index
  %1 = arith.constant 1 : index
  return %0 : index
}
