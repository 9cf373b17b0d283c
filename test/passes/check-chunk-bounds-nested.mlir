// pl-check-chunk-bounds finds chunk loops at any depth in the outer loop's body: inside other
// loops, pl.at scopes (scf.execute_region) and scf.if. The gemm of pypto-lib PR #372 (head
// 43ffc489, examples/intermediate/gemm.py) is the model: two parallel loops over chunks of
// m_tile * m_chunk rows and n_tile * n_chunk columns, a pl.at scope, and inside it
// `for mb in range(mb_chunk, mb_chunk + m_tile * m_chunk, m_tile)` with the nb loop inside
// the mb loop, so each chunk loop sits below the other outer loop (and the scope).
// The findings are the same before and after canonicalize, cse (which fold the spans to
// constants and merge them):
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(pl-check-chunk-bounds)'
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(canonicalize, cse, pl-check-chunk-bounds)'
// With {fix=true} every flagged loop is clamped, nested ones included:
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-check-chunk-bounds{fix=true})' -o %t.fixed 2> %t.remarks
// RUN: %FileCheck %s --check-prefix=FIX < %t.fixed
// RUN: %FileCheck %s --check-prefix=REMARK < %t.remarks
// REMARK-COUNT-6: remark: clamped the upper bound of this chunk loop
// REMARK-NOT: {{warning|remark}}
// The fixed module has nothing left to flag:
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-check-chunk-bounds{fix=true}, pl-check-chunk-bounds)' 2>&1 >/dev/null | %FileCheck %s --check-prefix=REFIXED
// REFIXED-NOT: warning

// The PR's gemm with a dynamic m and n, inside the pl.at scope: both chunk loops are flagged,
// and the warning names the bound it cannot reason about.
func.func @gemm_scope(%c: memref<?x?xf32>, %m: index, %n: index) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  %mstep = arith.muli %c64, %c2 : index
  %nstep = arith.muli %c64, %c2 : index
  // expected-note @below {{the last chunk runs past %ub when ub - lb is not a multiple of S}}
  scf.for %mbc = %c0 to %m step %mstep {
    // expected-note @below {{the last chunk runs past %ub when ub - lb is not a multiple of S}}
    scf.for %nbc = %c0 to %n step %nstep {
      scf.execute_region no_inline {
        %mspan = arith.muli %c64, %c2 : index
        %mend = arith.addi %mbc, %mspan : index
        // expected-warning @below {{without knowing %arg1 of @gemm_scope}}
        scf.for %mb = %mbc to %mend step %c64 {
          %nspan = arith.muli %c64, %c2 : index
          %nend = arith.addi %nbc, %nspan : index
          // expected-warning @below {{without knowing %arg2 of @gemm_scope}}
          scf.for %nb = %nbc to %nend step %c64 {
            memref.store %zero, %c[%mb, %nb] : memref<?x?xf32>
          }
        }
        scf.yield
      } {pl.at = "core_group"}
    } {pl.parallel}
  } {pl.parallel}
  return
}
// FIX-LABEL: func.func @gemm_scope(
// FIX-SAME:      %{{.*}}: memref<?x?xf32>, %[[M:.*]]: index, %[[N:.*]]: index)
// FIX:           scf.for %[[MBC:.*]] = %{{.*}} to %[[M]] step
// FIX:             scf.for %[[NBC:.*]] = %{{.*}} to %[[N]] step
// FIX:               scf.execute_region no_inline {
// FIX:                 %[[MEND:.*]] = arith.addi %[[MBC]], %{{.*}} : index
// FIX-NEXT:            %[[MCL:.*]] = arith.minsi %[[MEND]], %[[M]] : index
// FIX-NEXT:            scf.for %{{.*}} = %[[MBC]] to %[[MCL]] step
// FIX:                   %[[NEND:.*]] = arith.addi %[[NBC]], %{{.*}} : index
// FIX-NEXT:              %[[NCL:.*]] = arith.minsi %[[NEND]], %[[N]] : index
// FIX-NEXT:              scf.for %{{.*}} = %[[NBC]] to %[[NCL]] step

// -----

// The same without the scope.
func.func @gemm_no_scope(%c: memref<?x?xf32>, %m: index, %n: index) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  %mstep = arith.muli %c64, %c2 : index
  %nstep = arith.muli %c64, %c2 : index
  // expected-note @below {{the last chunk runs past %ub}}
  scf.for %mbc = %c0 to %m step %mstep {
    // expected-note @below {{the last chunk runs past %ub}}
    scf.for %nbc = %c0 to %n step %nstep {
      %mspan = arith.muli %c64, %c2 : index
      %mend = arith.addi %mbc, %mspan : index
      // expected-warning @below {{without knowing %arg1 of @gemm_no_scope}}
      scf.for %mb = %mbc to %mend step %c64 {
        %nspan = arith.muli %c64, %c2 : index
        %nend = arith.addi %nbc, %nspan : index
        // expected-warning @below {{without knowing %arg2 of @gemm_no_scope}}
        scf.for %nb = %nbc to %nend step %c64 {
          memref.store %zero, %c[%mb, %nb] : memref<?x?xf32>
        }
      }
    } {pl.parallel}
  } {pl.parallel}
  return
}
// FIX-LABEL: func.func @gemm_no_scope(
// FIX-COUNT-2: arith.minsi

