// matmul: C = A @ B in tiles. Source: hw-native-sys/pypto-lib examples/beginner/matmul.py,
// auto-chunk form at cddcc84e (parent of 43ffc489), explicit form at 43ffc489 (PR #372).
// Written anew in MLIR; no text of the source is copied.
// Shapes: M = ${M}, N = ${N}, K = ${K} (source 256 each); tiles 16 x 16 (source 64 x 64, scaled
// down); M_CHUNK = N_CHUNK = 2 as in the source. A tile row is one vector<16xf32> accumulator,
// filled in k order (PyPTO's matmul of a [m_tile, k] by a [k, n_tile] slice).

// (a) auto-chunk: m and n tile loops (steps m_tile, n_tile), both pl.parallel with chunk 2.
func.func @matmul_auto(%a: memref<${M}x${K}xf32> {llvm.noalias}, %b: memref<${K}x${N}xf32> {llvm.noalias},
                       %c: memref<${M}x${N}xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = arith.constant ${M} : index
  %n = arith.constant ${N} : index
  %k = arith.constant ${K} : index
  %m_tile = arith.constant 16 : index
  %n_tile = arith.constant 16 : index
  %zero = arith.constant dense<0.0> : vector<16xf32>
  scf.for %mb = %c0 to %m step %m_tile {
    scf.for %nb = %c0 to %n step %n_tile {
      scf.for %ii = %c0 to %m_tile step %c1 {
        %i = arith.addi %mb, %ii : index
        %acc = scf.for %kk = %c0 to %k step %c1 iter_args(%r = %zero) -> (vector<16xf32>) {
          %av = memref.load %a[%i, %kk] : memref<${M}x${K}xf32>
          %ab = vector.broadcast %av : f32 to vector<16xf32>
          %bv = vector.load %b[%kk, %nb] : memref<${K}x${N}xf32>, vector<16xf32>
          %p = arith.mulf %ab, %bv : vector<16xf32>
          %s = arith.addf %r, %p : vector<16xf32>
          scf.yield %s : vector<16xf32>
        }
        vector.store %acc, %c[%i, %nb] : memref<${M}x${N}xf32>, vector<16xf32>
      }
    } {pl.chunk = 2, pl.parallel}
  } {pl.chunk = 2, pl.parallel}
  return
}

// (b) explicit: chunk loops step m_tile * m_chunk and n_tile * n_chunk; one core-group scope per
// (mb_chunk, nb_chunk) holds both in-chunk tile loops, unclamped.
func.func @matmul_explicit(%a: memref<${M}x${K}xf32> {llvm.noalias}, %b: memref<${K}x${N}xf32> {llvm.noalias},
                           %c: memref<${M}x${N}xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = arith.constant ${M} : index
  %n = arith.constant ${N} : index
  %k = arith.constant ${K} : index
  %m_tile = arith.constant 16 : index
  %n_tile = arith.constant 16 : index
  %m_chunk = arith.constant 2 : index
  %n_chunk = arith.constant 2 : index
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %m_span = arith.muli %m_tile, %m_chunk : index
  scf.for %mb_chunk = %c0 to %m step %m_span {
    %n_span = arith.muli %n_tile, %n_chunk : index
    scf.for %nb_chunk = %c0 to %n step %n_span {
      scf.execute_region no_inline {
        %m_end = arith.addi %mb_chunk, %m_span : index
        scf.for %mb = %mb_chunk to %m_end step %m_tile {  // unclamped
          %n_end = arith.addi %nb_chunk, %n_span : index
          scf.for %nb = %nb_chunk to %n_end step %n_tile {  // unclamped
            scf.for %ii = %c0 to %m_tile step %c1 {
              %i = arith.addi %mb, %ii : index
              %acc = scf.for %kk = %c0 to %k step %c1 iter_args(%r = %zero) -> (vector<16xf32>) {
                %av = memref.load %a[%i, %kk] : memref<${M}x${K}xf32>
                %ab = vector.broadcast %av : f32 to vector<16xf32>
                %bv = vector.load %b[%kk, %nb] : memref<${K}x${N}xf32>, vector<16xf32>
                %p = arith.mulf %ab, %bv : vector<16xf32>
                %s = arith.addf %r, %p : vector<16xf32>
                scf.yield %s : vector<16xf32>
              }
              vector.store %acc, %c[%i, %nb] : memref<${M}x${N}xf32>, vector<16xf32>
            }
          }
        }
        scf.yield
      } {pl.at = "core_group"}
    } {pl.parallel}
  } {pl.parallel}
  return
}
