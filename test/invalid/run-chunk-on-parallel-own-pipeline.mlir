// RUN-ARGS: pypto-run %s --entry f --arg 8 -p 'builtin.module(pl-split-chunked-loops)'
// EXPECT: %s:6:3: error: 'pl.chunk' is only valid on 'scf.for', not on 'scf.parallel'
func.func @f(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    scf.reduce
  } {pl.chunk = 4}
  return
}
