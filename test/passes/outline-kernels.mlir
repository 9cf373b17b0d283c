// pl-outline-kernels: each rule for what becomes a kernel, its name, its arguments and results.
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-default{unswitch=false}, pl-outline-kernels)' | %FileCheck %s
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-default{policy=leading_full}, pl-outline-kernels)' | %FileCheck %s --check-prefix=LF
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-default, pl-outline-kernels)' | %mlir-opt --irdl-file=%pl-irdl -split-input-file --verify-roundtrip > /dev/null
// Outlining twice changes nothing: work that launches a kernel is orchestration.
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-default, pl-outline-kernels)' -o %t.once
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-default, pl-outline-kernels, pl-outline-kernels)' -o %t.twice
// RUN: diff %t.once %t.twice

// A pl.parallel chunked loop: the body of its chunk_outer loop is the kernel, one task per
// chunk; the loop stays in the orchestration. Under leading_full the remainder loop is a
// second kernel, @<name>_rem, called once.
func.func @vadd(%a: memref<?xf32>, %b: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    %y = memref.load %b[%i] : memref<?xf32>
    %s = arith.addf %x, %y : f32
    memref.store %s, %b[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
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
func.func @two_sums(%a: memref<?xf32>, %n: index) -> (f32, i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  %zi = arith.constant 0 : i32
  %one = arith.constant 1 : i32
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z, %cnt = %zi) -> (f32, i32) {
    %x = memref.load %a[%i] : memref<?xf32>
    %s = arith.addf %acc, %x : f32
    %c = arith.addi %cnt, %one : i32
    scf.yield %s, %c : f32, i32
  } {pl.chunk = 8, pl.parallel, pl.name_hint = "stage1"}
  return %r#0, %r#1 : f32, i32
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
func.func @short(%a: memref<3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c3 step %c1 {
    %x = memref.load %a[%i] : memref<3xf32>
    %s = arith.addf %x, %x : f32
    memref.store %s, %a[%i] : memref<3xf32>
  } {pl.chunk = 8, pl.parallel}
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
func.func @sequential(%a: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> f32 {
    %x = memref.load %a[%i] : memref<?xf32>
    %s = arith.addf %acc, %x : f32
    scf.yield %s : f32
  } {pl.chunk = 4}
  return %r : f32
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
func.func @scope(%a: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> f32 {
    %v = scf.execute_region -> f32 no_inline {
      %x = memref.load %a[%i] : memref<?xf32>
      %s = arith.addf %acc, %x : f32
      scf.yield %s : f32
    } {pl.at = "core_group"}
    scf.yield %v : f32
  }
  return %r : f32
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
func.func @rows(%m: memref<?x?xf32>, %r: index, %c: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %r step %c1 {
    scf.for %j = %c0 to %c step %c1 {
      %x = memref.load %m[%i, %j] : memref<?x?xf32>
      %s = arith.mulf %x, %x : f32
      memref.store %s, %m[%i, %j] : memref<?x?xf32>
    }
  } {pl.parallel}
  scf.for %i = %c0 to %r step %c1 {
    scf.for %j = %c0 to %c step %c1 {
      %x = memref.load %m[%i, %j] : memref<?x?xf32>
      %s = arith.addf %x, %x : f32
      memref.store %s, %m[%i, %j] : memref<?x?xf32>
    } {pl.chunk = 16, pl.parallel}
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
func.func @outer(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.execute_region no_inline {
    scf.for %i = %c0 to %n step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    } {pl.chunk = 4, pl.parallel}
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
