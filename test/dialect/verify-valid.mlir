// What the pl verifier accepts: every attribute on the ops of its row, pl.parallel with and
// without a chunk and with iter_args, index chunks, `scf.for unsigned` and i32 loops with a
// chunk. Printed unchanged (pypto-opt only parses, verifies and prints).
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics | %FileCheck %s
// RUN: %pypto-opt %s -split-input-file --pl-verify | %FileCheck %s

// CHECK-LABEL: func.func @parallel_only
// CHECK: scf.for
// CHECK: } {pl.parallel}
func.func @parallel_only(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %a[%i] : memref<?xf32>
  } {pl.parallel}
  return
}

// -----

// CHECK-LABEL: func.func @parallel_chunked_iter_args
// CHECK: %[[R:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (f32) {
// CHECK: } {pl.chunk = 8 : i64, pl.chunk_policy = "guarded", pl.parallel}
// CHECK: return %[[R]] : f32
func.func @parallel_chunked_iter_args(%a: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f32) {
    %x = memref.load %a[%i] : memref<?xf32>
    %s = arith.addf %acc, %x : f32
    scf.yield %s : f32
  } {pl.chunk = 8, pl.chunk_policy = "guarded", pl.parallel}
  return %r : f32
}

// -----

// CHECK-LABEL: func.func @index_chunk_unsigned
// CHECK: scf.for unsigned
// CHECK: } {pl.chunk = 4 : index, pl.chunk_policy = "leading_full"}
func.func @index_chunk_unsigned(%a: memref<?xi32>, %lb: i32, %ub: i32) {
  %c1 = arith.constant 1 : i32
  scf.for unsigned %i = %lb to %ub step %c1 : i32 {
    %k = arith.index_castui %i : i32 to index
    memref.store %i, %a[%k] : memref<?xi32>
  } {pl.chunk = 4 : index, pl.chunk_policy = "leading_full"}
  return
}

// -----

// A dynamic step cannot be checked statically: accepted.
// CHECK-LABEL: func.func @dynamic_step
// CHECK: } {pl.chunk = 2 : i64}
func.func @dynamic_step(%a: memref<?xf32>, %n: index, %s: index) {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %s {
    memref.store %one, %a[%i] : memref<?xf32>
  } {pl.chunk = 2}
  return
}

// -----

// The rest of the vocabulary, where it belongs.
// CHECK-LABEL: func.func @kernel
// CHECK-SAME: attributes {pl.kernel}
// CHECK: scf.for
// CHECK: } {pl.loop_origin = "chunk_outer", pl.name_hint = "k0"}
// CHECK: scf.execute_region no_inline {
// CHECK: } {pl.at = "core_group", pl.name_hint = "scope"}
func.func @kernel(%a: memref<?xf32>, %n: index) attributes {pl.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %a[%i] : memref<?xf32>
  } {pl.loop_origin = "chunk_outer", pl.name_hint = "k0"}
  scf.execute_region no_inline {
    memref.store %one, %a[%c0] : memref<?xf32>
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "scope"}
  return
}
