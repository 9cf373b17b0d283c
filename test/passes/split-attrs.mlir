// What the split pass keeps, copies and removes; and that it changes nothing else.
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops)' | %FileCheck %s
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops{policy=leading_full})' | %FileCheck %s --check-prefix=LF

// Discardable attributes are copied to every generated loop; pl.chunk and pl.chunk_policy go.
func.func @attrs_copied(%m: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %m[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel, pl.name_hint = "fill", my.tag = 7 : i32}
  return
}

// CHECK-LABEL: func.func @attrs_copied(
// CHECK-NOT:     pl.chunk
// CHECK:         } {my.tag = 7 : i32, pl.guarded, pl.loop_origin = "chunk_inner", pl.name_hint = "fill", pl.parallel}
// CHECK:       } {my.tag = 7 : i32, pl.loop_origin = "chunk_outer", pl.name_hint = "fill", pl.parallel}

// LF-LABEL: func.func @attrs_copied(
// LF-NOT:     pl.chunk
// LF:         } {my.tag = 7 : i32, pl.loop_origin = "chunk_inner", pl.name_hint = "fill", pl.parallel}
// LF:       } {my.tag = 7 : i32, pl.loop_origin = "chunk_outer", pl.name_hint = "fill", pl.parallel}
// LF:       } {my.tag = 7 : i32, pl.loop_origin = "chunk_remainder", pl.name_hint = "fill", pl.parallel}

// -----

// A loop's own pl.chunk_policy wins over the pass option.
func.func @policy_precedence(%m: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %m[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.chunk_policy = "leading_full"}
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %m[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.chunk_policy = "guarded"}
  return
}

// CHECK-LABEL: func.func @policy_precedence(
// CHECK:         "chunk_remainder"
// CHECK:         scf.if
// LF-LABEL: func.func @policy_precedence(
// LF:         "chunk_remainder"
// LF:         scf.if

// -----

// Unrelated code is untouched: the dead op and the foldable arithmetic stay exactly as written
// (the pass applies its pattern by a walk, never by the greedy driver).
func.func @untouched(%m: memref<?xf32>, %n: index, %x: i32) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : i32
  %c3 = arith.constant 3 : i32
  %dead = arith.muli %x, %x : i32
  %folds = arith.addi %c2, %c3 : i32
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %m[%i] : memref<?xf32>
  } {pl.chunk = 4}
  scf.for %i = %c0 to %n step %c1 {
    %zero = arith.subi %i, %i : index
    memref.store %one, %m[%zero] : memref<?xf32>
  }
  return %folds : i32
}

// CHECK-LABEL: func.func @untouched(
// CHECK-SAME:      %{{.*}}: memref<?xf32>, %{{.*}}: index, %[[X:.*]]: i32) -> i32
// CHECK:         %[[C2:.*]] = arith.constant 2 : i32
// CHECK:         %[[C3:.*]] = arith.constant 3 : i32
// CHECK:         %{{.*}} = arith.muli %[[X]], %[[X]] : i32
// CHECK:         %[[F:.*]] = arith.addi %[[C2]], %[[C3]] : i32
// CHECK:         "chunk_outer"
// CHECK:         scf.for %[[I:.*]] = %{{.*}} {
// CHECK-NEXT:      %[[Z:.*]] = arith.subi %[[I]], %[[I]] : index
// CHECK-NEXT:      memref.store %{{.*}}, %{{.*}}[%[[Z]]]
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[F]] : i32

// -----

// Several iter_args of every kind of type; guarded passes all through the scf.if.
func.func @iter_args_types(%m: memref<?xf32>, %n: index, %v: vector<4xf32>) -> (index, i32, f32, memref<?xf32>, vector<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %i0 = arith.constant 0 : i32
  %f0 = arith.constant 0.0 : f32
  %r:5 = scf.for %i = %c0 to %n step %c1 iter_args(%a = %c0, %b = %i0, %c = %f0, %d = %m, %e = %v) -> (index, i32, f32, memref<?xf32>, vector<4xf32>) {
    %a2 = arith.addi %a, %i : index
    %ii = arith.index_cast %i : index to i32
    %b2 = arith.xori %b, %ii : i32
    %x = memref.load %d[%i] : memref<?xf32>
    %c2 = arith.addf %c, %x : f32
    %e2 = vector.broadcast %c2 : f32 to vector<4xf32>
    %e3 = arith.addf %e, %e2 : vector<4xf32>
    scf.yield %a2, %b2, %c2, %d, %e3 : index, i32, f32, memref<?xf32>, vector<4xf32>
  } {pl.chunk = 3}
  return %r#0, %r#1, %r#2, %r#3, %r#4 : index, i32, f32, memref<?xf32>, vector<4xf32>
}

// CHECK-LABEL: func.func @iter_args_types(
// CHECK:         %[[R:.*]]:5 = scf.for {{.*}} -> (index, i32, f32, memref<?xf32>, vector<4xf32>) {
// CHECK:           scf.for {{.*}} iter_args(%[[A:.*]] = %{{.*}}, %[[B:.*]] = %{{.*}}, %[[C:.*]] = %{{.*}}, %[[D:.*]] = %{{.*}}, %[[E:.*]] = %{{.*}}) -> (index, i32, f32, memref<?xf32>, vector<4xf32>) {
// CHECK:             %[[PHI:.*]]:5 = scf.if %{{.*}} -> (index, i32, f32, memref<?xf32>, vector<4xf32>) {
// CHECK:             } else {
// CHECK-NEXT:          scf.yield %[[A]], %[[B]], %[[C]], %[[D]], %[[E]] : index, i32, f32, memref<?xf32>, vector<4xf32>
// CHECK:             scf.yield %[[PHI]]#0, %[[PHI]]#1, %[[PHI]]#2, %[[PHI]]#3, %[[PHI]]#4
// CHECK:         return %[[R]]#0, %[[R]]#1, %[[R]]#2, %[[R]]#3, %[[R]]#4

// LF-LABEL: func.func @iter_args_types(
// LF:         %[[MAIN:.*]]:5 = scf.for
// LF:         %[[REM:.*]]:5 = scf.execute_region -> (index, i32, f32, memref<?xf32>, vector<4xf32>) no_inline {
// LF:           %[[LOOP:.*]]:5 = scf.for {{.*}} iter_args(%{{.*}} = %[[MAIN]]#0, %{{.*}} = %[[MAIN]]#1, %{{.*}} = %[[MAIN]]#2, %{{.*}} = %[[MAIN]]#3, %{{.*}} = %[[MAIN]]#4)
// LF:           scf.yield %[[LOOP]]#0, %[[LOOP]]#1, %[[LOOP]]#2, %[[LOOP]]#3, %[[LOOP]]#4
// LF:         } {pl.remainder}
// LF:         return %[[REM]]#0, %[[REM]]#1, %[[REM]]#2, %[[REM]]#3, %[[REM]]#4
