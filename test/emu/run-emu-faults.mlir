// An explicit-chunk kernel with an unclamped tail (outer step 64, inner [o, o + 64) in a pl.at
// scope, dynamic n): each faulting site once, with its location, kernel, task and count, on
// stderr; the run finishes, --out-dir and --report-json are written, the result is right, and
// the exit status is 1.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(100, dtype=np.float32)); np.save('%t/y.npy', np.ones(100, np.float32))"
// RUN: %not %pypto-run %s --target emu --entry scale --arg %t/x.npy --arg %t/y.npy --arg 100 --out-dir %t/out --report-json %t/report.json 2> %t/err | %FileCheck %s --allow-empty --check-prefix=QUIET
// RUN: %FileCheck %s < %t/err
// RUN: %python -c "import numpy as np; y = np.load('%t/out/arg1.npy'); print((y == 2 * np.arange(100) + 1).all())" | %FileCheck %s --check-prefix=RESULT
// RUN: %python -c "import json; d = json.load(open('%t/report.json')); print(d['ok'], [(f['kind'], f['location'].rsplit(':', 2)[-2:], f['kernel'], f['task'], f['indices'], f['count']) for f in d['faults']])" | %FileCheck %s --check-prefix=JSON

// QUIET-NOT: {{.}}
// CHECK:      run-emu-faults.mlir:[[# @LINE + 18]]:14: error: out-of-bounds load of memref<?xf32> at [100] (shape [100]) in kernel scale_chunk, task 1 (and 27 more faults at this site){{$}}
// CHECK-NEXT: run-emu-faults.mlir:[[# @LINE + 18]]:14: error: out-of-bounds load of memref<?xf32> at [100] (shape [100]) in kernel scale_chunk, task 1 (and 27 more faults at this site){{$}}
// CHECK-NEXT: run-emu-faults.mlir:[[# @LINE + 20]]:9: error: out-of-bounds store of memref<?xf32> at [100] (shape [100]) in kernel scale_chunk, task 1 (and 27 more faults at this site){{$}}
// CHECK-NEXT: {{^}}emu a2a3:
// CHECK:      {{^}}scale_chunk {{ *}}2 {{ *}}
// CHECK:      {{^}}faults: 84 at 3 sites; races: not checked (--check-races){{$}}
// RESULT: True
// JSON: False [('load', ['31', '14'], 'scale_chunk', 1, [100], 28), ('load', ['32', '14'], 'scale_chunk', 1, [100], 28), ('store', ['35', '9'], 'scale_chunk', 1, [100], 28)]

func.func @scale(%x: memref<?xf32>, %y: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %S = arith.constant 64 : index
  %two = arith.constant 2.0 : f32
  scf.for %o = %c0 to %n step %S {
    scf.execute_region no_inline {
      %hi = arith.addi %o, %S : index
      scf.for %i = %o to %hi step %c1 {
        %a = memref.load %x[%i] : memref<?xf32>
        %b = memref.load %y[%i] : memref<?xf32>
        %p = arith.mulf %two, %a : f32
        %s = arith.addf %p, %b : f32
        memref.store %s, %y[%i] : memref<?xf32>
      }
      scf.yield
    } {pl.at = "core_group", pl.name_hint = "scale_chunk"}
  } {pl.parallel}
  return
}
