// layer_norm: y = (x - mean) / sqrt(var + eps) * gamma + beta over each row. Source:
// hw-native-sys/pypto-lib examples/intermediate/layer_norm.py, auto-chunk form at cddcc84e
// (parent of 43ffc489), explicit form at 43ffc489 (PR #372). Written anew in MLIR; no text of
// the source is copied. Shapes: rows ${ROWS} x hidden 64 (source 512 x 256), ROW_CHUNK = 32 as in
// the source, eps = 1e-5. The source's steps are kept: mean from pre-scaled values, the
// variance with eps added before the row sum, beta applied through a tile of ones. A row of a
// [row_chunk, hidden] tile is one vector<64xf32>. A row count that 32 does not divide makes the
// last tile run past the rows (corpus/README.md, "findings").

// (a) auto-chunk: the row-tile loop, step ROW_CHUNK, pl.parallel with chunk 1.
func.func @layer_norm_auto(%x: memref<${ROWS}x64xf32> {llvm.noalias}, %gamma: memref<1x64xf32> {llvm.noalias},
                           %beta: memref<1x64xf32> {llvm.noalias}, %y: memref<${ROWS}x64xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = arith.constant ${ROWS} : index
  %row_chunk = arith.constant 32 : index
  %hidden_inv = arith.constant dense<0.015625> : vector<64xf32>
  %eps = arith.constant dense<1.0e-05> : vector<64xf32>
  %one = arith.constant dense<1.0> : vector<64xf32>
  scf.for %r = %c0 to %rows step %row_chunk {
    %g = vector.load %gamma[%c0, %c0] : memref<1x64xf32>, vector<64xf32>
    %bt = vector.load %beta[%c0, %c0] : memref<1x64xf32>, vector<64xf32>
    scf.for %ii = %c0 to %row_chunk step %c1 {
      %row = arith.addi %r, %ii : index
      %tx = vector.load %x[%row, %c0] : memref<${ROWS}x64xf32>, vector<64xf32>
      %xs = arith.mulf %tx, %hidden_inv : vector<64xf32>
      %mean = vector.reduction <add>, %xs : vector<64xf32> into f32
      %mb = vector.broadcast %mean : f32 to vector<64xf32>
      %cen = arith.subf %tx, %mb : vector<64xf32>
      %c2 = arith.mulf %cen, %cen : vector<64xf32>
      %c2e = arith.addf %c2, %eps : vector<64xf32>
      %c2s = arith.mulf %c2e, %hidden_inv : vector<64xf32>
      %var = vector.reduction <add>, %c2s : vector<64xf32> into f32
      %std = math.sqrt %var : f32
      %sb = vector.broadcast %std : f32 to vector<64xf32>
      %normed = arith.divf %cen, %sb : vector<64xf32>
      %scaled = arith.mulf %normed, %g : vector<64xf32>
      %zx = arith.subf %tx, %tx : vector<64xf32>
      %ones = arith.addf %zx, %one : vector<64xf32>
      %ob = arith.mulf %ones, %bt : vector<64xf32>
      %res = arith.addf %scaled, %ob : vector<64xf32>
      vector.store %res, %y[%row, %c0] : memref<${ROWS}x64xf32>, vector<64xf32>
    }
  } {pl.chunk = 1, pl.parallel}
  return
}

// (b) explicit: chunks of row_chunk * 1 rows, one core-group scope each over one row tile,
// unclamped.
func.func @layer_norm_explicit(%x: memref<${ROWS}x64xf32> {llvm.noalias}, %gamma: memref<1x64xf32> {llvm.noalias},
                               %beta: memref<1x64xf32> {llvm.noalias}, %y: memref<${ROWS}x64xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = arith.constant ${ROWS} : index
  %row_chunk = arith.constant 32 : index
  %hidden_inv = arith.constant dense<0.015625> : vector<64xf32>
  %eps = arith.constant dense<1.0e-05> : vector<64xf32>
  %one = arith.constant dense<1.0> : vector<64xf32>
  %span = arith.muli %row_chunk, %c1 : index
  scf.for %r_chunk = %c0 to %rows step %span {
    scf.execute_region no_inline {
      %end = arith.addi %r_chunk, %span : index
      scf.for %r = %r_chunk to %end step %row_chunk {  // unclamped (one step)
        %g = vector.load %gamma[%c0, %c0] : memref<1x64xf32>, vector<64xf32>
        %bt = vector.load %beta[%c0, %c0] : memref<1x64xf32>, vector<64xf32>
        scf.for %ii = %c0 to %row_chunk step %c1 {
          %row = arith.addi %r, %ii : index
          %tx = vector.load %x[%row, %c0] : memref<${ROWS}x64xf32>, vector<64xf32>
          %xs = arith.mulf %tx, %hidden_inv : vector<64xf32>
          %mean = vector.reduction <add>, %xs : vector<64xf32> into f32
          %mb = vector.broadcast %mean : f32 to vector<64xf32>
          %cen = arith.subf %tx, %mb : vector<64xf32>
          %c2 = arith.mulf %cen, %cen : vector<64xf32>
          %c2e = arith.addf %c2, %eps : vector<64xf32>
          %c2s = arith.mulf %c2e, %hidden_inv : vector<64xf32>
          %var = vector.reduction <add>, %c2s : vector<64xf32> into f32
          %std = math.sqrt %var : f32
          %sb = vector.broadcast %std : f32 to vector<64xf32>
          %normed = arith.divf %cen, %sb : vector<64xf32>
          %scaled = arith.mulf %normed, %g : vector<64xf32>
          %zx = arith.subf %tx, %tx : vector<64xf32>
          %ones = arith.addf %zx, %one : vector<64xf32>
          %ob = arith.mulf %ones, %bt : vector<64xf32>
          %res = arith.addf %scaled, %ob : vector<64xf32>
          vector.store %res, %y[%row, %c0] : memref<${ROWS}x64xf32>, vector<64xf32>
        }
      }
      scf.yield
    } {pl.at = "core_group"}
  } {pl.parallel}
  return
}
