// Input of verify-diagnostics.mlir: every kind of mismatch --verify-diagnostics reports.

func.func @ours(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // Wrong text: unmet, and the real error is unexpected.
  // expected-error @below {{must be a negative integer}}
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 0}
  // Wrong line: nothing is reported on the line above.
  // expected-error @above {{got 0}}
  return
}

// -----

// An expected error that nothing produces.
func.func @clean() {
  // expected-error @below {{never produced}}
  return
}

// -----

// An upstream parse error nobody expected.
func.func @parse_error() {
  %x = arith.bogus
  return
}

// -----

// An upstream verifier error expected with the wrong severity.
func.func @verifier_error() -> i32 {
  // expected-warning @below {{op has 0 operands}}
  return
}
