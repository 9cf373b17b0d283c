// RUN-ARGS: pypto-opt %s
// EXPECT: %s:3:17: error: expected non-function type
func.func @f(%a: f33) {
  return
}
