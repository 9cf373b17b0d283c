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

// linalg.transpose writes its output (the last operand): a load of the same buffer may read
// what a first run wrote.
func.func @transpose_writes(%x: memref<4x4xf32> {llvm.noalias}, %o: memref<?x4x4xf32>,
                            %y: memref<?xf32> {llvm.noalias}, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-note @below {{the loop asks for pl.chunk_policy = "shift_inwards" here}}
  scf.for %i = %c0 to %n step %c1 {
    %s = memref.subview %o[%i, 0, 0] [1, 4, 4] [1, 1, 1] : memref<?x4x4xf32> to memref<4x4xf32, strided<[4, 1], offset: ?>>
    // expected-error @below {{shift_inwards is not legal: this read may alias a memref the loop writes}}
    %v = memref.load %o[%i, %c0, %c1] : memref<?x4x4xf32>
    memref.store %v, %y[%i] : memref<?xf32>
    // expected-note @below {{the loop writes here}}
    linalg.transpose ins(%x : memref<4x4xf32>) outs(%s : memref<4x4xf32, strided<[4, 1], offset: ?>>) permutation = [1, 0]
  } {pl.chunk = 4, pl.chunk_policy = "shift_inwards"}
  return
}

// -----

// linalg.broadcast and linalg.map write their last operand too.
func.func @map_writes(%x: memref<4xf32> {llvm.noalias}, %o: memref<?x4xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-note @below {{the loop asks for pl.chunk_policy = "shift_inwards" here}}
  scf.for %i = %c0 to %n step %c1 {
    %s = memref.subview %o[%i, 0] [1, 4] [1, 1] : memref<?x4xf32> to memref<4xf32, strided<[1], offset: ?>>
    // expected-error @below {{shift_inwards is not legal: this read may alias a memref the loop writes}}
    %v = memref.load %o[%c0, %c0] : memref<?x4xf32>
    memref.store %v, %x[%c0] : memref<4xf32>
    // expected-note @below {{the loop writes here}}
    linalg.map ins(%x : memref<4xf32>) outs(%s : memref<4xf32, strided<[1], offset: ?>>)
      (%e: f32, %unused: f32) {
        %d = arith.addf %e, %e : f32
        linalg.yield %d : f32
      }
  } {pl.chunk = 4, pl.chunk_policy = "shift_inwards"}
  return
}

// -----

// linalg.reduce accumulates into its output: it reads what it writes.
func.func @reduce_accumulates(%x: memref<?x4xf32> {llvm.noalias}, %acc: memref<4xf32> {llvm.noalias}, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-note @below {{the loop asks for pl.chunk_policy = "shift_inwards" here}}
  scf.for %i = %c0 to %n step %c1 {
    %row = memref.subview %x[%i, 0] [1, 4] [1, 1] : memref<?x4xf32> to memref<1x4xf32, strided<[4, 1], offset: ?>>
    // expected-error @below {{shift_inwards is not legal: this read may alias a memref the loop writes}}
    // expected-note @below {{the loop writes here}}
    linalg.reduce ins(%row : memref<1x4xf32, strided<[4, 1], offset: ?>>) outs(%acc : memref<4xf32>) dimensions = [0]
      (%e: f32, %a: f32) {
        %s = arith.addf %e, %a : f32
        linalg.yield %s : f32
      }
  } {pl.chunk = 4, pl.chunk_policy = "shift_inwards"}
  return
}

// -----

// vector.print has no memref operand, and an effect all the same.
func.func @prints(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-note @below {{the loop asks for pl.chunk_policy = "shift_inwards" here}}
  scf.for %i = %c0 to %n step %c1 {
    %v = vector.broadcast %i : index to vector<4xindex>
    // expected-error @below {{shift_inwards is not legal: 'vector.print' may have side effects other than memref reads and writes; re-running an iteration could repeat them}}
    vector.print %v : vector<4xindex>
  } {pl.chunk = 4, pl.chunk_policy = "shift_inwards"}
  return
}

// -----

// The pass option cannot ask for shift_inwards: only a loop can.
// RUN: %not %pypto-opt %s -p 'builtin.module(pl-split-chunked-loops{policy=shift_inwards})' 2>&1 | %FileCheck %s --check-prefix=OPTION
// OPTION: invalid value 'shift_inwards' for option 'policy' of 'pl-split-chunked-loops' (expected one of guarded, leading_full, clamped, auto)
