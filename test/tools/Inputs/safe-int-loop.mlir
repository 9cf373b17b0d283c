// A loop no upstream pass can miscount: from 0 to %n step 1, whatever %n is.
func.func @safe(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %k = arith.muli %c1, %c2 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %a[%k] : memref<?xf32>
  }
  return
}
