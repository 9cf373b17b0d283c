// RUN-ARGS: pypto-opt %s -p 'builtin.module(pl-default)'
// EXPECT: %s:6:3: error: 'pl.chunk' is only valid on 'scf.for', not on 'scf.parallel'
func.func @f(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %a[%i] : memref<?xf32>
    scf.reduce
  } {pl.chunk = 4}
  return
}
