// shift_inwards re-runs iterations: where that could change the result, a located error names
// the op that makes it illegal, and nothing is rewritten.
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(pl-split-chunked-loops)'

// A read-modify-write of the same buffer.
func.func @rmw(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-note @below {{the loop asks for pl.chunk_policy = "shift_inwards" here}}
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @below {{shift_inwards is not legal: this read may alias a memref the loop writes; re-running an iteration could read what its first run wrote (mark distinct memref arguments `llvm.noalias` if they do not alias)}}
    %x = memref.load %a[%i] : memref<?xf32>
    %s = arith.addf %x, %x : f32
    // expected-note @below {{the loop writes here}}
    memref.store %s, %a[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.chunk_policy = "shift_inwards"}
  return
}

// -----

// Two arguments that may alias.
func.func @may_alias(%a: memref<?xf32>, %b: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-note @below {{the loop asks for pl.chunk_policy = "shift_inwards" here}}
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @below {{shift_inwards is not legal: this read may alias a memref the loop writes}}
    %x = memref.load %a[%i] : memref<?xf32>
    // expected-note @below {{the loop writes here}}
    memref.store %x, %b[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.chunk_policy = "shift_inwards"}
  return
}

// -----

// Carried values.
func.func @carried(%a: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  // expected-error @below {{shift_inwards is not legal: the loop carries values in iter_args; re-running an iteration would update them twice}}
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> f32 {
    %x = memref.load %a[%i] : memref<?xf32>
    %s = arith.addf %acc, %x : f32
    scf.yield %s : f32
  } {pl.chunk = 4, pl.chunk_policy = "shift_inwards"}
  return %r : f32
}

// -----

func.func private @log(index)

// An op with effects we cannot see.
func.func @call(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-note @below {{the loop asks for pl.chunk_policy = "shift_inwards" here}}
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @below {{shift_inwards is not legal: 'func.call' may have side effects other than memref reads and writes; re-running an iteration could repeat them}}
    func.call @log(%i) : (index) -> ()
  } {pl.chunk = 4, pl.chunk_policy = "shift_inwards"}
  return
}

// -----

// A read through a view of the written buffer.
func.func @view(%a: memref<?xf32> {llvm.noalias}, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %v = memref.subview %a[1] [%n] [1] : memref<?xf32> to memref<?xf32, strided<[1], offset: 1>>
  // expected-note @below {{the loop asks for pl.chunk_policy = "shift_inwards" here}}
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @below {{shift_inwards is not legal: this read may alias a memref the loop writes}}
    %x = memref.load %v[%i] : memref<?xf32, strided<[1], offset: 1>>
    // expected-note @below {{the loop writes here}}
    memref.store %x, %a[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.chunk_policy = "shift_inwards"}
  return
}

// -----

// The pass option cannot ask for shift_inwards: only a loop can.
// RUN: %not %pypto-opt %s -p 'builtin.module(pl-split-chunked-loops{policy=shift_inwards})' 2>&1 | %FileCheck %s --check-prefix=OPTION
// OPTION: invalid value 'shift_inwards' for option 'policy' of 'pl-split-chunked-loops' (expected one of guarded, leading_full, clamped, auto)
