// RUN-ARGS: pypto-opt %s
// EXPECT: %s:6:8: error: custom op 'arith.frobnicate' is unknown
func.func @f(%n: index) -> index {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = arith.frobnicate %n, %c1 : index
  return %0 : index
}
