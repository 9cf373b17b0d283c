// DeepSeek-V4 compressor, stage kv_and_cache_write (decode): per batch entry b, the compressed
// row kv_final[b] goes to kv[b * S] and to the cache row b * IDX_KV_LEN + start_pos / 128.
// Source: hw-native-sys/pypto-lib models/deepseek/v4/decode_compressor_ratio128.py, auto-chunk
// form at cddcc84e (parent of 43ffc489), explicit form at 43ffc489 (PR #372). Written anew in
// MLIR; no text of the source is copied. Shapes: B = ${B} (source DECODE_BATCH), S = 2,
// HEAD_DIM = 32 (source 512), IDX_KV_LEN = 8 (scaled down), COMPRESS_RATIO = 128 and the batch
// chunk 16 as in the source. The source rounds the cache copy to bf16; here the cache is f32 and
// the copy exact (docs/kernels.md). A row is one vector<32xf32>.

// (a) auto-chunk: the batch loop, step 1, pl.parallel with chunk 16 (name kv_and_cache_write).
func.func @kv_cache_write_auto(%kv_final: memref<${B}x32xf32> {llvm.noalias}, %kv: memref<${BS}x32xf32> {llvm.noalias},
                               %cache: memref<${BI}x32xf32> {llvm.noalias}, %start_pos: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %batch = arith.constant ${B} : index
  %s = arith.constant 2 : index
  %idx_kv_len = arith.constant 8 : index
  %ratio = arith.constant 128 : index
  %cache_col = arith.divui %start_pos, %ratio : index
  scf.for %b = %c0 to %batch step %c1 {
    %row = vector.load %kv_final[%b, %c0] : memref<${B}x32xf32>, vector<32xf32>
    %kr = arith.muli %b, %s : index
    vector.store %row, %kv[%kr, %c0] : memref<${BS}x32xf32>, vector<32xf32>
    %cr0 = arith.muli %b, %idx_kv_len : index
    %cr = arith.addi %cr0, %cache_col : index
    vector.store %row, %cache[%cr, %c0] : memref<${BI}x32xf32>, vector<32xf32>
  } {pl.chunk = 16, pl.parallel, pl.name_hint = "kv_and_cache_write"}
  return
}

// (b) explicit: chunks of 1 * 16 batch entries, one core-group scope each, unclamped.
func.func @kv_cache_write_explicit(%kv_final: memref<${B}x32xf32> {llvm.noalias}, %kv: memref<${BS}x32xf32> {llvm.noalias},
                                   %cache: memref<${BI}x32xf32> {llvm.noalias}, %start_pos: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %batch = arith.constant ${B} : index
  %s = arith.constant 2 : index
  %idx_kv_len = arith.constant 8 : index
  %ratio = arith.constant 128 : index
  %cache_col = arith.divui %start_pos, %ratio : index
  %span = arith.muli %c1, %c16 : index
  scf.for %b_chunk = %c0 to %batch step %span {
    scf.execute_region no_inline {
      %end = arith.addi %b_chunk, %span : index
      scf.for %b = %b_chunk to %end step %c1 {  // unclamped
        %row = vector.load %kv_final[%b, %c0] : memref<${B}x32xf32>, vector<32xf32>
        %kr = arith.muli %b, %s : index
        vector.store %row, %kv[%kr, %c0] : memref<${BS}x32xf32>, vector<32xf32>
        %cr0 = arith.muli %b, %idx_kv_len : index
        %cr = arith.addi %cr0, %cache_col : index
        vector.store %row, %cache[%cr, %c0] : memref<${BI}x32xf32>, vector<32xf32>
      }
      scf.yield
    } {pl.at = "core_group", pl.name_hint = "kv_and_cache_write"}
  } {pl.parallel}
  return
}
