// Attributes of the pl vocabulary survive a round trip: pypto-opt output re-parsed by pypto-opt
// prints the same, and upstream mlir-opt with our IRDL file parses, verifies and round-trips it
// (also in the generic form).
// RUN: %pypto-opt %s -split-input-file > %t.1.mlir
// RUN: %pypto-opt %t.1.mlir -split-input-file > %t.2.mlir
// RUN: diff %t.1.mlir %t.2.mlir
// RUN: %FileCheck %s < %t.1.mlir
// RUN: %mlir-opt --irdl-file=%pl-irdl -split-input-file --verify-roundtrip %t.1.mlir | %FileCheck %s
// RUN: %pypto-opt %s -split-input-file --mlir-print-op-generic | %pypto-opt - -split-input-file | %FileCheck %s

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

// -----

// CHECK-LABEL: func.func @all
// CHECK-SAME: attributes {pl.kernel}
// CHECK: scf.for unsigned
// CHECK: } {pl.chunk = 2 : index, pl.chunk_policy = "guarded"}
// CHECK: scf.for
// CHECK: } {pl.loop_origin = "chunk_remainder", pl.name_hint = "tail"}
// CHECK: scf.execute_region no_inline
// CHECK: } {pl.at = "core_group"}
func.func @all(%a: memref<?xi32>, %lb: i32, %ub: i32, %n: index) attributes {pl.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1i = arith.constant 1 : i32
  scf.for unsigned %i = %lb to %ub step %c1i : i32 {
    memref.store %i, %a[%c0] : memref<?xi32>
  } {pl.chunk = 2 : index, pl.chunk_policy = "guarded"}
  scf.for %j = %c0 to %n step %c1 {
    memref.store %c1i, %a[%j] : memref<?xi32>
  } {pl.loop_origin = "chunk_remainder", pl.name_hint = "tail"}
  scf.execute_region no_inline {
    memref.store %c1i, %a[%c0] : memref<?xi32>
    scf.yield
  } {pl.at = "core_group"}
  return
}
