// The CPU lowering takes vector ops: transfer_read/write (in bounds, and masked past the end of
// a dynamic memref), broadcast, elementwise arith, vector.fma, vector iter_args in scf.for,
// vector.reduction (in order: no reassociation), 2-D transfers, vector.multi_reduction.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/a.npy', np.arange(12, dtype=np.float32))"
// RUN: %pypto-run %s --entry axpy_sum --arg %t/a.npy --arg 10 --arg 2 | %FileCheck %s --check-prefix=AXPY
// RUN: %pypto-run %s --entry axpy_sum --arg %t/a.npy --arg 10 --arg 2 --opt-level 0 | %FileCheck %s --check-prefix=AXPY
// The loop works on the first n = 10 of 12 elements (a subview). The sum of 2 * a[i] + 1 over
// i < 10 is 100; the last transfer (i = 8) reads two lanes past the end of the subview as the
// padding 0, which add 0 * 2 + 1 each (102), and writes only a[8] and a[9] (a[10], a[11] keep).
// AXPY:      result0 = 102.0
// AXPY-NEXT: arg0 = [ 1.,  3.,  5.,  7.,  9., 11., 13., 15., 17., 19., 10., 11.]
func.func @axpy_sum(%full: memref<?xf32>, %n: index, %s: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %a = memref.subview %full[0] [%n] [1] : memref<?xf32> to memref<?xf32, strided<[1]>>
  %c4 = arith.constant 4 : index
  %pad = arith.constant 0.0 : f32
  %zero = vector.broadcast %pad : f32 to vector<4xf32>
  %vs = vector.broadcast %s : f32 to vector<4xf32>
  %one = arith.constant dense<1.0> : vector<4xf32>
  %acc = scf.for %i = %c0 to %n step %c4 iter_args(%acc = %zero) -> vector<4xf32> {
    %v = vector.transfer_read %a[%i], %pad : memref<?xf32, strided<[1]>>, vector<4xf32>
    %w = vector.fma %v, %vs, %one : vector<4xf32>
    vector.transfer_write %w, %a[%i] : vector<4xf32>, memref<?xf32, strided<[1]>>
    %acc2 = arith.addf %acc, %w : vector<4xf32>
    scf.yield %acc2 : vector<4xf32>
  }
  %r = vector.reduction <add>, %acc : vector<4xf32> into f32
  return %r : f32
}

// In order, ((1e8 + 1) + -1e8) + 1 = 1 in f32; a reassociated (pairwise) sum would give 2.
// RUN: %python -c "import numpy as np; np.save('%t/c.npy', np.array([1e8, 1, -1e8, 1], np.float32))"
// RUN: %pypto-run %s --entry ordered --arg %t/c.npy | %FileCheck %s --check-prefix=ORDER
// ORDER: result0 = 1.0
func.func @ordered(%a: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%c0] : memref<4xf32>, vector<4xf32>
  %r = vector.reduction <add>, %v : vector<4xf32> into f32
  return %r : f32
}

// A 2-D transfer (convert-vector-to-scf) and column sums (vector.multi_reduction).
// RUN: %python -c "import numpy as np; np.save('%t/m.npy', np.arange(12, dtype=np.int64).reshape(3, 4)); np.save('%t/o.npy', np.zeros(4, np.int64))"
// RUN: %pypto-run %s --entry colsum --arg %t/m.npy --arg %t/o.npy | %FileCheck %s --check-prefix=COLS
// COLS: arg1 = [12, 15, 18, 21]
func.func @colsum(%m: memref<3x4xi64>, %o: memref<4xi64>) {
  %c0 = arith.constant 0 : index
  %p = arith.constant 0 : i64
  %v = vector.transfer_read %m[%c0, %c0], %p : memref<3x4xi64>, vector<3x4xi64>
  %z = vector.broadcast %p : i64 to vector<4xi64>
  %r = vector.multi_reduction <add>, %v, %z [0] : vector<3x4xi64> to vector<4xi64>
  vector.transfer_write %r, %o[%c0] : vector<4xi64>, memref<4xi64>
  return
}
