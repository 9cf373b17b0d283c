// RUN-ARGS: pypto-opt %s --pl-split-chunked-loops
// EXPECT: %s:4:8: error: 'pl.chunk' is only valid on 'scf.for', not on 'arith.constant'
func.func @f() -> index {
  %c = arith.constant {pl.chunk = 4} 8 : index
  return %c : index
}
