// gemm_eltwise: resid = attn_out @ wo + hidden_states, the matmul and the residual add fused in
// one chunk task. Source: hw-native-sys/pypto-lib examples/advanced/gemm_eltwise.py (the mix
// program), auto-chunk form at cddcc84e (parent of 43ffc489), explicit form at 43ffc489 (PR #372).
// Written anew in MLIR; no text of the source is copied.
// Shapes: batch ${B} (source 16), hidden ${H} (source 8192): n_blocks = ${NB}, k_blocks = ${KB};
// n_chunk 16 and k_chunk 32 (source 64 and 128, scaled down), chunk 4 as in the source. The
// source's bf16 inputs are f32 here (docs/kernels.md). A batch row of the [batch, n_chunk]
// accumulator is a vector<16xf32>, filled in k order.

// (a) auto-chunk: the n-block loop, step 1, pl.parallel with chunk 4.
func.func @gemm_eltwise_auto(%attn: memref<${B}x${H}xf32> {llvm.noalias}, %hs: memref<${B}x${H}xf32> {llvm.noalias},
                             %wo: memref<${H}x${H}xf32> {llvm.noalias}, %resid: memref<${B}x${H}xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %batch = arith.constant ${B} : index
  %n_blocks = arith.constant ${NB} : index
  %k_blocks = arith.constant ${KB} : index
  %n_chunk = arith.constant 16 : index
  %k_chunk = arith.constant 32 : index
  %zero = arith.constant dense<0.0> : vector<16xf32>
  scf.for %nb = %c0 to %n_blocks step %c1 {
    %n0 = arith.muli %nb, %n_chunk : index
    scf.for %i = %c0 to %batch step %c1 {
      %acc0 = scf.for %kk = %c0 to %k_chunk step %c1 iter_args(%r = %zero) -> (vector<16xf32>) {
        %av = memref.load %attn[%i, %kk] : memref<${B}x${H}xf32>
        %ab = vector.broadcast %av : f32 to vector<16xf32>
        %wv = vector.load %wo[%kk, %n0] : memref<${H}x${H}xf32>, vector<16xf32>
        %p = arith.mulf %ab, %wv : vector<16xf32>
        %s = arith.addf %r, %p : vector<16xf32>
        scf.yield %s : vector<16xf32>
      }
      %acc = scf.for %kb = %c1 to %k_blocks step %c1 iter_args(%ak = %acc0) -> (vector<16xf32>) {
        %k0 = arith.muli %kb, %k_chunk : index
        %t = scf.for %kk = %c0 to %k_chunk step %c1 iter_args(%r = %ak) -> (vector<16xf32>) {
          %kx = arith.addi %k0, %kk : index
          %av = memref.load %attn[%i, %kx] : memref<${B}x${H}xf32>
          %ab = vector.broadcast %av : f32 to vector<16xf32>
          %wv = vector.load %wo[%kx, %n0] : memref<${H}x${H}xf32>, vector<16xf32>
          %p = arith.mulf %ab, %wv : vector<16xf32>
          %s = arith.addf %r, %p : vector<16xf32>
          scf.yield %s : vector<16xf32>
        }
        scf.yield %t : vector<16xf32>
      }
      %hv = vector.load %hs[%i, %n0] : memref<${B}x${H}xf32>, vector<16xf32>
      %sum = arith.addf %acc, %hv : vector<16xf32>
      vector.store %sum, %resid[%i, %n0] : memref<${B}x${H}xf32>, vector<16xf32>
    }
  } {pl.chunk = 4, pl.parallel}
  return
}

// (b) explicit: chunks of 1 * chunk n-blocks, one core-group scope each, unclamped.
func.func @gemm_eltwise_explicit(%attn: memref<${B}x${H}xf32> {llvm.noalias}, %hs: memref<${B}x${H}xf32> {llvm.noalias},
                                 %wo: memref<${H}x${H}xf32> {llvm.noalias}, %resid: memref<${B}x${H}xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %batch = arith.constant ${B} : index
  %n_blocks = arith.constant ${NB} : index
  %k_blocks = arith.constant ${KB} : index
  %n_chunk = arith.constant 16 : index
  %k_chunk = arith.constant 32 : index
  %chunk = arith.constant 4 : index
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %span = arith.muli %c1, %chunk : index
  scf.for %nb_chunk = %c0 to %n_blocks step %span {
    scf.execute_region no_inline {
      %end = arith.addi %nb_chunk, %span : index
      scf.for %nb = %nb_chunk to %end step %c1 {  // unclamped
        %n0 = arith.muli %nb, %n_chunk : index
        scf.for %i = %c0 to %batch step %c1 {
          %acc0 = scf.for %kk = %c0 to %k_chunk step %c1 iter_args(%r = %zero) -> (vector<16xf32>) {
            %av = memref.load %attn[%i, %kk] : memref<${B}x${H}xf32>
            %ab = vector.broadcast %av : f32 to vector<16xf32>
            %wv = vector.load %wo[%kk, %n0] : memref<${H}x${H}xf32>, vector<16xf32>
            %p = arith.mulf %ab, %wv : vector<16xf32>
            %s = arith.addf %r, %p : vector<16xf32>
            scf.yield %s : vector<16xf32>
          }
          %acc = scf.for %kb = %c1 to %k_blocks step %c1 iter_args(%ak = %acc0) -> (vector<16xf32>) {
            %k0 = arith.muli %kb, %k_chunk : index
            %t = scf.for %kk = %c0 to %k_chunk step %c1 iter_args(%r = %ak) -> (vector<16xf32>) {
              %kx = arith.addi %k0, %kk : index
              %av = memref.load %attn[%i, %kx] : memref<${B}x${H}xf32>
              %ab = vector.broadcast %av : f32 to vector<16xf32>
              %wv = vector.load %wo[%kx, %n0] : memref<${H}x${H}xf32>, vector<16xf32>
              %p = arith.mulf %ab, %wv : vector<16xf32>
              %s = arith.addf %r, %p : vector<16xf32>
              scf.yield %s : vector<16xf32>
            }
            scf.yield %t : vector<16xf32>
          }
          %hv = vector.load %hs[%i, %n0] : memref<${B}x${H}xf32>, vector<16xf32>
          %sum = arith.addf %acc, %hv : vector<16xf32>
          vector.store %sum, %resid[%i, %n0] : memref<${B}x${H}xf32>, vector<16xf32>
        }
      }
      scf.yield
    } {pl.at = "core_group"}
  } {pl.parallel}
  return
}
