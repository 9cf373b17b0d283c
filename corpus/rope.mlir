// rope: rotary position embedding of each head row, x = [lo | hi] halves:
// y_lo = x_lo * cos_lo - x_hi * sin_lo, y_hi = x_hi * cos_hi + x_lo * sin_hi. Source:
// hw-native-sys/pypto-lib examples/intermediate/rope.py, auto-chunk form at cddcc84e (parent of
// 43ffc489), explicit form at 43ffc489 (PR #372). Written anew in MLIR; no text of the source is
// copied. Shapes: batch ${B} (source 16), 4 heads (source 8), head_dim 32 (source 128): x and y
// are [batch * heads, head_dim]; BATCH_CHUNK = 4 as in the source. A [heads, half] slice is one
// vector<16xf32> per head row.

// (a) auto-chunk: the batch loop, step 1, pl.parallel with chunk 4.
func.func @rope_auto(%x: memref<${ROWS}x32xf32> {llvm.noalias}, %cos: memref<1x32xf32> {llvm.noalias}, %sin: memref<1x32xf32> {llvm.noalias},
                     %y: memref<${ROWS}x32xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %batch = arith.constant ${B} : index
  %num_heads = arith.constant 4 : index
  %half = arith.constant 16 : index
  scf.for %b = %c0 to %batch step %c1 {
    %cos_lo = vector.load %cos[%c0, %c0] : memref<1x32xf32>, vector<16xf32>
    %cos_hi = vector.load %cos[%c0, %half] : memref<1x32xf32>, vector<16xf32>
    %sin_lo = vector.load %sin[%c0, %c0] : memref<1x32xf32>, vector<16xf32>
    %sin_hi = vector.load %sin[%c0, %half] : memref<1x32xf32>, vector<16xf32>
    %base = arith.muli %b, %num_heads : index
    scf.for %h = %c0 to %num_heads step %c1 {
      %row = arith.addi %base, %h : index
      %x_lo = vector.load %x[%row, %c0] : memref<${ROWS}x32xf32>, vector<16xf32>
      %x_hi = vector.load %x[%row, %half] : memref<${ROWS}x32xf32>, vector<16xf32>
      %a = arith.mulf %x_lo, %cos_lo : vector<16xf32>
      %bb = arith.mulf %x_hi, %sin_lo : vector<16xf32>
      %rot_lo = arith.subf %a, %bb : vector<16xf32>
      %c = arith.mulf %x_hi, %cos_hi : vector<16xf32>
      %d = arith.mulf %x_lo, %sin_hi : vector<16xf32>
      %rot_hi = arith.addf %c, %d : vector<16xf32>
      vector.store %rot_lo, %y[%row, %c0] : memref<${ROWS}x32xf32>, vector<16xf32>
      vector.store %rot_hi, %y[%row, %half] : memref<${ROWS}x32xf32>, vector<16xf32>
    }
  } {pl.chunk = 4, pl.parallel}
  return
}

// (b) explicit: chunks of 1 * batch_chunk batch entries, one core-group scope each, unclamped.
func.func @rope_explicit(%x: memref<${ROWS}x32xf32> {llvm.noalias}, %cos: memref<1x32xf32> {llvm.noalias},
                         %sin: memref<1x32xf32> {llvm.noalias}, %y: memref<${ROWS}x32xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %batch = arith.constant ${B} : index
  %num_heads = arith.constant 4 : index
  %half = arith.constant 16 : index
  %batch_chunk = arith.constant 4 : index
  %span = arith.muli %c1, %batch_chunk : index
  scf.for %b_chunk = %c0 to %batch step %span {
    scf.execute_region no_inline {
      %end = arith.addi %b_chunk, %span : index
      scf.for %b = %b_chunk to %end step %c1 {  // unclamped
        %cos_lo = vector.load %cos[%c0, %c0] : memref<1x32xf32>, vector<16xf32>
        %cos_hi = vector.load %cos[%c0, %half] : memref<1x32xf32>, vector<16xf32>
        %sin_lo = vector.load %sin[%c0, %c0] : memref<1x32xf32>, vector<16xf32>
        %sin_hi = vector.load %sin[%c0, %half] : memref<1x32xf32>, vector<16xf32>
        %base = arith.muli %b, %num_heads : index
        scf.for %h = %c0 to %num_heads step %c1 {
          %row = arith.addi %base, %h : index
          %x_lo = vector.load %x[%row, %c0] : memref<${ROWS}x32xf32>, vector<16xf32>
          %x_hi = vector.load %x[%row, %half] : memref<${ROWS}x32xf32>, vector<16xf32>
          %a = arith.mulf %x_lo, %cos_lo : vector<16xf32>
          %bb = arith.mulf %x_hi, %sin_lo : vector<16xf32>
          %rot_lo = arith.subf %a, %bb : vector<16xf32>
          %c = arith.mulf %x_hi, %cos_hi : vector<16xf32>
          %d = arith.mulf %x_lo, %sin_hi : vector<16xf32>
          %rot_hi = arith.addf %c, %d : vector<16xf32>
          vector.store %rot_lo, %y[%row, %c0] : memref<${ROWS}x32xf32>, vector<16xf32>
          vector.store %rot_hi, %y[%row, %half] : memref<${ROWS}x32xf32>, vector<16xf32>
        }
      }
      scf.yield
    } {pl.at = "core_group"}
  } {pl.parallel}
  return
}
