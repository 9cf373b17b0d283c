// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:22: error: operation being parsed with an unregistered dialect
func.func @f(%n: index) -> index {
  %0 = "mydialect.op"(%n) : (index) -> index
  return %0 : index
}
