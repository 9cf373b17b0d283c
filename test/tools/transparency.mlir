// Transparency: on a file without pl.* attributes, pypto-opt prints byte for byte what upstream
// mlir-opt prints, with no pipeline, with an upstream pipeline, split or not, generic or not.
// RUN: %pypto-opt %s -split-input-file > %t.ours
// RUN: %mlir-opt %s -split-input-file > %t.upstream
// RUN: diff %t.ours %t.upstream
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(canonicalize, cse, convert-scf-to-cf)' > %t.ours
// RUN: %mlir-opt %s -split-input-file -p 'builtin.module(canonicalize, cse, convert-scf-to-cf)' > %t.upstream
// RUN: diff %t.ours %t.upstream
// RUN: %pypto-opt %s --mlir-print-op-generic --pl-verify --canonicalize > %t.ours
// RUN: %mlir-opt %s --mlir-print-op-generic --canonicalize > %t.upstream
// RUN: diff %t.ours %t.upstream

func.func @sum(%a: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f32) {
    %x = memref.load %a[%i] : memref<?xf32>
    %s = arith.addf %acc, %x : f32
    scf.yield %s : f32
  }
  return %r : f32
}

// -----

func.func @dead(%x: i32) -> i32 {
  %c2 = arith.constant 2 : i32
  %unused = arith.muli %x, %c2 : i32
  %y = arith.addi %x, %x : i32
  %z = arith.addi %x, %x : i32
  %w = arith.addi %y, %z : i32
  return %w : i32
}

// -----

module attributes {test.note = "a module with attributes"} {
  func.func private @decl(i64) -> i64
}
