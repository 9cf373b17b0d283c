// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:23: error: integer constant out of range for attribute
func.func @f() -> i8 {
  %0 = arith.constant 300 : i8
  return %0 : i8
}
