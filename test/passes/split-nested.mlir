// Nested chunked loops are split inside-out, in every policy combination, and chunked loops
// inside scf.if, scf.execute_region, scf.while and plain loops are found.
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops, canonicalize, cse)' | %FileCheck %s
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops)' | %mlir-opt --irdl-file=%pl-irdl -split-input-file --verify-roundtrip | %FileCheck %s --check-prefix=RAW

// RAW-NOT: pl.chunk

// PyPTO's test_guarded_nested: parallel(9, C4) over parallel(3, C2), both guarded, one iter_arg.
func.func @guarded_in_guarded(%x: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c9 = arith.constant 9 : index
  %one = arith.constant 1.0 : f32
  %r = scf.for %i = %c0 to %c9 step %c1 iter_args(%a = %x) -> f32 {
    %r2 = scf.for %j = %c0 to %c3 step %c1 iter_args(%b = %a) -> f32 {
      %s = arith.addf %b, %one : f32
      scf.yield %s : f32
    } {pl.chunk = 2, pl.parallel}
    scf.yield %r2 : f32
  } {pl.chunk = 4, pl.parallel}
  return %r : f32
}

// CHECK-LABEL: func.func @guarded_in_guarded(
// CHECK:         scf.for {{.*}} iter_args(%[[A:.*]] = %{{.*}}) -> (f32) {
// CHECK:           scf.for {{.*}} iter_args(%[[B:.*]] = %[[A]]) -> (f32) {
// CHECK:             %[[PHI:.*]] = scf.if %{{.*}} -> (f32) {
// CHECK:               %[[IN:.*]] = scf.for {{.*}} iter_args(%[[C:.*]] = %[[B]]) -> (f32) {
// CHECK:                 scf.if %{{.*}} -> (f32) {
// CHECK:                 } else {
// CHECK:                   scf.yield %{{.*}} : f32
// CHECK:                 } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK:               scf.yield %[[IN]] : f32
// CHECK:             } else {
// CHECK:               scf.yield %[[B]] : f32
// CHECK:             }
// CHECK:           } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK:         } {pl.loop_origin = "chunk_outer", pl.parallel}

// -----

// PyPTO's test_nested_outer_divisible_inner_remainder: 8/4 (leading_full) over 1/2: the inner
// loop is only a remainder, inside the outer full chunks.
func.func @lf_8_4_over_1_2(%x: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %one = arith.constant 1.0 : f32
  %r = scf.for %i = %c0 to %c8 step %c1 iter_args(%a = %x) -> f32 {
    %r2 = scf.for %j = %c0 to %c1 step %c1 iter_args(%b = %a) -> f32 {
      %s = arith.addf %b, %one : f32
      scf.yield %s : f32
    } {pl.chunk = 2, pl.chunk_policy = "leading_full"}
    scf.yield %r2 : f32
  } {pl.chunk = 4, pl.chunk_policy = "leading_full"}
  return %r : f32
}

// The one-iteration remainder loop folds to its body after canonicalize; its region stays.
// CHECK-LABEL: func.func @lf_8_4_over_1_2(
// CHECK:         scf.for
// CHECK:           scf.for {{.*}} iter_args(%[[B:.*]] = %{{.*}}) -> (f32) {
// CHECK-NEXT:        %[[R:.*]] = scf.execute_region -> f32 no_inline {
// CHECK-NEXT:          %[[S:.*]] = arith.addf %[[B]], %{{.*}} : f32
// CHECK-NEXT:          scf.yield %[[S]] : f32
// CHECK-NEXT:        } {pl.remainder}
// CHECK-NEXT:        scf.yield %[[R]] : f32
// CHECK-NEXT:      } {pl.loop_origin = "chunk_inner"}
// CHECK-NOT:     chunk_remainder

// -----

// 6/4 over 3/2, leading_full: the inner split appears in the main nest and in the remainder
// (outer x inner, outer x rem, rem x inner, rem x rem).
func.func @lf_6_4_over_3_2(%m: memref<6x3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c6 = arith.constant 6 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c6 step %c1 {
    scf.for %j = %c0 to %c3 step %c1 {
      memref.store %one, %m[%i, %j] : memref<6x3xf32>
    } {pl.chunk = 2, pl.chunk_policy = "leading_full"}
  } {pl.chunk = 4, pl.chunk_policy = "leading_full"}
  return
}

