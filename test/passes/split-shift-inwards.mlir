// pl-split-chunked-loops, pl.chunk_policy = "shift_inwards": every chunk is full; the last one
// is moved back to end at T and overlaps its predecessor. A run shorter than one chunk falls
// back to one guarded chunk. Legal only when re-running an iteration changes nothing
// (split-shift-inwards-invalid.mlir has the rejections).
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops, canonicalize, cse)' | %FileCheck %s
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops)' | %mlir-opt --irdl-file=%pl-irdl -split-input-file --verify-roundtrip > /dev/null

// Dynamic T: shifted chunks when T >= C, one guarded chunk otherwise.
func.func @dynamic(%a: memref<?xf32> {llvm.noalias}, %b: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    %s = arith.addf %x, %x : f32
    memref.store %s, %b[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.chunk_policy = "shift_inwards"}
  return
}
// CHECK-LABEL: func.func @dynamic(
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[T:.*]] = arith.select
// CHECK:         %[[NO:.*]] = arith.ceildivui %[[T]], %[[C4]] : index
// CHECK:         %[[BIG:.*]] = arith.cmpi uge, %[[T]], %[[C4]] : index
// CHECK:         scf.if %[[BIG]] {
// CHECK:           %[[LAST:.*]] = arith.subi %[[T]], %[[C4]] : index
// CHECK:           scf.for %[[O:.*]] = %{{.*}} to %[[NO]] step
// CHECK:             %[[OC:.*]] = arith.muli %[[O]], %[[C4]] : index
// CHECK:             %[[CS:.*]] = arith.minui %[[OC]], %[[LAST]] : index
// CHECK:             scf.for %[[I:.*]] = %{{.*}} to %[[C4]] step
// CHECK-NEXT:          %[[K:.*]] = arith.addi %[[CS]], %[[I]] : index
// CHECK-NEXT:          memref.load %{{.*}}[%[[K]]]
// CHECK-NOT:           scf.if
// CHECK:             } {pl.loop_origin = "chunk_inner"}
// CHECK:           } {pl.loop_origin = "chunk_outer"}
// CHECK:         } else {
// CHECK:           scf.for %{{.*}} = %{{.*}} to %[[NO]] step
// CHECK:             scf.for
// CHECK:               arith.cmpi ult, %{{.*}}, %[[T]] : index
// CHECK:               scf.if
// CHECK:           } {pl.loop_origin = "chunk_outer"}
// CHECK-NEXT:    }
// CHECK-NEXT:    return

// -----

// Static T = 10, C = 4: chunks start at 0, 4 and min(8, 6) = 6.
func.func @static(%a: memref<10xf32> {llvm.noalias}, %b: memref<10xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  scf.for %i = %c0 to %c10 step %c1 {
    %x = memref.load %a[%i] : memref<10xf32>
    memref.store %x, %b[%i] : memref<10xf32>
  } {pl.chunk = 4, pl.chunk_policy = "shift_inwards", pl.parallel}
  return
}
// CHECK-LABEL: func.func @static(
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG:     %[[C6:.*]] = arith.constant 6 : index
// CHECK-NOT:     scf.if
// CHECK:         scf.for %[[O:.*]] = %{{.*}} to %[[C3]] step
// CHECK:           %[[OC:.*]] = arith.muli %[[O]], %[[C4]] : index
// CHECK:           %[[CS:.*]] = arith.minui %[[OC]], %[[C6]] : index
// CHECK:           scf.for %{{.*}} = %{{.*}} to %[[C4]] step
// CHECK-NOT:         scf.if
// CHECK:           } {pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK:         } {pl.loop_origin = "chunk_outer", pl.parallel}

// -----

// Static T = 3 < C = 8: one guarded chunk.
func.func @short(%a: memref<3xf32> {llvm.noalias}, %b: memref<3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c3 step %c1 {
    %x = memref.load %a[%i] : memref<3xf32>
    memref.store %x, %b[%i] : memref<3xf32>
  } {pl.chunk = 8, pl.chunk_policy = "shift_inwards"}
  return
}
// CHECK-LABEL: func.func @short(
// CHECK:         scf.for %[[I:.*]] =
// CHECK-NEXT:      %[[G:.*]] = arith.cmpi ult, %[[I]], %{{.*}} : index
// CHECK-NEXT:      scf.if %[[G]] {

// -----

// Stores only, into one buffer (b[i] = f(i)), with a view: legal.
func.func @store_only(%b: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %v = memref.subview %b[0] [%n] [1] : memref<?xf32> to memref<?xf32, strided<[1]>>
  scf.for %i = %c0 to %n step %c1 {
    %ii = arith.index_cast %i : index to i32
    %f = arith.sitofp %ii : i32 to f32
    memref.store %f, %v[%i] : memref<?xf32, strided<[1]>>
  } {pl.chunk = 4, pl.chunk_policy = "shift_inwards"}
  return
}
// CHECK-LABEL: func.func @store_only(
// CHECK:         arith.cmpi uge
// CHECK:         arith.minui
