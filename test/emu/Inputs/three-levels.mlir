func.func @three(%m: memref<?x?x?xf32>, %n1: index, %n2: index, %n3: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n1 step %c1 {
    scf.for %j = %c0 to %n2 step %c1 {
      scf.for %k = %c0 to %n3 step %c1 {
        %x = memref.load %m[%i, %j, %k] : memref<?x?x?xf32>
        %y = arith.addf %x, %x : f32
        memref.store %y, %m[%i, %j, %k] : memref<?x?x?xf32>
      } {pl.chunk = 3, pl.parallel}
    } {pl.chunk = 4, pl.parallel}
  } {pl.chunk = 2, pl.parallel}
  return
}
