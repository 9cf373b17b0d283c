// A downstream test: mlir-opt before and after pypto-opt, FileCheck and not, all by plain name.
// RUN: mlir-opt --irdl-file=%pl-irdl --mlir-print-debuginfo %s \
// RUN:   | pypto-opt - -p 'builtin.module(pl-split-chunked-loops{policy=leading_full})' --emit-bytecode \
// RUN:   | mlir-opt --irdl-file=%pl-irdl --canonicalize | FileCheck %s
// RUN: sed -e 's/pl.chunk = 4/pl.chunk = 0/' %s | not pypto-opt - 2>&1 | FileCheck %s --check-prefix=ERROR

// CHECK-LABEL: func.func @scale
// CHECK: scf.for
// CHECK: pl.loop_origin = "chunk_outer"
// ERROR: <stdin>:[[@LINE+4]]:3: error: 'pl.chunk' must be a positive integer, got 0
func.func @scale(%a: memref<?xf32>, %n: index, %s: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    %y = arith.mulf %x, %s : f32
    memref.store %y, %a[%i] : memref<?xf32>
  } {pl.chunk = 4}
  return
}
