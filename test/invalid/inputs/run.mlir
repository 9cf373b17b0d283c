// The entry of the pypto-run cases of cases.toml. test_invalid.py checks that
// `pypto-run inputs/run.mlir --entry f --arg A.npy --arg 3 --arg 1.5 --arg 1 --arg -7` runs, so
// each case fails because of its arguments only.
func.func @f(%a: memref<4xf32>, %n: index, %x: f32, %b: i1, %k: i8) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    memref.store %x, %a[%i] : memref<4xf32>
  } {pl.chunk = 2}
  return
}
