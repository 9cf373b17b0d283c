// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:3: error: 'func.return' op has 0 operands, but enclosing function (@f) returns 1
func.func @f() -> index {
  return
}
