// An error raised by an upstream pass inside the pipeline is printed exactly once (with its
// note), fails the run, and --verify-diagnostics matches it like any other.
// RUN: %not %pypto-opt %s --allow-unregistered-dialect -one-shot-bufferize=bufferize-function-boundaries 2>&1 >/dev/null | %FileCheck %s
// RUN: %pypto-opt %s --allow-unregistered-dialect -p 'builtin.module(pl-verify, one-shot-bufferize{bufferize-function-boundaries})' -verify-diagnostics

// CHECK: pass-errors.mlir:11:8: error: op was not bufferized
// CHECK: note: see current operation:
// CHECK-NOT: error:
func.func @f(%t: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{op was not bufferized}}
  %0 = "foo.bar"(%t) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
