// pl-split-chunked-loops, policy auto: per loop, by the decision table of docs/policies.md;
// {explain=true} reports each choice as a remark at its loop.
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(pl-split-chunked-loops{policy=auto explain=true}, canonicalize, cse)' | %FileCheck %s
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops{policy=auto}, canonicalize, cse)' 2>&1 | %FileCheck %s --check-prefix=QUIET
// QUIET-NOT: remark

func.func @divisible(%x: memref<12xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c12 = arith.constant 12 : index
  // expected-remark @below {{pl.chunk: auto chose no tail code: static trip count 12 is a multiple of the chunk 4}}
  scf.for %i = %c0 to %c12 step %c1 {
    %v = memref.load %x[%i] : memref<12xf32>
    memref.store %v, %x[%i] : memref<12xf32>
  } {pl.chunk = 4}
  return
}
// CHECK-LABEL: func.func @divisible(
// CHECK-NOT:     scf.if
// CHECK-NOT:     chunk_remainder
// CHECK:         return

// -----

func.func @static_remainder(%x: memref<10xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  // expected-remark @below {{pl.chunk: auto chose leading_full: static trip count 10 leaves a remainder of 2}}
  scf.for %i = %c0 to %c10 step %c1 {
    %v = memref.load %x[%i] : memref<10xf32>
    memref.store %v, %x[%i] : memref<10xf32>
  } {pl.chunk = 4}
  return
}
// CHECK-LABEL: func.func @static_remainder(
// CHECK:         pl.loop_origin = "chunk_outer"
// CHECK:         pl.loop_origin = "chunk_remainder"

// -----

func.func @carried(%x: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  // expected-remark @below {{pl.chunk: auto chose guarded: dynamic trip count and loop-carried values}}
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %z) -> f32 {
    %v = memref.load %x[%i] : memref<?xf32>
    %s = arith.addf %a, %v : f32
    scf.yield %s : f32
  } {pl.chunk = 4}
  return %r : f32
}
// CHECK-LABEL: func.func @carried(
// CHECK:         arith.cmpi ult
// CHECK:         scf.if

// -----

func.func @parallel(%x: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-remark @below {{pl.chunk: auto chose guarded: dynamic trip count and pl.parallel (one kernel per loop)}}
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf32>
    memref.store %v, %x[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}
// CHECK-LABEL: func.func @parallel(
// CHECK:         scf.if

// -----

func.func @both(%x: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  // expected-remark @below {{pl.chunk: auto chose guarded: dynamic trip count, loop-carried values and pl.parallel}}
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %z) -> f32 {
    %v = memref.load %x[%i] : memref<?xf32>
    %s = arith.addf %a, %v : f32
    scf.yield %s : f32
  } {pl.chunk = 4, pl.parallel}
  return %r : f32
}

// -----

func.func @plain(%x: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-remark @below {{pl.chunk: auto chose clamped: dynamic trip count, nothing carried, not parallel}}
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf32>
    memref.store %v, %x[%i] : memref<?xf32>
  } {pl.chunk = 4}
  return
}
// CHECK-LABEL: func.func @plain(
// CHECK:         arith.minui
// CHECK-NOT:     scf.if
// CHECK:         return

// -----

// A loop's own pl.chunk_policy = "auto" works under any pass option.
func.func @own_attribute(%x: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-remark @below {{pl.chunk: auto chose clamped: dynamic trip count, nothing carried, not parallel}}
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf32>
    memref.store %v, %x[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.chunk_policy = "auto"}
  return
}
