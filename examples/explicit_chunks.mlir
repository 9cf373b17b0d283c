// Chunked loops written by hand, as a kernel library wrote them after PyPTO dropped `chunk=`:
//   for o in parallel(lb, ub, S): for i in range(o, o + S): ...
// The first kernel's last chunk runs past ub whenever ub - lb is not a multiple of S; the
// second clamps it and is clean. The third is a gemm with chunk loops nested in another loop.
//
//   pypto-opt examples/explicit_chunks.mlir -p 'builtin.module(pl-check-chunk-bounds)'
func.func @row_sums(%x: memref<?x64xf32>, %out: memref<?xf32>, %rows: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.for %o = %c0 to %rows step %c16 {
    %end = arith.addi %o, %c16 : index
    scf.for %r = %o to %end step %c1 {
      %s = scf.for %c = %c0 to %c64 step %c1 iter_args(%acc = %zero) -> (f32) {
        %v = memref.load %x[%r, %c] : memref<?x64xf32>
        %t = arith.addf %acc, %v : f32
        scf.yield %t : f32
      }
      memref.store %s, %out[%r] : memref<?xf32>
    }
  } {pl.parallel}
  return
}

func.func @row_sums_clamped(%x: memref<?x64xf32>, %out: memref<?xf32>, %rows: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.for %o = %c0 to %rows step %c16 {
    %end = arith.addi %o, %c16 : index
    %last = arith.minsi %end, %rows : index
    scf.for %r = %o to %last step %c1 {
      %s = scf.for %c = %c0 to %c64 step %c1 iter_args(%acc = %zero) -> (f32) {
        %v = memref.load %x[%r, %c] : memref<?x64xf32>
        %t = arith.addf %acc, %v : f32
        scf.yield %t : f32
      }
      memref.store %s, %out[%r] : memref<?xf32>
    }
  } {pl.parallel}
  return
}

// The gemm of pypto-lib PR #372 (examples/intermediate/gemm.py at 43ffc489), in tiles of 4x4
// and chunks of 2 tiles: the chunk loops over mb and nb sit inside the other outer loop and a
// pl.at scope. Their last chunks run past m and n unless 8 divides them.
func.func @gemm_chunks(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>,
                       %m: index, %n: index, %k: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %mstep = arith.muli %c4, %c2 : index
  %nstep = arith.muli %c4, %c2 : index
  scf.for %mbc = %c0 to %m step %mstep {
    scf.for %nbc = %c0 to %n step %nstep {
      scf.execute_region no_inline {
        %mspan = arith.muli %c4, %c2 : index
        %mend = arith.addi %mbc, %mspan : index
        scf.for %mb = %mbc to %mend step %c4 {
          %nspan = arith.muli %c4, %c2 : index
          %nend = arith.addi %nbc, %nspan : index
          scf.for %nb = %nbc to %nend step %c4 {
            scf.for %i = %c0 to %c4 step %c1 {
              scf.for %j = %c0 to %c4 step %c1 {
                %r = arith.addi %mb, %i : index
                %q = arith.addi %nb, %j : index
                %s = scf.for %kk = %c0 to %k step %c1 iter_args(%acc = %zero) -> (f32) {
                  %x = memref.load %a[%r, %kk] : memref<?x?xf32>
                  %y = memref.load %b[%kk, %q] : memref<?x?xf32>
                  %p = arith.mulf %x, %y : f32
                  %t = arith.addf %acc, %p : f32
                  scf.yield %t : f32
                }
                memref.store %s, %c[%r, %q] : memref<?x?xf32>
              }
            }
          }
        }
        scf.yield
      } {pl.at = "core_group"}
    } {pl.parallel}
  } {pl.parallel}
  return
}
