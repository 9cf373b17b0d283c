// pypto-run --target emu: the same numerics and --out-dir as --target cpu; the summary table on
// stderr (stdout stays quiet with --out-dir); --report-json and --trace written; exit 0. Four
// independent tasks: the same makespan under every dependency model; the trace has a thread per
// core group and one for the host.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/a.npy', np.arange(1000, dtype=np.float32) / 8); np.save('%t/b.npy', np.ones(1000, np.float32)); np.save('%t/c.npy', np.zeros(1000, np.float32))"
// RUN: %pypto-run %s --entry vadd --arg %t/a.npy --arg %t/b.npy --arg %t/c.npy --arg 1000 --out-dir %t/cpu
// RUN: %pypto-run %s --target emu --entry vadd --arg %t/a.npy --arg %t/b.npy --arg %t/c.npy --arg 1000 --out-dir %t/emu --report-json %t/report.json --trace %t/trace.json 2> %t/err | %FileCheck %s --allow-empty --check-prefix=QUIET
// RUN: cmp %t/cpu/arg2.npy %t/emu/arg2.npy
// RUN: %FileCheck %s < %t/err
// RUN: %python -c "import json; d = json.load(open('%t/report.json')); print(d['tasks'], [(k['name'], k['tasks']) for k in d['kernels']], len(d['cores']), d['faults'], d['races'], d['ok'])" | %FileCheck %s --check-prefix=JSON
// RUN: %python -c "import json; e = json.load(open('%t/trace.json'))['traceEvents']; x = [v for v in e if v['ph'] == 'X']; print(len(x), sorted({v['tid'] for v in x}), {v['name'] for v in x}, sum(1 for v in e if v['name'] == 'thread_name'))" | %FileCheck %s --check-prefix=TRACE
// RUN: %pypto-run %s --target emu:a5 --entry vadd --arg %t/a.npy --arg %t/b.npy --arg %t/c.npy --arg 1000 --print 2>&1 | %FileCheck %s --check-prefix=A5

// QUIET-NOT: {{.}}
// CHECK-NOT: error
// CHECK:     {{^}}emu a2a3: 24 core groups (1 AIC + 2 AIV), 192 KiB on-chip memory each, 1.8 GHz (a cost model, not a hardware measurement){{$}}
// CHECK-NEXT: {{^}}kernel {{ *}}tasks  masked iter {{ *}}cycles {{ *}}loaded {{ *}}stored{{$}}
// CHECK-NEXT: {{^}}vadd_k0 {{ *}}4 {{ *}}
// CHECK-NEXT: {{^}}total {{ *}}4 {{ *}}
// CHECK-NEXT: {{^}}launch groups: 1; dependencies: regions (--deps barrier, regions or exact){{$}}
// CHECK-NEXT: {{^}}  model          makespan        time  mean utilisation{{$}}
// CHECK-NEXT: {{^}}  barrier   {{ *}}[[M:[0-9]+]] {{.*}}16.0%{{$}}
// CHECK-NEXT: {{^}}  regions * {{ *}}[[M]] {{.*}}16.0%{{$}}
// CHECK-NEXT: {{^}}  exact     {{ *}}[[M]] {{.*}}16.0%{{$}}
// CHECK-NEXT: {{^}}critical path (regions): [[M]] cycles, 1 node: vadd_k0{{$}}
// CHECK-NEXT: {{^}}utilisation per core group (regions; busy cycles / makespan): min 0.0%  mean 16.0%  max 100.0%{{$}}
// CHECK-NEXT: {{^}}    0 |{{(█)+▉}}  |  94.8%{{$}}
// CHECK-NEXT: {{^}}    1 |{{.*}}|  94.8%{{$}}
// CHECK-NEXT: {{^}}    2 |{{.*}}|  94.8%{{$}}
// CHECK-NEXT: {{^}}    3 |{{(█)+}}| 100.0%{{$}}
// CHECK-NEXT: {{^}}    4 |{{ +}}|   0.0%{{$}}
// CHECK:      {{^}}   23 |{{ +}}|   0.0%{{$}}
// CHECK-NEXT: {{^}}bytes moved:
// CHECK-NEXT: {{^}}faults: none; races: not checked (--check-races){{$}}
// JSON: 4 [('vadd_k0', 4)] 24 [] [] True
// TRACE: 4 [0, 1, 2, 3] {'vadd_k0'} 25
// A5: arg2 = [
// A5: emu a5: 36 core groups

func.func @vadd(%a: memref<?xf32>, %b: memref<?xf32>, %c: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    %y = memref.load %b[%i] : memref<?xf32>
    %s = arith.addf %x, %y : f32
    memref.store %s, %c[%i] : memref<?xf32>
  } {pl.chunk = 256, pl.parallel}
  return
}
