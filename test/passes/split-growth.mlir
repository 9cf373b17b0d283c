// pl-split-chunked-loops, the growth limit: a policy that copies the loop body (leading_full with
// a remainder, a dynamic shift_inwards) doubles a nest's output per level, so only the outermost
// max_copy_depth levels (default 4) get it; deeper levels are split guarded, with a remark
// (auto: in its explanation).
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(pl-split-chunked-loops{policy=leading_full max_copy_depth=1}, canonicalize, cse)' | %FileCheck %s --check-prefix=LIMIT1
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops{policy=leading_full}, canonicalize, cse)' 2>&1 | %FileCheck %s --check-prefix=DEFAULT
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops{policy=auto explain=true max_copy_depth=1})' -o /dev/null 2>&1 | %FileCheck %s --check-prefix=AUTO
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops{policy=auto max_copy_depth=1})' -o /dev/null 2>&1 | %FileCheck %s --check-prefix=QUIET --allow-empty
// RUN: %not %pypto-opt %s -p 'builtin.module(pl-split-chunked-loops{max_copy_depth=-1})' 2>&1 | %FileCheck %s --check-prefix=NEGATIVE
// QUIET-NOT: remark
// NEGATIVE: pypto-opt: error: invalid value '-1' for option 'max_copy_depth' of 'pl-split-chunked-loops' (expected an integer >= 0)

// Three levels of 3 trips in chunks of 2: each leading_full level is a full chunk and a remainder.
func.func @three_levels(%a: memref<3x3x3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %f = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c3 step %c1 {
    // expected-remark @below {{pl.chunk: guarded instead of leading_full: 1 enclosing chunked loop already copies its body (max_copy_depth=1: at most 2 copies of a body)}}
    scf.for %j = %c0 to %c3 step %c1 {
      // expected-remark @below {{pl.chunk: guarded instead of leading_full: 1 enclosing chunked loop already copies its body (max_copy_depth=1: at most 2 copies of a body)}}
      scf.for %k = %c0 to %c3 step %c1 {
        memref.store %f, %a[%i, %j, %k] : memref<3x3x3xf32>
      } {pl.chunk = 2}
    } {pl.chunk = 2}
  } {pl.chunk = 2}
  return
}
// The outer level keeps leading_full (its remainder, one iteration, is inlined by canonicalize):
// two copies of the guarded inner nests, each with its guards.
// LIMIT1-LABEL: func.func @three_levels(
// LIMIT1-COUNT-2: memref.store
// LIMIT1-NOT:     memref.store
// LIMIT1-NOT:     chunk_remainder
// Under the default limit (4) all three levels are leading_full: 2^3 copies of the store.
// DEFAULT-NOT:     remark
// DEFAULT-LABEL:   func.func @three_levels(
// DEFAULT-COUNT-8: memref.store
// DEFAULT-NOT:     memref.store
// Remarks come innermost first (the walk is post-order).
// AUTO: remark: pl.chunk: auto chose guarded: static trip count 3 leaves a remainder of 1, but 1 enclosing chunked loop already copies its body (max_copy_depth=1: at most 2 copies of a body)
// AUTO: remark: pl.chunk: auto chose guarded: static trip count 3 leaves a remainder of 1, but 1 enclosing chunked loop already copies its body (max_copy_depth=1: at most 2 copies of a body)
// AUTO: remark: pl.chunk: auto chose leading_full: static trip count 3 leaves a remainder of 1

// -----

// Levels that copy nothing do not count: a clamped level between two leading_full ones.
func.func @clamped_between(%a: memref<?x?x?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %f = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    scf.for %j = %c0 to %n step %c1 {
      // expected-remark @below {{pl.chunk: guarded instead of leading_full: 1 enclosing chunked loop already copies its body (max_copy_depth=1: at most 2 copies of a body)}}
      scf.for %k = %c0 to %n step %c1 {
        memref.store %f, %a[%i, %j, %k] : memref<?x?x?xf32>
      } {pl.chunk = 2}
    } {pl.chunk = 2, pl.chunk_policy = "clamped"}
  } {pl.chunk = 2}
  return
}
// LIMIT1-LABEL: func.func @clamped_between(
// LIMIT1-COUNT-2: memref.store
// LIMIT1-NOT:     memref.store
// Under the default limit the outer and inner levels are both leading_full: 4 copies.
// DEFAULT-LABEL:   func.func @clamped_between(
// DEFAULT-COUNT-4: memref.store
// DEFAULT-NOT:     memref.store
