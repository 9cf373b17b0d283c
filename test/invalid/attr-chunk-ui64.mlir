// RUN-ARGS: pypto-opt %s -p 'builtin.module(pl-split-chunked-loops)'
// EXPECT: %s:6:3: error: 'pl.chunk' expects an integer (i64, or index), got 18446744073709551615 : ui64
func.func @f(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %a[%i] : memref<?xf32>
  } {pl.chunk = 18446744073709551615 : ui64}
  return
}
