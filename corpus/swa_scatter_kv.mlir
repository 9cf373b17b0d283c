// DeepSeek-V4 sliding-window attention, stage swa_scatter_kv (decode): token s of batch entry b
// goes to row block_table[b] * BLOCK_SIZE + (start_pos + s) % WIN of the KV cache.
// Source: hw-native-sys/pypto-lib models/deepseek/v4/decode_attention_swa.py, auto-chunk form at
// cddcc84e (parent of 43ffc489), explicit form at 43ffc489 (PR #372). Written anew in MLIR; no
// text of the source is copied. Shapes: B = ${B} (source DECODE_BATCH), S = 2, WIN = BLOCK_SIZE
// = 8, HEAD_DIM = 32 (scaled down), one block per batch entry (the source's MAX_BLOCKS = 1), the
// batch chunk 16 as in the source. The source's bf16 cache is f32 here. A row is a vector<32xf32>.

// (a) auto-chunk: per token, the batch loop (step 1) is pl.parallel with chunk 16.
func.func @swa_scatter_kv_auto(%kv: memref<${BS}x32xf32> {llvm.noalias}, %block_table: memref<${B}xi32> {llvm.noalias},
                               %cache: memref<${BW}x32xf32> {llvm.noalias}, %start_pos: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %batch = arith.constant ${B} : index
  %s = arith.constant 2 : index
  %win = arith.constant 8 : index
  %block_size = arith.constant 8 : index
  scf.for %s_idx = %c0 to %s step %c1 {
    %p = arith.addi %start_pos, %s_idx : index
    %ori_slot = arith.remui %p, %win : index
    scf.for %b = %c0 to %batch step %c1 {
      %blk_i32 = memref.load %block_table[%b] : memref<${B}xi32>
      %blk = arith.index_cast %blk_i32 : i32 to index
      %dst0 = arith.muli %blk, %block_size : index
      %dst = arith.addi %dst0, %ori_slot : index
      %src0 = arith.muli %b, %s : index
      %src = arith.addi %src0, %s_idx : index
      %row = vector.load %kv[%src, %c0] : memref<${BS}x32xf32>, vector<32xf32>
      vector.store %row, %cache[%dst, %c0] : memref<${BW}x32xf32>, vector<32xf32>
    } {pl.chunk = 16, pl.parallel, pl.name_hint = "swa_scatter_kv"}
  }
  return
}

// (b) explicit: chunks of 1 * 16 batch entries, one core-group scope each, unclamped.
func.func @swa_scatter_kv_explicit(%kv: memref<${BS}x32xf32> {llvm.noalias}, %block_table: memref<${B}xi32> {llvm.noalias},
                                   %cache: memref<${BW}x32xf32> {llvm.noalias}, %start_pos: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %batch = arith.constant ${B} : index
  %s = arith.constant 2 : index
  %win = arith.constant 8 : index
  %block_size = arith.constant 8 : index
  scf.for %s_idx = %c0 to %s step %c1 {
    %p = arith.addi %start_pos, %s_idx : index
    %ori_slot = arith.remui %p, %win : index
    %span = arith.muli %c1, %c16 : index
    scf.for %b_chunk = %c0 to %batch step %span {
      scf.execute_region no_inline {
        %end = arith.addi %b_chunk, %span : index
        scf.for %b = %b_chunk to %end step %c1 {  // unclamped
          %blk_i32 = memref.load %block_table[%b] : memref<${B}xi32>
          %blk = arith.index_cast %blk_i32 : i32 to index
          %dst0 = arith.muli %blk, %block_size : index
          %dst = arith.addi %dst0, %ori_slot : index
          %src0 = arith.muli %b, %s : index
          %src = arith.addi %src0, %s_idx : index
          %row = vector.load %kv[%src, %c0] : memref<${BS}x32xf32>, vector<32xf32>
          vector.store %row, %cache[%dst, %c0] : memref<${BW}x32xf32>, vector<32xf32>
        }
        scf.yield
      } {pl.at = "core_group", pl.name_hint = "swa_scatter_kv"}
    } {pl.parallel}
  }
  return
}
