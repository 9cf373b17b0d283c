// RUN-ARGS: pypto-opt %s
// EXPECT: %s:5:3: error: 'scf.for' op expected 3 or more operands, but found 2
func.func @f(%n: index) {
  %c0 = arith.constant 0 : index
  "scf.for"(%c0, %n) ({
  ^bb0(%i: index):
    scf.yield
  }) {pl.chunk = 4} : (index, index) -> ()
  return
}
