// --out-dir writes arg<i>.npy for every memref argument (i counts scalars too) and
// result<j>.npy for every result; nothing is printed.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(6, dtype=np.float32)); np.save('%t/y.npy', np.zeros(6, np.float32))"
// RUN: %pypto-run %s --entry axpy --arg %t/x.npy --arg 6 --arg %t/y.npy --arg 2.5 --out-dir %t/res | %FileCheck %s --allow-empty --check-prefix=QUIET
// RUN: ls %t/res | %FileCheck %s --check-prefix=FILES
// RUN: %python -c "import numpy as np; d='%t/res/'; [print(n, np.load(d + n + '.npy').dtype, np.load(d + n + '.npy').tolist()) for n in ('arg0', 'arg2', 'result0')]" | %FileCheck %s

// QUIET-NOT: {{.}}
// FILES:      arg0.npy
// FILES-NEXT: arg2.npy
// FILES-NEXT: result0.npy
// FILES-NOT:  arg1
// CHECK: arg0 float32 [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
// CHECK: arg2 float32 [0.0, 2.5, 5.0, 7.5, 10.0, 12.5]
// CHECK: result0 float32 37.5

func.func @axpy(%x: memref<?xf32>, %n: index, %y: memref<?xf32>, %a: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> f32 {
    %xv = memref.load %x[%i] : memref<?xf32>
    %yv = memref.load %y[%i] : memref<?xf32>
    %p = arith.mulf %a, %xv : f32
    %s = arith.addf %p, %yv : f32
    memref.store %s, %y[%i] : memref<?xf32>
    %acc2 = arith.addf %acc, %s : f32
    scf.yield %acc2 : f32
  } {pl.chunk = 4 : i64, pl.chunk_policy = "leading_full"}
  return %r : f32
}
