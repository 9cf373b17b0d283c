// pl-interchange-chunk-loops: nested parallel chunked loops get their chunk loops outward and
// their in-chunk loops inward, the guards combined at the innermost level; nests it cannot
// reorder are left as they are, with a remark saying why. The input is the raw output of
// pl-split-chunked-loops (its markers included), and only pl-interchange-chunk-loops runs; the
// output is shown after upstream canonicalize and cse. The raw output must verify upstream.
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(pl-interchange-chunk-loops)' -o %t.raw
// RUN: %mlir-opt --irdl-file=%pl-irdl -split-input-file --canonicalize --cse %t.raw | %FileCheck %s
// RUN: %mlir-opt --irdl-file=%pl-irdl -split-input-file --verify-roundtrip %t.raw > /dev/null

// Both trip counts dynamic: both guards, combined.
func.func @both_dynamic(%arg0: memref<?x?xf32>, %arg1: index, %arg2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.ceildivui %1, %c2 : index
  scf.for %arg3 = %c0 to %2 step %c1 {
    %3 = arith.muli %arg3, %c2 : index
    scf.for %arg4 = %c0 to %c2 step %c1 {
      %4 = arith.addi %3, %arg4 : index
      %5 = arith.cmpi ult, %4, %1 : index
      scf.if %5 {
        %c4 = arith.constant 4 : index
        %6 = arith.cmpi sgt, %arg2, %c0 : index
        %7 = arith.select %6, %arg2, %c0 : index
        %8 = arith.ceildivui %7, %c4 : index
        scf.for %arg5 = %c0 to %8 step %c1 {
          %9 = arith.muli %arg5, %c4 : index
          scf.for %arg6 = %c0 to %c4 step %c1 {
            %10 = arith.addi %9, %arg6 : index
            %11 = arith.cmpi ult, %10, %7 : index
            scf.if %11 {
              %12 = memref.load %arg0[%4, %10] : memref<?x?xf32>
              %13 = arith.addf %12, %12 : f32
              memref.store %13, %arg0[%4, %10] : memref<?x?xf32>
            }
          } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
        } {pl.loop_origin = "chunk_outer", pl.parallel}
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}
// CHECK-LABEL: func.func @both_dynamic(
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[T1:.*]] = arith.select
// CHECK:         %[[N1:.*]] = arith.ceildivui %[[T1]], %[[C2]] : index
// CHECK:         %[[T2:.*]] = arith.select
// CHECK:         %[[N2:.*]] = arith.ceildivui %[[T2]], %[[C4]] : index
// CHECK:         scf.for %[[O1:.*]] = %{{.*}} to %[[N1]] step
// CHECK-NEXT:      %[[CS1:.*]] = arith.muli %[[O1]], %[[C2]] : index
// CHECK-NEXT:      scf.for %[[O2:.*]] = %{{.*}} to %[[N2]] step
// CHECK-NEXT:        %[[CS2:.*]] = arith.muli %[[O2]], %[[C4]] : index
// CHECK-NEXT:        scf.for %[[I1:.*]] = %{{.*}} to %[[C2]] step
// CHECK-NEXT:          %[[K1:.*]] = arith.addi %[[CS1]], %[[I1]] : index
// CHECK-NEXT:          scf.for %[[I2:.*]] = %{{.*}} to %[[C4]] step
// CHECK-NEXT:            %[[K2:.*]] = arith.addi %[[CS2]], %[[I2]] : index
// CHECK-NEXT:            %[[G1:.*]] = arith.cmpi ult, %[[K1]], %[[T1]] : index
// CHECK-NEXT:            %[[G2:.*]] = arith.cmpi ult, %[[K2]], %[[T2]] : index
// CHECK-NEXT:            %[[G:.*]] = arith.andi %[[G1]], %[[G2]] : i1
// CHECK-NEXT:            scf.if %[[G]] {
// CHECK-NEXT:              memref.load %{{.*}}[%[[K1]], %[[K2]]]
// CHECK:                 } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:          } {pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:        } {pl.loop_origin = "chunk_outer", pl.parallel}
// CHECK-NEXT:      } {pl.loop_origin = "chunk_outer", pl.parallel}

// -----

// The outer trip count divides (8 = 4 * 2): only the inner guard.
func.func @outer_divisible(%arg0: memref<8x?xf32>, %arg1: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  scf.for %arg2 = %c0 to %c4 step %c1 {
    %0 = arith.muli %arg2, %c2 : index
    scf.for %arg3 = %c0 to %c2 step %c1 {
      %1 = arith.addi %0, %arg3 : index
      %c4_0 = arith.constant 4 : index
      %2 = arith.cmpi sgt, %arg1, %c0 : index
      %3 = arith.select %2, %arg1, %c0 : index
      %4 = arith.ceildivui %3, %c4_0 : index
      scf.for %arg4 = %c0 to %4 step %c1 {
        %5 = arith.muli %arg4, %c4_0 : index
        scf.for %arg5 = %c0 to %c4_0 step %c1 {
          %6 = arith.addi %5, %arg5 : index
          %7 = arith.cmpi ult, %6, %3 : index
          scf.if %7 {
            %8 = memref.load %arg0[%1, %6] : memref<8x?xf32>
            memref.store %8, %arg0[%1, %6] : memref<8x?xf32>
          }
        } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
      } {pl.loop_origin = "chunk_outer", pl.parallel}
    } {pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}
// CHECK-LABEL: func.func @outer_divisible(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               scf.for
// CHECK-NEXT:            %[[K2:.*]] = arith.addi
// CHECK-NEXT:            %[[G2:.*]] = arith.cmpi ult, %[[K2]], %{{.*}} : index
// CHECK-NEXT:            scf.if %[[G2]] {
// CHECK-NOT:     arith.andi

// -----

// The inner trip count divides: the outer guard alone wraps the body.
func.func @inner_divisible(%arg0: memref<?x8xf32>, %arg1: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c2 = arith.constant 2 : index
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.ceildivui %1, %c2 : index
  scf.for %arg2 = %c0 to %2 step %c1 {
    %3 = arith.muli %arg2, %c2 : index
    scf.for %arg3 = %c0 to %c2 step %c1 {
      %4 = arith.addi %3, %arg3 : index
      %5 = arith.cmpi ult, %4, %1 : index
      scf.if %5 {
        %c4 = arith.constant 4 : index
        %c2_0 = arith.constant 2 : index
        scf.for %arg4 = %c0 to %c2_0 step %c1 {
          %6 = arith.muli %arg4, %c4 : index
          scf.for %arg5 = %c0 to %c4 step %c1 {
            %7 = arith.addi %6, %arg5 : index
            %8 = memref.load %arg0[%4, %7] : memref<?x8xf32>
            memref.store %8, %arg0[%4, %7] : memref<?x8xf32>
          } {pl.loop_origin = "chunk_inner", pl.parallel}
        } {pl.loop_origin = "chunk_outer", pl.parallel}
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}
// CHECK-LABEL: func.func @inner_divisible(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for %{{.*}} = %{{.*}} to %[[C2:.*]] step
// CHECK-NEXT:          %[[K1:.*]] = arith.addi
// CHECK-NEXT:          scf.for
// CHECK-NEXT:            %[[K2:.*]] = arith.addi
// CHECK-NEXT:            %[[G1:.*]] = arith.cmpi ult, %[[K1]], %{{.*}} : index
// CHECK-NEXT:            scf.if %[[G1]] {
// CHECK-NEXT:              memref.load %{{.*}}[%[[K1]], %[[K2]]]

// -----

// No guard at all.
func.func @no_guards(%arg0: memref<8x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  scf.for %arg1 = %c0 to %c4 step %c1 {
    %0 = arith.muli %arg1, %c2 : index
    scf.for %arg2 = %c0 to %c2 step %c1 {
      %1 = arith.addi %0, %arg2 : index
      %c4_0 = arith.constant 4 : index
      %c2_1 = arith.constant 2 : index
      scf.for %arg3 = %c0 to %c2_1 step %c1 {
        %2 = arith.muli %arg3, %c4_0 : index
        scf.for %arg4 = %c0 to %c4_0 step %c1 {
          %3 = arith.addi %2, %arg4 : index
          %4 = memref.load %arg0[%1, %3] : memref<8x8xf32>
          memref.store %4, %arg0[%1, %3] : memref<8x8xf32>
        } {pl.loop_origin = "chunk_inner", pl.parallel}
      } {pl.loop_origin = "chunk_outer", pl.parallel}
    } {pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}
// CHECK-LABEL: func.func @no_guards(
// CHECK:         scf.for
// CHECK-NEXT:      arith.muli
// CHECK-NEXT:      scf.for
// CHECK-NEXT:        arith.muli
// CHECK-NEXT:        scf.for
// CHECK-NEXT:          %[[K1:.*]] = arith.addi
// CHECK-NEXT:          scf.for
// CHECK-NEXT:            %[[K2:.*]] = arith.addi
// CHECK-NEXT:            memref.load %{{.*}}[%[[K1]], %[[K2]]]
// CHECK-NOT:     scf.if

// -----

// A memref passed through iter_args unchanged is no obstacle.
func.func @memref_through(%arg0: memref<?x?xf32>, %arg1: index, %arg2: index) -> memref<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.ceildivui %1, %c2 : index
  %3 = scf.for %arg3 = %c0 to %2 step %c1 iter_args(%arg4 = %arg0) -> (memref<?x?xf32>) {
    %4 = arith.muli %arg3, %c2 : index
    %5 = scf.for %arg5 = %c0 to %c2 step %c1 iter_args(%arg6 = %arg4) -> (memref<?x?xf32>) {
      %6 = arith.addi %4, %arg5 : index
      %7 = arith.cmpi ult, %6, %1 : index
      %8 = scf.if %7 -> (memref<?x?xf32>) {
        %c4 = arith.constant 4 : index
        %9 = arith.cmpi sgt, %arg2, %c0 : index
        %10 = arith.select %9, %arg2, %c0 : index
        %11 = arith.ceildivui %10, %c4 : index
        %12 = scf.for %arg7 = %c0 to %11 step %c1 iter_args(%arg8 = %arg6) -> (memref<?x?xf32>) {
          %13 = arith.muli %arg7, %c4 : index
          %14 = scf.for %arg9 = %c0 to %c4 step %c1 iter_args(%arg10 = %arg8) -> (memref<?x?xf32>) {
            %15 = arith.addi %13, %arg9 : index
            %16 = arith.cmpi ult, %15, %10 : index
            %17 = scf.if %16 -> (memref<?x?xf32>) {
              %18 = memref.load %arg10[%6, %15] : memref<?x?xf32>
              memref.store %18, %arg10[%6, %15] : memref<?x?xf32>
              scf.yield %arg10 : memref<?x?xf32>
            } else {
              scf.yield %arg10 : memref<?x?xf32>
            }
            scf.yield %17 : memref<?x?xf32>
          } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
          scf.yield %14 : memref<?x?xf32>
        } {pl.loop_origin = "chunk_outer", pl.parallel}
        scf.yield %12 : memref<?x?xf32>
      } else {
        scf.yield %arg6 : memref<?x?xf32>
      }
      scf.yield %8 : memref<?x?xf32>
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
    scf.yield %5 : memref<?x?xf32>
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return %3 : memref<?x?xf32>
}
// CHECK-LABEL: func.func @memref_through(
// CHECK-SAME:      %[[M:.*]]: memref<?x?xf32>,
// CHECK:         arith.andi
// CHECK:         return %[[M]] : memref<?x?xf32>

// -----

// Left alone: a value carried through the nest.
func.func @carried(%arg0: memref<?x?xf32>, %arg1: index, %arg2: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.000000e+00 : f32
  %c2 = arith.constant 2 : index
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.ceildivui %1, %c2 : index
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: the nest carries values in iter_args, and interchange would reorder their updates}}
  %3 = scf.for %arg3 = %c0 to %2 step %c1 iter_args(%arg4 = %cst) -> (f32) {
    %4 = arith.muli %arg3, %c2 : index
    %5 = scf.for %arg5 = %c0 to %c2 step %c1 iter_args(%arg6 = %arg4) -> (f32) {
      %6 = arith.addi %4, %arg5 : index
      %7 = arith.cmpi ult, %6, %1 : index
      %8 = scf.if %7 -> (f32) {
        %c4 = arith.constant 4 : index
        %9 = arith.cmpi sgt, %arg2, %c0 : index
        %10 = arith.select %9, %arg2, %c0 : index
        %11 = arith.ceildivui %10, %c4 : index
        %12 = scf.for %arg7 = %c0 to %11 step %c1 iter_args(%arg8 = %arg6) -> (f32) {
          %13 = arith.muli %arg7, %c4 : index
          %14 = scf.for %arg9 = %c0 to %c4 step %c1 iter_args(%arg10 = %arg8) -> (f32) {
            %15 = arith.addi %13, %arg9 : index
            %16 = arith.cmpi ult, %15, %10 : index
            %17 = scf.if %16 -> (f32) {
              %18 = memref.load %arg0[%6, %15] : memref<?x?xf32>
              %19 = arith.addf %arg10, %18 : f32
              scf.yield %19 : f32
            } else {
              scf.yield %arg10 : f32
            }
            scf.yield %17 : f32
          } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
          scf.yield %14 : f32
        } {pl.loop_origin = "chunk_outer", pl.parallel}
        scf.yield %12 : f32
      } else {
        scf.yield %arg6 : f32
      }
      scf.yield %8 : f32
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
    scf.yield %5 : f32
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return %3 : f32
}
// CHECK-LABEL: func.func @carried(
// CHECK-NOT:     arith.andi

// -----

// Left alone: the inner trip count depends on the outer IV (a triangle).
func.func @triangle(%arg0: memref<?x?xf32>, %arg1: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.ceildivui %1, %c2 : index
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: the inner trip count depends on the outer loop's iteration}}
  scf.for %arg2 = %c0 to %2 step %c1 {
    %3 = arith.muli %arg2, %c2 : index
    scf.for %arg3 = %c0 to %c2 step %c1 {
      %4 = arith.addi %3, %arg3 : index
      %5 = arith.cmpi ult, %4, %1 : index
      scf.if %5 {
        %c4 = arith.constant 4 : index
        %6 = arith.cmpi sgt, %4, %c0 : index
        %7 = arith.select %6, %4, %c0 : index
        %8 = arith.ceildivui %7, %c4 : index
        scf.for %arg4 = %c0 to %8 step %c1 {
          %9 = arith.muli %arg4, %c4 : index
          scf.for %arg5 = %c0 to %c4 step %c1 {
            %10 = arith.addi %9, %arg5 : index
            %11 = arith.cmpi ult, %10, %7 : index
            scf.if %11 {
              %12 = memref.load %arg0[%4, %10] : memref<?x?xf32>
              memref.store %12, %arg0[%10, %4] : memref<?x?xf32>
            }
          } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
        } {pl.loop_origin = "chunk_outer", pl.parallel}
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}

// -----

// Left alone: the inner loop is not pl.parallel.
func.func @inner_sequential(%arg0: memref<?x?xf32>, %arg1: index, %arg2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.ceildivui %1, %c2 : index
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: both chunked loops must be pl.parallel (interchange reorders their iterations)}}
  scf.for %arg3 = %c0 to %2 step %c1 {
    %3 = arith.muli %arg3, %c2 : index
    scf.for %arg4 = %c0 to %c2 step %c1 {
      %4 = arith.addi %3, %arg4 : index
      %5 = arith.cmpi ult, %4, %1 : index
      scf.if %5 {
        %c4 = arith.constant 4 : index
        %6 = arith.cmpi sgt, %arg2, %c0 : index
        %7 = arith.select %6, %arg2, %c0 : index
        %8 = arith.ceildivui %7, %c4 : index
        scf.for %arg5 = %c0 to %8 step %c1 {
          %9 = arith.muli %arg5, %c4 : index
          scf.for %arg6 = %c0 to %c4 step %c1 {
            %10 = arith.addi %9, %arg6 : index
            %11 = arith.cmpi ult, %10, %7 : index
            scf.if %11 {
              %12 = memref.load %arg0[%4, %10] : memref<?x?xf32>
              memref.store %12, %arg0[%4, %10] : memref<?x?xf32>
            }
          } {pl.guarded, pl.loop_origin = "chunk_inner"}
        } {pl.loop_origin = "chunk_outer"}
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}

// -----

// Left alone: work after the inner chunked loop in the outer chunk.
func.func @work_after(%arg0: memref<?x?xf32>, %arg1: memref<?xf32>, %arg2: index, %arg3: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.000000e+00 : f32
  %c2 = arith.constant 2 : index
  %0 = arith.cmpi sgt, %arg2, %c0 : index
  %1 = arith.select %0, %arg2, %c0 : index
  %2 = arith.ceildivui %1, %c2 : index
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: other work follows the inner chunked loop in the outer chunk}}
  scf.for %arg4 = %c0 to %2 step %c1 {
    %3 = arith.muli %arg4, %c2 : index
    scf.for %arg5 = %c0 to %c2 step %c1 {
      %4 = arith.addi %3, %arg5 : index
      %5 = arith.cmpi ult, %4, %1 : index
      scf.if %5 {
        %c4 = arith.constant 4 : index
        %6 = arith.cmpi sgt, %arg3, %c0 : index
        %7 = arith.select %6, %arg3, %c0 : index
        %8 = arith.ceildivui %7, %c4 : index
        scf.for %arg6 = %c0 to %8 step %c1 {
          %9 = arith.muli %arg6, %c4 : index
          scf.for %arg7 = %c0 to %c4 step %c1 {
            %10 = arith.addi %9, %arg7 : index
            %11 = arith.cmpi ult, %10, %7 : index
            scf.if %11 {
              %12 = memref.load %arg0[%4, %10] : memref<?x?xf32>
              memref.store %12, %arg0[%4, %10] : memref<?x?xf32>
            }
          } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
        } {pl.loop_origin = "chunk_outer", pl.parallel}
        memref.store %cst, %arg1[%4] : memref<?xf32>
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}

// -----

// Left alone: a store before the inner chunked loop would run once per inner iteration (and
// not at all when the inner loop runs none).
func.func @store_before(%arg0: memref<?xf32>, %arg1: memref<?x?xf32>, %arg2: index, %arg3: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 1.000000e+00 : f32
  %c2 = arith.constant 2 : index
  %0 = arith.cmpi sgt, %arg2, %c0 : index
  %1 = arith.select %0, %arg2, %c0 : index
  %2 = arith.ceildivui %1, %c2 : index
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: 'memref.store' in the outer chunk, before the inner chunked loop, would run once per inner iteration}}
  scf.for %arg4 = %c0 to %2 step %c1 {
    %3 = arith.muli %arg4, %c2 : index
    scf.for %arg5 = %c0 to %c2 step %c1 {
      %4 = arith.addi %3, %arg5 : index
      %5 = arith.cmpi ult, %4, %1 : index
      scf.if %5 {
        memref.store %cst, %arg0[%4] : memref<?xf32>
        %c4 = arith.constant 4 : index
        %6 = arith.cmpi sgt, %arg3, %c0 : index
        %7 = arith.select %6, %arg3, %c0 : index
        %8 = arith.ceildivui %7, %c4 : index
        scf.for %arg6 = %c0 to %8 step %c1 {
          %9 = arith.muli %arg6, %c4 : index
          scf.for %arg7 = %c0 to %c4 step %c1 {
            %10 = arith.addi %9, %arg7 : index
            %11 = arith.cmpi ult, %10, %7 : index
            scf.if %11 {
              %12 = memref.load %arg1[%4, %10] : memref<?x?xf32>
              memref.store %12, %arg1[%4, %10] : memref<?x?xf32>
            }
          } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
        } {pl.loop_origin = "chunk_outer", pl.parallel}
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}
// CHECK-LABEL: func.func @store_before(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             memref.store
// CHECK:             scf.for {{.*}} {
// CHECK:           } {pl.loop_origin = "chunk_outer", pl.parallel}
// CHECK:         } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK:       } {pl.loop_origin = "chunk_outer", pl.parallel}

// -----

// Left alone: a store that does not depend on the outer iteration is not hoisted either (it
// would run although the outer loop runs no iteration).
func.func @invariant_store(%arg0: memref<?xf32>, %arg1: memref<?x?xf32>, %arg2: index, %arg3: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 1.000000e+00 : f32
  %c2 = arith.constant 2 : index
  %0 = arith.cmpi sgt, %arg2, %c0 : index
  %1 = arith.select %0, %arg2, %c0 : index
  %2 = arith.ceildivui %1, %c2 : index
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: 'memref.store' in the outer chunk, before the inner chunked loop, would run once per inner iteration}}
  scf.for %arg4 = %c0 to %2 step %c1 {
    %3 = arith.muli %arg4, %c2 : index
    scf.for %arg5 = %c0 to %c2 step %c1 {
      %4 = arith.addi %3, %arg5 : index
      %5 = arith.cmpi ult, %4, %1 : index
      scf.if %5 {
        memref.store %cst, %arg0[%c0] : memref<?xf32>
        %c4 = arith.constant 4 : index
        %6 = arith.cmpi sgt, %arg3, %c0 : index
        %7 = arith.select %6, %arg3, %c0 : index
        %8 = arith.ceildivui %7, %c4 : index
        scf.for %arg6 = %c0 to %8 step %c1 {
          %9 = arith.muli %arg6, %c4 : index
          scf.for %arg7 = %c0 to %c4 step %c1 {
            %10 = arith.addi %9, %arg7 : index
            %11 = arith.cmpi ult, %10, %7 : index
            scf.if %11 {
              %12 = memref.load %arg1[%4, %10] : memref<?x?xf32>
              memref.store %12, %arg1[%4, %10] : memref<?x?xf32>
            }
          } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
        } {pl.loop_origin = "chunk_outer", pl.parallel}
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}

// -----

// Left alone: a load before the inner chunked loop would be repeated after the inner
// iterations wrote its element.
func.func @load_before(%arg0: memref<?x?xf32>, %arg1: index, %arg2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.ceildivui %1, %c2 : index
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: 'memref.load' in the outer chunk, before the inner chunked loop, would run once per inner iteration}}
  scf.for %arg3 = %c0 to %2 step %c1 {
    %3 = arith.muli %arg3, %c2 : index
    scf.for %arg4 = %c0 to %c2 step %c1 {
      %4 = arith.addi %3, %arg4 : index
      %5 = arith.cmpi ult, %4, %1 : index
      scf.if %5 {
        %6 = memref.load %arg0[%4, %c0] : memref<?x?xf32>
        %c4 = arith.constant 4 : index
        %7 = arith.cmpi sgt, %arg2, %c0 : index
        %8 = arith.select %7, %arg2, %c0 : index
        %9 = arith.ceildivui %8, %c4 : index
        scf.for %arg5 = %c0 to %9 step %c1 {
          %10 = arith.muli %arg5, %c4 : index
          scf.for %arg6 = %c0 to %c4 step %c1 {
            %11 = arith.addi %10, %arg6 : index
            %12 = arith.cmpi ult, %11, %8 : index
            scf.if %12 {
              %13 = memref.load %arg0[%4, %11] : memref<?x?xf32>
              %14 = arith.addf %13, %6 : f32
              memref.store %14, %arg0[%4, %11] : memref<?x?xf32>
            }
          } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
        } {pl.loop_origin = "chunk_outer", pl.parallel}
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}

// -----

// Three levels: all three chunk loops move out, all three in-chunk loops in, and the three
// guards combine at the innermost level (one task: a 2 x 4 x 3 block).
func.func @three_levels(%arg0: memref<?x?x?xf32>, %arg1: index, %arg2: index, %arg3: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.ceildivui %1, %c2 : index
  scf.for %arg4 = %c0 to %2 step %c1 {
    %3 = arith.muli %arg4, %c2 : index
    scf.for %arg5 = %c0 to %c2 step %c1 {
      %4 = arith.addi %3, %arg5 : index
      %5 = arith.cmpi ult, %4, %1 : index
      scf.if %5 {
        %c4 = arith.constant 4 : index
        %6 = arith.cmpi sgt, %arg2, %c0 : index
        %7 = arith.select %6, %arg2, %c0 : index
        %8 = arith.ceildivui %7, %c4 : index
        scf.for %arg6 = %c0 to %8 step %c1 {
          %9 = arith.muli %arg6, %c4 : index
          scf.for %arg7 = %c0 to %c4 step %c1 {
            %10 = arith.addi %9, %arg7 : index
            %11 = arith.cmpi ult, %10, %7 : index
            scf.if %11 {
              %c3 = arith.constant 3 : index
              %12 = arith.cmpi sgt, %arg3, %c0 : index
              %13 = arith.select %12, %arg3, %c0 : index
              %14 = arith.ceildivui %13, %c3 : index
              scf.for %arg8 = %c0 to %14 step %c1 {
                %15 = arith.muli %arg8, %c3 : index
                scf.for %arg9 = %c0 to %c3 step %c1 {
                  %16 = arith.addi %15, %arg9 : index
                  %17 = arith.cmpi ult, %16, %13 : index
                  scf.if %17 {
                    %18 = memref.load %arg0[%4, %10, %16] : memref<?x?x?xf32>
                    memref.store %18, %arg0[%4, %10, %16] : memref<?x?x?xf32>
                  }
                } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
              } {pl.loop_origin = "chunk_outer", pl.parallel}
            }
          } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
        } {pl.loop_origin = "chunk_outer", pl.parallel}
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}
// CHECK-LABEL: func.func @three_levels(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               scf.for %{{.*}} = %{{.*}} to %c2
// CHECK-NEXT:            %[[K1:.*]] = arith.addi
// CHECK-NEXT:            scf.for %{{.*}} = %{{.*}} to %c4
// CHECK-NEXT:              %[[K2:.*]] = arith.addi
// CHECK-NEXT:              scf.for %{{.*}} = %{{.*}} to %c3
// CHECK-NEXT:                %[[K3:.*]] = arith.addi
// CHECK-NEXT:                %[[G1:.*]] = arith.cmpi ult, %[[K1]]
// CHECK-NEXT:                %[[G2:.*]] = arith.cmpi ult, %[[K2]]
// CHECK-NEXT:                %[[G3:.*]] = arith.cmpi ult, %[[K3]]
// CHECK-NEXT:                %[[G12:.*]] = arith.andi %[[G1]], %[[G2]] : i1
// CHECK-NEXT:                %[[G:.*]] = arith.andi %[[G12]], %[[G3]] : i1
// CHECK-NEXT:                scf.if %[[G]] {
// CHECK-NEXT:                  memref.load %{{.*}}[%[[K1]], %[[K2]], %[[K3]]]
// CHECK:                     } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:              } {pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:            } {pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:          } {pl.loop_origin = "chunk_outer", pl.parallel}
// CHECK-NEXT:        } {pl.loop_origin = "chunk_outer", pl.parallel}
// CHECK-NEXT:      } {pl.loop_origin = "chunk_outer", pl.parallel}

// -----

// Three levels, the third with a store before its chunk loop: the outer two are interchanged,
// and a remark at the second says why the third stays inside the task.
func.func @two_of_three(%arg0: memref<?x?x?xf32>, %arg1: memref<?xf32>, %arg2: index, %arg3: index, %arg4: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.000000e+00 : f32
  %c2 = arith.constant 2 : index
  %0 = arith.cmpi sgt, %arg2, %c0 : index
  %1 = arith.select %0, %arg2, %c0 : index
  %2 = arith.ceildivui %1, %c2 : index
  scf.for %arg5 = %c0 to %2 step %c1 {
    %3 = arith.muli %arg5, %c2 : index
    scf.for %arg6 = %c0 to %c2 step %c1 {
      %4 = arith.addi %3, %arg6 : index
      %5 = arith.cmpi ult, %4, %1 : index
      scf.if %5 {
        %c4 = arith.constant 4 : index
        %6 = arith.cmpi sgt, %arg3, %c0 : index
        %7 = arith.select %6, %arg3, %c0 : index
        %8 = arith.ceildivui %7, %c4 : index
        // expected-remark @below {{pl-interchange-chunk-loops: left as it is: 'memref.store' in the outer chunk, before the inner chunked loop, would run once per inner iteration}}
        scf.for %arg7 = %c0 to %8 step %c1 {
          %9 = arith.muli %arg7, %c4 : index
          scf.for %arg8 = %c0 to %c4 step %c1 {
            %10 = arith.addi %9, %arg8 : index
            %11 = arith.cmpi ult, %10, %7 : index
            scf.if %11 {
              memref.store %cst, %arg1[%10] : memref<?xf32>
              %c3 = arith.constant 3 : index
              %12 = arith.cmpi sgt, %arg4, %c0 : index
              %13 = arith.select %12, %arg4, %c0 : index
              %14 = arith.ceildivui %13, %c3 : index
              scf.for %arg9 = %c0 to %14 step %c1 {
                %15 = arith.muli %arg9, %c3 : index
                scf.for %arg10 = %c0 to %c3 step %c1 {
                  %16 = arith.addi %15, %arg10 : index
                  %17 = arith.cmpi ult, %16, %13 : index
                  scf.if %17 {
                    %18 = memref.load %arg0[%4, %10, %16] : memref<?x?x?xf32>
                    memref.store %18, %arg0[%4, %10, %16] : memref<?x?x?xf32>
                  }
                } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
              } {pl.loop_origin = "chunk_outer", pl.parallel}
            }
          } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
        } {pl.loop_origin = "chunk_outer", pl.parallel}
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}
// CHECK-LABEL: func.func @two_of_three(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for %{{.*}} = %{{.*}} to %c2
// CHECK:               scf.for %{{.*}} = %{{.*}} to %c4
// CHECK:                 arith.andi
// CHECK-NEXT:            scf.if
// CHECK-NEXT:              memref.store
// CHECK:                   scf.for
// CHECK:                     scf.for %{{.*}} = %{{.*}} to %c3
// CHECK:                   } {pl.loop_origin = "chunk_outer", pl.parallel}

// -----

// Left alone: clamped chunks.
func.func @clamped(%arg0: memref<?x?xf32>, %arg1: index, %arg2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.ceildivui %1, %c2 : index
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: the in-chunk loop's bounds depend on its chunk (as clamped's min(C, T - o*C) does), so chunks are not interchanged; use guarded}}
  scf.for %arg3 = %c0 to %2 step %c1 {
    %3 = arith.muli %arg3, %c2 : index
    %4 = arith.subi %1, %3 : index
    %5 = arith.minui %c2, %4 : index
    scf.for %arg4 = %c0 to %5 step %c1 {
      %6 = arith.addi %3, %arg4 : index
      %c4 = arith.constant 4 : index
      %7 = arith.cmpi sgt, %arg2, %c0 : index
      %8 = arith.select %7, %arg2, %c0 : index
      %9 = arith.ceildivui %8, %c4 : index
      scf.for %arg5 = %c0 to %9 step %c1 {
        %10 = arith.muli %arg5, %c4 : index
        %11 = arith.subi %8, %10 : index
        %12 = arith.minui %c4, %11 : index
        scf.for %arg6 = %c0 to %12 step %c1 {
          %13 = arith.addi %10, %arg6 : index
          %14 = memref.load %arg0[%6, %13] : memref<?x?xf32>
          memref.store %14, %arg0[%6, %13] : memref<?x?xf32>
        } {pl.loop_origin = "chunk_inner", pl.parallel}
      } {pl.loop_origin = "chunk_outer", pl.parallel}
    } {pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}

// -----

// Left alone: the outer level's bound spelled with a compare and a select instead of a min (a
// hand-written nest, or a cleanup's rewrite), above full inner chunks: what counts is that the
// in-chunk loop's bound is computed inside its chunk loop, whatever ops compute it.
func.func @clamped_by_select(%arg0: memref<?x?xf32>, %arg1: index, %arg2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.ceildivui %1, %c2 : index
  %9 = arith.divui %arg2, %c4 : index
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: the in-chunk loop's bounds depend on its chunk (as clamped's min(C, T - o*C) does), so chunks are not interchanged; use guarded}}
  scf.for %arg3 = %c0 to %2 step %c1 {
    %3 = arith.muli %arg3, %c2 : index
    %4 = arith.subi %1, %3 : index
    %lt = arith.cmpi ult, %c2, %4 : index
    %5 = arith.select %lt, %c2, %4 : index
    scf.for %arg4 = %c0 to %5 step %c1 {
      %6 = arith.addi %3, %arg4 : index
      scf.for %arg5 = %c0 to %9 step %c1 {
        %10 = arith.muli %arg5, %c4 : index
        scf.for %arg6 = %c0 to %c4 step %c1 {
          %13 = arith.addi %10, %arg6 : index
          %14 = memref.load %arg0[%6, %13] : memref<?x?xf32>
          memref.store %14, %arg0[%6, %13] : memref<?x?xf32>
        } {pl.loop_origin = "chunk_inner", pl.parallel}
      } {pl.loop_origin = "chunk_outer", pl.parallel}
    } {pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}

// -----

// The outer loop is one chunk (3 rows, chunk 4): the split built a pl.single_chunk region in
// place of a one-trip chunk_outer loop (this input is after canonicalize and cse, which keep the
// region). The region stands for the outer chunk loop: the column chunk loop moves into it.
func.func @onetrip(%arg0: memref<3x10xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c10 = arith.constant 10 : index
  %c4 = arith.constant 4 : index
  scf.execute_region no_inline {
    scf.for %arg1 = %c0 to %c4 step %c1 {
      %0 = arith.cmpi ult, %arg1, %c3 : index
      scf.if %0 {
        scf.for %arg2 = %c0 to %c3 step %c1 {
          %1 = arith.muli %arg2, %c4 : index
          scf.for %arg3 = %c0 to %c4 step %c1 {
            %2 = arith.addi %1, %arg3 : index
            %3 = arith.cmpi ult, %2, %c10 : index
            scf.if %3 {
              %4 = memref.load %arg0[%arg1, %2] : memref<3x10xf32>
              %5 = arith.addf %4, %4 : f32
              memref.store %5, %arg0[%arg1, %2] : memref<3x10xf32>
            }
          } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
        } {pl.loop_origin = "chunk_outer", pl.parallel}
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
    scf.yield
  } {pl.parallel, pl.single_chunk}
  return
}

// CHECK-LABEL: func.func @onetrip(
// CHECK:         scf.execute_region no_inline {
// CHECK-NEXT:      scf.for %[[O2:.*]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT:        %[[S2:.*]] = arith.muli %[[O2]], %{{.*}} : index
// CHECK-NEXT:        scf.for %[[I1:.*]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT:          scf.for %[[I2:.*]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT:            %[[K2:.*]] = arith.addi %[[S2]], %[[I2]] : index
// CHECK-NEXT:            %[[G1:.*]] = arith.cmpi ult, %[[I1]], %{{.*}} : index
// CHECK-NEXT:            %[[G2:.*]] = arith.cmpi ult, %[[K2]], %{{.*}} : index
// CHECK-NEXT:            %[[G:.*]] = arith.andi %[[G1]], %[[G2]] : i1
// CHECK-NEXT:            scf.if %[[G]] {
// CHECK:                 } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:          } {pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:        } {pl.loop_origin = "chunk_outer", pl.parallel}
// CHECK-NEXT:        scf.yield
// CHECK-NEXT:      } {pl.parallel, pl.single_chunk}

// -----

// The inner loop is one chunk (3 columns, chunk 4): its pl.single_chunk region moves out, as a
// chunk_outer loop would, and the row in-chunk loop moves into it.
func.func @inner_one_chunk(%arg0: memref<10x3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c10 = arith.constant 10 : index
  %c4 = arith.constant 4 : index
  scf.for %arg1 = %c0 to %c3 step %c1 {
    %0 = arith.muli %arg1, %c4 : index
    scf.for %arg2 = %c0 to %c4 step %c1 {
      %1 = arith.addi %0, %arg2 : index
      %2 = arith.cmpi ult, %1, %c10 : index
      scf.if %2 {
        scf.execute_region no_inline {
          scf.for %arg3 = %c0 to %c4 step %c1 {
            %3 = arith.cmpi ult, %arg3, %c3 : index
            scf.if %3 {
              %4 = memref.load %arg0[%1, %arg3] : memref<10x3xf32>
              %5 = arith.addf %4, %4 : f32
              memref.store %5, %arg0[%1, %arg3] : memref<10x3xf32>
            }
          } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
          scf.yield
        } {pl.parallel, pl.single_chunk}
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}

// CHECK-LABEL: func.func @inner_one_chunk(
// CHECK:         scf.for %[[O1:.*]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT:      %[[S1:.*]] = arith.muli %[[O1]], %{{.*}} : index
// CHECK-NEXT:      scf.execute_region no_inline {
// CHECK-NEXT:        scf.for %[[I1:.*]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT:          %[[K1:.*]] = arith.addi %[[S1]], %[[I1]] : index
// CHECK-NEXT:          scf.for %[[I2:.*]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT:            %[[G1:.*]] = arith.cmpi ult, %[[K1]], %{{.*}} : index
// CHECK-NEXT:            %[[G2:.*]] = arith.cmpi ult, %[[I2]], %{{.*}} : index
// CHECK-NEXT:            %[[G:.*]] = arith.andi %[[G1]], %[[G2]] : i1
// CHECK-NEXT:            scf.if %[[G]] {
// CHECK:                 } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:          } {pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:        scf.yield
// CHECK-NEXT:      } {pl.parallel, pl.single_chunk}
// CHECK-NEXT:    } {pl.loop_origin = "chunk_outer", pl.parallel}

// -----

// A one-chunk outer level that passes a memref through its iter_args (raw split output): the
// pl.single_chunk region loses its result as the loops lose theirs, then the nest is
// interchanged.
func.func @carry(%arg0: memref<3x10xf32>) -> memref<3x10xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c10 = arith.constant 10 : index
  %c4 = arith.constant 4 : index
  %0 = scf.execute_region -> memref<3x10xf32> no_inline {
    %1 = scf.for %arg1 = %c0 to %c4 step %c1 iter_args(%arg2 = %arg0) -> (memref<3x10xf32>) {
      %2 = arith.cmpi ult, %arg1, %c3 : index
      %3 = scf.if %2 -> (memref<3x10xf32>) {
        %c4_0 = arith.constant 4 : index
        %c3_1 = arith.constant 3 : index
        %4 = scf.for %arg3 = %c0 to %c3_1 step %c1 iter_args(%arg4 = %arg2) -> (memref<3x10xf32>) {
          %5 = arith.muli %arg3, %c4_0 : index
          %6 = scf.for %arg5 = %c0 to %c4_0 step %c1 iter_args(%arg6 = %arg4) -> (memref<3x10xf32>) {
            %7 = arith.addi %5, %arg5 : index
            %8 = arith.cmpi ult, %7, %c10 : index
            %9 = scf.if %8 -> (memref<3x10xf32>) {
              %10 = memref.load %arg6[%arg1, %7] : memref<3x10xf32>
              %11 = arith.addf %10, %10 : f32
              memref.store %11, %arg6[%arg1, %7] : memref<3x10xf32>
              scf.yield %arg6 : memref<3x10xf32>
            } else {
              scf.yield %arg6 : memref<3x10xf32>
            }
            scf.yield %9 : memref<3x10xf32>
          } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
          scf.yield %6 : memref<3x10xf32>
        } {pl.loop_origin = "chunk_outer", pl.parallel}
        scf.yield %4 : memref<3x10xf32>
      } else {
        scf.yield %arg2 : memref<3x10xf32>
      }
      scf.yield %3 : memref<3x10xf32>
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
    scf.yield %1 : memref<3x10xf32>
  } {pl.parallel, pl.single_chunk}
  return %0 : memref<3x10xf32>
}

// CHECK-LABEL: func.func @carry(
// CHECK-SAME:      %[[M:.*]]: memref<3x10xf32>) -> memref<3x10xf32>
// CHECK:         scf.execute_region no_inline {
// CHECK-NEXT:      scf.for %[[O2:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:             scf.for %[[I1:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:          scf.for %[[I2:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:                 arith.andi
// CHECK:                 memref.store %{{.*}}, %[[M]][%[[I1]], %{{.*}}] : memref<3x10xf32>
// CHECK:               } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:        } {pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:      } {pl.loop_origin = "chunk_outer", pl.parallel}
// CHECK-NEXT:      scf.yield
// CHECK-NEXT:    } {pl.parallel, pl.single_chunk}
// CHECK-NEXT:    return %[[M]] : memref<3x10xf32>
