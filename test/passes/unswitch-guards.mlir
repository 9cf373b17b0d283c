// pl-unswitch-guards: every guarded chunk whose fullness is only known at run time gets a fast
// path, `scf.if (o*C + C-1 < T) { loop without guard } else { guarded loop }`. The input is the
// raw output of pl-split-chunked-loops (its markers included), and only pl-unswitch-guards
// runs; the output is shown after upstream canonicalize and cse. The raw output must verify
// upstream, and a second run changes nothing.
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-unswitch-guards)' -o %t.once
// RUN: %mlir-opt --irdl-file=%pl-irdl -split-input-file --canonicalize --cse %t.once | %FileCheck %s
// RUN: %mlir-opt --irdl-file=%pl-irdl -split-input-file --verify-roundtrip %t.once > /dev/null
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-unswitch-guards, pl-unswitch-guards)' -o %t.twice
// RUN: diff %t.once %t.twice

// A dynamic trip count and a loop-carried value: the fast path carries it through the scf.if.
func.func @dynamic_sum(%arg0: memref<?xf32>, %arg1: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.000000e+00 : f32
  %c8 = arith.constant 8 : index
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.ceildivui %1, %c8 : index
  %3 = scf.for %arg2 = %c0 to %2 step %c1 iter_args(%arg3 = %cst) -> (f32) {
    %4 = arith.muli %arg2, %c8 : index
    %5 = scf.for %arg4 = %c0 to %c8 step %c1 iter_args(%arg5 = %arg3) -> (f32) {
      %6 = arith.addi %4, %arg4 : index
      %7 = arith.cmpi ult, %6, %1 : index
      %8 = scf.if %7 -> (f32) {
        %9 = memref.load %arg0[%6] : memref<?xf32>
        %10 = arith.addf %arg5, %9 : f32
        scf.yield %10 : f32
      } else {
        scf.yield %arg5 : f32
      }
      scf.yield %8 : f32
    } {pl.guarded, pl.loop_origin = "chunk_inner"}
    scf.yield %5 : f32
  } {pl.loop_origin = "chunk_outer"}
  return %3 : f32
}

// CHECK-LABEL: func.func @dynamic_sum(
// CHECK-SAME:      %[[X:.*]]: memref<?xf32>, %[[N:.*]]: index) -> f32
// CHECK-DAG:     %[[C7:.*]] = arith.constant 7 : index
// CHECK-DAG:     %[[C8:.*]] = arith.constant 8 : index
// CHECK:         %[[T:.*]] = arith.select
// CHECK:         %[[NO:.*]] = arith.ceildivui %[[T]], %[[C8]] : index
// CHECK:         %[[R:.*]] = scf.for %[[O:.*]] = %{{.*}} to %[[NO]] step %{{.*}} iter_args(%[[A:.*]] = %{{.*}}) -> (f32) {
// CHECK:           %[[CS:.*]] = arith.muli %[[O]], %[[C8]] : index
// CHECK:           %[[LAST:.*]] = arith.addi %[[CS]], %[[C7]] : index
// CHECK:           %[[FULL:.*]] = arith.cmpi ult, %[[LAST]], %[[T]] : index
// CHECK:           %[[CHUNK:.*]] = scf.if %[[FULL]] -> (f32) {
// CHECK:             %[[FAST:.*]] = scf.for %[[I:.*]] = %{{.*}} to %[[C8]] step %{{.*}} iter_args(%[[B:.*]] = %[[A]]) -> (f32) {
// CHECK:               %[[K:.*]] = arith.addi %[[CS]], %[[I]] : index
// CHECK-NOT:           scf.if
// CHECK:               %[[V:.*]] = memref.load %[[X]][%[[K]]] : memref<?xf32>
// CHECK:               %[[S:.*]] = arith.addf %[[B]], %[[V]] : f32
// CHECK:               scf.yield %[[S]] : f32
// CHECK:             } {pl.loop_origin = "chunk_inner"}
// CHECK:             scf.yield %[[FAST]] : f32
// CHECK:           } else {
// CHECK:             %[[SLOW:.*]] = scf.for %[[I2:.*]] = %{{.*}} to %[[C8]] step %{{.*}} iter_args(%[[B2:.*]] = %[[A]]) -> (f32) {
// CHECK:               %[[K2:.*]] = arith.addi %[[CS]], %[[I2]] : index
// CHECK:               %[[G:.*]] = arith.cmpi ult, %[[K2]], %[[T]] : index
// CHECK:               %[[PHI:.*]] = scf.if %[[G]] -> (f32) {
// CHECK:               } else {
// CHECK:                 scf.yield %[[B2]] : f32
// CHECK:               }
// CHECK:               scf.yield %[[PHI]] : f32
// CHECK:             } {pl.guarded, pl.loop_origin = "chunk_inner", pl.unswitched}
// CHECK:             scf.yield %[[SLOW]] : f32
// CHECK:           }
// CHECK:           scf.yield %[[CHUNK]] : f32
// CHECK:         } {pl.loop_origin = "chunk_outer"}
// CHECK:         return %[[R]] : f32

