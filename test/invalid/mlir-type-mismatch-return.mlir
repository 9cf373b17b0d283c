// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:3: error: type of return operand 0 ('i32') doesn't match function result type ('f32') in function @f
func.func @f(%a: i32) -> f32 {
  return %a : i32
}
