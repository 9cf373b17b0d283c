// --target, --opt-level, --repeat and --print, and their errors (one line, exit 1).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/m.npy', np.array([1, 2, 3], np.int32))"
// Every optimization level computes the same; --target cpu is the default; --print alone is
// the default output.
// RUN: %pypto-run %s --entry twice --arg %t/m.npy --target cpu --opt-level 0 | %FileCheck %s
// RUN: %pypto-run %s --entry twice --arg %t/m.npy --opt-level 1 --print | %FileCheck %s
// RUN: %pypto-run %s --entry twice --arg %t/m.npy --opt-level=2 | %FileCheck %s
// CHECK:      result0 = 6
// CHECK-NEXT: arg0 = [2, 4, 6]
// CHECK-NOT:  {{.}}

// --repeat: one warm-up call and N timed ones; only the time line, unless --print.
// RUN: %pypto-run %s --entry twice --arg %t/m.npy --repeat 3 | %FileCheck %s --check-prefix=TIME
// TIME:     {{^}}time: min {{[0-9]+(\.[0-9]+)?}} ms, median {{[0-9]+(\.[0-9]+)?}} ms (3 runs){{$}}
// TIME-NOT: {{.}}
// The printout is the warm-up call's: each call doubles fresh copies of the input.
// RUN: %pypto-run %s --entry twice --arg %t/m.npy --repeat 4 --print | %FileCheck %s --check-prefix=PRINT
// PRINT:      result0 = 6
// PRINT-NEXT: arg0 = [2, 4, 6]
// PRINT-NEXT: {{^}}time: min {{.*}} ms, median {{.*}} ms (4 runs){{$}}
// PRINT-NOT:  {{.}}
// With --out-dir the files are written too (the warm-up's arguments and results).
// RUN: %pypto-run %s --entry twice --arg %t/m.npy --repeat 2 --out-dir %t/out | %FileCheck %s --check-prefix=TIME2
// RUN: %python -c "import numpy as np; print(np.load('%t/out/arg0.npy').tolist(), np.load('%t/out/result0.npy'))" | %FileCheck %s --check-prefix=FILES
// TIME2:     {{^}}time: min {{.*}} (2 runs){{$}}
// TIME2-NOT: {{.}}
// FILES: [2, 4, 6] 6

// RUN: %not %pypto-run %s --entry twice --arg %t/m.npy --target gpu 2>&1 | %FileCheck %s --check-prefix=TARGET
// RUN: %not %pypto-run %s --entry twice --arg %t/m.npy --opt-level 4 2>&1 | %FileCheck %s --check-prefix=OPT
// RUN: %not %pypto-run %s --entry twice --arg %t/m.npy --repeat 0 2>&1 | %FileCheck %s --check-prefix=REPEAT
// TARGET: {{^}}pypto-run: error: unknown target 'gpu' (accepted: cpu, emu){{$}}
// OPT:    {{^}}pypto-run: error: invalid --opt-level '4' (expected 0, 1, 2 or 3){{$}}
// REPEAT: {{^}}pypto-run: error: invalid --repeat '0' (expected a positive integer){{$}}

func.func @twice(%m: memref<3xi32>) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %z = arith.constant 0 : i32
  %s = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %z) -> i32 {
    %v = memref.load %m[%i] : memref<3xi32>
    %w = arith.addi %v, %v : i32
    memref.store %w, %m[%i] : memref<3xi32>
    %a = arith.addi %acc, %v : i32
    scf.yield %a : i32
  }
  return %s : i32
}
