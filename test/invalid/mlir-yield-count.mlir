// The loop carries a value but its body yields nothing.
// RUN-ARGS: pypto-opt %s
// EXPECT: %s:8:8: error: 'scf.for' op along control flow edge from Operation scf.yield to Region #0
func.func @f(%a: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%s = %zero) -> (f32) {
    %x = memref.load %a[%i] : memref<?xf32>
    scf.yield
  } {pl.chunk = 4}
  return %r : f32
}
