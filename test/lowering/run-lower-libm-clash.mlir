// A function named like the C library function a math op lowers to (math.exp on f64 calls
// libm's `exp`) would be called by that op, itself included: an infinite recursion. It is an
// error at the function, naming the op; renamed, the module runs.
// RUN: %not %pypto-run %s --entry main --arg 1 2>&1 | %FileCheck %s
// RUN: sed -e 's/@exp\b/@my_exp/g' %s | %pypto-run - --entry main --arg 1 | %FileCheck %s --check-prefix=RENAMED
// CHECK: {{^}}{{.*}}run-lower-libm-clash.mlir:[[@LINE+4]]:1: error: function @exp has the name of a C library function that the compiled code may call for the op at {{.*}}run-lower-libm-clash.mlir:[[@LINE+6]]:8: the call would reach @exp instead (a recursion or a wrong result); rename the function
// CHECK-NOT: {{.}}
// RENAMED: result0 = 2.718281828459045

func.func @exp(%x: f64) -> f64 {
  // The user's own exp, computed with math.exp.
  %r = math.exp %x : f64
  return %r : f64
}

func.func @main(%x: f64) -> f64 {
  %r = func.call @exp(%x) : (f64) -> f64
  return %r : f64
}
