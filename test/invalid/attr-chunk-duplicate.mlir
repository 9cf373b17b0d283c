// RUN-ARGS: pypto-opt %s
// EXPECT: %s:7:20: error: duplicate key 'pl.chunk' in dictionary attribute
func.func @f(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 4, pl.chunk = 8}
  return
}
