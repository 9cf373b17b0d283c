// softmax over rows: y[r, :] = exp(x[r, :] - max) / sum(exp(x[r, :] - max)). Source:
// hw-native-sys/pypto-lib examples/intermediate/softmax.py, auto-chunk form at cddcc84e (parent of
// 43ffc489), explicit form at 43ffc489 (PR #372). Written anew in MLIR; no text of the source is
// copied. Shapes: rows ${ROWS} x cols ${COLS} (source 512 x 256), ROW_CHUNK = 64 as in the source.
// A row tile is [64, cols]: each of its rows is one vector<${COLS}xf32>.
// The source steps by the tile height with chunk 1: a row count that 64 does not divide makes
// its last tile run past the rows under every policy (corpus/README.md, "findings").

// (a) auto-chunk: the row-tile loop, step ROW_CHUNK, pl.parallel with chunk 1.
func.func @softmax_auto(%x: memref<${ROWS}x${COLS}xf32> {llvm.noalias}, %y: memref<${ROWS}x${COLS}xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = arith.constant ${ROWS} : index
  %row_chunk = arith.constant 64 : index
  scf.for %r = %c0 to %rows step %row_chunk {
    scf.for %ii = %c0 to %row_chunk step %c1 {
      %row = arith.addi %r, %ii : index
      %tx = vector.load %x[%row, %c0] : memref<${ROWS}x${COLS}xf32>, vector<${COLS}xf32>
      %mx = vector.reduction <maximumf>, %tx : vector<${COLS}xf32> into f32
      %mb = vector.broadcast %mx : f32 to vector<${COLS}xf32>
      %sh = arith.subf %tx, %mb : vector<${COLS}xf32>
      %e = math.exp %sh : vector<${COLS}xf32>
      %sum = vector.reduction <add>, %e : vector<${COLS}xf32> into f32
      %sb = vector.broadcast %sum : f32 to vector<${COLS}xf32>
      %res = arith.divf %e, %sb : vector<${COLS}xf32>
      vector.store %res, %y[%row, %c0] : memref<${ROWS}x${COLS}xf32>, vector<${COLS}xf32>
    }
  } {pl.chunk = 1, pl.parallel}
  return
}

// (b) explicit: chunks of row_chunk * 1 rows, one core-group scope each over one row tile,
// unclamped.
func.func @softmax_explicit(%x: memref<${ROWS}x${COLS}xf32> {llvm.noalias}, %y: memref<${ROWS}x${COLS}xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = arith.constant ${ROWS} : index
  %row_chunk = arith.constant 64 : index
  %span = arith.muli %row_chunk, %c1 : index
  scf.for %r_chunk = %c0 to %rows step %span {
    scf.execute_region no_inline {
      %end = arith.addi %r_chunk, %span : index
      scf.for %r = %r_chunk to %end step %row_chunk {  // unclamped (one step)
        scf.for %ii = %c0 to %row_chunk step %c1 {
          %row = arith.addi %r, %ii : index
          %tx = vector.load %x[%row, %c0] : memref<${ROWS}x${COLS}xf32>, vector<${COLS}xf32>
          %mx = vector.reduction <maximumf>, %tx : vector<${COLS}xf32> into f32
          %mb = vector.broadcast %mx : f32 to vector<${COLS}xf32>
          %sh = arith.subf %tx, %mb : vector<${COLS}xf32>
          %e = math.exp %sh : vector<${COLS}xf32>
          %sum = vector.reduction <add>, %e : vector<${COLS}xf32> into f32
          %sb = vector.broadcast %sum : f32 to vector<${COLS}xf32>
          %res = arith.divf %e, %sb : vector<${COLS}xf32>
          vector.store %res, %y[%row, %c0] : memref<${ROWS}x${COLS}xf32>, vector<${COLS}xf32>
        }
      }
      scf.yield
    } {pl.at = "core_group"}
  } {pl.parallel}
  return
}
