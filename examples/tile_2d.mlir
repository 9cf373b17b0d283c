// A 2-D elementwise kernel with both loops chunked and pl.parallel: the smallest nest that
// pl-interchange-chunk-loops turns into blocks of chunks (one task = a C1 x C2 block).
//
//   pypto-opt examples/tile_2d.mlir -p 'builtin.module(pl-split-chunked-loops, pl-interchange-chunk-loops, canonicalize, cse)'
//
// numpy reference: m[:rows, :cols] *= 2
func.func @tile_2d(%m: memref<?x?xf32>, %rows: index, %cols: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %two = arith.constant 2.0 : f32
  scf.for %i = %c0 to %rows step %c1 {
    scf.for %j = %c0 to %cols step %c1 {
      %x = memref.load %m[%i, %j] : memref<?x?xf32>
      %y = arith.mulf %x, %two : f32
      memref.store %y, %m[%i, %j] : memref<?x?xf32>
    } {pl.chunk = 8, pl.parallel}
  } {pl.chunk = 4, pl.parallel}
  return
}
