// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:3: error: 'pl.chunk' is only valid on 'scf.for', not on 'scf.if'
func.func @f(%c: i1) {
  scf.if %c {
  } {pl.chunk = 4}
  return
}
