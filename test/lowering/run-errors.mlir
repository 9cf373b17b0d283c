// pypto-run errors: one line on stderr, exit status 1.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/f64.npy', np.zeros(4)); np.save('%t/i32.npy', np.zeros((2, 2), np.int32))"
// RUN: %not %pypto-run %s --entry missing 2>&1 | %FileCheck %s --check-prefix=ENTRY
// RUN: %not %pypto-run %s --entry f --arg %t/f64.npy 2>&1 | %FileCheck %s --check-prefix=COUNT
// RUN: %not %pypto-run %s --entry f --arg %t/f64.npy --arg 1 2>&1 | %FileCheck %s --check-prefix=DTYPE
// RUN: %not %pypto-run %s --entry f --arg %t/i32.npy --arg 1 2>&1 | %FileCheck %s --check-prefix=SHAPE
// RUN: %not %pypto-run %s --entry f --arg %t/none.npy --arg 1 2>&1 | %FileCheck %s --check-prefix=MISSING
// RUN: %not %pypto-run %s --entry f --arg %t/i32.npy --arg x 2>&1 | %FileCheck %s --check-prefix=SCALAR

// ENTRY: pypto-run: error: {{.*}}run-errors.mlir: no function @missing (functions: @f)
// ENTRY-NOT: {{.}}
// COUNT: pypto-run: error: @f takes 2 argument(s) (memref<4x2xi32>, i32), got 1 --arg value(s)
// DTYPE: pypto-run: error: argument 0 of @f (memref<4x2xi32>): expected dtype int32, got float64
// SHAPE: pypto-run: error: argument 0 of @f (memref<4x2xi32>): dimension 0 must be 4, got shape (2, 2)
// MISSING: pypto-run: error: argument 0 of @f (memref<4x2xi32>): cannot read '{{.*}}none.npy': no such file
// SCALAR: pypto-run: error: argument 1 of @f (i32): expected an integer literal, got 'x'

func.func @f(%a: memref<4x2xi32>, %s: i32) {
  return
}
