// RUN-ARGS: pypto-opt %s
// EXPECT: %s:5:2: error: expected ')'
func.func @f(%a: memref<?xf32> {
  return
}
