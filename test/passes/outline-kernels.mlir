// pl-outline-kernels: each rule for what becomes a kernel, its name, its arguments and results.
// Only pl-outline-kernels runs. Its input is what it receives after the split and the cleanups
// of pl-default: the cases below after pl-default{unswitch=false} (CHECK), and the same cases
// after pl-default{policy=leading_full} (LF) and after pl-default (its unswitched chunks) in
// Inputs/, written from these cases.
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-outline-kernels)' | %FileCheck %s
// RUN: %pypto-opt %S/Inputs/outline-kernels-leading-full.mlir -split-input-file -p 'builtin.module(pl-outline-kernels)' | %FileCheck %s --check-prefix=LF
// RUN: %pypto-opt %S/Inputs/outline-kernels-unswitched.mlir -split-input-file -p 'builtin.module(pl-outline-kernels)' -o %t.once
// RUN: %mlir-opt --irdl-file=%pl-irdl -split-input-file --verify-roundtrip %t.once > /dev/null
// Outlining twice changes nothing: work that launches a kernel is orchestration.
// RUN: %pypto-opt %S/Inputs/outline-kernels-unswitched.mlir -split-input-file -p 'builtin.module(pl-outline-kernels, pl-outline-kernels)' -o %t.twice
// RUN: diff %t.once %t.twice

