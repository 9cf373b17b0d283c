// Upstream canonicalize and cse keep every pl.* attribute (they are discardable attributes of
// upstream ops, which those passes carry along), in a pipeline string and as per-pass flags.
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(canonicalize, cse)' | %FileCheck %s
// RUN: %pypto-opt %s -split-input-file --canonicalize --cse --pl-verify | %FileCheck %s

// CHECK-LABEL: func.func @loops
// CHECK-SAME: attributes {pl.kernel}
// CHECK: scf.for
// CHECK: } {pl.chunk = 4 : i64, pl.chunk_policy = "leading_full", pl.parallel}
// CHECK: scf.for
// CHECK: } {pl.loop_origin = "chunk_inner", pl.name_hint = "inner"}
func.func @loops(%a: memref<?xf32>, %n: index) attributes {pl.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c0b = arith.constant 0 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    %y = arith.addf %x, %one : f32
    %dead = arith.addf %x, %x : f32
    memref.store %y, %a[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.chunk_policy = "leading_full", pl.parallel}
  scf.for %i = %c0b to %n step %c1 {
    memref.store %one, %a[%i] : memref<?xf32>
  } {pl.loop_origin = "chunk_inner", pl.name_hint = "inner"}
  return
}

// -----

// CHECK-LABEL: func.func @carried
// CHECK: scf.for {{.*}} iter_args
// CHECK: } {pl.chunk = 16 : index, pl.parallel}
func.func @carried(%a: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f32) {
    %x = memref.load %a[%i] : memref<?xf32>
    %s = arith.addf %acc, %x : f32
    scf.yield %s : f32
  } {pl.chunk = 16 : index, pl.parallel}
  return %r : f32
}

// -----

// CHECK-LABEL: func.func @scope
// CHECK: scf.execute_region no_inline {
// CHECK: } {pl.at = "core_group", pl.name_hint = "k"}
func.func @scope(%a: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1.0 : f32
  scf.execute_region no_inline {
    memref.store %one, %a[%c0] : memref<?xf32>
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "k"}
  return
}
