// Qwen3 decode attention, stages decode_qk_matmul, decode_softmax, decode_sv_matmul and
// decode_online_softmax: per batch entry b, ctx_blocks = ceildiv(seq_lens[b], BLOCK_SIZE) is
// known only at run time; the context-block loops of the first three stages run in chunks of
// SB_BATCH blocks; the last stage merges the per-block results by online softmax.
// Source: hw-native-sys/pypto-lib models/qwen3/14b/qwen3_14b_l3_generate.py (the decode
// attention of build_qwen3_14b_l3_generate_program), auto-chunk form at cddcc84e (parent of
// 43ffc489), explicit form at 43ffc489 (PR #372). Written anew in MLIR; no text of the source is
// copied.
// Shapes (scaled down): batch ${B}; 2 KV heads, one query group per KV head (total_q_groups 2)
// of Q_HEAD_PAD = 4 query rows; head_dim 16; BLOCK_SIZE 8 tokens; max_ctx_blocks 6 (MAX_SEQ 48);
// SB_BATCH 4 (source 64, max_ctx_blocks 16: there SB_BATCH exceeds max_ctx_blocks; here
// max_ctx_blocks is not a multiple of SB_BATCH, so an unclamped chunk can still run past it).
// The source's bf16 tensors are f32 here, so exp scores are not rounded to bf16 (docs/kernels.md).
// The scratch tensors the source creates per batch entry (all_raw_scores, all_exp_padded,
// all_oi_tmp, all_cur_mi, all_cur_li) are arguments, so the batch loop (pl.parallel in the
// source) is sequential here. The output is the padded attention row (the writeback stage that
// drops padding rows is left out: every query row is real here).
// Rows: q [b * 8 + gi * 4 + qi]; k/v cache [(pbid * 2 + kvh) * 8 + t] with
// pbid = block_table[b * 6 + sb]; scratch [(gi * 6 + sb) * 4 + qi]; out[b, (gi * 4 + qi) * 16].

