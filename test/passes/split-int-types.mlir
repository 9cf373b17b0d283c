// Non-index induction variables: the trip count is computed in 64 bits (sign- or zero-extended
// bounds) so that a span ub - lb that does not fit the IV type cannot overflow, the guard tests
// the flat index k < T, and the body's IV is lb + k*step in the IV's own type.
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops, canonicalize, cse)' | %FileCheck %s
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops{policy=leading_full}, canonicalize, cse)' | %FileCheck %s --check-prefix=LF
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops)' | %mlir-opt --irdl-file=%pl-irdl -split-input-file --verify-roundtrip > /dev/null

// The span 3.5e9 overflows i32; the loop runs 3 times (-2e9, -0.8e9, 0.4e9).
func.func @i32_span_overflow(%out: memref<?xi32>) {
  %lb = arith.constant -2000000000 : i32
  %ub = arith.constant 1500000000 : i32
  %st = arith.constant 1200000000 : i32
  %c0 = arith.constant 0 : index
  scf.for %i = %lb to %ub step %st : i32 {
    memref.store %i, %out[%c0] : memref<?xi32>
  } {pl.chunk = 2}
  return
}

// CHECK-LABEL: func.func @i32_span_overflow(
// CHECK-DAG:     %[[LB:.*]] = arith.constant -2000000000 : i32
// CHECK-DAG:     %[[ST:.*]] = arith.constant 1200000000 : i32
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK:         scf.for %{{.*}} to %[[C2]]
// CHECK:             %[[K:.*]] = arith.addi
// CHECK:             %[[G:.*]] = arith.cmpi ult, %[[K]], %[[C3]] : index
// CHECK:             scf.if %[[G]] {
// CHECK:               %[[K32:.*]] = arith.index_cast %[[K]] : index to i32
// CHECK:               %[[OFF:.*]] = arith.muli %[[K32]], %[[ST]] : i32
// CHECK:               %[[IV:.*]] = arith.addi %[[OFF]], %[[LB]] : i32
// CHECK:               memref.store %[[IV]]

// LF-LABEL: func.func @i32_span_overflow(
// LF:         } {pl.loop_origin = "chunk_inner"}
// LF-NOT:     scf.if
// LF:         memref.store

// -----

// Dynamic i32 bounds: extended to index before the subtraction.
func.func @i32_dynamic(%out: memref<?xi32>, %lb: i32, %ub: i32, %st: i32) {
  %c0 = arith.constant 0 : index
  scf.for %i = %lb to %ub step %st : i32 {
    memref.store %i, %out[%c0] : memref<?xi32>
  } {pl.chunk = 8}
  return
}

// CHECK-LABEL: func.func @i32_dynamic(
// CHECK-SAME:      %{{.*}}: memref<?xi32>, %[[LB:.*]]: i32, %[[UB:.*]]: i32, %[[ST:.*]]: i32)
// CHECK-DAG:     %[[LBI:.*]] = arith.index_cast %[[LB]] : i32 to index
// CHECK-DAG:     %[[UBI:.*]] = arith.index_cast %[[UB]] : i32 to index
// CHECK-DAG:     %[[STI:.*]] = arith.index_cast %[[ST]] : i32 to index
// CHECK:         %[[SPAN:.*]] = arith.subi %[[UBI]], %[[LBI]] : index
// CHECK:         %[[Q:.*]] = arith.ceildivui %[[SPAN]], %[[STI]] : index
// CHECK:         %[[POS:.*]] = arith.cmpi sgt, %[[UBI]], %[[LBI]] : index
// CHECK:         %[[T:.*]] = arith.select %[[POS]], %[[Q]], %{{.*}} : index
// CHECK:         scf.for
// CHECK:             arith.cmpi ult, %{{.*}}, %[[T]] : index
// CHECK:               %[[K32:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK:               %[[OFF:.*]] = arith.muli %[[K32]], %[[ST]] : i32
// CHECK:               arith.addi %[[LB]], %[[OFF]] : i32

// -----

// Near the i32 maximum: lb + k*step would pass 2^31-1 within the last chunk; the guard on k
// stops it first (T = 4, chunk 8).
func.func @i32_near_max(%out: memref<?xi32>) {
  %lb = arith.constant 2147483628 : i32
  %ub = arith.constant 2147483639 : i32
  %st = arith.constant 3 : i32
  %c0 = arith.constant 0 : index
  scf.for %i = %lb to %ub step %st : i32 {
    memref.store %i, %out[%c0] : memref<?xi32>
  } {pl.chunk = 8}
  return
}

// CHECK-LABEL: func.func @i32_near_max(
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG:     %[[C8:.*]] = arith.constant 8 : index
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %[[C8]]
// CHECK:           %[[G:.*]] = arith.cmpi ult, %[[I]], %[[C4]] : index
// CHECK:           scf.if %[[G]] {

// LF-LABEL: func.func @i32_near_max(
// LF-DAG:     %[[C4:.*]] = arith.constant 4 : index
// LF:         scf.for %{{.*}} to %[[C4]]
// LF:         } {pl.loop_origin = "chunk_remainder"}

// -----

// i64 with a span above 2^63: the subtraction wraps, read as unsigned it is exact.
func.func @i64_dynamic(%out: memref<?xi64>, %lb: i64, %ub: i64) {
  %st = arith.constant 4611686018427387904 : i64
  %c0 = arith.constant 0 : index
  scf.for %i = %lb to %ub step %st : i64 {
    memref.store %i, %out[%c0] : memref<?xi64>
  } {pl.chunk = 2}
  return
}

// CHECK-LABEL: func.func @i64_dynamic(
// CHECK:         %[[SPAN:.*]] = arith.subi
// CHECK:         %[[Q:.*]] = arith.ceildivui %[[SPAN]]
// CHECK:         arith.select %{{.*}}, %[[Q]]

// -----

// scf.for unsigned: zero-extended bounds, unsigned comparison.
func.func @unsigned_i32(%out: memref<?xi32>, %ub: i32) {
  %lb = arith.constant 0 : i32
  %st = arith.constant 3 : i32
  %c0 = arith.constant 0 : index
  scf.for unsigned %i = %lb to %ub step %st : i32 {
    memref.store %i, %out[%c0] : memref<?xi32>
  } {pl.chunk = 4}
  return
}

// CHECK-LABEL: func.func @unsigned_i32(
// CHECK-SAME:      %{{.*}}: memref<?xi32>, %[[UB:.*]]: i32)
// CHECK:         %[[UBI:.*]] = arith.index_castui %[[UB]] : i32 to index
// CHECK:         %[[T:.*]] = arith.ceildivui %[[UBI]], %{{.*}} : index
// CHECK-NOT:     arith.select
// CHECK:         scf.for
// CHECK-NOT:     unsigned
// CHECK:             arith.cmpi ult, %{{.*}}, %[[T]] : index
