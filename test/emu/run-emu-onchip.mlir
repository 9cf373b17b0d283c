// On-chip memory: a kernel whose static memref.alloca buffers exceed the machine's on-chip
// memory per core group is a located error before the run (exit 1, one line); the same kernel
// fits the larger a5 machine and runs.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(10, dtype=np.float32))"
// RUN: %not %pypto-run %s --target emu --entry buf --arg %t/x.npy --arg 10 2>&1 | %FileCheck %s
// RUN: %pypto-run %s --target emu:a5 --entry buf --arg %t/x.npy --arg 10 2>&1 | %FileCheck %s --check-prefix=A5

// CHECK:     run-emu-onchip.mlir:[[# @LINE + 12]]:12: error: on-chip memory: {{.*}}240000 bytes{{.*}}196608 bytes{{.*}}
// CHECK-NOT: {{.}}
// A5:        arg0 = [0., 1., 2., 3., 4., 5., 6., 7., 8., 9.]
// A5:        {{^}}emu a5:
// A5:        {{^}}buf_k0 {{ *}}10 {{ *}}
// A5:        {{^}}faults: none

func.func @buf(%x: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %o = %c0 to %n step %c1 {
    scf.execute_region no_inline {
      %b = memref.alloca() : memref<60000xf32>
      %v = memref.load %x[%o] : memref<?xf32>
      memref.store %v, %b[%c0] : memref<60000xf32>
      %w = memref.load %b[%c0] : memref<60000xf32>
      memref.store %w, %x[%o] : memref<?xf32>
      scf.yield
    } {pl.at = "core_group"}
  } {pl.parallel}
  return
}
