// Decode attention over a paged-style KV cache with a dynamic number of context blocks, after
// pypto-lib's Qwen3 decode attention (qwen3_32b_decode_scope2.py, SB_BATCH = 64): one query
// token per batch entry and head, keys and values of the first seq_lens[b] positions.
//   out[b, h, :] = softmax(q[b, h, :] . k[b, h, :L, :]^T / sqrt(D)) @ v[b, h, :L, :],  L = seq_lens[b]
// Sizes: B = dim(seq_lens) (dynamic), H = 4 heads, D = 64, BLOCK = 16 tokens per context
// block, room for 1024 tokens per sequence. seq_lens[b] must be in [1, 1024].
//
// The context-block loop runs ctx_blocks = ceildiv(seq_lens[b], BLOCK) trips, computed here
// from the seq_lens input: a runtime trip count. It is pl.parallel with chunk 64 (SB_BATCH), so
// T <= 64 = C: one chunk, almost always partial. The online-softmax state crosses the blocks in
// iter_args: the running max m (f32), the running sum l (f32) and the output accumulator
// acc (vector<64xf32>). This is the pattern a separate remainder kernel broke in PyPTO
// (pypto #928): the chain must continue through the guard (guarded) or from the main nest into
// the remainder loop (leading_full). Values carried in iter_args form an ordered chain even in
// a pl.parallel loop.
//
// Per block (the stages of the PyPTO kernel): scores s = (q . k_t) / 8 for the valid tokens,
// kept in a vector<16xf32>, and their max mb; then p = exp(s - mb), the block sum lb and
// ob = sum_t p_t * v_t; then the online-softmax merge
//   m' = max(m, mb), alpha = exp(m - m'), beta = exp(mb - m'),
//   l' = alpha * l + beta * lb, acc' = alpha * acc + beta * ob.
// The last block of a sequence is partial: its token loop runs min(BLOCK, L - 16 * sb) trips
// (PyPTO's valid_len). The batch and head loops are plain sequential loops (orchestration).
//
//   pypto-run examples/decode_attention.mlir --entry decode_attention \
//       --arg q.npy --arg k.npy --arg v.npy --arg seq_lens.npy --arg out.npy
//
// numpy reference (float64): the softmax formula above over the first L tokens, directly.
// Agreement within 1e-5 absolute (see docs/kernels.md: f32 dot products of 64 terms, expf,
// sums of up to 1024 weights).
func.func @decode_attention(%q: memref<?x4x64xf32>, %k: memref<?x4x1024x64xf32>,
                            %v: memref<?x4x1024x64xf32>, %seq_lens: memref<?xi32>,
                            %out: memref<?x4x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  %neg_inf = arith.constant 0xFF800000 : f32
  %scale = arith.constant 0.125 : f32                     // 1/sqrt(D), exact
  %zero_d = arith.constant dense<0.0> : vector<64xf32>
  %neg_inf_blk = arith.constant dense<0xFF800000> : vector<16xf32>
  %batch = memref.dim %seq_lens, %c0 : memref<?xi32>
  scf.for %b = %c0 to %batch step %c1 {
    %len_i32 = memref.load %seq_lens[%b] : memref<?xi32>
    %len = arith.index_cast %len_i32 : i32 to index
    %ctx_blocks = arith.ceildivui %len, %c16 : index
    scf.for %h = %c0 to %c4 step %c1 {
      %qv = vector.load %q[%b, %h, %c0] : memref<?x4x64xf32>, vector<64xf32>
      %state:3 = scf.for %sb = %c0 to %ctx_blocks step %c1
          iter_args(%m = %neg_inf, %l = %zero, %acc = %zero_d) -> (f32, f32, vector<64xf32>) {
        %t0 = arith.muli %sb, %c16 : index
        %rest = arith.subi %len, %t0 : index
        %valid = arith.minui %rest, %c16 : index
        // Scores of the block's valid tokens and their max.
        %scores:2 = scf.for %t = %c0 to %valid step %c1
            iter_args(%sv = %neg_inf_blk, %mb = %neg_inf) -> (vector<16xf32>, f32) {
          %tok = arith.addi %t0, %t : index
          %kr = vector.load %k[%b, %h, %tok, %c0] : memref<?x4x1024x64xf32>, vector<64xf32>
          %qk = arith.mulf %qv, %kr : vector<64xf32>
          %dot = vector.reduction <add>, %qk : vector<64xf32> into f32
          %s = arith.mulf %dot, %scale : f32
          %sv2 = vector.insert %s, %sv[%t] : f32 into vector<16xf32>
          %mb2 = arith.maximumf %mb, %s : f32
          scf.yield %sv2, %mb2 : vector<16xf32>, f32
        }
        // p = exp(s - mb); block sum and p-weighted sum of the value rows.
        %pv:2 = scf.for %t = %c0 to %valid step %c1
            iter_args(%lb = %zero, %ob = %zero_d) -> (f32, vector<64xf32>) {
          %s = vector.extract %scores#0[%t] : f32 from vector<16xf32>
          %d = arith.subf %s, %scores#1 : f32
          %p = math.exp %d : f32
          %lb2 = arith.addf %lb, %p : f32
          %tok = arith.addi %t0, %t : index
          %vr = vector.load %v[%b, %h, %tok, %c0] : memref<?x4x1024x64xf32>, vector<64xf32>
          %pb = vector.broadcast %p : f32 to vector<64xf32>
          %pvr = arith.mulf %pb, %vr : vector<64xf32>
          %ob2 = arith.addf %ob, %pvr : vector<64xf32>
          scf.yield %lb2, %ob2 : f32, vector<64xf32>
        }
        // Online-softmax merge of the block into the running state. On the first block
        // m = -inf, so alpha = exp(-inf) = 0 and the state becomes the block's own.
        %m_new = arith.maximumf %m, %scores#1 : f32
        %dm = arith.subf %m, %m_new : f32
        %alpha = math.exp %dm : f32
        %db = arith.subf %scores#1, %m_new : f32
        %beta = math.exp %db : f32
        %la = arith.mulf %alpha, %l : f32
        %lbb = arith.mulf %beta, %pv#0 : f32
        %l_new = arith.addf %la, %lbb : f32
        %av = vector.broadcast %alpha : f32 to vector<64xf32>
        %bv = vector.broadcast %beta : f32 to vector<64xf32>
        %acc_a = arith.mulf %av, %acc : vector<64xf32>
        %ob_b = arith.mulf %bv, %pv#1 : vector<64xf32>
        %acc_new = arith.addf %acc_a, %ob_b : vector<64xf32>
        scf.yield %m_new, %l_new, %acc_new : f32, f32, vector<64xf32>
      } {pl.chunk = 64, pl.parallel}
      %lv = vector.broadcast %state#1 : f32 to vector<64xf32>
      %o = arith.divf %state#2, %lv : vector<64xf32>
      vector.store %o, %out[%b, %h, %c0] : memref<?x4x64xf32>, vector<64xf32>
    }
  }
  return
}