// (a) auto-chunk: each stage's context-block loop is pl.parallel with chunk SB_BATCH and the
// stage's name; the online-softmax stage is a core-group scope, as in the source.
func.func @qwen3_decode_attention_auto(%q: memref<${BG}x16xf32> {llvm.noalias}, %k_cache: memref<${NR}x16xf32> {llvm.noalias},
    %v_cache: memref<${NR}x16xf32> {llvm.noalias}, %block_table: memref<${BT}xi32> {llvm.noalias},
    %seq_lens: memref<${B}xi32> {llvm.noalias}, %raw: memref<48x8xf32> {llvm.noalias}, %expp: memref<48x8xf32> {llvm.noalias},
    %oi_tmp: memref<48x16xf32> {llvm.noalias}, %cur_mi: memref<48x1xf32> {llvm.noalias}, %cur_li: memref<48x1xf32> {llvm.noalias},
    %out: memref<${B}x128xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %batch = arith.constant ${B} : index
  %groups = arith.constant 2 : index
  %q_groups = arith.constant 1 : index
  %num_kv_heads = arith.constant 2 : index
  %qpad = arith.constant 4 : index
  %head_dim = arith.constant 16 : index
  %block_size = arith.constant 8 : index
  %max_ctx_blocks = arith.constant 6 : index
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %lowest = arith.constant dense<-3.40282347e+38> : vector<8xf32>
  %scale = arith.constant dense<0.25> : vector<8xf32>
  scf.for %b = %c0 to %batch step %c1 {
    %len_i32 = memref.load %seq_lens[%b] : memref<${B}xi32>
    %ctx_len = arith.index_cast %len_i32 : i32 to index
    %len_up = arith.addi %ctx_len, %c7 : index
    %ctx_blocks = arith.divui %len_up, %block_size : index
    %bt_base = arith.muli %b, %max_ctx_blocks : index
    %q_b = arith.muli %b, %block_size : index
    // decode_qk_matmul: raw scores of one [Q_HEAD_PAD, BLOCK_SIZE] tile per block
    scf.for %gi = %c0 to %groups step %c1 {
      %kvh = arith.divui %gi, %q_groups : index
      %q_g = arith.muli %gi, %qpad : index
      %q_row0 = arith.addi %q_b, %q_g : index
      scf.for %sb = %c0 to %ctx_blocks step %c1 {
        %bti = arith.addi %bt_base, %sb : index
        %pb_i32 = memref.load %block_table[%bti] : memref<${BT}xi32>
        %pbid = arith.index_cast %pb_i32 : i32 to index
        %ch0 = arith.muli %pbid, %num_kv_heads : index
        %ch = arith.addi %ch0, %kvh : index
        %cache_row0 = arith.muli %ch, %block_size : index
        %gb0 = arith.muli %gi, %max_ctx_blocks : index
        %gb = arith.addi %gb0, %sb : index
        %row0 = arith.muli %gb, %qpad : index
        scf.for %qi = %c0 to %qpad step %c1 {
          %qr = arith.addi %q_row0, %qi : index
          %qv = vector.load %q[%qr, %c0] : memref<${BG}x16xf32>, vector<16xf32>
          %r = arith.addi %row0, %qi : index
          scf.for %t = %c0 to %block_size step %c1 {
            %kr = arith.addi %cache_row0, %t : index
            %kv = vector.load %k_cache[%kr, %c0] : memref<${NR}x16xf32>, vector<16xf32>
            %p = arith.mulf %qv, %kv : vector<16xf32>
            %s = vector.reduction <add>, %p : vector<16xf32> into f32
            memref.store %s, %raw[%r, %t] : memref<48x8xf32>
          }
        }
      } {pl.chunk = 4, pl.parallel, pl.name_hint = "decode_qk_matmul"}
    }
    // decode_softmax: the valid columns of each tile (the rest padded with the lowest float),
    // scaled; per row its max, exp and sum
    scf.for %gi = %c0 to %groups step %c1 {
      scf.for %sb = %c0 to %ctx_blocks step %c1 {
        %s0 = arith.muli %sb, %block_size : index
        %left = arith.subi %ctx_len, %s0 : index
        %valid = arith.minsi %block_size, %left : index
        %mask = vector.create_mask %valid : vector<8xi1>
        %gb0 = arith.muli %gi, %max_ctx_blocks : index
        %gb = arith.addi %gb0, %sb : index
        %row0 = arith.muli %gb, %qpad : index
        scf.for %qi = %c0 to %qpad step %c1 {
          %r = arith.addi %row0, %qi : index
          %sv = vector.load %raw[%r, %c0] : memref<48x8xf32>, vector<8xf32>
          %padded = arith.select %mask, %sv, %lowest : vector<8xi1>, vector<8xf32>
          %sc = arith.mulf %padded, %scale : vector<8xf32>
          %mi = vector.reduction <maximumf>, %sc : vector<8xf32> into f32
          %mb = vector.broadcast %mi : f32 to vector<8xf32>
          %sh = arith.subf %sc, %mb : vector<8xf32>
          %e = math.exp %sh : vector<8xf32>
          %li = vector.reduction <add>, %e : vector<8xf32> into f32
          vector.store %e, %expp[%r, %c0] : memref<48x8xf32>, vector<8xf32>
          memref.store %mi, %cur_mi[%r, %c0] : memref<48x1xf32>
          memref.store %li, %cur_li[%r, %c0] : memref<48x1xf32>
        }
      } {pl.chunk = 4, pl.parallel, pl.name_hint = "decode_softmax"}
    }
    // decode_sv_matmul: exp tile [Q_HEAD_PAD, BLOCK_SIZE] times the value tile
    scf.for %gi = %c0 to %groups step %c1 {
      %kvh = arith.divui %gi, %q_groups : index
      scf.for %sb = %c0 to %ctx_blocks step %c1 {
        %bti = arith.addi %bt_base, %sb : index
        %pb_i32 = memref.load %block_table[%bti] : memref<${BT}xi32>
        %pbid = arith.index_cast %pb_i32 : i32 to index
        %ch0 = arith.muli %pbid, %num_kv_heads : index
        %ch = arith.addi %ch0, %kvh : index
        %cache_row0 = arith.muli %ch, %block_size : index
        %gb0 = arith.muli %gi, %max_ctx_blocks : index
        %gb = arith.addi %gb0, %sb : index
        %row0 = arith.muli %gb, %qpad : index
        scf.for %qi = %c0 to %qpad step %c1 {
          %r = arith.addi %row0, %qi : index
          %o = scf.for %t = %c0 to %block_size step %c1 iter_args(%acc = %zero) -> (vector<16xf32>) {
            %e = memref.load %expp[%r, %t] : memref<48x8xf32>
            %eb = vector.broadcast %e : f32 to vector<16xf32>
            %vr = arith.addi %cache_row0, %t : index
            %vv = vector.load %v_cache[%vr, %c0] : memref<${NR}x16xf32>, vector<16xf32>
            %p = arith.mulf %eb, %vv : vector<16xf32>
            %s = arith.addf %acc, %p : vector<16xf32>
            scf.yield %s : vector<16xf32>
          }
          vector.store %o, %oi_tmp[%r, %c0] : memref<48x16xf32>, vector<16xf32>
        }
      } {pl.chunk = 4, pl.parallel, pl.name_hint = "decode_sv_matmul"}
    }
    // decode_online_softmax: merge the blocks of each row in order
    scf.execute_region no_inline {
      scf.for %gi = %c0 to %groups step %c1 {
        %gb0 = arith.muli %gi, %max_ctx_blocks : index
        %base = arith.muli %gb0, %qpad : index
        scf.for %qi = %c0 to %qpad step %c1 {
          %r0 = arith.addi %base, %qi : index
          %oi0 = vector.load %oi_tmp[%r0, %c0] : memref<48x16xf32>, vector<16xf32>
          %mi0 = memref.load %cur_mi[%r0, %c0] : memref<48x1xf32>
          %li0 = memref.load %cur_li[%r0, %c0] : memref<48x1xf32>
          %oi, %mi, %li = scf.for %sb = %c1 to %ctx_blocks step %c1
              iter_args(%o = %oi0, %m = %mi0, %l = %li0) -> (vector<16xf32>, f32, f32) {
            %so = arith.muli %sb, %qpad : index
            %off0 = arith.addi %base, %so : index
            %off = arith.addi %off0, %qi : index
            %ot = vector.load %oi_tmp[%off, %c0] : memref<48x16xf32>, vector<16xf32>
            %cm = memref.load %cur_mi[%off, %c0] : memref<48x1xf32>
            %cl = memref.load %cur_li[%off, %c0] : memref<48x1xf32>
            %mn = arith.maximumf %m, %cm : f32
            %d1 = arith.subf %m, %mn : f32
            %alpha = math.exp %d1 : f32
            %d2 = arith.subf %cm, %mn : f32
            %beta = math.exp %d2 : f32
            %al = arith.mulf %alpha, %l : f32
            %bl = arith.mulf %beta, %cl : f32
            %ln = arith.addf %al, %bl : f32
            %ab = vector.broadcast %alpha : f32 to vector<16xf32>
            %bb = vector.broadcast %beta : f32 to vector<16xf32>
            %oa = arith.mulf %o, %ab : vector<16xf32>
            %ob = arith.mulf %ot, %bb : vector<16xf32>
            %on = arith.addf %oa, %ob : vector<16xf32>
            scf.yield %on, %mn, %ln : vector<16xf32>, f32, f32
          }
          %lb = vector.broadcast %li : f32 to vector<16xf32>
          %ctx = arith.divf %oi, %lb : vector<16xf32>
          %gq0 = arith.muli %gi, %qpad : index
          %gq = arith.addi %gq0, %qi : index
          %col = arith.muli %gq, %head_dim : index
          vector.store %ctx, %out[%b, %col] : memref<${B}x128xf32>, vector<16xf32>
        }
      }
      scf.yield
    } {pl.at = "core_group", pl.name_hint = "decode_online_softmax"}
  }
  return
}

