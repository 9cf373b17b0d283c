// View validity: a subview's flag is its window test (offset + (size-1)*stride < dim, in i128
// after the < 2^62 guards); it faults at its creation when out of bounds and every access
// through it tests the flag. Flags follow memrefs into kernels as i1 arguments appended after
// the others; memrefs of the entry function are valid (true).
// RUN: %python %S/Inputs/emu-instrument.py %s -p 'builtin.module(pl-outline-kernels)' | %FileCheck %s

// CHECK-LABEL: func.func @scoped(
// CHECK-SAME: %[[A:.*]]: memref<?xf32>, %[[O:.*]]: index)
// CHECK:   %[[SMALL:.*]] = arith.cmpi ult, %[[O]], %{{.*}} : index
// CHECK:   %[[LAST:.*]] = arith.addi %{{.*}}, %{{.*}} : i128
// CHECK:   %[[IN:.*]] = arith.cmpi ult, %[[LAST]], %{{.*}} : i128
// CHECK:   %[[OK:.*]] = arith.ori %{{.*}}, %{{.*}} : i1
// CHECK:   %[[BAD:.*]] = arith.xori %[[OK]], %true : i1
// CHECK:   scf.if %[[BAD]] {
// CHECK:     func.call @pl_emu_fault(%c0_i64, %c-1_i64, %{{.*}}, %c0_i64, %c0_i64, %c0_i64, %{{.*}}, %c0_i64, %c0_i64, %c0_i64)
// CHECK:   }
// CHECK:   %[[W:.*]] = memref.subview %[[A]][%[[O]]] [4] [1]
// CHECK:   call @k(%[[W]], %[[OK]]) : (memref<4xf32, strided<[1], offset: ?>>, i1) -> ()

// CHECK-LABEL: func.func private @k(
// CHECK-SAME: %[[KW:.*]]: memref<4xf32, strided<[1], offset: ?>>, %[[KV:.*]]: i1) attributes {pl.kernel}
// CHECK:   scf.if %[[KV]] -> (f32) {
// CHECK:     memref.load %[[KW]][%{{.*}}]
// CHECK:   } else {
// CHECK:     func.call @pl_emu_fault(%c1_i64,
// CHECK:   scf.if %[[KV]] {
// CHECK:     memref.store %{{.*}}, %[[KW]][%{{.*}}]
// CHECK:   } else {
// CHECK:     func.call @pl_emu_fault(%c2_i64,
func.func @scoped(%a: memref<?xf32>, %o: index) {
  %w = memref.subview %a[%o] [4] [1] : memref<?xf32> to memref<4xf32, strided<[1], offset: ?>>
  scf.execute_region no_inline {
    %c0 = arith.constant 0 : index
    %c3 = arith.constant 3 : index
    %x = memref.load %w[%c0] : memref<4xf32, strided<[1], offset: ?>>
    memref.store %x, %w[%c3] : memref<4xf32, strided<[1], offset: ?>>
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "k"}
  return
}

// CHECK: // kernel 0: k
// CHECK: // group 0: k once at {{.*}}instrument-views.mlir:[[# @LINE - 11]]:3
// CHECK: // site 0: subview at {{.*}}instrument-views.mlir:[[# @LINE - 13]]:8 of memref<?xf32> in host
// CHECK: // site 1: load at {{.*}}instrument-views.mlir:[[# @LINE - 10]]:10 of memref<4xf32, strided<[1], offset: ?>> in k
// CHECK: // site 2: store at {{.*}}instrument-views.mlir:[[# @LINE - 10]]:5 of memref<4xf32, strided<[1], offset: ?>> in k