// -----

// No loop-carried value: the scf.if has no results.
func.func @dynamic_store(%arg0: memref<?xf32>, %arg1: index, %arg2: index) {
  %c2 = arith.constant 2 : index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %0 = arith.subi %arg2, %arg1 : index
  %1 = arith.ceildivui %0, %c2 : index
  %2 = arith.cmpi sgt, %arg2, %arg1 : index
  %3 = arith.select %2, %1, %c0 : index
  %4 = arith.ceildivui %3, %c4 : index
  scf.for %arg3 = %c0 to %4 step %c1 {
    %5 = arith.muli %arg3, %c4 : index
    scf.for %arg4 = %c0 to %c4 step %c1 {
      %6 = arith.addi %5, %arg4 : index
      %7 = arith.cmpi ult, %6, %3 : index
      scf.if %7 {
        %8 = arith.muli %6, %c2 : index
        %9 = arith.addi %arg1, %8 : index
        %10 = memref.load %arg0[%9] : memref<?xf32>
        %11 = arith.addf %10, %10 : f32
        memref.store %11, %arg0[%9] : memref<?xf32>
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}

// CHECK-LABEL: func.func @dynamic_store(
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[T:.*]] = arith.select
// CHECK:         scf.for %[[O:.*]] =
// CHECK:           %[[CS:.*]] = arith.muli %[[O]], %[[C4]] : index
// CHECK:           %[[LAST:.*]] = arith.addi %[[CS]], %[[C3]] : index
// CHECK:           %[[FULL:.*]] = arith.cmpi ult, %[[LAST]], %[[T]] : index
// CHECK:           scf.if %[[FULL]] {
// CHECK:             scf.for
// CHECK-NOT:           scf.if
// CHECK:               memref.store
// CHECK:             } {pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK:           } else {
// CHECK:             scf.for
// CHECK:               scf.if
// CHECK:                 memref.store
// CHECK:             } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel, pl.unswitched}
// CHECK:           }
// CHECK:         } {pl.loop_origin = "chunk_outer", pl.parallel}

// -----

// A static trip count with a remainder (10 = 2*4 + 2): which chunk is partial is known only per
// outer iteration, so the guarded nest is unswitched too.
func.func @static_tail(%arg0: memref<10xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %c1_i32 = arith.constant 1 : i32
  %c4 = arith.constant 4 : index
  %c3 = arith.constant 3 : index
  scf.for %arg1 = %c0 to %c3 step %c1 {
    %0 = arith.muli %arg1, %c4 : index
    scf.for %arg2 = %c0 to %c4 step %c1 {
      %1 = arith.addi %0, %arg2 : index
      %2 = arith.cmpi ult, %1, %c10 : index
      scf.if %2 {
        %3 = memref.load %arg0[%1] : memref<10xi32>
        %4 = arith.addi %3, %c1_i32 : i32
        memref.store %4, %arg0[%1] : memref<10xi32>
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner"}
  } {pl.loop_origin = "chunk_outer"}
  return
}

// CHECK-LABEL: func.func @static_tail(
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG:     %[[C10:.*]] = arith.constant 10 : index
// CHECK:         scf.for %[[O:.*]] = %{{.*}} to %[[C3]]
// CHECK:           %[[CS:.*]] = arith.muli %[[O]], %[[C4]] : index
// CHECK:           %[[LAST:.*]] = arith.addi %[[CS]], %[[C3]] : index
// CHECK:           %[[FULL:.*]] = arith.cmpi ult, %[[LAST]], %[[C10]] : index
// CHECK:           scf.if %[[FULL]] {
// CHECK-NOT:         scf.if
// CHECK:           } else {
// CHECK:             arith.cmpi ult, %{{.*}}, %[[C10]] : index
// CHECK:             scf.if

// -----

// Left alone: T = 3 < C = 8, so the only chunk is partial and a fast path would never run.
func.func @short_static(%arg0: memref<3xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c1_i32 = arith.constant 1 : i32
  %c8 = arith.constant 8 : index
  scf.for %arg1 = %c0 to %c1 step %c1 {
    %0 = arith.muli %arg1, %c8 : index
    scf.for %arg2 = %c0 to %c8 step %c1 {
      %1 = arith.addi %0, %arg2 : index
      %2 = arith.cmpi ult, %1, %c3 : index
      scf.if %2 {
        %3 = memref.load %arg0[%1] : memref<3xi32>
        %4 = arith.addi %3, %c1_i32 : i32
        memref.store %4, %arg0[%1] : memref<3xi32>
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner"}
  } {pl.loop_origin = "chunk_outer"}
  return
}

// CHECK-LABEL: func.func @short_static(
// CHECK:         scf.for %[[I:.*]] =
// CHECK-NEXT:      %[[G:.*]] = arith.cmpi ult, %[[I]], %{{.*}} : index
// CHECK-NEXT:      scf.if %[[G]] {
// CHECK:         } {pl.guarded, pl.loop_origin = "chunk_inner"}
// CHECK-NOT:     scf.if
// CHECK:         return

// -----

// Left alone: with C = 1 the guard k < T always holds inside the outer loop.
func.func @chunk_one(%arg0: memref<?xi32>, %arg1: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1_i32 = arith.constant 1 : i32
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.ceildivui %1, %c1 : index
  scf.for %arg2 = %c0 to %2 step %c1 {
    scf.for %arg3 = %c0 to %c1 step %c1 {
      %3 = arith.addi %arg2, %arg3 : index
      %4 = arith.cmpi ult, %3, %1 : index
      scf.if %4 {
        %5 = memref.load %arg0[%3] : memref<?xi32>
        %6 = arith.addi %5, %c1_i32 : i32
        memref.store %6, %arg0[%3] : memref<?xi32>
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner"}
  } {pl.loop_origin = "chunk_outer"}
  return
}

// CHECK-LABEL: func.func @chunk_one(
// CHECK:         scf.for %[[O:.*]] =
// CHECK-NEXT:      %[[G:.*]] = arith.cmpi ult, %[[O]], %{{.*}} : index
// CHECK-NEXT:      scf.if %[[G]] {
// CHECK:         } {pl.loop_origin = "chunk_outer"}
// CHECK-NEXT:    return

// -----

// Nested chunked loops: only the innermost guarded chunk gets a fast path. The outer chunk
// keeps its guard (it runs once per inner nest, not per element); a fast path at every level
// would copy the body 2**depth times. Several carried values of different types pass through
// every scf.if in order.
func.func @nested(%arg0: memref<?x?xf64>, %arg1: index, %arg2: index) -> (f64, i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.000000e+00 : f64
  %c0_i32 = arith.constant 0 : i32
  %c1_i32 = arith.constant 1 : i32
  %c2 = arith.constant 2 : index
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.ceildivui %1, %c2 : index
  %3:2 = scf.for %arg3 = %c0 to %2 step %c1 iter_args(%arg4 = %cst, %arg5 = %c0_i32) -> (f64, i32) {
    %4 = arith.muli %arg3, %c2 : index
    %5:2 = scf.for %arg6 = %c0 to %c2 step %c1 iter_args(%arg7 = %arg4, %arg8 = %arg5) -> (f64, i32) {
      %6 = arith.addi %4, %arg6 : index
      %7 = arith.cmpi ult, %6, %1 : index
      %8:2 = scf.if %7 -> (f64, i32) {
        %c3 = arith.constant 3 : index
        %9 = arith.cmpi sgt, %arg2, %c0 : index
        %10 = arith.select %9, %arg2, %c0 : index
        %11 = arith.ceildivui %10, %c3 : index
        %12:2 = scf.for %arg9 = %c0 to %11 step %c1 iter_args(%arg10 = %arg7, %arg11 = %arg8) -> (f64, i32) {
          %13 = arith.muli %arg9, %c3 : index
          %14:2 = scf.for %arg12 = %c0 to %c3 step %c1 iter_args(%arg13 = %arg10, %arg14 = %arg11) -> (f64, i32) {
            %15 = arith.addi %13, %arg12 : index
            %16 = arith.cmpi ult, %15, %10 : index
            %17:2 = scf.if %16 -> (f64, i32) {
              %18 = memref.load %arg0[%6, %15] : memref<?x?xf64>
              %19 = arith.addf %arg13, %18 : f64
              %20 = arith.addi %arg14, %c1_i32 : i32
              scf.yield %19, %20 : f64, i32
            } else {
              scf.yield %arg13, %arg14 : f64, i32
            }
            scf.yield %17#0, %17#1 : f64, i32
          } {pl.guarded, pl.loop_origin = "chunk_inner"}
          scf.yield %14#0, %14#1 : f64, i32
        } {pl.loop_origin = "chunk_outer"}
        scf.yield %12#0, %12#1 : f64, i32
      } else {
        scf.yield %arg7, %arg8 : f64, i32
      }
      scf.yield %8#0, %8#1 : f64, i32
    } {pl.guarded, pl.loop_origin = "chunk_inner"}
    scf.yield %5#0, %5#1 : f64, i32
  } {pl.loop_origin = "chunk_outer"}
  return %3#0, %3#1 : f64, i32
}

// CHECK-LABEL: func.func @nested(
// CHECK:         scf.for {{.*}} -> (f64, i32) {
// CHECK:           scf.for {{.*}} -> (f64, i32) {
// CHECK:             %[[K1:.*]] = arith.addi
// CHECK-NEXT:        %[[G1:.*]] = arith.cmpi ult, %[[K1]]
// CHECK-NEXT:        %{{.*}}:2 = scf.if %[[G1]] -> (f64, i32) {
// CHECK:               scf.for {{.*}} -> (f64, i32) {
// CHECK:                 %[[FULL:.*]] = arith.cmpi ult
// CHECK-NEXT:            %{{.*}}:2 = scf.if %[[FULL]] -> (f64, i32) {
// CHECK-NEXT:              scf.for {{.*}} -> (f64, i32) {
// CHECK-NEXT:                arith.addi
// CHECK-NEXT:                memref.load
// CHECK:                   } {pl.loop_origin = "chunk_inner"}
// CHECK:                 } else {
// CHECK-NEXT:              scf.for {{.*}} -> (f64, i32) {
// CHECK-NEXT:                arith.addi
// CHECK-NEXT:                arith.cmpi ult
// CHECK-NEXT:                scf.if %{{.*}} -> (f64, i32) {
// CHECK:                   } {pl.guarded, pl.loop_origin = "chunk_inner", pl.unswitched}
// CHECK:                 }
// CHECK:               } {pl.loop_origin = "chunk_outer"}
// CHECK:             } else {
// CHECK:             }
// CHECK:           } {pl.guarded, pl.loop_origin = "chunk_inner"}
// CHECK:         } {pl.loop_origin = "chunk_outer"}
// CHECK-NOT:     scf.for

// -----

// Depth does not multiply the copies: four nested chunked loops give 4 * 2 loops from the
// split and one more, the fast path of the innermost chunk.
func.func @deep(%arg0: memref<?xindex>, %arg1: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
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
        %c2_0 = arith.constant 2 : index
        %6 = arith.cmpi sgt, %arg1, %c0 : index
        %7 = arith.select %6, %arg1, %c0 : index
        %8 = arith.ceildivui %7, %c2_0 : index
        scf.for %arg4 = %c0 to %8 step %c1 {
          %9 = arith.muli %arg4, %c2_0 : index
          scf.for %arg5 = %c0 to %c2_0 step %c1 {
            %10 = arith.addi %9, %arg5 : index
            %11 = arith.cmpi ult, %10, %7 : index
            scf.if %11 {
              %c2_1 = arith.constant 2 : index
              %12 = arith.cmpi sgt, %arg1, %c0 : index
              %13 = arith.select %12, %arg1, %c0 : index
              %14 = arith.ceildivui %13, %c2_1 : index
              scf.for %arg6 = %c0 to %14 step %c1 {
                %15 = arith.muli %arg6, %c2_1 : index
                scf.for %arg7 = %c0 to %c2_1 step %c1 {
                  %16 = arith.addi %15, %arg7 : index
                  %17 = arith.cmpi ult, %16, %13 : index
                  scf.if %17 {
                    %c2_2 = arith.constant 2 : index
                    %18 = arith.cmpi sgt, %arg1, %c0 : index
                    %19 = arith.select %18, %arg1, %c0 : index
                    %20 = arith.ceildivui %19, %c2_2 : index
                    scf.for %arg8 = %c0 to %20 step %c1 {
                      %21 = arith.muli %arg8, %c2_2 : index
                      scf.for %arg9 = %c0 to %c2_2 step %c1 {
                        %22 = arith.addi %21, %arg9 : index
                        %23 = arith.cmpi ult, %22, %19 : index
                        scf.if %23 {
                          memref.store %4, %arg0[%22] : memref<?xindex>
                        }
                      } {pl.guarded, pl.loop_origin = "chunk_inner"}
                    } {pl.loop_origin = "chunk_outer"}
                  }
                } {pl.guarded, pl.loop_origin = "chunk_inner"}
              } {pl.loop_origin = "chunk_outer"}
            }
          } {pl.guarded, pl.loop_origin = "chunk_inner"}
        } {pl.loop_origin = "chunk_outer"}
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner"}
  } {pl.loop_origin = "chunk_outer"}
  return
}
// CHECK-LABEL: func.func @deep(
// CHECK-COUNT-9: scf.for
// CHECK-NOT:     scf.for
// CHECK:         return

// -----

// leading_full emits no guard: nothing to do.
func.func @leading_full(%arg0: memref<?xf32>, %arg1: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.divui %1, %c4 : index
  %3 = arith.remui %1, %c4 : index
  %4 = arith.muli %2, %c4 : index
  scf.for %arg2 = %c0 to %2 step %c1 {
    %5 = arith.muli %arg2, %c4 : index
    scf.for %arg3 = %c0 to %c4 step %c1 {
      %6 = arith.addi %5, %arg3 : index
      %7 = memref.load %arg0[%6] : memref<?xf32>
      memref.store %7, %arg0[%6] : memref<?xf32>
    } {pl.loop_origin = "chunk_inner"}
  } {pl.loop_origin = "chunk_outer"}
  scf.execute_region no_inline {
    scf.for %arg2 = %c0 to %3 step %c1 {
      %5 = arith.addi %4, %arg2 : index
      %6 = memref.load %arg0[%5] : memref<?xf32>
      memref.store %6, %arg0[%5] : memref<?xf32>
    } {pl.loop_origin = "chunk_remainder"}
    scf.yield
  } {pl.remainder}
  return
}

// CHECK-LABEL: func.func @leading_full(
// CHECK-NOT:     scf.if
// CHECK:         return

// -----

// A hand-written chunk_inner loop without pl.guarded is not a guarded chunk: left alone.
func.func @hand_written(%arg0: memref<?xf32>, %arg1: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %arg2 = %c0 to %c4 step %c1 {
    %0 = arith.cmpi ult, %arg2, %arg1 : index
    %1 = memref.load %arg0[%c0] : memref<?xf32>
    scf.if %0 {
      memref.store %1, %arg0[%arg2] : memref<?xf32>
    }
  } {pl.loop_origin = "chunk_inner"}
  return
}

// CHECK-LABEL: func.func @hand_written(
// CHECK:         scf.for
// CHECK-NEXT:      arith.cmpi
// CHECK-NEXT:      memref.load
// CHECK-NEXT:      scf.if
// CHECK:         } {pl.loop_origin = "chunk_inner"}
// CHECK-NEXT:    return

// -----

// A hand-written guarded chunk loop: pl.guarded promises the guard k < T, found by the values
// of its condition, whatever sits beside it (here a load before the comparison).
func.func @hand_written_guarded(%x: memref<?xf32>, %t: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%c0] : memref<?xf32>
    %in = arith.cmpi ult, %i, %t : index
    scf.if %in {
      memref.store %v, %x[%i] : memref<?xf32>
    }
  } {pl.guarded, pl.loop_origin = "chunk_inner"}
  return
}

// CHECK-LABEL: func.func @hand_written_guarded(
// CHECK:         %[[FULL:.*]] = arith.cmpi {{.*}} : index
// CHECK:         scf.if %[[FULL]] {
// CHECK:           scf.for
// CHECK-NOT:         scf.if
// CHECK:           } {pl.loop_origin = "chunk_inner"}
// CHECK:         } else {
// CHECK:           scf.for
// CHECK:             scf.if
// CHECK:           } {pl.guarded, pl.loop_origin = "chunk_inner", pl.unswitched}
// CHECK:         }
// CHECK-NEXT:    return
