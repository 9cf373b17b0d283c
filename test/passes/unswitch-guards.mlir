// pl-unswitch-guards: every guarded chunk whose fullness is only known at run time gets a fast
// path, `scf.if (o*C + C-1 < T) { loop without guard } else { guarded loop }`. Shown after
// canonicalize and cse; the raw output must verify upstream, and a second run changes nothing.
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops, pl-unswitch-guards, canonicalize, cse)' | %FileCheck %s
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops, pl-unswitch-guards)' | %mlir-opt --irdl-file=%pl-irdl -split-input-file --verify-roundtrip > /dev/null
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops, pl-unswitch-guards)' -o %t.once
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops, pl-unswitch-guards, pl-unswitch-guards)' -o %t.twice
// RUN: diff %t.once %t.twice

// A dynamic trip count and a loop-carried value: the fast path carries it through the scf.if.
func.func @dynamic_sum(%x: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %z) -> f32 {
    %v = memref.load %x[%i] : memref<?xf32>
    %s = arith.addf %a, %v : f32
    scf.yield %s : f32
  } {pl.chunk = 8}
  return %r : f32
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
func.func @dynamic_store(%x: memref<?xf32>, %lb: index, %ub: index) {
  %c2 = arith.constant 2 : index
  scf.for %i = %lb to %ub step %c2 {
    %v = memref.load %x[%i] : memref<?xf32>
    %s = arith.addf %v, %v : f32
    memref.store %s, %x[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
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
func.func @static_tail(%x: memref<10xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %one = arith.constant 1 : i32
  scf.for %i = %c0 to %c10 step %c1 {
    %v = memref.load %x[%i] : memref<10xi32>
    %s = arith.addi %v, %one : i32
    memref.store %s, %x[%i] : memref<10xi32>
  } {pl.chunk = 4}
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
func.func @short_static(%x: memref<3xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %one = arith.constant 1 : i32
  scf.for %i = %c0 to %c3 step %c1 {
    %v = memref.load %x[%i] : memref<3xi32>
    %s = arith.addi %v, %one : i32
    memref.store %s, %x[%i] : memref<3xi32>
  } {pl.chunk = 8}
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
func.func @chunk_one(%x: memref<?xi32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1 : i32
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xi32>
    %s = arith.addi %v, %one : i32
    memref.store %s, %x[%i] : memref<?xi32>
  } {pl.chunk = 1}
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
func.func @nested(%m: memref<?x?xf64>, %n0: index, %n1: index) -> (f64, i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f64
  %zi = arith.constant 0 : i32
  %one = arith.constant 1 : i32
  %r:2 = scf.for %i = %c0 to %n0 step %c1 iter_args(%a = %z, %cnt = %zi) -> (f64, i32) {
    %s:2 = scf.for %j = %c0 to %n1 step %c1 iter_args(%b = %a, %d = %cnt) -> (f64, i32) {
      %v = memref.load %m[%i, %j] : memref<?x?xf64>
      %t = arith.addf %b, %v : f64
      %e = arith.addi %d, %one : i32
      scf.yield %t, %e : f64, i32
    } {pl.chunk = 3}
    scf.yield %s#0, %s#1 : f64, i32
  } {pl.chunk = 2}
  return %r#0, %r#1 : f64, i32
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
func.func @deep(%m: memref<?xindex>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i0 = %c0 to %n step %c1 {
    scf.for %i1 = %c0 to %n step %c1 {
      scf.for %i2 = %c0 to %n step %c1 {
        scf.for %i3 = %c0 to %n step %c1 {
          memref.store %i0, %m[%i3] : memref<?xindex>
        } {pl.chunk = 2}
      } {pl.chunk = 2}
    } {pl.chunk = 2}
  } {pl.chunk = 2}
  return
}
// CHECK-LABEL: func.func @deep(
// CHECK-COUNT-9: scf.for
// CHECK-NOT:     scf.for
// CHECK:         return

// -----

// leading_full emits no guard: nothing to do.
func.func @leading_full(%x: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf32>
    memref.store %v, %x[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.chunk_policy = "leading_full"}
  return
}

// CHECK-LABEL: func.func @leading_full(
// CHECK-NOT:     scf.if
// CHECK:         return

// -----

// A hand-written chunk_inner loop without pl.guarded is not a guarded chunk: left alone.
func.func @hand_written(%x: memref<?xf32>, %t: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %in = arith.cmpi ult, %i, %t : index
    %v = memref.load %x[%c0] : memref<?xf32>
    scf.if %in {
      memref.store %v, %x[%i] : memref<?xf32>
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
