// Bounds checks in host code: each access runs under `scf.if` of its unsigned index compares
// (a load yields 0 otherwise), the else branch reports the fault (site, lane -1, indices, the
// memref's run-time sizes); an access known to be in bounds keeps no check; a vector access
// tests all its lanes at once and falls back to a per-lane helper. Sizes come from one memref.extract_strided_metadata per
// memref, where it is defined.
// RUN: %python %S/Inputs/emu-instrument.py %s | %FileCheck %s

// CHECK-LABEL: func.func @host(
// CHECK-SAME: %[[A:.*]]: memref<?xf32>, %[[I:.*]]: index, %[[S:.*]]: memref<4xf32>)
// CHECK:   %{{.*}}, %{{.*}}, %[[DIM:.*]], %{{.*}} = memref.extract_strided_metadata %[[A]] : memref<?xf32> -> memref<f32>, index, index, index
// CHECK-NOT: memref.dim
// CHECK:   %[[OK:.*]] = arith.cmpi ult, %[[I]], %[[DIM]] : index
// CHECK:   %[[X:.*]] = scf.if %[[OK]] -> (f32) {
// CHECK:     %[[L:.*]] = memref.load %[[A]][%[[I]]] : memref<?xf32>
// CHECK:     scf.yield %[[L]] : f32
// CHECK:   } else {
// CHECK:     %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK:     %[[N64:.*]] = arith.index_cast %[[DIM]] : index to i64
// CHECK:     func.call @pl_emu_fault(%c0_i64, %c-1_i64, %[[I64]], %c0_i64, %c0_i64, %c0_i64, %[[N64]], %c0_i64, %c0_i64, %c0_i64)
// CHECK:     scf.yield %cst{{.*}} : f32
// CHECK:   }
// The constant index 2 of a memref<4xf32> is in bounds: no check.
// CHECK-NOT: scf.if
// CHECK:   memref.store %[[X]], %[[S]][%{{.*}}] : memref<4xf32>
// CHECK:   arith.cmpi ule, %c4, %[[DIM]] : index
// CHECK:   %[[LAST:.*]] = arith.subi %[[DIM]], %c4 : index
// CHECK:   arith.cmpi ule, %[[I]], %[[LAST]] : index
// CHECK:   %[[FIT:.*]] = arith.andi
// CHECK:   %[[V:.*]] = scf.if %[[FIT]] -> (vector<4xf32>) {
// CHECK:     vector.load %[[A]][%[[I]]] : memref<?xf32>, vector<4xf32>
// CHECK:   } else {
// CHECK:     func.call @__pl_emu_slow_vload_0(%[[A]], %[[I]], %true, %c1_i64) : (memref<?xf32>, index, i1, i64) -> vector<4xf32>
// CHECK:   return
func.func @host(%a: memref<?xf32>, %i: index, %s: memref<4xf32>) -> vector<4xf32> {
  %c2 = arith.constant 2 : index
  %x = memref.load %a[%i] : memref<?xf32>
  memref.store %x, %s[%c2] : memref<4xf32>
  %v = vector.load %a[%i] : memref<?xf32>, vector<4xf32>
  return %v : vector<4xf32>
}

// The slow path: one lane at a time, a fault per faulting lane (lane number, its indices).
// CHECK-LABEL: func.func private @__pl_emu_slow_vload_0(
// CHECK:   memref.extract_strided_metadata
// CHECK:   scf.for %[[F:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<4xf32>) {
// CHECK:     %[[E:.*]] = arith.addi %{{.*}}, %[[F]] : index
// CHECK:     arith.cmpi ult, %[[E]], %{{.*}} : index
// CHECK:     scf.if %{{.*}} -> (f32) {
// CHECK:       memref.load %{{.*}}[%[[E]]] : memref<?xf32>
// CHECK:     } else {
// CHECK:       func.call @pl_emu_fault(%{{.*}}, %{{.*}}, %{{.*}}, %c0_i64, %c0_i64, %c0_i64, %{{.*}}, %c0_i64, %c0_i64, %c0_i64)
// CHECK:     vector.insert %{{.*}}, %[[ACC]] [%[[F]]] : f32 into vector<4xf32>

// CHECK: // site 0: load at {{.*}}instrument-bounds.mlir:[[# @LINE - 18]]:8 of memref<?xf32> in host
// CHECK: // site 1: load at {{.*}}instrument-bounds.mlir:[[# @LINE - 17]]:8 of memref<?xf32> in host
// CHECK-NOT: // site
