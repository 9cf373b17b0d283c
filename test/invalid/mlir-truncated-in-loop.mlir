// The file ends inside a loop body (an interrupted copy or download).
// RUN-ARGS: pypto-opt %s
// EXPECT: %s:10:19: error: expected operation name in quotes
func.func @f(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %a[%i] : memref<?xf32>
  } {pl.chunk = 4}