// CHECK-LABEL: func.func @lf_6_4_over_3_2(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:           } {pl.loop_origin = "chunk_inner"}
// CHECK:           memref.store
// CHECK:         } {pl.loop_origin = "chunk_inner"}
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:           } {pl.loop_origin = "chunk_inner"}
// CHECK:           memref.store
// CHECK:         } {pl.loop_origin = "chunk_remainder"}

// One full chunk at each level: no one-trip chunk_outer loop, a pl.single_chunk region.
// RAW-LABEL: func.func @lf_6_4_over_3_2(
// RAW-NOT:   chunk_outer
// RAW:       {pl.loop_origin = "chunk_inner"}
// RAW-NEXT:  scf.yield
// RAW-NEXT:  {pl.single_chunk}
// RAW:       {pl.loop_origin = "chunk_remainder"}
// RAW-NEXT:  scf.yield
// RAW-NEXT:  {pl.remainder}
// RAW-NEXT:  {pl.loop_origin = "chunk_inner"}
// RAW-NEXT:  scf.yield
// RAW-NEXT:  {pl.single_chunk}
// RAW:       {pl.loop_origin = "chunk_inner"}
// RAW-NEXT:  scf.yield
// RAW-NEXT:  {pl.single_chunk}
// RAW:       {pl.loop_origin = "chunk_remainder"}
// RAW-NEXT:  scf.yield
// RAW-NEXT:  {pl.remainder}
// RAW-NEXT:  {pl.loop_origin = "chunk_remainder"}
// RAW-NEXT:  scf.yield
// RAW-NEXT:  {pl.remainder}

// -----

// A guarded loop inside the remainder of a leading_full loop, and the reverse.
func.func @mixed_policies(%m: memref<?x?xf32>, %n: index, %k: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    scf.for %j = %c0 to %k step %c1 {
      memref.store %one, %m[%i, %j] : memref<?x?xf32>
    } {pl.chunk = 2, pl.chunk_policy = "guarded"}
  } {pl.chunk = 4, pl.chunk_policy = "leading_full"}
  scf.for %i = %c0 to %n step %c1 {
    scf.for %j = %c0 to %k step %c1 {
      memref.store %one, %m[%i, %j] : memref<?x?xf32>
    } {pl.chunk = 2, pl.chunk_policy = "leading_full"}
  } {pl.chunk = 4, pl.chunk_policy = "guarded"}
  return
}

// CHECK-LABEL: func.func @mixed_policies(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               scf.for
// CHECK:                 scf.if
// CHECK:         } {pl.loop_origin = "chunk_outer"}
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.if
// CHECK:         } {pl.loop_origin = "chunk_remainder"}
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.if
// CHECK:               scf.for
// CHECK:               } {pl.loop_origin = "chunk_outer"}
// CHECK:               scf.for
// CHECK:               } {pl.loop_origin = "chunk_remainder"}

// -----

// Chunked loops inside other regions.
func.func @inside_regions(%m: memref<?xf32>, %n: index, %b: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %one = arith.constant 1.0 : f32
  scf.if %b {
    scf.for %i = %c0 to %n step %c1 {
      memref.store %one, %m[%i] : memref<?xf32>
    } {pl.chunk = 4}
  }
  scf.execute_region no_inline {
    scf.for %i = %c0 to %n step %c1 {
      memref.store %one, %m[%i] : memref<?xf32>
    } {pl.chunk = 4}
    scf.yield
  }
  %w = scf.while (%x = %c0) : (index) -> index {
    %cond = arith.cmpi slt, %x, %c2 : index
    scf.condition(%cond) %x : index
  } do {
  ^bb0(%x: index):
    scf.for %i = %c0 to %n step %c1 {
      memref.store %one, %m[%i] : memref<?xf32>
    } {pl.chunk = 4}
    %x2 = arith.addi %x, %c1 : index
    scf.yield %x2 : index
  }
  scf.for %t = %c0 to %c2 step %c1 {
    scf.for %i = %c0 to %n step %c1 {
      memref.store %one, %m[%i] : memref<?xf32>
    } {pl.chunk = 4}
  }
  return
}

// CHECK-LABEL: func.func @inside_regions(
// CHECK:         scf.if
// CHECK:           } {pl.loop_origin = "chunk_outer"}
// CHECK:         scf.execute_region no_inline {
// CHECK:           } {pl.loop_origin = "chunk_outer"}
// CHECK:         scf.while
// CHECK:           } {pl.loop_origin = "chunk_outer"}
// CHECK:         scf.for
// CHECK:           } {pl.loop_origin = "chunk_outer"}
// CHECK-NEXT:    }
// CHECK-NEXT:    return
