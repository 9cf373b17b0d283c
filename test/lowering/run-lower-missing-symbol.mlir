// A memref.copy between unranked memrefs calls the MLIR runtime's memrefCopy, which the CPU
// target does not link: a located error with a hint, before the JIT runs. (Between ranked
// memrefs, contiguous or not, a copy lowers to a memcpy or to loops: run-strided-copy.mlir.)
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/m.npy', np.zeros((4, 4), np.float32)); np.save('%t/o.npy', np.zeros((2, 2), np.float32))"
// RUN: %not %pypto-run %s --entry f --arg %t/m.npy --arg %t/o.npy 2>&1 | %FileCheck %s
// CHECK: {{^}}{{.*}}run-lower-missing-symbol.mlir:[[@LINE+7]]:3: error: the compiled code calls 'memrefCopy', which is not defined in the module nor found in this process (memref.copy between unranked memrefs calls the MLIR runtime's memrefCopy, which the CPU target does not link; copy ranked memrefs (memref.cast))
// CHECK-NOT: {{.}}

func.func @f(%m: memref<4x4xf32>, %o: memref<2x2xf32>) {
  %s = memref.subview %m[1, 1] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1], offset: 5>>
  %us = memref.cast %s : memref<2x2xf32, strided<[4, 1], offset: 5>> to memref<*xf32>
  %uo = memref.cast %o : memref<2x2xf32> to memref<*xf32>
  memref.copy %us, %uo : memref<*xf32> to memref<*xf32>
  return
}

// The hint's suggestion works: the same copy between the ranked memrefs (@f, which would fail,
// removed).
// RUN: %python -c "import numpy as np; np.save('%t/m.npy', np.arange(16, dtype=np.float32).reshape(4, 4))"
// RUN: sed -e '/^func.func @f/,/^}/d' %s | %pypto-run - --entry g --arg %t/m.npy --arg %t/o.npy | %FileCheck %s --check-prefix=COPY
// COPY: arg1 = {{\[}}[ 5.,  6.],
// COPY-NEXT: [ 9., 10.]]
func.func @g(%m: memref<4x4xf32>, %o: memref<2x2xf32>) {
  %s = memref.subview %m[1, 1] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1], offset: 5>>
  memref.copy %s, %o : memref<2x2xf32, strided<[4, 1], offset: 5>> to memref<2x2xf32>
  return
}
