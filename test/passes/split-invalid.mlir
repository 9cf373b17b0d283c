// Malformed chunked loops: located errors, and the module is left as it was (the pass verifies
// its input before it rewrites anything).
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(pl-split-chunked-loops)'
// RUN: %not %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops)' 2>&1 | %FileCheck %s --check-prefix=MSG

// The valid loop before the bad one is not rewritten either.
func.func @zero_chunk(%m: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %m[%i] : memref<?xf32>
  } {pl.chunk = 4}
  // expected-error @below {{'pl.chunk' must be a positive integer, got 0}}
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %m[%i] : memref<?xf32>
  } {pl.chunk = 0}
  return
}
// MSG: split-invalid.mlir:15:3: error: 'pl.chunk' must be a positive integer, got 0

// -----

func.func @negative_chunk(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.chunk' must be a positive integer, got -3}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = -3}
  return
}

// -----

func.func @float_chunk(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.chunk' expects an integer (i64, or index), got 2.500000e+00 : f64}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 2.5}
  return
}

// -----

func.func @bad_policy(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.chunk_policy' must be one of "guarded", "leading_full", "clamped", "shift_inwards", "auto", got "peel"}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 4, pl.chunk_policy = "peel"}
  return
}

// -----

func.func @negative_step() {
  %c0 = arith.constant 0 : index
  %c10 = arith.constant 10 : index
  %cm1 = arith.constant -1 : index
  // expected-error @below {{chunked loop has constant step -1, which is not positive}}
  // expected-note @below {{write a descending loop as an ascending loop over its trip count}}
  scf.for %i = %c10 to %c0 step %cm1 {
  } {pl.chunk = 4}
  return
}

// -----

func.func @chunk_on_while(%n: index) {
  %c0 = arith.constant 0 : index
  // expected-error @below {{'pl.chunk' is only valid on 'scf.for', not on 'scf.while'}}
  %w = scf.while (%x = %c0) : (index) -> index {
    %cond = arith.cmpi slt, %x, %n : index
    scf.condition(%cond) %x : index
  } do {
  ^bb0(%x: index):
    scf.yield %x : index
  } attributes {pl.chunk = 4}
  return
}
