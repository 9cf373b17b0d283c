// One race definition: two tasks of one parallel launch conflict (one writes what the other
// touched) with no edge between them. When every such write stores the bits already there, the
// overlap is benign: a warning, exit 0. Otherwise it is a race: an error, exit 1.
// - @scale: pl.parallel + shift_inwards with a tail (10 = 4 + 4 + 2: the last chunk moves back
//   over the previous one and writes the same values again): benign, same results as cpu
//   (issue 15, item 11: this was reported as a race);
// - @same_value: every task writes 1.0 into y[0]: benign;
// - @different_value: every task writes its own x[i] into y[0]: a race.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(10, dtype=np.float32)); np.save('%t/y.npy', np.zeros(10, np.float32))"
// RUN: %pypto-run %s --entry scale --arg %t/x.npy --arg %t/y.npy --arg 10 --out-dir %t/cpu
// RUN: %pypto-run %s --target emu --check-races --entry scale --arg %t/x.npy --arg %t/y.npy --arg 10 --out-dir %t/emu --report-json %t/scale.json 2>&1 | %FileCheck %s --check-prefix=SHIFT
// RUN: cmp %t/cpu/arg1.npy %t/emu/arg1.npy
// RUN: %python -c "import json; d = json.load(open('%t/scale.json')); print(d['ok'], d['races'], [(b['kernel'], b['task'], b['other_task'], b['count']) for b in d['benign_overlaps']])" | %FileCheck %s --check-prefix=JSON
// RUN: %pypto-run %s --target emu --check-races --entry same_value --arg %t/x.npy --arg %t/y.npy --arg 10 --out-dir %t/same 2>&1 | %FileCheck %s --check-prefix=SAME
// RUN: %not %pypto-run %s --target emu --check-races --entry different_value --arg %t/x.npy --arg %t/y.npy --arg 10 --out-dir %t/diff 2>&1 | %FileCheck %s --check-prefix=DIFF

// SHIFT-NOT:  error
// SHIFT:      run-emu-benign-overlap.mlir:[[# @LINE + 18]]:5: warning: benign overlap: write of memref<?xf32> in kernel scale_k0, task 2 stores the bits already there (a write in task 1 of the same launch group, at {{.*}}run-emu-benign-overlap.mlir:[[# @LINE + 18]]:5) (and 1 more at these sites)
// SHIFT-NEXT: note: the other write, in task 1
// SHIFT:      {{^}}faults: none; races: none (1 benign overlap: identical bits){{$}}
// JSON:       True [] [('scale_k0', 2, 1, 2)]
// SAME-NOT:   error
// SAME:       warning: benign overlap: write of memref<?xf32> in kernel same_value_k0
// SAME:       {{^}}faults: none; races: none (1 benign overlap: identical bits){{$}}
// DIFF:       error: data race: write of memref<?xf32> in kernel different_value_k0
// DIFF:       {{^}}faults: none; races: 1 pair of sites{{$}}

func.func @scale(%x: memref<?xf32> {llvm.noalias}, %y: memref<?xf32> {llvm.noalias},
                 %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %two = arith.constant 2.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf32>
    %w = arith.mulf %v, %two : f32
    memref.store %w, %y[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.chunk_policy = "shift_inwards", pl.parallel}
  return
}

func.func @same_value(%x: memref<?xf32>, %y: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %y[%c0] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}

func.func @different_value(%x: memref<?xf32>, %y: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf32>
    memref.store %v, %y[%c0] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}