// A pl.parallel chunked loop: the body of its chunk_outer loop is the kernel, one task per
// chunk; the loop stays in the orchestration. Under leading_full the remainder loop is a
// second kernel, @<name>_rem, called once.
func.func @vadd(%arg0: memref<?xf32>, %arg1: memref<?xf32>, %arg2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %0 = arith.cmpi sgt, %arg2, %c0 : index
  %1 = arith.select %0, %arg2, %c0 : index
  %2 = arith.ceildivui %1, %c4 : index
  scf.for %arg3 = %c0 to %2 step %c1 {
    %3 = arith.muli %arg3, %c4 : index
    scf.for %arg4 = %c0 to %c4 step %c1 {
      %4 = arith.addi %3, %arg4 : index
      %5 = arith.cmpi ult, %4, %1 : index
      scf.if %5 {
        %6 = memref.load %arg0[%4] : memref<?xf32>
        %7 = memref.load %arg1[%4] : memref<?xf32>
        %8 = arith.addf %6, %7 : f32
        memref.store %8, %arg1[%4] : memref<?xf32>
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.parallel}
  return
}
// CHECK-LABEL: func.func @vadd(
// CHECK-SAME:      %[[A:.*]]: memref<?xf32>, %[[B:.*]]: memref<?xf32>, %[[N:.*]]: index)
// CHECK:         %[[T:.*]] = arith.select
// CHECK:         scf.for %[[O:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:      func.call @vadd_k0(%[[O]], %[[T]], %[[A]], %[[B]]) : (index, index, memref<?xf32>, memref<?xf32>) -> ()
// CHECK-NEXT:    } {pl.loop_origin = "chunk_outer", pl.parallel}
// CHECK-NEXT:    return
// CHECK:       func.func private @vadd_k0(%[[KO:.*]]: index, %[[KT:.*]]: index, %[[KA:.*]]: memref<?xf32>, %[[KB:.*]]: memref<?xf32>) attributes {pl.kernel} {
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[CS:.*]] = arith.muli %[[KO]], %[[C4]] : index
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %[[C4]] step %{{.*}} {
// CHECK:           %[[K:.*]] = arith.addi %[[CS]], %[[I]] : index
// CHECK:           arith.cmpi ult, %[[K]], %[[KT]] : index
// CHECK:           memref.load %[[KA]][%[[K]]]
// CHECK:         } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:    return
// LF-LABEL:    func.func @vadd(
// LF:            scf.for %[[O:.*]] =
// LF-NEXT:         func.call @vadd_k0(%[[O]], %{{.*}}, %{{.*}}) : (index, memref<?xf32>, memref<?xf32>) -> ()
// LF-NEXT:       } {pl.loop_origin = "chunk_outer", pl.parallel}
// LF-NEXT:       call @vadd_k0_rem(
// LF-NEXT:       return
// LF:          func.func private @vadd_k0(
// LF-SAME:       attributes {pl.kernel}
// LF:          func.func private @vadd_k0_rem(
// LF-SAME:       attributes {pl.kernel}
// LF:            scf.for
// LF:            } {pl.loop_origin = "chunk_remainder", pl.parallel}

// -----

// Loop-carried values: the iter_args of the chunk loop come in after the chunk index, what the
// chunk yields comes back from the call, in order; pl.name_hint names the kernel.
func.func @two_sums(%arg0: memref<?xf32>, %arg1: index) -> (f32, i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.000000e+00 : f32
  %c0_i32 = arith.constant 0 : i32
  %c1_i32 = arith.constant 1 : i32
  %c8 = arith.constant 8 : index
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.ceildivui %1, %c8 : index
  %3:2 = scf.for %arg2 = %c0 to %2 step %c1 iter_args(%arg3 = %cst, %arg4 = %c0_i32) -> (f32, i32) {
    %4 = arith.muli %arg2, %c8 : index
    %5:2 = scf.for %arg5 = %c0 to %c8 step %c1 iter_args(%arg6 = %arg3, %arg7 = %arg4) -> (f32, i32) {
      %6 = arith.addi %4, %arg5 : index
      %7 = arith.cmpi ult, %6, %1 : index
      %8:2 = scf.if %7 -> (f32, i32) {
        %9 = memref.load %arg0[%6] : memref<?xf32>
        %10 = arith.addf %arg6, %9 : f32
        %11 = arith.addi %arg7, %c1_i32 : i32
        scf.yield %10, %11 : f32, i32
      } else {
        scf.yield %arg6, %arg7 : f32, i32
      }
      scf.yield %8#0, %8#1 : f32, i32
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.name_hint = "stage1", pl.parallel}
    scf.yield %5#0, %5#1 : f32, i32
  } {pl.loop_origin = "chunk_outer", pl.name_hint = "stage1", pl.parallel}
  return %3#0, %3#1 : f32, i32
}
// CHECK-LABEL: func.func @two_sums(
// CHECK:         %[[R:.*]]:2 = scf.for %[[O:.*]] = {{.*}} iter_args(%[[ACC:.*]] = %{{.*}}, %[[CNT:.*]] = %{{.*}}) -> (f32, i32) {
// CHECK-NEXT:      %[[CALL:.*]]:2 = func.call @stage1(%[[O]], %[[ACC]], %[[CNT]], %{{.*}}, %{{.*}}) : (index, f32, i32, index, memref<?xf32>) -> (f32, i32)
// CHECK-NEXT:      scf.yield %[[CALL]]#0, %[[CALL]]#1 : f32, i32
// CHECK:         return %[[R]]#0, %[[R]]#1 : f32, i32
// CHECK:       func.func private @stage1(%{{.*}}: index, %[[KACC:.*]]: f32, %[[KCNT:.*]]: i32, %{{.*}}: index, %{{.*}}: memref<?xf32>) -> (f32, i32) attributes {pl.kernel}
// CHECK:         scf.for {{.*}} iter_args(%{{.*}} = %[[KACC]], %{{.*}} = %[[KCNT]]) -> (f32, i32)
// LF-LABEL:    func.func @two_sums(
// LF:            %[[MAIN:.*]]:2 = scf.for
// LF:            %[[REM:.*]]:2 = call @stage1_rem(%{{.*}}, %[[MAIN]]#0, %[[MAIN]]#1, %{{.*}}, %{{.*}}) : (index, f32, i32, index, memref<?xf32>) -> (f32, i32)
// LF:            return %[[REM]]#0, %[[REM]]#1 : f32, i32

// -----

// canonicalize folded the one-trip chunk_outer loop (T = 3 < C = 8): the lone chunk_inner
// nest is a one-task kernel.
func.func @short(%arg0: memref<3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c8 = arith.constant 8 : index
  scf.for %arg1 = %c0 to %c8 step %c1 {
    %0 = arith.cmpi ult, %arg1, %c3 : index
    scf.if %0 {
      %1 = memref.load %arg0[%arg1] : memref<3xf32>
      %2 = arith.addf %1, %1 : f32
      memref.store %2, %arg0[%arg1] : memref<3xf32>
    }
  } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
  return
}
// CHECK-LABEL: func.func @short(
// CHECK-SAME:      %[[A:.*]]: memref<3xf32>)
// CHECK-NEXT:    call @short_k0(%[[A]]) : (memref<3xf32>) -> ()
// CHECK-NEXT:    return
// CHECK:       func.func private @short_k0(%{{.*}}: memref<3xf32>) attributes {pl.kernel} {
// CHECK:         scf.for
// CHECK:         } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}

// -----

// Not pl.parallel: the whole nest, main and remainder, is one kernel, one task.
func.func @sequential(%arg0: memref<?xf32>, %arg1: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.000000e+00 : f32
  %c4 = arith.constant 4 : index
  %0 = arith.cmpi sgt, %arg1, %c0 : index
  %1 = arith.select %0, %arg1, %c0 : index
  %2 = arith.ceildivui %1, %c4 : index
  %3 = scf.for %arg2 = %c0 to %2 step %c1 iter_args(%arg3 = %cst) -> (f32) {
    %4 = arith.muli %arg2, %c4 : index
    %5 = scf.for %arg4 = %c0 to %c4 step %c1 iter_args(%arg5 = %arg3) -> (f32) {
      %6 = arith.addi %4, %arg4 : index
      %7 = arith.cmpi ult, %6, %1 : index
      %8 = scf.if %7 -> (f32) {
        %9 = memref.load %arg0[%6] : memref<?xf32>
        %10 = arith.addf %arg5, %9 : f32
        scf.yield %10 : f32
      } else {
        scf.yield %arg5 : f32
      }
      scf.yield %8 : f32
    } {pl.guarded, pl.loop_origin = "chunk_inner"}
    scf.yield %5 : f32
  } {pl.loop_origin = "chunk_outer"}
  return %3 : f32
}
// CHECK-LABEL: func.func @sequential(
// CHECK:         %[[R:.*]] = call @sequential_k0(%{{.*}}, %{{.*}}, %{{.*}}) : (index, index, memref<?xf32>) -> f32
// CHECK-NEXT:    return %[[R]] : f32
// CHECK:       func.func private @sequential_k0(
// CHECK:         %[[OUT:.*]] = scf.for
// CHECK:         } {pl.loop_origin = "chunk_outer"}
// CHECK-NEXT:    return %[[OUT]] : f32
// LF-LABEL:    func.func @sequential(
// LF:            %[[R:.*]] = call @sequential_k0(
// LF-NEXT:       return %[[R]] : f32
// LF:          func.func private @sequential_k0(
// LF:            %[[MAIN:.*]] = scf.for
// LF:            } {pl.loop_origin = "chunk_outer"}
// LF:            %[[REM:.*]] = scf.execute_region -> f32 no_inline {
// LF:              scf.for {{.*}} iter_args(%{{.*}} = %[[MAIN]]) -> (f32) {
// LF:              } {pl.loop_origin = "chunk_remainder"}
// LF:            } {pl.remainder}
// LF-NEXT:       return %[[REM]] : f32

// -----

// An explicit scope is one kernel, one task per execution: here once per iteration of the
// (sequential) loop around it. Its results come back from the call.
func.func @scope(%arg0: memref<?xf32>, %arg1: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.000000e+00 : f32
  %0 = scf.for %arg2 = %c0 to %arg1 step %c1 iter_args(%arg3 = %cst) -> (f32) {
    %1 = scf.execute_region -> f32 no_inline {
      %2 = memref.load %arg0[%arg2] : memref<?xf32>
      %3 = arith.addf %arg3, %2 : f32
      scf.yield %3 : f32
    } {pl.at = "core_group"}
    scf.yield %1 : f32
  }
  return %0 : f32
}
// CHECK-LABEL: func.func @scope(
// CHECK:         scf.for %[[I:.*]] = {{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (f32) {
// CHECK-NEXT:      %[[V:.*]] = func.call @scope_k0(%{{.*}}, %[[I]], %[[ACC]]) : (memref<?xf32>, index, f32) -> f32
// CHECK-NEXT:      scf.yield %[[V]] : f32
// CHECK:       func.func private @scope_k0(%[[KA:.*]]: memref<?xf32>, %[[KI:.*]]: index, %[[KACC:.*]]: f32) -> f32 attributes {pl.kernel} {
// CHECK-NEXT:    %[[X:.*]] = memref.load %[[KA]][%[[KI]]] : memref<?xf32>
// CHECK-NEXT:    %[[S:.*]] = arith.addf %[[KACC]], %[[X]] : f32
// CHECK-NEXT:    return %[[S]] : f32

// -----

// An unchunked pl.parallel loop with no other source inside: its body is the kernel, one task
// per iteration. A parallel loop with a source inside stays orchestration.
func.func @rows(%arg0: memref<?x?xf32>, %arg1: index, %arg2: index) {
  %c16 = arith.constant 16 : index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %arg3 = %c0 to %arg1 step %c1 {
    scf.for %arg4 = %c0 to %arg2 step %c1 {
      %0 = memref.load %arg0[%arg3, %arg4] : memref<?x?xf32>
      %1 = arith.mulf %0, %0 : f32
      memref.store %1, %arg0[%arg3, %arg4] : memref<?x?xf32>
    }
  } {pl.parallel}
  scf.for %arg3 = %c0 to %arg1 step %c1 {
    %0 = arith.cmpi sgt, %arg2, %c0 : index
    %1 = arith.select %0, %arg2, %c0 : index
    %2 = arith.ceildivui %1, %c16 : index
    scf.for %arg4 = %c0 to %2 step %c1 {
      %3 = arith.muli %arg4, %c16 : index
      scf.for %arg5 = %c0 to %c16 step %c1 {
        %4 = arith.addi %3, %arg5 : index
        %5 = arith.cmpi ult, %4, %1 : index
        scf.if %5 {
          %6 = memref.load %arg0[%arg3, %4] : memref<?x?xf32>
          %7 = arith.addf %6, %6 : f32
          memref.store %7, %arg0[%arg3, %4] : memref<?x?xf32>
        }
      } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
    } {pl.loop_origin = "chunk_outer", pl.parallel}
  } {pl.parallel}
  return
}
// CHECK-LABEL: func.func @rows(
// CHECK:         scf.for %[[I:.*]] = {{.*}} {
// CHECK-NEXT:      func.call @rows_k0(%[[I]], %{{.*}}, %{{.*}}) : (index, index, memref<?x?xf32>) -> ()
// CHECK-NEXT:    } {pl.parallel}
// CHECK:         scf.for %[[I2:.*]] = {{.*}} {
// CHECK:           scf.for %[[O:.*]] = {{.*}} {
// CHECK-NEXT:        func.call @rows_k1(%[[O]], %{{.*}}, %{{.*}}, %[[I2]]) : (index, index, memref<?x?xf32>, index) -> ()
// CHECK-NEXT:      } {pl.loop_origin = "chunk_outer", pl.parallel}
// CHECK-NEXT:    } {pl.parallel}
// CHECK:       func.func private @rows_k0(
// CHECK:       func.func private @rows_k1(

// -----

// Only the outermost source is a kernel: the chunked parallel loop inside the scope stays
// inline. Names are unique against the module's symbols.
func.func @outer_k0() {
  return
}
func.func @outer(%arg0: memref<?xf32>, %arg1: index) {
  %c4 = arith.constant 4 : index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.execute_region no_inline {
    %0 = arith.cmpi sgt, %arg1, %c0 : index
    %1 = arith.select %0, %arg1, %c0 : index
    %2 = arith.ceildivui %1, %c4 : index
    scf.for %arg2 = %c0 to %2 step %c1 {
      %3 = arith.muli %arg2, %c4 : index
      scf.for %arg3 = %c0 to %c4 step %c1 {
        %4 = arith.addi %3, %arg3 : index
        %5 = arith.cmpi ult, %4, %1 : index
        scf.if %5 {
          %6 = memref.load %arg0[%4] : memref<?xf32>
          memref.store %6, %arg0[%4] : memref<?xf32>
        }
      } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
    } {pl.loop_origin = "chunk_outer", pl.parallel}
    scf.yield
  } {pl.at = "core_group"}
  return
}
// CHECK-LABEL: func.func @outer(
// CHECK-NEXT:    call @outer_k0_1(%{{.*}}, %{{.*}}) : (index, memref<?xf32>) -> ()
// CHECK-NEXT:    return
// CHECK:       func.func private @outer_k0_1(
// CHECK-SAME:      attributes {pl.kernel}
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:           } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK:         } {pl.loop_origin = "chunk_outer", pl.parallel}
// CHECK-NOT:   func.call
// CHECK:         return

