// pl-split-chunked-loops, policy clamped: one nest, no guard, no remainder; the inner loop of
// each chunk stops at min(C, T - o*C).
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops{policy=clamped}, canonicalize, cse)' | %FileCheck %s
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops{policy=clamped})' | %mlir-opt --irdl-file=%pl-irdl -split-input-file --verify-roundtrip > /dev/null

// A dynamic trip count and a carried value.
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
// CHECK-DAG:     %[[C8:.*]] = arith.constant 8 : index
// CHECK:         %[[T:.*]] = arith.select
// CHECK:         %[[NO:.*]] = arith.ceildivui %[[T]], %[[C8]] : index
// CHECK:         %[[R:.*]] = scf.for %[[O:.*]] = %{{.*}} to %[[NO]] step %{{.*}} iter_args(%[[A:.*]] = %{{.*}}) -> (f32) {
// CHECK:           %[[CS:.*]] = arith.muli %[[O]], %[[C8]] : index
// CHECK:           %[[LEFT:.*]] = arith.subi %[[T]], %[[CS]] : index
// CHECK:           %[[LEN:.*]] = arith.minui %[[LEFT]], %[[C8]] : index
// CHECK:           %[[IN:.*]] = scf.for %[[I:.*]] = %{{.*}} to %[[LEN]] step %{{.*}} iter_args(%[[B:.*]] = %[[A]]) -> (f32) {
// CHECK-NEXT:        %[[K:.*]] = arith.addi %[[CS]], %[[I]] : index
// CHECK-NEXT:        memref.load %{{.*}}[%[[K]]]
// CHECK-NOT:         scf.if
// CHECK:           } {pl.loop_origin = "chunk_inner"}
// CHECK:           scf.yield %[[IN]] : f32
// CHECK:         } {pl.loop_origin = "chunk_outer"}
// CHECK:         return %[[R]] : f32

// -----

// A static remainder (10 = 2*4 + 2): three chunks, the last of length 2.
func.func @static_tail(%x: memref<10xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %one = arith.constant 1 : i32
  scf.for %i = %c0 to %c10 step %c1 {
    %v = memref.load %x[%i] : memref<10xi32>
    %s = arith.addi %v, %one : i32
    memref.store %s, %x[%i] : memref<10xi32>
  } {pl.chunk = 4, pl.parallel}
  return
}
// CHECK-LABEL: func.func @static_tail(
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG:     %[[C10:.*]] = arith.constant 10 : index
// CHECK:         scf.for %[[O:.*]] = %{{.*}} to %[[C3]] step
// CHECK:           %[[CS:.*]] = arith.muli %[[O]], %[[C4]] : index
// CHECK:           %[[LEFT:.*]] = arith.subi %[[C10]], %[[CS]] : index
// CHECK:           %[[LEN:.*]] = arith.minui %[[LEFT]], %[[C4]] : index
// CHECK:           scf.for %{{.*}} = %{{.*}} to %[[LEN]] step
// CHECK:           } {pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK:         } {pl.loop_origin = "chunk_outer", pl.parallel}

// -----

// Divisible: plain chunks, no clamp.
func.func @divisible(%x: memref<12xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c12 = arith.constant 12 : index
  %one = arith.constant 1 : i32
  scf.for %i = %c0 to %c12 step %c1 {
    %v = memref.load %x[%i] : memref<12xi32>
    %s = arith.addi %v, %one : i32
    memref.store %s, %x[%i] : memref<12xi32>
  } {pl.chunk = 4}
  return
}
// CHECK-LABEL: func.func @divisible(
// CHECK-NOT:     arith.minui
// CHECK:         scf.for
// CHECK:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step
// CHECK-NOT:     arith.minui
// CHECK:         return
