// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:23: error: use of value '%b' expects different type than prior uses: 'i32' vs 'f32'
func.func @f(%a: i32, %b: f32) -> i32 {
  %0 = arith.addi %a, %b : i32
  return %0 : i32
}
