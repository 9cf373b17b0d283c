// --check-races: the chunks of @smear write overlapping elements (y[i] and y[i + 1]: task t and
// task t + 1 both write y[4t + 4]); reported with both sites, exit 1. @copy is race-free: exit 0.
// Without --check-races the race is not looked for.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(16, dtype=np.float32)); np.save('%t/y.npy', np.zeros(17, np.float32))"
// RUN: %not %pypto-run %s --target emu --check-races --entry smear --arg %t/x.npy --arg %t/y.npy --arg 16 --out-dir %t/out 2>&1 | %FileCheck %s
// RUN: %pypto-run %s --target emu --check-races --entry copy --arg %t/x.npy --arg %t/y.npy --arg 16 --out-dir %t/out 2>&1 | %FileCheck %s --check-prefix=CLEAN
// RUN: %pypto-run %s --target emu --entry smear --arg %t/x.npy --arg %t/y.npy --arg 16 --out-dir %t/out 2>&1 | %FileCheck %s --check-prefix=UNCHECKED
// Every task reads x[7], and the last one writes it: the write conflicts with the other tasks'
// reads although its own task read the element last.
// RUN: %not %pypto-run %s --target emu --check-races --entry read_then_write --arg %t/x.npy --arg %t/y.npy --arg 16 2>&1 | %FileCheck %s --check-prefix=RW

// CHECK:      run-emu-races.mlir:[[# @LINE + 16]]:5: error: data race: write of memref<?xf32> in kernel smear_k0, task [[T:[0-9]+]] conflicts with a write in task [[O:[0-9]+]] of the same launch group (at {{.*}}run-emu-races.mlir:[[# @LINE + 17]]:5)
// CHECK-NEXT: run-emu-races.mlir:[[# @LINE + 16]]:5: note: the conflicting write, in task [[O]]{{$}}
// CHECK:      {{^}}faults: none; races: 1 pair of sites{{$}}
// CLEAN-NOT:  error
// CLEAN:      {{^}}faults: none; races: none{{$}}
// UNCHECKED-NOT: error
// UNCHECKED:  {{^}}faults: none; races: not checked (--check-races){{$}}
// RW:         run-emu-races.mlir:[[# @LINE + 34]]:7: error: data race: write of memref<?xf32> in kernel read_then_write_k0, task 15 conflicts with a read in task {{[0-9]+}} of the same launch group (at {{.*}}run-emu-races.mlir:[[# @LINE + 29]]:10)
// RW:         {{^}}faults: none; races: 1 pair of sites{{$}}

func.func @smear(%x: memref<?xf32>, %y: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf32>
    %j = arith.addi %i, %c1 : index
    memref.store %v, %y[%i] : memref<?xf32>
    memref.store %v, %y[%j] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}
func.func @copy(%x: memref<?xf32>, %y: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf32>
    memref.store %v, %y[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}
func.func @read_then_write(%x: memref<?xf32>, %y: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %last = arith.subi %n, %c1 : index
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%c7] : memref<?xf32>
    memref.store %v, %y[%i] : memref<?xf32>
    %is_last = arith.cmpi eq, %i, %last : index
    scf.if %is_last {
      %w = arith.addf %v, %v : f32
      memref.store %w, %x[%c7] : memref<?xf32>
    }
  } {pl.parallel}
  return
}
