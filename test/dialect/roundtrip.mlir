// Attributes of the pl vocabulary survive a round trip through pypto-opt, upstream mlir-opt
// (with our IRDL file) and canonicalize/cse.
// RUN: %pypto-opt %s | %pypto-opt - | %FileCheck %s
// RUN: %pypto-opt %s | %mlir-opt --irdl-file=%pl-irdl --verify-roundtrip | %FileCheck %s
// RUN: %pypto-opt %s -p 'builtin.module(canonicalize, cse)' | %FileCheck %s

// CHECK-LABEL: func.func @chunked
// CHECK: scf.for
// CHECK: {pl.chunk = 4 : i64, pl.chunk_policy = "leading_full", pl.parallel}
func.func @chunked(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    %y = arith.addf %x, %one : f32
    memref.store %y, %a[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.chunk_policy = "leading_full", pl.parallel}
  return
}
