// Invalid pl metadata stops pypto-run with the located error of pl-verify, on one line.
// RUN: %not %pypto-run %s --entry bad --arg 4 2>&1 | %FileCheck %s
// CHECK: {{^}}{{.*}}run-verify-error.mlir:[[@LINE+6]]:3: error: 'pl.chunk' must be a positive integer, got 0
// CHECK-NOT: {{.}}

func.func @bad(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 0 : i64}
  return
}
