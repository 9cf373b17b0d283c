// rms_norm: y[r, :] = x[r, :] * rsqrt(mean(x[r, :]^2) + eps) * gamma. Source:
// hw-native-sys/pypto-lib examples/intermediate/rms_norm.py, auto-chunk form at cddcc84e (parent
// of 43ffc489), explicit form at 43ffc489 (PR #372). Written anew in MLIR; no text of the source
// is copied. Shapes: rows ${ROWS} x hidden 128 (source 512 x 512), ROW_CHUNK = 64 and
// HIDDEN_CHUNK = 64 as in the source, eps = 1e-6. The [1, row_chunk] sum of squares is a
// vector<64xf32> carried through the hidden-chunk loop; a row of an [row_chunk, hidden_chunk]
// tile is a vector<64xf32>. The source steps by the tile height with chunk 1: a row count that
// 64 does not divide makes its last tile run past the rows (corpus/README.md, "findings").

// (a) auto-chunk: the row-tile loop, step ROW_CHUNK, pl.parallel with chunk 1.
func.func @rms_norm_auto(%x: memref<${ROWS}x128xf32> {llvm.noalias}, %gamma: memref<1x128xf32> {llvm.noalias},
                         %y: memref<${ROWS}x128xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = arith.constant ${ROWS} : index
  %row_chunk = arith.constant 64 : index
  %hidden_chunk = arith.constant 64 : index
  %hidden_blocks = arith.constant 2 : index
  %zero = arith.constant dense<0.0> : vector<64xf32>
  %hidden_inv = arith.constant dense<0.0078125> : vector<64xf32>
  %eps = arith.constant dense<1.0e-06> : vector<64xf32>
  scf.for %r = %c0 to %rows step %row_chunk {
    %sq = scf.for %hb = %c0 to %hidden_blocks step %c1 iter_args(%acc = %zero) -> (vector<64xf32>) {
      %h0 = arith.muli %hb, %hidden_chunk : index
      %next = scf.for %ii = %c0 to %row_chunk step %c1 iter_args(%s = %acc) -> (vector<64xf32>) {
        %row = arith.addi %r, %ii : index
        %xv = vector.load %x[%row, %h0] : memref<${ROWS}x128xf32>, vector<64xf32>
        %x2 = arith.mulf %xv, %xv : vector<64xf32>
        %rs = vector.reduction <add>, %x2 : vector<64xf32> into f32
        %old = vector.extract %s[%ii] : f32 from vector<64xf32>
        %new = arith.addf %old, %rs : f32
        %s2 = vector.insert %new, %s [%ii] : f32 into vector<64xf32>
        scf.yield %s2 : vector<64xf32>
      }
      scf.yield %next : vector<64xf32>
    }
    %mean = arith.mulf %sq, %hidden_inv : vector<64xf32>
    %me = arith.addf %mean, %eps : vector<64xf32>
    %inv = math.rsqrt %me : vector<64xf32>
    scf.for %hb = %c0 to %hidden_blocks step %c1 {
      %h0 = arith.muli %hb, %hidden_chunk : index
      %g = vector.load %gamma[%c0, %h0] : memref<1x128xf32>, vector<64xf32>
      scf.for %ii = %c0 to %row_chunk step %c1 {
        %row = arith.addi %r, %ii : index
        %xv = vector.load %x[%row, %h0] : memref<${ROWS}x128xf32>, vector<64xf32>
        %iv = vector.extract %inv[%ii] : f32 from vector<64xf32>
        %ib = vector.broadcast %iv : f32 to vector<64xf32>
        %xn = arith.mulf %xv, %ib : vector<64xf32>
        %yv = arith.mulf %xn, %g : vector<64xf32>
        vector.store %yv, %y[%row, %h0] : memref<${ROWS}x128xf32>, vector<64xf32>
      }
    }
  } {pl.chunk = 1, pl.parallel}
  return
}

// (b) explicit: chunks of row_chunk * 1 rows, one core-group scope each over one row tile,
// unclamped.
func.func @rms_norm_explicit(%x: memref<${ROWS}x128xf32> {llvm.noalias}, %gamma: memref<1x128xf32> {llvm.noalias},
                             %y: memref<${ROWS}x128xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = arith.constant ${ROWS} : index
  %row_chunk = arith.constant 64 : index
  %hidden_chunk = arith.constant 64 : index
  %hidden_blocks = arith.constant 2 : index
  %zero = arith.constant dense<0.0> : vector<64xf32>
  %hidden_inv = arith.constant dense<0.0078125> : vector<64xf32>
  %eps = arith.constant dense<1.0e-06> : vector<64xf32>
  %span = arith.muli %row_chunk, %c1 : index
  scf.for %r_chunk = %c0 to %rows step %span {
    scf.execute_region no_inline {
      %end = arith.addi %r_chunk, %span : index
      scf.for %r = %r_chunk to %end step %row_chunk {  // unclamped (one step)
        %sq = scf.for %hb = %c0 to %hidden_blocks step %c1 iter_args(%acc = %zero) -> (vector<64xf32>) {
          %h0 = arith.muli %hb, %hidden_chunk : index
          %next = scf.for %ii = %c0 to %row_chunk step %c1 iter_args(%s = %acc) -> (vector<64xf32>) {
            %row = arith.addi %r, %ii : index
            %xv = vector.load %x[%row, %h0] : memref<${ROWS}x128xf32>, vector<64xf32>
            %x2 = arith.mulf %xv, %xv : vector<64xf32>
            %rs = vector.reduction <add>, %x2 : vector<64xf32> into f32
            %old = vector.extract %s[%ii] : f32 from vector<64xf32>
            %new = arith.addf %old, %rs : f32
            %s2 = vector.insert %new, %s [%ii] : f32 into vector<64xf32>
            scf.yield %s2 : vector<64xf32>
          }
          scf.yield %next : vector<64xf32>
        }
        %mean = arith.mulf %sq, %hidden_inv : vector<64xf32>
        %me = arith.addf %mean, %eps : vector<64xf32>
        %inv = math.rsqrt %me : vector<64xf32>
        scf.for %hb = %c0 to %hidden_blocks step %c1 {
          %h0 = arith.muli %hb, %hidden_chunk : index
          %g = vector.load %gamma[%c0, %h0] : memref<1x128xf32>, vector<64xf32>
          scf.for %ii = %c0 to %row_chunk step %c1 {
            %row = arith.addi %r, %ii : index
            %xv = vector.load %x[%row, %h0] : memref<${ROWS}x128xf32>, vector<64xf32>
            %iv = vector.extract %inv[%ii] : f32 from vector<64xf32>
            %ib = vector.broadcast %iv : f32 to vector<64xf32>
            %xn = arith.mulf %xv, %ib : vector<64xf32>
            %yv = arith.mulf %xn, %g : vector<64xf32>
            vector.store %yv, %y[%row, %h0] : memref<${ROWS}x128xf32>, vector<64xf32>
          }
        }
      }
      scf.yield
    } {pl.at = "core_group"}
  } {pl.parallel}
  return
}
