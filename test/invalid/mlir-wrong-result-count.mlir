// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:3: error: operation defines 1 results but was provided 2 to bind
func.func @f() {
  %a, %b = arith.constant 1 : index
  return
}
