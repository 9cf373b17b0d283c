// pypto-run on a chunked loop: the default pipeline (pl-default), both policies explicitly,
// and the unchunked program (pl.chunk stripped by hand below) all print the same results.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/out.npy', np.zeros(11, np.int64))"
// RUN: %pypto-run %s --entry sum --arg %t/out.npy --arg 11 --arg -3 --arg=-1e-3 | %FileCheck %s
// RUN: %pypto-run %s --entry sum -p 'builtin.module(pl-split-chunked-loops{policy=leading_full}, canonicalize, cse)' --arg %t/out.npy --arg 11 --arg -3 --arg -1e-3 | %FileCheck %s
// RUN: %pypto-run %s --entry sum -p 'builtin.module(pl-split-chunked-loops{policy=guarded})' --arg %t/out.npy --arg 11 --arg -3 --arg -1e-3 | %FileCheck %s
// RUN: sed -e 's/{pl.chunk = 4 : i64}//' %s > %t/plain.mlir
// RUN: %pypto-run %t/plain.mlir --entry sum --arg %t/out.npy --arg 11 --arg -3 --arg -1e-3 | %FileCheck %s
// The input array is never modified.
// RUN: %python -c "import numpy as np; print(np.load('%t/out.npy').tolist())" | %FileCheck %s --check-prefix=INPUT

// CHECK:      result0 = 55
// CHECK-NEXT: result1 = -0.01100000000000000{{[0-9]*}}
// CHECK-NEXT: arg0 = [  0,  -3,  -6,  -9, -12, -15, -18, -21, -24, -27, -30]
// CHECK-NOT:  arg
// INPUT: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]

func.func @sum(%out: memref<?xi64>, %n: index, %s: i32, %f: f64) -> (index, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f64
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%a = %c0, %acc = %z) -> (index, f64) {
    %v = arith.index_cast %i : index to i64
    %s64 = arith.extsi %s : i32 to i64
    %w = arith.muli %v, %s64 : i64
    memref.store %w, %out[%i] : memref<?xi64>
    %a2 = arith.addi %a, %i : index
    %acc2 = arith.addf %acc, %f : f64
    scf.yield %a2, %acc2 : index, f64
  } {pl.chunk = 4 : i64}
  return %r#0, %r#1 : index, f64
}
