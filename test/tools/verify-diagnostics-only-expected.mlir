// --verify-diagnostics=only-expected: every expectation must be met, and diagnostics nobody
// expected are no error, as in mlir-opt (whose output is diffed).
// RUN: %pypto-opt %s -split-input-file --verify-diagnostics=only-expected
// RUN: %mlir-opt %s -split-input-file --verify-diagnostics=only-expected
// The same input under plain --verify-diagnostics (=all) fails on the unexpected note:
// RUN: %not %pypto-opt %s -split-input-file --verify-diagnostics=all 2>&1 | %FileCheck %s
// RUN: %not %pypto-opt %s -split-input-file --verify-diagnostics 2>&1 | %FileCheck %s
// CHECK: error: unexpected note: prior use here
// An unmet expectation fails under only-expected too, with the same message as mlir-opt's:
// RUN: sed -e 's/different type/another type/' %s | %not %pypto-opt - -split-input-file --verify-diagnostics=only-expected 2>%t.ours
// RUN: sed -e 's/different type/another type/' %s | %not %mlir-opt - -split-input-file --verify-diagnostics=only-expected 2>%t.upstream
// RUN: %FileCheck %s --check-prefix=UNMET < %t.ours
// RUN: %FileCheck %s --check-prefix=UNMET < %t.upstream
// UNMET: <stdin>:[[@LINE+4]]:{{[0-9]+}}: error: expected error "expects another type than prior uses" was not produced

func.func @f() {
  %c0 = arith.constant 0 : index
  // expected-error @below {{expects different type than prior uses}}
  %x = arith.addi %c0, %c0 : i32
  return
}
