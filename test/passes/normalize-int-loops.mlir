// pl-normalize-int-loops: integer loops whose trip count a pass could miscount become loops it
// cannot miscount; loops whose bounds are safe for every value they can take (constants, values
// extended from narrower types, a start of 0 with step 1) are left alone.
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-normalize-int-loops)' -o %t.once
// RUN: %FileCheck %s < %t.once
// RUN: %mlir-opt --irdl-file=%pl-irdl -split-input-file --verify-roundtrip %t.once > /dev/null
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-normalize-int-loops, pl-normalize-int-loops)' -o %t.twice
// RUN: diff %t.once %t.twice
// Why the pass exists: upstream canonicalize alone deletes the first loop below (3 trips), and
// keeps it once the loop is normalized.
// RUN: %mlir-opt --canonicalize %s -split-input-file | %FileCheck %s --check-prefix=UPSTREAM
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-normalize-int-loops, canonicalize)' | %FileCheck %s --check-prefix=CANON

// The span 1.5e9 - (-2e9) overflows i32: widened to i64.
func.func @i32_span_overflows() -> i32 {
  %lb = arith.constant -2000000000 : i32
  %ub = arith.constant 1500000000 : i32
  %s = arith.constant 1200000000 : i32
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r = scf.for %i = %lb to %ub step %s iter_args(%a = %c0) -> i32 : i32 {
    %n = arith.addi %a, %c1 : i32
    scf.yield %n : i32
  }
  return %r : i32
}
// CHECK-LABEL: func.func @i32_span_overflows()
// CHECK-DAG:     %[[LB:.*]] = arith.constant -2000000000 : i32
// CHECK-DAG:     %[[UB:.*]] = arith.constant 1500000000 : i32
// CHECK-DAG:     %[[ST:.*]] = arith.constant 1200000000 : i32
// CHECK:         %[[LB64:.*]] = arith.extsi %[[LB]] : i32 to i64
// CHECK:         %[[UB64:.*]] = arith.extsi %[[UB]] : i32 to i64
// CHECK:         %[[ST64:.*]] = arith.extsi %[[ST]] : i32 to i64
// CHECK:         scf.for %[[IV:.*]] = %[[LB64]] to %[[UB64]] step %[[ST64]] iter_args({{.*}}) -> (i32) : i64 {
// CHECK-NEXT:      arith.trunci %[[IV]] : i64 to i32
// UPSTREAM-LABEL: func.func @i32_span_overflows()
// UPSTREAM-NOT:   scf.for
// UPSTREAM:       return
// CANON-LABEL:  func.func @i32_span_overflows()
// CANON:          scf.for {{.*}} : i64 {

// -----

// Constant bounds that are safe: left alone.
func.func @i32_safe() -> i32 {
  %lb = arith.constant -20 : i32
  %ub = arith.constant 100 : i32
  %s = arith.constant 7 : i32
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r = scf.for %i = %lb to %ub step %s iter_args(%a = %c0) -> i32 : i32 {
    %n = arith.addi %a, %i : i32
    scf.yield %n : i32
  }
  return %r : i32
}
// CHECK-LABEL: func.func @i32_safe()
// CHECK-NOT:     arith.extsi
// CHECK:         scf.for {{.*}} : i32 {

// -----

// The last IV + step passes 2^31 - 1 (0, 2^30+1, then 2^31+2 wraps): widened.
func.func @i32_exit_value_overflows(%out: memref<i32>) {
  %lb = arith.constant 0 : i32
  %ub = arith.constant 2147483647 : i32
  %s = arith.constant 1073741825 : i32
  scf.for %i = %lb to %ub step %s : i32 {
    memref.store %i, %out[] : memref<i32>
  }
  return
}
// CHECK-LABEL: func.func @i32_exit_value_overflows(
// CHECK:         scf.for {{.*}} : i64 {

// -----

// Dynamic i16 bounds, unsigned: zero-extended; the i64 loop is signed (no overflow in 64 bits).
func.func @i16_unsigned_dynamic(%lb: i16, %ub: i16, %s: i16, %init: f32) -> f32 {
  %r = scf.for unsigned %i = %lb to %ub step %s iter_args(%a = %init) -> f32 : i16 {
    %f = arith.uitofp %i : i16 to f32
    %n = arith.addf %a, %f : f32
    scf.yield %n : f32
  } {pl.parallel}
  return %r : f32
}
// CHECK-LABEL: func.func @i16_unsigned_dynamic(
// CHECK-SAME:      %[[LB:[^:]*]]: i16, %[[UB:[^:]*]]: i16, %[[ST:[^:]*]]: i16, %[[INIT:[^:]*]]: f32)
// CHECK:         %[[LB64:.*]] = arith.extui %[[LB]] : i16 to i64
// CHECK:         %[[UB64:.*]] = arith.extui %[[UB]] : i16 to i64
// CHECK:         %[[ST64:.*]] = arith.extui %[[ST]] : i16 to i64
// CHECK:         scf.for %[[IV:[^ ]*]] = %[[LB64]] to %[[UB64]] step %[[ST64]] iter_args(%{{.*}} = %[[INIT]]) -> (f32) : i64 {
// CHECK-NEXT:      %[[I:.*]] = arith.trunci %[[IV]] : i64 to i16
// CHECK-NEXT:      arith.uitofp %[[I]] : i16 to f32
// CHECK:         } {pl.parallel}

