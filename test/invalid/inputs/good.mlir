// A valid module: the cases of cases.toml that run pypto-opt on it fail because of their flags
// or pipeline, never because of the input (test_invalid.py checks that it passes cleanly).
func.func @f(%a: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%s = %zero) -> (f32) {
    %x = memref.load %a[%i] : memref<?xf32>
    %t = arith.addf %s, %x : f32
    scf.yield %t : f32
  } {pl.chunk = 4}
  return %r : f32
}
