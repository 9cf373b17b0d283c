// --deps picks the model of the schedule the report shows; the summary and --report-json give
// the makespan under all three. @two_halves launches two kernels one after the other, each on
// its own half of %y: under barrier the second waits for the first, under regions and exact
// they run side by side. --deps needs the emu target and one of the three names.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/y.npy', np.zeros(64, np.float32))"
// RUN: %pypto-run %s --target emu --entry two_halves --arg %t/y.npy --out-dir %t/r --report-json %t/regions.json 2>&1 | %FileCheck %s --check-prefix=REGIONS
// RUN: %pypto-run %s --target emu --deps barrier --entry two_halves --arg %t/y.npy --out-dir %t/b --report-json %t/barrier.json 2>&1 | %FileCheck %s --check-prefix=BARRIER
// RUN: %pypto-run %s --target emu --deps exact --entry two_halves --arg %t/y.npy --out-dir %t/e 2>&1 | %FileCheck %s --check-prefix=EXACT
// RUN: %python -c "import json; r, b = (json.load(open('%t/' + n + '.json')) for n in ('regions', 'barrier')); m = r['makespans']; print(r['deps'], b['deps'], m == b['makespans'], m['barrier'] == 2 * m['regions'] == 2 * m['exact'], r['makespan_cycles'] == m['regions'], b['makespan_cycles'] == m['barrier'], r['critical_path']['nodes'])" | %FileCheck %s --check-prefix=JSON
// RUN: %not %pypto-run %s --deps exact --entry two_halves --arg %t/y.npy 2>&1 | %FileCheck %s --check-prefix=CPU
// RUN: %not %pypto-run %s --target emu --deps tensor_map --entry two_halves --arg %t/y.npy 2>&1 | %FileCheck %s --check-prefix=BAD

// REGIONS:      {{^}}launch groups: 2; dependencies: regions (--deps barrier, regions or exact){{$}}
// REGIONS-NEXT: {{^}}  model          makespan        time  mean utilisation{{$}}
// REGIONS-NEXT: {{^}}  barrier   {{ *}}[[B:[0-9]+]] {{.*}}
// REGIONS-NEXT: {{^}}  regions * {{ *}}[[R:[0-9]+]] {{.*}}
// REGIONS-NEXT: {{^}}  exact     {{ *}}[[R]] {{.*}}
// REGIONS-NEXT: {{^}}critical path (regions): [[R]] cycles, 1 node: {{first|second}}{{$}}
// REGIONS-NEXT: {{^}}utilisation per core group (regions; busy cycles / makespan): min 0.0%  mean 8.3%  max 100.0%{{$}}
// REGIONS-NEXT: {{^}}    0 |{{(█)+}}| 100.0%{{$}}
// REGIONS-NEXT: {{^}}    1 |{{(█)+}}| 100.0%{{$}}
// REGIONS-NEXT: {{^}}    2 |{{ +}}|   0.0%{{$}}
// BARRIER:      {{^}}launch groups: 2; dependencies: barrier (--deps barrier, regions or exact){{$}}
// BARRIER:      {{^}}  barrier * {{.*}}
// BARRIER:      {{^}}critical path (barrier): {{[0-9]+}} cycles, 2 nodes: first -> second{{$}}
// BARRIER-NEXT: {{^}}utilisation per core group (barrier; busy cycles / makespan): min 0.0%  mean 4.2%  max 100.0%{{$}}
// BARRIER-NEXT: {{^}}    0 |{{(█)+}}| 100.0%{{$}}
// BARRIER-NEXT: {{^}}    1 |{{ +}}|   0.0%{{$}}
// EXACT:        {{^}}  exact   * {{.*}}
// JSON:         regions barrier True True True True ['first']
// CPU:          {{^}}pypto-run: error: --deps needs --target emu (the target is 'cpu'){{$}}
// BAD:          {{^}}pypto-run: error: argument --deps: invalid choice: 'tensor_map' (choose from {{.*}}barrier{{.*}}regions{{.*}}exact{{.*}}){{$}}

func.func @two_halves(%y: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %one = arith.constant 1.0 : f32
  scf.execute_region no_inline {
    scf.for %i = %c0 to %c32 step %c1 {
      memref.store %one, %y[%i] : memref<64xf32>
    }
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "first"}
  scf.execute_region no_inline {
    scf.for %i = %c32 to %c64 step %c1 {
      memref.store %one, %y[%i] : memref<64xf32>
    }
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "second"}
  return
}