// (b) explicit, as the PR spelled it: each stage is a core-group scope with its name; inside it,
// the context-block loop steps by SB_BATCH (pl.parallel) and each chunk is a nested core-group
// scope over [sb_chunk, sb_chunk + SB_BATCH), unclamped.
func.func @qwen3_decode_attention_explicit(%q: memref<${BG}x16xf32> {llvm.noalias}, %k_cache: memref<${NR}x16xf32> {llvm.noalias},
    %v_cache: memref<${NR}x16xf32> {llvm.noalias}, %block_table: memref<${BT}xi32> {llvm.noalias},
    %seq_lens: memref<${B}xi32> {llvm.noalias}, %raw: memref<48x8xf32> {llvm.noalias}, %expp: memref<48x8xf32> {llvm.noalias},
    %oi_tmp: memref<48x16xf32> {llvm.noalias}, %cur_mi: memref<48x1xf32> {llvm.noalias}, %cur_li: memref<48x1xf32> {llvm.noalias},
    %out: memref<${B}x128xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %batch = arith.constant ${B} : index
  %groups = arith.constant 2 : index
  %q_groups = arith.constant 1 : index
  %num_kv_heads = arith.constant 2 : index
  %qpad = arith.constant 4 : index
  %head_dim = arith.constant 16 : index
  %block_size = arith.constant 8 : index
  %max_ctx_blocks = arith.constant 6 : index
  %sb_batch = arith.constant 4 : index
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %lowest = arith.constant dense<-3.40282347e+38> : vector<8xf32>
  %scale = arith.constant dense<0.25> : vector<8xf32>
  scf.for %b = %c0 to %batch step %c1 {
    %len_i32 = memref.load %seq_lens[%b] : memref<${B}xi32>
    %ctx_len = arith.index_cast %len_i32 : i32 to index
    %len_up = arith.addi %ctx_len, %c7 : index
    %ctx_blocks = arith.divui %len_up, %block_size : index
    %bt_base = arith.muli %b, %max_ctx_blocks : index
    %q_b = arith.muli %b, %block_size : index
    // decode_qk_matmul: raw scores of one [Q_HEAD_PAD, BLOCK_SIZE] tile per block
    scf.execute_region no_inline {
      scf.for %gi = %c0 to %groups step %c1 {
        %kvh = arith.divui %gi, %q_groups : index
        %q_g = arith.muli %gi, %qpad : index
        %q_row0 = arith.addi %q_b, %q_g : index
        scf.for %sb_chunk = %c0 to %ctx_blocks step %sb_batch {
          scf.execute_region no_inline {
            %sb_end = arith.addi %sb_chunk, %sb_batch : index
            scf.for %sb = %sb_chunk to %sb_end step %c1 {  // unclamped
              %bti = arith.addi %bt_base, %sb : index
              %pb_i32 = memref.load %block_table[%bti] : memref<${BT}xi32>
              %pbid = arith.index_cast %pb_i32 : i32 to index
              %ch0 = arith.muli %pbid, %num_kv_heads : index
              %ch = arith.addi %ch0, %kvh : index
              %cache_row0 = arith.muli %ch, %block_size : index
              %gb0 = arith.muli %gi, %max_ctx_blocks : index
              %gb = arith.addi %gb0, %sb : index
              %row0 = arith.muli %gb, %qpad : index
              scf.for %qi = %c0 to %qpad step %c1 {
                %qr = arith.addi %q_row0, %qi : index
                %qv = vector.load %q[%qr, %c0] : memref<${BG}x16xf32>, vector<16xf32>
                %r = arith.addi %row0, %qi : index
                scf.for %t = %c0 to %block_size step %c1 {
                  %kr = arith.addi %cache_row0, %t : index
                  %kv = vector.load %k_cache[%kr, %c0] : memref<${NR}x16xf32>, vector<16xf32>
                  %p = arith.mulf %qv, %kv : vector<16xf32>
                  %s = vector.reduction <add>, %p : vector<16xf32> into f32
                  memref.store %s, %raw[%r, %t] : memref<48x8xf32>
                }
              }
            }
            scf.yield
          } {pl.at = "core_group"}
        } {pl.parallel}
      }
      scf.yield
    } {pl.at = "core_group", pl.name_hint = "decode_qk_matmul"}
    // decode_softmax: the valid columns of each tile (the rest padded with the lowest float),
    // scaled; per row its max, exp and sum
    scf.execute_region no_inline {
      scf.for %gi = %c0 to %groups step %c1 {
        scf.for %sb_chunk = %c0 to %ctx_blocks step %sb_batch {
          scf.execute_region no_inline {
            %sb_end = arith.addi %sb_chunk, %sb_batch : index
            scf.for %sb = %sb_chunk to %sb_end step %c1 {  // unclamped
              %s0 = arith.muli %sb, %block_size : index
              %left = arith.subi %ctx_len, %s0 : index
              %valid = arith.minsi %block_size, %left : index
              %mask = vector.create_mask %valid : vector<8xi1>
              %gb0 = arith.muli %gi, %max_ctx_blocks : index
              %gb = arith.addi %gb0, %sb : index
              %row0 = arith.muli %gb, %qpad : index
              scf.for %qi = %c0 to %qpad step %c1 {
                %r = arith.addi %row0, %qi : index
                %sv = vector.load %raw[%r, %c0] : memref<48x8xf32>, vector<8xf32>
                %padded = arith.select %mask, %sv, %lowest : vector<8xi1>, vector<8xf32>
                %sc = arith.mulf %padded, %scale : vector<8xf32>
                %mi = vector.reduction <maximumf>, %sc : vector<8xf32> into f32
                %mb = vector.broadcast %mi : f32 to vector<8xf32>
                %sh = arith.subf %sc, %mb : vector<8xf32>
                %e = math.exp %sh : vector<8xf32>
                %li = vector.reduction <add>, %e : vector<8xf32> into f32
                vector.store %e, %expp[%r, %c0] : memref<48x8xf32>, vector<8xf32>
                memref.store %mi, %cur_mi[%r, %c0] : memref<48x1xf32>
                memref.store %li, %cur_li[%r, %c0] : memref<48x1xf32>
              }
            }
            scf.yield
          } {pl.at = "core_group"}
        } {pl.parallel}
      }
      scf.yield
    } {pl.at = "core_group", pl.name_hint = "decode_softmax"}
    // decode_sv_matmul: exp tile [Q_HEAD_PAD, BLOCK_SIZE] times the value tile
    scf.execute_region no_inline {
      scf.for %gi = %c0 to %groups step %c1 {
        %kvh = arith.divui %gi, %q_groups : index
        scf.for %sb_chunk = %c0 to %ctx_blocks step %sb_batch {
          scf.execute_region no_inline {
            %sb_end = arith.addi %sb_chunk, %sb_batch : index
            scf.for %sb = %sb_chunk to %sb_end step %c1 {  // unclamped
              %bti = arith.addi %bt_base, %sb : index
              %pb_i32 = memref.load %block_table[%bti] : memref<${BT}xi32>
              %pbid = arith.index_cast %pb_i32 : i32 to index
              %ch0 = arith.muli %pbid, %num_kv_heads : index
              %ch = arith.addi %ch0, %kvh : index
              %cache_row0 = arith.muli %ch, %block_size : index
              %gb0 = arith.muli %gi, %max_ctx_blocks : index
              %gb = arith.addi %gb0, %sb : index
              %row0 = arith.muli %gb, %qpad : index
              scf.for %qi = %c0 to %qpad step %c1 {
                %r = arith.addi %row0, %qi : index
                %o = scf.for %t = %c0 to %block_size step %c1 iter_args(%acc = %zero) -> (vector<16xf32>) {
                  %e = memref.load %expp[%r, %t] : memref<48x8xf32>
                  %eb = vector.broadcast %e : f32 to vector<16xf32>
                  %vr = arith.addi %cache_row0, %t : index
                  %vv = vector.load %v_cache[%vr, %c0] : memref<${NR}x16xf32>, vector<16xf32>
                  %p = arith.mulf %eb, %vv : vector<16xf32>
                  %s = arith.addf %acc, %p : vector<16xf32>
                  scf.yield %s : vector<16xf32>
                }
                vector.store %o, %oi_tmp[%r, %c0] : memref<48x16xf32>, vector<16xf32>
              }
            }
            scf.yield
          } {pl.at = "core_group"}
        } {pl.parallel}
      }
      scf.yield
    } {pl.at = "core_group", pl.name_hint = "decode_sv_matmul"}
    // decode_online_softmax: merge the blocks of each row in order
    scf.execute_region no_inline {
      scf.for %gi = %c0 to %groups step %c1 {
        %gb0 = arith.muli %gi, %max_ctx_blocks : index
        %base = arith.muli %gb0, %qpad : index
        scf.for %qi = %c0 to %qpad step %c1 {
          %r0 = arith.addi %base, %qi : index
          %oi0 = vector.load %oi_tmp[%r0, %c0] : memref<48x16xf32>, vector<16xf32>
          %mi0 = memref.load %cur_mi[%r0, %c0] : memref<48x1xf32>
          %li0 = memref.load %cur_li[%r0, %c0] : memref<48x1xf32>
          %oi, %mi, %li = scf.for %sb = %c1 to %ctx_blocks step %c1
              iter_args(%o = %oi0, %m = %mi0, %l = %li0) -> (vector<16xf32>, f32, f32) {
            %so = arith.muli %sb, %qpad : index
            %off0 = arith.addi %base, %so : index
            %off = arith.addi %off0, %qi : index
            %ot = vector.load %oi_tmp[%off, %c0] : memref<48x16xf32>, vector<16xf32>
            %cm = memref.load %cur_mi[%off, %c0] : memref<48x1xf32>
            %cl = memref.load %cur_li[%off, %c0] : memref<48x1xf32>
            %mn = arith.maximumf %m, %cm : f32
            %d1 = arith.subf %m, %mn : f32
            %alpha = math.exp %d1 : f32
            %d2 = arith.subf %cm, %mn : f32
            %beta = math.exp %d2 : f32
            %al = arith.mulf %alpha, %l : f32
            %bl = arith.mulf %beta, %cl : f32
            %ln = arith.addf %al, %bl : f32
            %ab = vector.broadcast %alpha : f32 to vector<16xf32>
            %bb = vector.broadcast %beta : f32 to vector<16xf32>
            %oa = arith.mulf %o, %ab : vector<16xf32>
            %ob = arith.mulf %ot, %bb : vector<16xf32>
            %on = arith.addf %oa, %ob : vector<16xf32>
            scf.yield %on, %mn, %ln : vector<16xf32>, f32, f32
          }
          %lb = vector.broadcast %li : f32 to vector<16xf32>
          %ctx = arith.divf %oi, %lb : vector<16xf32>
          %gq0 = arith.muli %gi, %qpad : index
          %gq = arith.addi %gq0, %qi : index
          %col = arith.muli %gq, %head_dim : index
          vector.store %ctx, %out[%b, %col] : memref<${B}x128xf32>, vector<16xf32>
        }
      }
      scf.yield
    } {pl.at = "core_group", pl.name_hint = "decode_online_softmax"}
  }
  return
}
