// The CPU lowering takes linalg on memrefs (convert-linalg-to-loops): linalg.fill, linalg.matmul
// on subviews, linalg.generic with linalg.index and a reduction, linalg.generic on 2-D subviews.
// Expected values from numpy: c = 0.5 + a[1:4, :] @ b[:, 1:4] (exact in f32: small integers).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/a.npy', np.arange(24, dtype=np.float32).reshape(4, 6)); np.save('%t/b.npy', np.arange(30, dtype=np.float32).reshape(6, 5)); np.save('%t/c.npy', np.full((3, 3), np.nan, np.float32))"
// RUN: %pypto-run %s --entry mm --arg %t/a.npy --arg %t/b.npy --arg %t/c.npy | %FileCheck %s --check-prefix=MM
// RUN: %pypto-run %s --entry mm --arg %t/a.npy --arg %t/b.npy --arg %t/c.npy --opt-level 0 | %FileCheck %s --check-prefix=MM
// MM:      arg0 = {{\[}}[ 0.,  1.,  2.,  3.,  4.,  5.],
// MM:      arg2 = {{\[}}[ 776.5,  827.5,  878.5],
// MM-NEXT: [1262.5, 1349.5, 1436.5],
// MM-NEXT: [1748.5, 1871.5, 1994.5]]
func.func @mm(%a: memref<4x6xf32>, %b: memref<6x5xf32>, %c: memref<3x3xf32>) {
  %sa = memref.subview %a[1, 0] [3, 6] [1, 1] : memref<4x6xf32> to memref<3x6xf32, strided<[6, 1], offset: 6>>
  %sb = memref.subview %b[0, 1] [6, 3] [1, 1] : memref<6x5xf32> to memref<6x3xf32, strided<[5, 1], offset: 1>>
  %half = arith.constant 0.5 : f32
  linalg.fill ins(%half : f32) outs(%c : memref<3x3xf32>)
  linalg.matmul ins(%sa, %sb : memref<3x6xf32, strided<[6, 1], offset: 6>>, memref<6x3xf32, strided<[5, 1], offset: 1>>)
                outs(%c : memref<3x3xf32>)
  return
}

// y[i] = x[i] * i + y[i]; then s = sum of y[i]^2, a reduction in index order (into a 0-d memref).
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.array([1.5, -2, 0.25, 8, 3])); np.save('%t/y.npy', np.ones(5)); np.save('%t/s.npy', np.array(0.0))"
// RUN: %pypto-run %s --entry gen --arg %t/x.npy --arg %t/y.npy --arg %t/s.npy | %FileCheck %s --check-prefix=GEN
// GEN:      arg1 = [ 1. , -1. ,  1.5, 25. , 13. ]
// GEN-NEXT: arg2 = 798.25
#id = affine_map<(d0) -> (d0)>
#all = affine_map<(d0) -> ()>
func.func @gen(%x: memref<?xf64>, %y: memref<?xf64>, %s: memref<f64>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : memref<?xf64>) outs(%y : memref<?xf64>) {
  ^bb0(%xv: f64, %yv: f64):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i64
    %fi = arith.sitofp %ii : i64 to f64
    %p = arith.mulf %xv, %fi : f64
    %r = arith.addf %p, %yv : f64
    linalg.yield %r : f64
  }
  linalg.generic {indexing_maps = [#id, #all], iterator_types = ["reduction"]}
      ins(%y : memref<?xf64>) outs(%s : memref<f64>) {
  ^bb0(%yv: f64, %acc: f64):
    %sq = arith.mulf %yv, %yv : f64
    %r = arith.addf %acc, %sq : f64
    linalg.yield %r : f64
  }
  return
}

// A transpose through linalg.generic between two 2-D subviews: out[1 + j, 2 + i] = in[i, 1 + j] + 100.
// RUN: %python -c "import numpy as np; np.save('%t/in.npy', np.arange(12, dtype=np.int32).reshape(3, 4)); np.save('%t/out.npy', np.zeros((5, 5), np.int32))"
// RUN: %pypto-run %s --entry transpose --arg %t/in.npy --arg %t/out.npy | %FileCheck %s --check-prefix=T
// T:      arg1 = {{\[}}[  0,   0,   0,   0,   0],
// T-NEXT: [  0,   0, 101, 105, 109],
// T-NEXT: [  0,   0, 102, 106, 110],
// T-NEXT: [  0,   0, 103, 107, 111],
// T-NEXT: [  0,   0,   0,   0,   0]]
#ij = affine_map<(d0, d1) -> (d0, d1)>
#ji = affine_map<(d0, d1) -> (d1, d0)>
func.func @transpose(%in: memref<3x4xi32>, %out: memref<5x5xi32>) {
  %si = memref.subview %in[0, 1] [3, 3] [1, 1] : memref<3x4xi32> to memref<3x3xi32, strided<[4, 1], offset: 1>>
  %so = memref.subview %out[1, 2] [3, 3] [1, 1] : memref<5x5xi32> to memref<3x3xi32, strided<[5, 1], offset: 7>>
  linalg.generic {indexing_maps = [#ij, #ji], iterator_types = ["parallel", "parallel"]}
      ins(%si : memref<3x3xi32, strided<[4, 1], offset: 1>>) outs(%so : memref<3x3xi32, strided<[5, 1], offset: 7>>) {
  ^bb0(%v: i32, %o: i32):
    %c100 = arith.constant 100 : i32
    %r = arith.addi %v, %c100 : i32
    linalg.yield %r : i32
  }
  return
}