// -----

// Static shapes as the PR's defaults (m = n = 256, tiles of 64, chunks of 2): 128 divides 256,
// so the last chunk ends exactly at the bound. Silent.
func.func @gemm_static_divisible(%c: memref<256x256xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c64 = arith.constant 64 : index
  %c256 = arith.constant 256 : index
  %zero = arith.constant 0.0 : f32
  %mstep = arith.muli %c64, %c2 : index
  %nstep = arith.muli %c64, %c2 : index
  scf.for %mbc = %c0 to %c256 step %mstep {
    scf.for %nbc = %c0 to %c256 step %nstep {
      scf.execute_region no_inline {
        %mspan = arith.muli %c64, %c2 : index
        %mend = arith.addi %mbc, %mspan : index
        scf.for %mb = %mbc to %mend step %c64 {
          %nspan = arith.muli %c64, %c2 : index
          %nend = arith.addi %nbc, %nspan : index
          scf.for %nb = %nbc to %nend step %c64 {
            memref.store %zero, %c[%mb, %nb] : memref<256x256xf32>
          }
        }
        scf.yield
      } {pl.at = "core_group"}
    } {pl.parallel}
  } {pl.parallel}
  return
}
// FIX-LABEL: func.func @gemm_static_divisible(
// FIX-NOT:     arith.minsi
// FIX:         return

// -----

// Static m = 192 (not a multiple of 128) and n = 256: only the mb chunk runs past its bound;
// the finding is certain, so no value is named.
func.func @gemm_static_tail(%c: memref<192x256xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c64 = arith.constant 64 : index
  %c192 = arith.constant 192 : index
  %c256 = arith.constant 256 : index
  %zero = arith.constant 0.0 : f32
  %mstep = arith.muli %c64, %c2 : index
  %nstep = arith.muli %c64, %c2 : index
  // expected-note @below {{the last chunk runs past %ub when ub - lb is not a multiple of S (ub - lb = 192, S = 128)}}
  scf.for %mbc = %c0 to %c192 step %mstep {
    scf.for %nbc = %c0 to %c256 step %nstep {
      scf.execute_region no_inline {
        %mspan = arith.muli %c64, %c2 : index
        %mend = arith.addi %mbc, %mspan : index
        // expected-warning-re @below {{or a guard `%i < %ub`{{$}}}}
        scf.for %mb = %mbc to %mend step %c64 {
          %nspan = arith.muli %c64, %c2 : index
          %nend = arith.addi %nbc, %nspan : index
          scf.for %nb = %nbc to %nend step %c64 {
            memref.store %zero, %c[%mb, %nb] : memref<192x256xf32>
          }
        }
        scf.yield
      } {pl.at = "core_group"}
    } {pl.parallel}
  } {pl.parallel}
  return
}
// FIX-LABEL: func.func @gemm_static_tail(
// FIX:         %[[E:.*]] = arith.addi
// FIX-NEXT:    %[[CL:.*]] = arith.minsi %[[E]], %c192 : index
// FIX-NEXT:    scf.for %{{.*}} = %{{.*}} to %[[CL]] step
// FIX-NOT:     arith.minsi
// FIX:         return

// -----

// Deeper: the chunk loop inside an scf.if, inside an unrelated loop, inside the chunk loop of
// another outer loop; an unrelated loop (lower bound 0) is not a chunk loop.
func.func @deep(%a: memref<?x?xf32>, %n: index, %p: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  // expected-note @below {{the last chunk runs past %ub}}
  scf.for %o = %c0 to %n step %c8 {
    scf.for %k = %c0 to %c4 step %c1 {
      scf.if %p {
        %e = arith.addi %o, %c8 : index
        // expected-warning @below {{without knowing %arg1 of @deep}}
        scf.for %i = %o to %e step %c1 {
          scf.for %j = %c0 to %n step %c1 {
            memref.store %zero, %a[%i, %j] : memref<?x?xf32>
          }
        }
      }
    }
  }
  return
}
// FIX-LABEL: func.func @deep(
// FIX:         scf.if
// FIX-NEXT:      %[[E:.*]] = arith.addi
// FIX-NEXT:      %[[CL:.*]] = arith.minsi %[[E]], %arg1 : index
// FIX-NEXT:      scf.for %{{.*}} = %{{.*}} to %[[CL]] step
