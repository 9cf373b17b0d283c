// RUN-ARGS: pypto-opt %s
// EXPECT: %s:6:3: error: 'pl.parallel' is only valid on 'scf.for' or 'scf.execute_region', not on 'scf.parallel'
func.func @f(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    scf.reduce
  } {pl.parallel}
  return
}
