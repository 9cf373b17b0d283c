// Every error of the pl verifier (pl-verify), located at the op that carries the attribute.
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics --pl-verify

func.func @chunk_float(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.chunk' expects an integer (i64, or index), got 2.500000e+00 : f64}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 2.5}
  return
}

// -----

func.func @chunk_string(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.chunk' expects an integer (i64, or index), got "4"}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = "4"}
  return
}

// -----

func.func @chunk_i32(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.chunk' expects an integer (i64, or index), got 4 : i32}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 4 : i32}
  return
}

// -----

func.func @chunk_zero(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.chunk' must be a positive integer, got 0}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 0}
  return
}

// -----

func.func @chunk_negative(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = -4 : index}
  // expected-error @-2 {{'pl.chunk' must be a positive integer, got -4}}
  return
}

// -----

func.func @policy_int(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 { // expected-error {{'pl.chunk_policy' expects a string, got 1 : i64}}
  } {pl.chunk = 4, pl.chunk_policy = 1}
  return
}

// -----

func.func @policy_unknown(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{'pl.chunk_policy' must be one of "guarded", "leading_full", "clamped", "shift_inwards", "auto", got "trailing"}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 4, pl.chunk_policy = "trailing"}
  return
}

// -----

func.func @policy_without_chunk(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.chunk_policy' requires 'pl.chunk' on the same loop}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk_policy = "guarded"}
  return
}

// -----

func.func @parallel_with_value(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.parallel' is a unit attribute (write it without a value), got 3 : i64}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.parallel = 3}
  return
}

// -----

func.func @chunk_on_while(%n: index) {
  %c0 = arith.constant 0 : index
  // expected-error @below {{'pl.chunk' is only valid on 'scf.for', not on 'scf.while'}}
  %r = scf.while (%i = %c0) : (index) -> index {
    %go = arith.cmpi slt, %i, %n : index
    scf.condition(%go) %i : index
  } do {
  ^bb0(%j: index):
    scf.yield %j : index
  } attributes {pl.chunk = 4}
  return
}

// -----

// expected-error @below {{'pl.chunk' is only valid on 'scf.for', not on 'func.func'}}
func.func @chunk_on_func() attributes {pl.chunk = 4} {
  return
}

// -----

func.func @chunk_on_arith(%a: index) -> index {
  // expected-error @below {{'pl.chunk' is only valid on 'scf.for', not on 'arith.addi'}}
  %b = arith.addi %a, %a {pl.chunk = 4} : index
  return %b : index
}

// -----

func.func @step_zero(%n: index) {
  %c0 = arith.constant 0 : index
  // expected-error @below {{chunked loop has constant step 0, which is not positive}}
  // expected-note @below {{write a descending loop as an ascending loop over its trip count}}
  scf.for %i = %c0 to %n step %c0 {
  } {pl.chunk = 4}
  return
}

// -----

func.func @step_negative(%n: i64) {
  %c0 = arith.constant 0 : i64
  %cm2 = arith.constant -2 : i64
  // expected-error @below {{chunked loop has constant step -2, which is not positive}}
  // expected-note @below {{iv = start + k * step}}
  scf.for %i = %c0 to %n step %cm2 : i64 {
  } {pl.chunk = 4}
  return
}

// -----

func.func @typo(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{unknown attribute 'pl.chunck' in the pl namespace; did you mean 'pl.chunk'?}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunck = 4}
  return
}

// -----

// expected-error @below {{unknown attribute 'pl.paralel' in the pl namespace; did you mean 'pl.parallel'?}}
func.func @typo_on_func() attributes {pl.paralel} {
  return
}

// -----

// No close name: no suggestion.
// expected-error @below {{unknown attribute 'pl.xyzzy' in the pl namespace}}
module attributes {pl.xyzzy = 1} {
}

// -----

func.func @loop_origin_bad(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.loop_origin' must be one of "chunk_outer", "chunk_inner", "chunk_remainder", got "outer"}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.loop_origin = "outer"}
  // expected-error @below {{'pl.loop_origin' expects a string, got 1 : i64}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.loop_origin = 1}
  return
}

// -----

// expected-error @below {{'pl.loop_origin' is only valid on 'scf.for', not on 'func.func'}}
func.func @loop_origin_on_func() attributes {pl.loop_origin = "chunk_outer"} {
  return
}

// -----

func.func @name_hint_bad(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.name_hint' expects a string, got unit}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.name_hint}
  // expected-error @below {{'pl.name_hint' is only valid on 'scf.for' or 'scf.execute_region', not on 'arith.constant'}}
  %c2 = arith.constant {pl.name_hint = "k"} 2 : index
  return
}

// -----

func.func @at_bad() {
  // expected-error @below {{'pl.at' must be one of "core_group", got "core"}}
  scf.execute_region no_inline {
    scf.yield
  } {pl.at = "core"}
  // expected-error @below {{'pl.at' expects a string, got 1 : i64}}
  scf.execute_region no_inline {
    scf.yield
  } {pl.at = 1}
  return
}

// -----

func.func @at_on_for(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.at' is only valid on 'scf.execute_region', not on 'scf.for'}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.at = "core_group"}
  return
}

// -----

// expected-error @below {{'pl.kernel' is a unit attribute (write it without a value), got "yes"}}
func.func @kernel_value() attributes {pl.kernel = "yes"} {
  return
}

// -----

func.func @kernel_on_for(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.kernel' is only valid on 'func.func', not on 'scf.for'}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.kernel}
  return
}

// -----

// Several problems on one op: each is reported.
func.func @several(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.chunk' must be a positive integer, got 0}}
  // expected-error @below {{'pl.chunk_policy' must be one of "guarded", "leading_full", "clamped", "shift_inwards", "auto", got "x"}}
  // expected-error @below {{'pl.parallel' is a unit attribute}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 0, pl.chunk_policy = "x", pl.parallel = 1}
  return
}

// -----

// The markers of the chunk contract (docs/internals.md) sit where their readers look.
func.func @guarded_not_inner(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.guarded' requires 'pl.loop_origin = "chunk_inner"'}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.guarded, pl.loop_origin = "chunk_outer"}
  return
}

// -----

func.func @unswitched_not_guarded(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.unswitched' requires 'pl.guarded' on the same loop}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.loop_origin = "chunk_inner", pl.unswitched}
  return
}

// -----

func.func @remainder_inlinable() {
  // expected-error @below {{'pl.remainder' requires 'no_inline' (canonicalize inlines the region and drops the marker otherwise)}}
  scf.execute_region {
    scf.yield
  } {pl.remainder}
  return
}

// -----

func.func @single_chunk_inlinable() {
  // expected-error @below {{'pl.single_chunk' requires 'no_inline' (canonicalize inlines the region and drops the marker otherwise)}}
  scf.execute_region {
    scf.yield
  } {pl.single_chunk}
  return
}

// -----

func.func @unit_chunk_inlinable() {
  // expected-error @below {{'pl.unit_chunk' requires 'no_inline' (canonicalize inlines the region and drops the marker otherwise)}}
  scf.execute_region {
    scf.yield
  } {pl.unit_chunk}
  return
}

// -----

func.func @single_chunk_on_for(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.single_chunk' is only valid on 'scf.execute_region', not on 'scf.for'}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.single_chunk}
  return
}

// -----

func.func @guarded_value(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.guarded' is a unit attribute (write it without a value), got true}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.guarded = true, pl.loop_origin = "chunk_inner"}
  return
}

// -----

func.func @remainder_on_for(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.remainder' is only valid on 'scf.execute_region', not on 'scf.for'}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.remainder}
  return
}
