// The GEMM of examples/gemm.mlir (both 8-tile loops chunked by 3) on the emulator, kernels and
// tasks pinned:
// - pl-default, guarded: one kernel per row chunk (3 tasks), its column chunks inside it;
// - no pipeline given: emu's default, pl-accelerator, interchanges (the 9 tasks below);
// - leading_full: a main and a remainder kernel (2 tasks + 1);
// - pl-interchange-chunk-loops before pl-default: one kernel of 3 x 3 tile blocks, 9 tasks in
//   one launch group, 9 * 9 - 64 = 17 tile iterations masked by the combined guard.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; r = np.random.default_rng(0); [np.save('%t/' + n + '.npy', r.standard_normal((256, 256)).astype(np.float32)) for n in 'abc']"
// RUN: %pypto-run %S/../../examples/gemm.mlir --entry gemm --target emu -p 'builtin.module(pl-default)' --arg %t/a.npy --arg %t/b.npy --arg %t/c.npy --out-dir %t/guarded 2>&1 | %FileCheck %s --check-prefix=GUARDED
// RUN: %pypto-run %S/../../examples/gemm.mlir --entry gemm --target emu --arg %t/a.npy --arg %t/b.npy --arg %t/c.npy --out-dir %t/accel 2>&1 | %FileCheck %s --check-prefix=SWAPPED
// RUN: %pypto-run %S/../../examples/gemm.mlir --entry gemm --target emu -p 'builtin.module(pl-default{policy=leading_full})' --arg %t/a.npy --arg %t/b.npy --arg %t/c.npy --out-dir %t/lf 2>&1 | %FileCheck %s --check-prefix=LF
// RUN: %pypto-run %S/../../examples/gemm.mlir --entry gemm --target emu -p 'builtin.module(pl-split-chunked-loops, pl-interchange-chunk-loops, pl-default)' --arg %t/a.npy --arg %t/b.npy --arg %t/c.npy --out-dir %t/swapped --report-json %t/swapped.json 2>&1 | %FileCheck %s --check-prefix=SWAPPED
// RUN: %python -c "import json; r = json.load(open('%t/swapped.json')); print([(k['name'], k['tasks']) for k in r['kernels']], r['tasks'])" | %FileCheck %s --check-prefix=JSON
// Three nested parallel chunked loops (chunks 2, 4, 3 over 5 x 7 x 8), interchanged: one kernel
// of ceil(5/2) * ceil(7/4) * ceil(8/3) = 18 blocks in one launch group, 18 * 24 - 280 = 152
// iterations masked by the combined guard, no fault, no race, the same result as the nest as
// written.
// RUN: %python -c "import numpy as np; np.save('%t/m3.npy', np.arange(280, dtype=np.float32).reshape(5, 7, 8))"
// RUN: %pypto-run %S/Inputs/three-levels.mlir --entry three --target emu --check-races -p 'builtin.module(pl-split-chunked-loops, pl-interchange-chunk-loops, pl-default)' --arg %t/m3.npy --arg 5 --arg 7 --arg 8 --out-dir %t/three 2>&1 | %FileCheck %s --check-prefix=THREE
// RUN: %python -c "import numpy as np; print((np.load('%t/three/arg0.npy') == 2 * np.arange(280, dtype=np.float32).reshape(5, 7, 8)).all())" | %FileCheck %s --check-prefix=SAME
// All four compute the same C, bit for bit.
// RUN: %python -c "import numpy as np; a, b, c, d = (np.load('%t/' + d + '/arg2.npy') for d in ('guarded', 'lf', 'swapped', 'accel')); print(a.tobytes() == b.tobytes() == c.tobytes() == d.tobytes())" | %FileCheck %s --check-prefix=SAME

// GUARDED: gemm_k0 3 {{[0-9]+}} {{[0-9]+}}
// GUARDED-NOT: gemm_k0_rem
// GUARDED: faults: none
// LF: gemm_k0 2 0 {{[0-9]+}}
// LF: gemm_k0_rem 1 0 {{[0-9]+}}
// LF: faults: none
// SWAPPED: gemm_k0 9 17 {{[0-9]+}}
// SWAPPED: launch groups: 1
// SWAPPED: faults: none
// JSON: [('gemm_k0', 9)] 9
// THREE: three_k0 18 152 {{[0-9]+}}
// THREE: launch groups: 1
// THREE: faults: none; races: none
// SAME: True
