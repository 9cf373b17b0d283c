// The markers of the chunk contract (docs/internals.md) in the raw output of the split pass,
// for each policy: pl.loop_origin on every generated loop, pl.guarded on each in-chunk loop
// whose body runs under a guard, pl.remainder on the region around a remainder, pl.single_chunk
// on the region that replaces a one-trip chunk_outer loop, pl.unit_chunk on the region that
// replaces a one-trip chunk_inner loop (a chunk of 1).
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops)' | %FileCheck %s --check-prefix=GUARDED
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops{policy=leading_full})' -o %t.lf
// RUN: %FileCheck %s --check-prefix=LF < %t.lf
// RUN: %mlir-opt --irdl-file=%pl-irdl -split-input-file --verify-roundtrip %t.lf > /dev/null
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops{policy=clamped})' | %FileCheck %s --check-prefix=CLAMPED

// A dynamic trip count.
func.func @dynamic(%m: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %m[%i] : memref<?xf32>
    memref.store %v, %m[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}

// GUARDED-LABEL: func.func @dynamic(
// GUARDED:         scf.for
// GUARDED:           scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// GUARDED:             %[[K:.*]] = arith.addi %{{.*}}, %[[I]] : index
// GUARDED:             %[[G:.*]] = arith.cmpi ult, %[[K]], %{{.*}} : index
// GUARDED:             scf.if %[[G]] {
// GUARDED:           } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// GUARDED:         } {pl.loop_origin = "chunk_outer", pl.parallel}
// GUARDED-NOT:     pl.remainder

// LF-LABEL: func.func @dynamic(
// LF:         scf.for
// LF:           scf.for
// LF-NOT:         scf.if
// LF:           } {pl.loop_origin = "chunk_inner", pl.parallel}
// LF:         } {pl.loop_origin = "chunk_outer", pl.parallel}
// LF:         scf.execute_region no_inline {
// LF:           scf.for
// LF:           } {pl.loop_origin = "chunk_remainder", pl.parallel}
// LF-NEXT:      scf.yield
// LF-NEXT:    } {pl.remainder}

// CLAMPED-LABEL: func.func @dynamic(
// CLAMPED:         scf.for
// CLAMPED:           %[[UB:.*]] = arith.minui
// CLAMPED:           scf.for %{{.*}} = %{{.*}} to %[[UB]] step
// CLAMPED-NOT:         scf.if
// CLAMPED:           } {pl.loop_origin = "chunk_inner", pl.parallel}
// CLAMPED:         } {pl.loop_origin = "chunk_outer", pl.parallel}

// -----

// 9 = 2 * 4 + 1: a one-trip remainder, whose region (with its name) survives canonicalize.
func.func @one_trip_remainder(%m: memref<9xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c9 = arith.constant 9 : index
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %c9 step %c1 iter_args(%a = %z) -> f32 {
    %v = memref.load %m[%i] : memref<9xf32>
    %s = arith.addf %a, %v : f32
    scf.yield %s : f32
  } {pl.chunk = 4, pl.name_hint = "sum"}
  return %r : f32
}

// GUARDED-LABEL: func.func @one_trip_remainder(
// GUARDED:         } {pl.guarded, pl.loop_origin = "chunk_inner", pl.name_hint = "sum"}
// GUARDED:         } {pl.loop_origin = "chunk_outer", pl.name_hint = "sum"}

// LF-LABEL: func.func @one_trip_remainder(
// LF:         %[[MAIN:.*]] = scf.for
// LF:         } {pl.loop_origin = "chunk_outer", pl.name_hint = "sum"}
// LF:         %[[REM:.*]] = scf.execute_region -> f32 no_inline {
// LF-NEXT:      %[[LOOP:.*]] = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[MAIN]]) -> (f32) {
// LF:           } {pl.loop_origin = "chunk_remainder", pl.name_hint = "sum"}
// LF-NEXT:      scf.yield %[[LOOP]] : f32
// LF-NEXT:    } {pl.name_hint = "sum", pl.remainder}
// LF-NEXT:    return %[[REM]] : f32

// CLAMPED-LABEL: func.func @one_trip_remainder(
// CLAMPED-NOT:     pl.guarded
// CLAMPED-NOT:     pl.remainder
// CLAMPED:         return

// -----

// A divisible static trip count: no guard, so no pl.guarded; no remainder.
func.func @divisible(%m: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %c8 step %c1 {
    %v = memref.load %m[%i] : memref<8xf32>
    memref.store %v, %m[%i] : memref<8xf32>
  } {pl.chunk = 4}
  return
}

// GUARDED-LABEL: func.func @divisible(
// GUARDED-NOT:     pl.guarded
// GUARDED:         } {pl.loop_origin = "chunk_inner"}
// GUARDED:         } {pl.loop_origin = "chunk_outer"}

// LF-LABEL: func.func @divisible(
// LF-NOT:     pl.remainder
// LF:         } {pl.loop_origin = "chunk_outer"}
// LF-NOT:     pl.remainder
// LF:         return

// -----

// A static trip count that fits one chunk (3 <= 4): no one-trip chunk_outer loop, whose marker
// canonicalize would drop with the loop, but `scf.execute_region no_inline {pl.single_chunk}`
// around the chunk_inner loop (k = its iv), with the source loop's pl.parallel and name. Under
// leading_full the three rows are the remainder.
func.func @one_chunk(%m: memref<3x?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c3 step %c1 {
    scf.for %j = %c0 to %n step %c1 {
      %v = memref.load %m[%i, %j] : memref<3x?xf32>
      memref.store %v, %m[%i, %j] : memref<3x?xf32>
    } {pl.chunk = 4, pl.parallel, pl.chunk_policy = "guarded"}
  } {pl.chunk = 4, pl.parallel, pl.name_hint = "rows"}
  return
}

// GUARDED-LABEL: func.func @one_chunk(
// GUARDED-DAG:     %[[C3:.*]] = arith.constant 3 : index
// GUARDED-DAG:     %[[C4:.*]] = arith.constant 4 : index
// GUARDED:         scf.execute_region no_inline {
// GUARDED-NEXT:      scf.for %[[I:.*]] = %{{.*}} to %[[C4]] step
// GUARDED-NEXT:        %[[G:.*]] = arith.cmpi ult, %[[I]], %[[C3]] : index
// GUARDED-NEXT:        scf.if %[[G]] {
// GUARDED:               } {pl.loop_origin = "chunk_outer", pl.parallel}
// GUARDED:             }
// GUARDED-NEXT:      } {pl.guarded, pl.loop_origin = "chunk_inner", pl.name_hint = "rows", pl.parallel}
// GUARDED-NEXT:      scf.yield
// GUARDED-NEXT:    } {pl.name_hint = "rows", pl.parallel, pl.single_chunk}
// GUARDED-NEXT:    return

// LF-LABEL: func.func @one_chunk(
// LF-NOT:     pl.single_chunk
// LF:         scf.execute_region no_inline {
// LF-NEXT:      scf.for %{{.*}} = %{{.*}} to %c3 step
// LF:           } {pl.loop_origin = "chunk_remainder", pl.name_hint = "rows", pl.parallel}
// LF-NEXT:      scf.yield
// LF-NEXT:    } {pl.name_hint = "rows", pl.remainder}

// CLAMPED-LABEL: func.func @one_chunk(
// CLAMPED:         scf.execute_region no_inline {
// CLAMPED-NEXT:      scf.for %{{.*}} = %{{.*}} to %c3 step
// CLAMPED:               } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CLAMPED-NEXT:        } {pl.loop_origin = "chunk_outer", pl.parallel}
// CLAMPED-NEXT:      } {pl.loop_origin = "chunk_inner", pl.name_hint = "rows", pl.parallel}
// CLAMPED-NEXT:      scf.yield
// CLAMPED-NEXT:    } {pl.name_hint = "rows", pl.parallel, pl.single_chunk}

// -----

// A chunk of 1: no one-trip chunk_inner loop (canonicalize would fold it with its origin and
// guard) but an scf.execute_region no_inline {pl.unit_chunk} per chunk, k = the chunk_outer
// loop's iv, no guard under any policy (the T chunks of one iteration all run); iter_args
// chain through the region. leading_full adds its (empty) remainder after the main nest.
func.func @unit_chunk(%a: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%s = %zero) -> (f32) {
    %v = memref.load %a[%i] : memref<?xf32>
    %t = arith.addf %s, %v : f32
    scf.yield %t : f32
  } {pl.chunk = 1, pl.parallel, pl.name_hint = "sum"}
  return %r : f32
}