// -----

// A one-trip leading_full remainder, as pl-default{policy=leading_full} leaves it: canonicalize
// folded the loop, its body stays in the pl.remainder region, which becomes the kernel
// @<name>_rem, one task (it used to run as host code).
func.func @lf(%arg0: memref<9xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  scf.for %arg1 = %c0 to %c2 step %c1 {
    %0 = arith.muli %arg1, %c4 : index
    scf.for %arg2 = %c0 to %c4 step %c1 {
      %1 = arith.addi %0, %arg2 : index
      %2 = memref.load %arg0[%1] : memref<9xf32>
      %3 = arith.addf %2, %2 : f32
      memref.store %3, %arg0[%1] : memref<9xf32>
    } {pl.loop_origin = "chunk_inner", pl.name_hint = "twice", pl.parallel}
  } {pl.loop_origin = "chunk_outer", pl.name_hint = "twice", pl.parallel}
  scf.execute_region no_inline {
    %0 = memref.load %arg0[%c8] : memref<9xf32>
    %1 = arith.addf %0, %0 : f32
    memref.store %1, %arg0[%c8] : memref<9xf32>
    scf.yield
  } {pl.name_hint = "twice", pl.remainder}
  return
}
// CHECK-LABEL: func.func @lf(
// CHECK-SAME:      %[[X:.*]]: memref<9xf32>)
// CHECK:         scf.for %[[O:.*]] =
// CHECK-NEXT:      func.call @twice(%[[O]], %[[X]]) : (index, memref<9xf32>) -> ()
// CHECK-NEXT:    } {pl.loop_origin = "chunk_outer", pl.name_hint = "twice", pl.parallel}
// CHECK-NEXT:    call @twice_rem(%[[X]]) : (memref<9xf32>) -> ()
// CHECK-NEXT:    return
// CHECK:       func.func private @twice(
// CHECK:       func.func private @twice_rem(%[[R:.*]]: memref<9xf32>) attributes {pl.kernel} {
// CHECK-NEXT:    %[[C8:.*]] = arith.constant 8 : index
// CHECK-NEXT:    %[[V:.*]] = memref.load %[[R]][%[[C8]]] : memref<9xf32>
// CHECK-NEXT:    %[[S:.*]] = arith.addf %[[V]], %[[V]] : f32
// CHECK-NEXT:    memref.store %[[S]], %[[R]][%[[C8]]] : memref<9xf32>
// CHECK-NEXT:    return

// -----

// A static trip count that fits one chunk (3 <= 4): the split built no one-trip chunk_outer
// loop but a pl.single_chunk region. Its body is a one-task kernel; the region becomes the
// call.
func.func @one_chunk(%arg0: memref<3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  scf.execute_region no_inline {
    scf.for %arg1 = %c0 to %c4 step %c1 {
      %0 = arith.cmpi ult, %arg1, %c3 : index
      scf.if %0 {
        %1 = memref.load %arg0[%arg1] : memref<3xf32>
        %2 = arith.addf %1, %1 : f32
        memref.store %2, %arg0[%arg1] : memref<3xf32>
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
    scf.yield
  } {pl.parallel, pl.single_chunk}
  return
}
// CHECK-LABEL: func.func @one_chunk(
// CHECK-SAME:      %[[A:.*]]: memref<3xf32>)
// CHECK-NEXT:    call @one_chunk_k0(%[[A]]) : (memref<3xf32>) -> ()
// CHECK-NEXT:    return
// CHECK:       func.func private @one_chunk_k0(%{{.*}}: memref<3xf32>) attributes {pl.kernel} {
// CHECK-NOT:     scf.execute_region
// CHECK:         scf.for
// CHECK:         } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:    return
