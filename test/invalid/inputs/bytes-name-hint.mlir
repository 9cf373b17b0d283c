// Input of the bytes-name-hint cases of cases.toml: a pl.name_hint that is not UTF-8 (MLIR accepts it).
func.func @f(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %a[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel, pl.name_hint = "k\FF"}
  return
}
