// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:3: error: 'pl.chunk' is only valid on 'scf.for', not on 'affine.for'
func.func @f(%a: memref<16xf32>) {
  affine.for %i = 0 to 16 {
    %x = affine.load %a[%i] : memref<16xf32>
    affine.store %x, %a[%i] : memref<16xf32>
  } {pl.chunk = 4}
  return
}
