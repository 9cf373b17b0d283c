// --verify-diagnostics matches our diagnostics and upstream ones (parser, op verifiers, pass
// failures) against expected-* directives with every designator; a clean match exits 0 and
// prints nothing on stderr. Mismatches are reported as mlir-opt does (Inputs/ file below).
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics 2>&1 >/dev/null | %FileCheck %s --allow-empty --check-prefix=QUIET
// RUN: %not %pypto-opt %S/Inputs/verify-diagnostics-bad.mlir -split-input-file -verify-diagnostics 2>&1 >/dev/null | %FileCheck %s --check-prefix=BAD
// RUN: %not %pypto-opt %S/Inputs/verify-diagnostics-bad.mlir -split-input-file -verify-diagnostics 2>&1 >/dev/null | %FileCheck %s --check-prefix=BAD-ORDER

func.func @designators(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'pl.chunk' must be a positive integer, got 0}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 0}
  scf.for %i = %c0 to %n step %c1 { } {pl.chunk = -1}
  // expected-error @above {{got -1}}
  // expected-error @+2 {{got -2}}

  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = -2}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = -3}
  // expected-error @-2 {{got -3}}
  scf.for %i = %c0 to %n step %c1 { // expected-error {{got -4}}
  } {pl.chunk = -4}
  return
}

// -----

func.func @error_with_note(%n: index) {
  %c0 = arith.constant 0 : index
  // expected-error @below {{constant step 0}}
  // expected-note @below {{descending loop}}
  scf.for %i = %c0 to %n step %c0 {
  } {pl.chunk = 4}
  return
}

// -----

// An upstream parse error (and its note).
func.func @parse_error(%a: i32) {
  // expected-note @below {{prior use here}}
  %c0 = arith.constant 0 : index
  // expected-error @below {{use of value '%c0' expects different type than prior uses: 'i32' vs 'index'}}
  %x = arith.addi %c0, %a : i32
  return
}

// -----

// An upstream op verifier error, matched with a regular expression.
func.func @verifier_error() -> i32 {
  // expected-error-re @below {{'func.return' op has {{[0-9]+}} operands, but enclosing function (@{{.*}}) returns 1}}
  return
}

// -----

// An unregistered op is an error by default.
func.func @unregistered() {
  // expected-error @below {{operation being parsed with an unregistered dialect}}
  "foo.bar"() : () -> ()
  return
}

// QUIET-NOT: {{.}}

// BAD: verify-diagnostics-bad.mlir:8:3: error: unexpected error: 'pl.chunk' must be a positive integer, got 0
// BAD: verify-diagnostics-bad.mlir:7:6: error: expected error "must be a negative integer" was not produced
// BAD: verify-diagnostics-bad.mlir:11:6: error: expected error "got 0" was not produced
// BAD: verify-diagnostics-bad.mlir:19:6: error: expected error "never produced" was not produced
// BAD: verify-diagnostics-bad.mlir:27:8: error: unexpected error: custom op 'arith.bogus' is unknown
// BAD: verify-diagnostics-bad.mlir:36:3: error: unexpected error: 'func.return' op has 0 operands, but enclosing function (@verifier_error) returns 1
// BAD: verify-diagnostics-bad.mlir:35:6: error: expected warning "op has 0 operands" was not produced

// Each problem is reported once, with the source line and a caret.
// BAD-ORDER-COUNT-7: {{^.*\.mlir:[0-9]+:[0-9]+: error: }}
// BAD-ORDER-NOT: {{^.*\.mlir:[0-9]+:[0-9]+: error: }}
