// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:3: error: 'pl.chunk' is only valid on 'scf.for', not on 'scf.forall'
func.func @f(%a: memref<?xf32>, %n: index) {
  scf.forall (%i) in (%n) {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %a[%i] : memref<?xf32>
  } {pl.chunk = 4}
  return
}
