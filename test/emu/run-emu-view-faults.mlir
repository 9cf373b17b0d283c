// A row tile taken as a subview past the end of its tensor (40 rows in tiles of 16, unclamped,
// as pypto-lib kernels write it): the subview's fault names its window and the dimension that
// does not fit; the accesses through it, whose indices lie inside the tile, name that subview
// instead of quoting an index that looks in range. (Nothing is read or written: the tile's
// stores are suppressed, so rows 32..39 keep their input values.)
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(320, dtype=np.float32).reshape(40, 8))"
// RUN: %not %pypto-run %s --target emu --entry rows --arg %t/x.npy --out-dir %t/out --report-json %t/report.json 2> %t/err
// RUN: %FileCheck %s < %t/err
// RUN: %python -c "import numpy as np; x = np.arange(320, dtype=np.float32).reshape(40, 8); y = np.load('%t/out/arg0.npy'); print((y[:32] == 2 * x[:32]).all(), (y[32:] == x[32:]).all())" | %FileCheck %s --check-prefix=RESULT
// RUN: %python -c "import json; d = json.load(open('%t/report.json')); print([f['message'].split(': error: ')[1] for f in d['faults']])" | %FileCheck %s --check-prefix=JSON

// CHECK:      run-emu-view-faults.mlir:[[# @LINE + 16]]:12: error: out-of-bounds subview of memref<40x8xf32> at offsets [32, 0] with sizes [16, 8] (shape [40, 8]) in kernel rows_tile, task 2: dimension 0: offset 32 + size 16 > 40; every access through it faults too{{$}}
// CHECK-NEXT: run-emu-view-faults.mlir:[[# @LINE + 19]]:16: error: out-of-bounds load of memref<16x8xf32, strided<[8, 1], offset: ?>> at [0, 0] (shape [16, 8]) in kernel rows_tile, task 2, through the out-of-bounds subview at {{.*}}run-emu-view-faults.mlir:[[# @LINE + 15]]:12 (offsets [32, 0] with sizes [16, 8]: dimension 0: offset 32 + size 16 > 40) (and 127 more faults at this site){{$}}
// CHECK-NEXT: run-emu-view-faults.mlir:[[# @LINE + 20]]:11: error: out-of-bounds store of memref<16x8xf32, strided<[8, 1], offset: ?>> at [0, 0] (shape [16, 8]) in kernel rows_tile, task 2, through the out-of-bounds subview
// CHECK:      {{^}}faults: 257 at 3 sites
// RESULT: True True
// JSON: offset 32 + size 16 > 40

func.func @rows(%x: memref<40x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c40 = arith.constant 40 : index
  %two = arith.constant 2.0 : f32
  scf.for %o = %c0 to %c40 step %c16 {
    scf.execute_region no_inline {
      %t = memref.subview %x[%o, 0] [16, 8] [1, 1]
          : memref<40x8xf32> to memref<16x8xf32, strided<[8, 1], offset: ?>>
      scf.for %i = %c0 to %c16 step %c1 {
        scf.for %j = %c0 to %c8 step %c1 {
          %v = memref.load %t[%i, %j] : memref<16x8xf32, strided<[8, 1], offset: ?>>
          %w = arith.mulf %v, %two : f32
          memref.store %w, %t[%i, %j] : memref<16x8xf32, strided<[8, 1], offset: ?>>
        }
      }
      scf.yield
    } {pl.at = "core_group", pl.name_hint = "rows_tile"}
  } {pl.parallel}
  return
}
