// RUN-ARGS: pypto-opt %s
// EXPECT: %s:6:3: error: 'pl.at' is only valid on 'scf.execute_region', not on 'scf.for'
func.func @f(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
  } {pl.at = "core_group"}
  return
}