// GUARDED-LABEL: func.func @unit_chunk(
// GUARDED-NOT:     chunk_inner
// GUARDED:         %[[R:.*]] = scf.for %[[O:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[S:.*]] = %{{.*}}) -> (f32) {
// GUARDED-NEXT:      %[[U:.*]] = scf.execute_region -> f32 no_inline {
// GUARDED-NEXT:        %[[V:.*]] = memref.load %{{.*}}[%[[O]]] : memref<?xf32>
// GUARDED-NEXT:        %[[T:.*]] = arith.addf %[[S]], %[[V]] : f32
// GUARDED-NEXT:        scf.yield %[[T]] : f32
// GUARDED-NEXT:      } {pl.name_hint = "sum", pl.unit_chunk}
// GUARDED-NEXT:      scf.yield %[[U]] : f32
// GUARDED-NEXT:    } {pl.loop_origin = "chunk_outer", pl.name_hint = "sum", pl.parallel}
// GUARDED-NOT:     pl.guarded
// GUARDED:         return %[[R]] : f32

// LF-LABEL: func.func @unit_chunk(
// LF-NOT:     chunk_inner
// LF:         scf.for %[[O:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (f32) {
// LF-NEXT:      scf.execute_region -> f32 no_inline {
// LF-NEXT:        memref.load %{{.*}}[%[[O]]] : memref<?xf32>
// LF:           } {pl.name_hint = "sum", pl.unit_chunk}
// LF:         } {pl.loop_origin = "chunk_outer", pl.name_hint = "sum", pl.parallel}
// LF:         } {pl.name_hint = "sum", pl.remainder}

// CLAMPED-LABEL: func.func @unit_chunk(
// CLAMPED-NOT:     chunk_inner
// CLAMPED:         scf.for %[[O:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (f32) {
// CLAMPED-NEXT:      scf.execute_region -> f32 no_inline {
// CLAMPED-NEXT:        memref.load %{{.*}}[%[[O]]] : memref<?xf32>
// CLAMPED:           } {pl.name_hint = "sum", pl.unit_chunk}
// CLAMPED-NOT:     pl.guarded
// CLAMPED:         } {pl.loop_origin = "chunk_outer", pl.name_hint = "sum", pl.parallel}
