// DeepSeek-V4 hc_post (decode): y[t, o*D + d] = x[t, d] * post[t, o]
//   + sum over i of residual[t, i*D + d] * comb[t, i, o], for each output stream o.
// Source: hw-native-sys/pypto-lib models/deepseek/v4/hc_post.py, auto-chunk form at cddcc84e
// (parent of 43ffc489), explicit form at 43ffc489 (PR #372). Written anew in MLIR; no text of the
// source is copied. Shapes: T = ${T} tokens (B * S), HC_MULT = 4, D = 64 with D_CHUNK = 32
// (source D = hidden_size, D_CHUNK 512: scaled down); the token chunk is 16 as in the source.
// Types as in the source: x, residual and y bf16, post and comb f32; each [1, D_CHUNK] row is
// widened to one vector<32xf32> (the source's pl.cast to FP32), mixed in f32, and rounded to
// bf16 once (pl.cast to BF16, mode "rint": arith.truncf rounds to nearest even). post and comb
// are flat, as the source reshapes them.

// (a) auto-chunk: the output-stream loop is pl.parallel; inside it, the token loop (step 1) is
// pl.parallel with chunk 16 (name hc_post).
func.func @hc_post_auto(%x: memref<${T}x64xbf16> {llvm.noalias}, %residual: memref<${T}x256xbf16> {llvm.noalias},
                        %post: memref<${T4}xf32> {llvm.noalias}, %comb: memref<${T16}xf32> {llvm.noalias},
                        %y: memref<${T}x256xbf16> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %tokens = arith.constant ${T} : index
  %hc = arith.constant 4 : index
  %hc2 = arith.constant 16 : index
  %d = arith.constant 64 : index
  %d_chunk = arith.constant 32 : index
  %d_blocks = arith.constant 2 : index
  scf.for %out_h = %c0 to %hc step %c1 {
    scf.for %t = %c0 to %tokens step %c1 {
      %pi0 = arith.muli %t, %hc : index
      %pi = arith.addi %pi0, %out_h : index
      %post_w = memref.load %post[%pi] : memref<${T4}xf32>
      scf.for %db = %c0 to %d_blocks step %c1 {
        %d0 = arith.muli %db, %d_chunk : index
        %xh = vector.load %x[%t, %d0] : memref<${T}x64xbf16>, vector<32xbf16>
        %xr = arith.extf %xh : vector<32xbf16> to vector<32xf32>
        %pw = vector.broadcast %post_w : f32 to vector<32xf32>
        %y0 = arith.mulf %xr, %pw : vector<32xf32>
        %yr = scf.for %in_h = %c0 to %hc step %c1 iter_args(%acc = %y0) -> (vector<32xf32>) {
          %ci0 = arith.muli %t, %hc2 : index
          %ci1 = arith.muli %in_h, %hc : index
          %ci2 = arith.addi %ci0, %ci1 : index
          %ci = arith.addi %ci2, %out_h : index
          %comb_w = memref.load %comb[%ci] : memref<${T16}xf32>
          %rc0 = arith.muli %in_h, %d : index
          %rc = arith.addi %rc0, %d0 : index
          %rh = vector.load %residual[%t, %rc] : memref<${T}x256xbf16>, vector<32xbf16>
          %rr = arith.extf %rh : vector<32xbf16> to vector<32xf32>
          %cw = vector.broadcast %comb_w : f32 to vector<32xf32>
          %p = arith.mulf %rr, %cw : vector<32xf32>
          %s = arith.addf %acc, %p : vector<32xf32>
          scf.yield %s : vector<32xf32>
        }
        %yc0 = arith.muli %out_h, %d : index
        %yc = arith.addi %yc0, %d0 : index
        %yh = arith.truncf %yr : vector<32xf32> to vector<32xbf16>
        vector.store %yh, %y[%t, %yc] : memref<${T}x256xbf16>, vector<32xbf16>
      }
    } {pl.chunk = 16, pl.parallel, pl.name_hint = "hc_post"}
  } {pl.parallel}
  return
}

// (b) explicit: chunks of 1 * 16 tokens, one core-group scope (name hc_post) each, unclamped.
func.func @hc_post_explicit(%x: memref<${T}x64xbf16> {llvm.noalias}, %residual: memref<${T}x256xbf16> {llvm.noalias},
                            %post: memref<${T4}xf32> {llvm.noalias}, %comb: memref<${T16}xf32> {llvm.noalias},
                            %y: memref<${T}x256xbf16> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %tokens = arith.constant ${T} : index
  %hc = arith.constant 4 : index
  %hc2 = arith.constant 16 : index
  %d = arith.constant 64 : index
  %d_chunk = arith.constant 32 : index
  %d_blocks = arith.constant 2 : index
  scf.for %out_h = %c0 to %hc step %c1 {
    %span = arith.muli %c1, %c16 : index
    scf.for %t_chunk = %c0 to %tokens step %span {
      scf.execute_region no_inline {
        %end = arith.addi %t_chunk, %span : index
        scf.for %t = %t_chunk to %end step %c1 {  // unclamped
          %pi0 = arith.muli %t, %hc : index
          %pi = arith.addi %pi0, %out_h : index
          %post_w = memref.load %post[%pi] : memref<${T4}xf32>
          scf.for %db = %c0 to %d_blocks step %c1 {
            %d0 = arith.muli %db, %d_chunk : index
            %xh = vector.load %x[%t, %d0] : memref<${T}x64xbf16>, vector<32xbf16>
            %xr = arith.extf %xh : vector<32xbf16> to vector<32xf32>
            %pw = vector.broadcast %post_w : f32 to vector<32xf32>
            %y0 = arith.mulf %xr, %pw : vector<32xf32>
            %yr = scf.for %in_h = %c0 to %hc step %c1 iter_args(%acc = %y0) -> (vector<32xf32>) {
              %ci0 = arith.muli %t, %hc2 : index
              %ci1 = arith.muli %in_h, %hc : index
              %ci2 = arith.addi %ci0, %ci1 : index
              %ci = arith.addi %ci2, %out_h : index
              %comb_w = memref.load %comb[%ci] : memref<${T16}xf32>
              %rc0 = arith.muli %in_h, %d : index
              %rc = arith.addi %rc0, %d0 : index
              %rh = vector.load %residual[%t, %rc] : memref<${T}x256xbf16>, vector<32xbf16>
              %rr = arith.extf %rh : vector<32xbf16> to vector<32xf32>
              %cw = vector.broadcast %comb_w : f32 to vector<32xf32>
              %p = arith.mulf %rr, %cw : vector<32xf32>
              %s = arith.addf %acc, %p : vector<32xf32>
              scf.yield %s : vector<32xf32>
            }
            %yc0 = arith.muli %out_h, %d : index
            %yc = arith.addi %yc0, %d0 : index
            %yh = arith.truncf %yr : vector<32xf32> to vector<32xbf16>
            vector.store %yh, %y[%t, %yc] : memref<${T}x256xbf16>, vector<32xbf16>
          }
        }
        scf.yield
      } {pl.at = "core_group", pl.name_hint = "hc_post"}
    } {pl.parallel}
  } {pl.parallel}
  return
}
