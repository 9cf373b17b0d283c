// RUN-ARGS: pypto-opt %s
// EXPECT: %s:6:3: error: unknown attribute 'pl.paralel' in the pl namespace; did you mean 'pl.parallel'?
func.func @f(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %a[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.paralel}
  return
}
