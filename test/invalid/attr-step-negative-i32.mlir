// RUN-ARGS: pypto-opt %s --pl-default
// EXPECT: %s:6:8: error: chunked loop has constant step -2, which is not positive
func.func @f(%n: i32) -> i32 {
  %c0 = arith.constant 0 : i32
  %cm2 = arith.constant -2 : i32
  %r = scf.for %i = %n to %c0 step %cm2 iter_args(%s = %c0) -> (i32) : i32 {
    %t = arith.addi %s, %i : i32
    scf.yield %t : i32
  } {pl.chunk = 2}
  return %r : i32
}
