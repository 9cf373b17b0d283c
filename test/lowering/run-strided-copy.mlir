// memref.copy into a strided window (PyPTO's pl.assemble of a tile into a larger tensor):
// lowering/strided_copies.py turns copies between memrefs that are not both contiguous into
// loops; each pair of rows computes its 2x4 tile in a buffer of its own and assembles it into
// the output. Same results on both targets, one task per chunk (of two pairs: the second chunk
// masks one iteration), no fault.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/a.npy', np.arange(24, dtype=np.float32).reshape(6, 4)); np.save('%t/o.npy', np.zeros((6, 8), np.float32))"
// RUN: %pypto-run %s --entry assemble --arg %t/a.npy --arg %t/o.npy | %FileCheck %s
// RUN: %pypto-run %s --entry assemble --arg %t/a.npy --arg %t/o.npy --target emu > %t/out 2> %t/report
// RUN: %FileCheck %s < %t/out && %FileCheck %s --check-prefix=EMU < %t/report

// Columns 2..5 of each row of the output hold 10 * the input row; the rest stays 0.
// CHECK:      arg1 = {{\[}}[  0.,   0.,   0.,  10.,  20.,  30.,   0.,   0.],
// CHECK-NEXT:  [  0.,   0.,  40.,  50.,  60.,  70.,   0.,   0.],
// CHECK-NEXT:  [  0.,   0.,  80.,  90., 100., 110.,   0.,   0.],
// CHECK-NEXT:  [  0.,   0., 120., 130., 140., 150.,   0.,   0.],
// CHECK-NEXT:  [  0.,   0., 160., 170., 180., 190.,   0.,   0.],
// CHECK-NEXT:  [  0.,   0., 200., 210., 220., 230.,   0.,   0.]]
// EMU: assemble_k0 2 1
// EMU: faults: none
func.func @assemble(%a: memref<6x4xf32>, %out: memref<6x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %ten = arith.constant 10.0 : f32
  scf.for %p = %c0 to %c3 step %c1 {
    %r = arith.muli %p, %c2 : index
    %tile = memref.alloca() : memref<2x4xf32>
    scf.for %i = %c0 to %c2 step %c1 {
      %row = arith.addi %r, %i : index
      scf.for %j = %c0 to %c4 step %c1 {
        %x = memref.load %a[%row, %j] : memref<6x4xf32>
        %y = arith.mulf %x, %ten : f32
        memref.store %y, %tile[%i, %j] : memref<2x4xf32>
      }
    }
    %w = memref.subview %out[%r, 2] [2, 4] [1, 1] : memref<6x8xf32> to memref<2x4xf32, strided<[8, 1], offset: ?>>
    memref.copy %tile, %w : memref<2x4xf32> to memref<2x4xf32, strided<[8, 1], offset: ?>>
  } {pl.chunk = 2 : i64, pl.parallel}
  return
}
