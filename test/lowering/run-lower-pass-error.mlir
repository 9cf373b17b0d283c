// A pass of the CPU lowering fails: its own message and location, not MLIR's generic
// "Failure while executing pass pipeline". Here the C interface of @f (added to the entry by
// the lowering) collides with a function of the module.
// RUN: %not %pypto-run %s --entry f --arg 1 2>&1 | %FileCheck %s
// CHECK: {{^}}{{.*}}run-lower-pass-error.mlir:[[@LINE+7]]:1: error: lowering to LLVM failed: redefinition of symbol named '_mlir_ciface_f'
// CHECK-NOT: {{.}}

func.func @f(%x: f32) -> f32 {
  return %x : f32
}

func.func @_mlir_ciface_f(%x: f32) -> f32 {
  return %x : f32
}