// -----

// i64 constants whose span overflows: counted up over [0, T) with T = 3, iv = lb + t*step.
func.func @i64_span_overflows() -> i64 {
  %lb = arith.constant -8000000000000000000 : i64
  %ub = arith.constant 6000000000000000000 : i64
  %s = arith.constant 5000000000000000000 : i64
  %c0 = arith.constant 0 : i64
  %r = scf.for %i = %lb to %ub step %s iter_args(%a = %c0) -> i64 : i64 {
    %n = arith.xori %a, %i : i64
    scf.yield %n : i64
  }
  return %r : i64
}
// CHECK-LABEL: func.func @i64_span_overflows()
// CHECK-DAG:     %[[LB:.*]] = arith.constant -8000000000000000000 : i64
// CHECK-DAG:     %[[ST:.*]] = arith.constant 5000000000000000000 : i64
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK:         scf.for unsigned %[[T:.*]] = %[[C0]] to %[[C3]] step %[[C1]] iter_args(
// CHECK-NEXT:      %[[K:.*]] = arith.index_cast %[[T]] : index to i64
// CHECK-NEXT:      %[[M:.*]] = arith.muli %[[K]], %[[ST]] : i64
// CHECK-NEXT:      %[[IV:.*]] = arith.addi %[[LB]], %[[M]] : i64
// CHECK-NEXT:      arith.xori %{{.*}}, %[[IV]] : i64
// UPSTREAM-LABEL: func.func @i64_span_overflows()
// UPSTREAM-NOT:   scf.for
// UPSTREAM:       return
// CANON-LABEL:  func.func @i64_span_overflows()
// CANON:          scf.for unsigned

// -----

// Dynamic i64 bounds: counted up, with T = ub > lb ? ceildiv(ub - lb, step) : 0 (unsigned).
func.func @i64_dynamic(%lb: i64, %ub: i64, %s: i64, %out: memref<?xi64>) {
  %c0 = arith.constant 0 : index
  scf.for %i = %lb to %ub step %s : i64 {
    memref.store %i, %out[%c0] : memref<?xi64>
  }
  return
}
// CHECK-LABEL: func.func @i64_dynamic(
// CHECK-SAME:      %[[LB:[^:]*]]: i64, %[[UB:[^:]*]]: i64, %[[ST:[^:]*]]: i64,
// CHECK:         %[[SPAN:.*]] = arith.subi
// CHECK:         %[[CD:.*]] = arith.ceildivui %[[SPAN]],
// CHECK:         %[[GT:.*]] = arith.cmpi sgt,
// CHECK:         %[[T:.*]] = arith.select %[[GT]], %[[CD]],
// CHECK:         scf.for unsigned %{{.*}} = %{{.*}} to %[[T]] step

// -----

// An i64 loop whose bounds are extended from i32 (what this pass makes of an i32 loop): safe.
func.func @i64_from_i32(%lb: i32, %ub: i32, %out: memref<?xi64>) {
  %c0 = arith.constant 0 : index
  %s = arith.constant 3 : i64
  %l = arith.extsi %lb : i32 to i64
  %u = arith.extui %ub : i32 to i64
  scf.for %i = %l to %u step %s : i64 {
    memref.store %i, %out[%c0] : memref<?xi64>
  }
  return
}
// CHECK-LABEL: func.func @i64_from_i32(
// CHECK-NOT:     scf.for unsigned
// CHECK:         scf.for {{.*}} : i64 {

// -----

// Index: constant bounds whose span overflows are counted up; 0 to a dynamic bound step 1 is
// left alone (neither its span nor its exit value can pass INT64_MAX).
func.func @index_loops(%n: index, %out: memref<?xindex>) {
  %lb = arith.constant -8000000000000000000 : index
  %ub = arith.constant 6000000000000000000 : index
  %s = arith.constant 5000000000000000000 : index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %lb to %ub step %s {
    memref.store %i, %out[%c0] : memref<?xindex>
  }
  scf.for %i = %c0 to %n step %c1 {
    memref.store %i, %out[%i] : memref<?xindex>
  }
  return
}
// CHECK-LABEL: func.func @index_loops(
// CHECK:         scf.for unsigned %{{.*}} = %{{.*}} to %[[C3:.*]] step
// CHECK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step
// CHECK-NOT:     scf.for

// -----

// A chunked i32 loop keeps its attributes: the split pass then sees the same iterations.
func.func @chunked(%lb: i32, %ub: i32, %out: memref<?xi32>) {
  %c0 = arith.constant 0 : index
  %s = arith.constant 1 : i32
  scf.for %i = %lb to %ub step %s : i32 {
    memref.store %i, %out[%c0] : memref<?xi32>
  } {pl.chunk = 4, pl.chunk_policy = "leading_full"}
  return
}
// CHECK-LABEL: func.func @chunked(
// CHECK:         scf.for {{.*}} : i64 {
// CHECK:         } {pl.chunk = 4 : i64, pl.chunk_policy = "leading_full"}

// -----

// Bounds extended from i32, but the step is INT64_MAX: the exit value iv + step passes INT64_MAX
// (from 1 to 100 the loop as lowered would run 3 times, not once). Counted up.
func.func @extended_bounds_huge_step(%lo: i32, %hi: i32, %out: memref<?xi64>) {
  %c0 = arith.constant 0 : index
  %s = arith.constant 9223372036854775807 : i64
  %l = arith.extsi %lo : i32 to i64
  %u = arith.extsi %hi : i32 to i64
  scf.for %i = %l to %u step %s : i64 {
    memref.store %i, %out[%c0] : memref<?xi64>
  }
  return
}
// CHECK-LABEL: func.func @extended_bounds_huge_step(
// CHECK:         scf.for unsigned

// -----

// Bounds that fold later: arithmetic on constants is "dynamic" now, and canonicalize would make
// it -(2^63-1) to 2^63-1 (a span that overflows) and delete the 3-trip loop. Counted up, as any
// loop with a dynamic start is.
func.func @late_folding(%out: memref<?xindex>) {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1 : index
  %max = arith.constant 9223372036854775807 : index
  %lb = arith.subi %c0, %max : index
  %s = arith.subi %max, %one : index
  scf.for %i = %lb to %max step %s {
    memref.store %i, %out[%c0] : memref<?xindex>
  }
  return
}
// CHECK-LABEL: func.func @late_folding(
// CHECK:         scf.for unsigned
// CANON-LABEL:  func.func @late_folding(
// CANON:          %[[C3:.*]] = arith.constant 3 : index
// CANON:          scf.for unsigned %{{.*}} = %{{.*}} to %[[C3]] step
// UPSTREAM-LABEL: func.func @late_folding(
// UPSTREAM-NOT:   scf.for
// UPSTREAM:       return

// -----

// A dynamic index step: the exit value may pass INT64_MAX. Counted up.
func.func @index_dynamic_step(%n: index, %s: index, %out: memref<?xindex>) {
  %c0 = arith.constant 0 : index
  scf.for %i = %c0 to %n step %s {
    memref.store %i, %out[%c0] : memref<?xindex>
  }
  return
}
// CHECK-LABEL: func.func @index_dynamic_step(
// CHECK:         scf.for unsigned

// -----

// Bounds and step cast from i32 to index: every value fits, so nothing can overflow. Left alone.
func.func @index_from_i32(%lo: i32, %hi: i32, %st: i32, %out: memref<?xindex>) {
  %c0 = arith.constant 0 : index
  %l = arith.index_cast %lo : i32 to index
  %u = arith.index_cast %hi : i32 to index
  %s = arith.index_castui %st : i32 to index
  scf.for %i = %l to %u step %s {
    memref.store %i, %out[%c0] : memref<?xindex>
  }
  return
}
// CHECK-LABEL: func.func @index_from_i32(
// CHECK-NOT:     scf.for unsigned
// CHECK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} {

// -----

// An unsigned step of 2^63 or more: canonicalize reads it as negative and deletes the loop, so
// even constant bounds whose span and exit value fit are not safe. Counted up.
func.func @unsigned_step_above_signed_max(%out: memref<?xi64>) {
  %c0 = arith.constant 0 : index
  %lb = arith.constant 2 : i64
  %ub = arith.constant 4079478703697989661 : i64
  %s = arith.constant -6104559207426931735 : i64
  scf.for unsigned %i = %lb to %ub step %s : i64 {
    memref.store %i, %out[%c0] : memref<?xi64>
  }
  return
}
// CHECK-LABEL: func.func @unsigned_step_above_signed_max(
// CHECK:         scf.for unsigned %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:      arith.index_cast
// CANON-LABEL:  func.func @unsigned_step_above_signed_max(
// CANON:          memref.store
// UPSTREAM-LABEL: func.func @unsigned_step_above_signed_max(
// UPSTREAM-NOT:   memref.store
// UPSTREAM:       return

// -----

// A chunk loop [o, o + S) inside a loop with step S: its span is at most S whatever %o is (when
// o + S wraps, ub < lb and nothing runs), and S may be arithmetic on constants. Left alone; the
// outer loop's exit value o + S may pass INT64_MAX, so it is counted up.
func.func @chunk_loop_span(%n: index, %out: memref<?xindex>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c2 = arith.constant 2 : index
  %s = arith.muli %c4, %c2 : index
  scf.for %o = %c0 to %n step %s {
    %end = arith.addi %o, %s : index
    %ub = arith.minsi %end, %n : index
    scf.for %i = %o to %ub step %c1 {
      memref.store %i, %out[%i] : memref<?xindex>
    }
  }
  return
}
// CHECK-LABEL: func.func @chunk_loop_span(
// CHECK:         scf.for unsigned
// CHECK:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:        memref.store
