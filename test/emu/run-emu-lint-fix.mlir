// End to end, the lint and the emulator agree: the hand-written chunk loop of
// examples/explicit_chunks.mlir runs past its bound on 40 rows (16 does not divide 40), the
// emulator reports the out-of-bounds accesses with their locations and exits 1;
// pl-check-chunk-bounds{fix=true} clamps the loop and the same run is clean.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.ones((40, 64), np.float32)); np.save('%t/out.npy', np.zeros(40, np.float32))"
// RUN: %not %pypto-run %S/../../examples/explicit_chunks.mlir --entry row_sums --target emu --arg %t/x.npy --arg %t/out.npy --arg 40 --out-dir %t/before 2>&1 | %FileCheck %s --check-prefix=BEFORE
// RUN: %pypto-opt %S/../../examples/explicit_chunks.mlir -p 'builtin.module(pl-check-chunk-bounds)' -o /dev/null 2>&1 | %FileCheck %s --check-prefix=LINT
// RUN: %pypto-run %S/../../examples/explicit_chunks.mlir --entry row_sums --target emu -p 'builtin.module(pl-check-chunk-bounds{fix=true}, pl-default)' --arg %t/x.npy --arg %t/out.npy --arg 40 --out-dir %t/after 2>&1 | %FileCheck %s --check-prefix=AFTER
// RUN: %python -c "import numpy as np; print(np.load('%t/after/arg1.npy').tolist() == [64.0] * 40)" | %FileCheck %s --check-prefix=SUMS

// The lint points at the loop the emulator catches running past the bound (line 15 of the
// example holds the inner chunk loop; lines 17 and 21 its load and store).
// LINT: explicit_chunks.mlir:15:5: warning: this chunk loop runs [%o, %o + S) without a clamp
// LINT: explicit_chunks.mlir:13:3: note: the last chunk runs past %ub
// BEFORE-DAG: explicit_chunks.mlir:17:14: error: out-of-bounds load of memref<?x64xf32> at [40, 0] (shape [40, 64]) in kernel row_sums_k0, task 2
// BEFORE-DAG: explicit_chunks.mlir:21:7: error: out-of-bounds store of memref<?xf32> at [40] (shape [40]) in kernel row_sums_k0, task 2
// BEFORE: faults: 520 at 2 sites
// AFTER: remark: clamped the upper bound of this chunk loop
// AFTER-NOT: error
// AFTER: faults: none
// SUMS: True
