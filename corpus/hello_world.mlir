// hello_world: y = x + a, row by row. Source: hw-native-sys/pypto-lib
// examples/beginner/hello_world.py, auto-chunk form at cddcc84e (the parent of 43ffc489),
// explicit form at 43ffc489 (PR #372). Written anew in MLIR; no text of the source is copied.
// Shapes: rows ${ROWS}, cols ${COLS} (source: 1024 x 512), ROW_CHUNK = 128 as in the source.
// Tiles: a [1, cols] row is one vector<${COLS}xf32>.

// (a) auto-chunk: the row loop, step 1, pl.parallel with chunk ROW_CHUNK.
func.func @hello_world_auto(%x: memref<${ROWS}x${COLS}xf32> {llvm.noalias}, %a: f32,
                            %y: memref<${ROWS}x${COLS}xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = arith.constant ${ROWS} : index
  scf.for %r = %c0 to %rows step %c1 {
    %tx = vector.load %x[%r, %c0] : memref<${ROWS}x${COLS}xf32>, vector<${COLS}xf32>
    %av = vector.broadcast %a : f32 to vector<${COLS}xf32>
    %ty = arith.addf %tx, %av : vector<${COLS}xf32>
    vector.store %ty, %y[%r, %c0] : memref<${ROWS}x${COLS}xf32>, vector<${COLS}xf32>
  } {pl.chunk = 128, pl.parallel}
  return
}

// (b) explicit, as the PR spelled it: chunks of 1 * row_chunk rows, each a core-group scope
// over [r_chunk, r_chunk + 1 * row_chunk), unclamped.
func.func @hello_world_explicit(%x: memref<${ROWS}x${COLS}xf32> {llvm.noalias}, %a: f32,
                                %y: memref<${ROWS}x${COLS}xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = arith.constant ${ROWS} : index
  %row_chunk = arith.constant 128 : index
  %span = arith.muli %c1, %row_chunk : index
  scf.for %r_chunk = %c0 to %rows step %span {
    scf.execute_region no_inline {
      %end = arith.addi %r_chunk, %span : index
      scf.for %r = %r_chunk to %end step %c1 {  // unclamped
        %tx = vector.load %x[%r, %c0] : memref<${ROWS}x${COLS}xf32>, vector<${COLS}xf32>
        %av = vector.broadcast %a : f32 to vector<${COLS}xf32>
        %ty = arith.addf %tx, %av : vector<${COLS}xf32>
        vector.store %ty, %y[%r, %c0] : memref<${ROWS}x${COLS}xf32>, vector<${COLS}xf32>
      }
      scf.yield
    } {pl.at = "core_group"}
  } {pl.parallel}
  return
}
