// An op the CPU target cannot lower: one located line naming it, exit 1.
// RUN: %not %pypto-run %s --entry f --arg 1.5 2>&1 | %FileCheck %s
// CHECK: {{^}}{{.*}}run-lower-unlowerable.mlir:[[@LINE+5]]:8: error: 'complex.exp' cannot be lowered to LLVM by the CPU target (supported: func, scf, cf, arith, math, memref, vector, affine, linalg on memrefs)
// CHECK-NOT: {{.}}

func.func @f(%x: f32) -> f32 {
  %c = complex.create %x, %x : complex<f32>
  %e = complex.exp %c : complex<f32>
  %r = complex.re %e : complex<f32>
  return %r : f32
}
