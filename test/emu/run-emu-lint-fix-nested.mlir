// The gemm of pypto-lib PR #372 (examples/explicit_chunks.mlir, @gemm_chunks): its chunk loops
// over mb and nb are nested in the other outer loop and a pl.at scope. On 12 x 12 (8 divides
// neither) the emulator reports out-of-bounds accesses; the lint flags both chunk loops;
// pl-check-chunk-bounds{fix=true} clamps both and the same run is clean and computes a @ b.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; r = np.random.default_rng(0); np.save('%t/a.npy', r.standard_normal((12, 3)).astype(np.float32)); np.save('%t/b.npy', r.standard_normal((3, 12)).astype(np.float32)); np.save('%t/c.npy', np.zeros((12, 12), np.float32))"
// RUN: %not %pypto-run %S/../../examples/explicit_chunks.mlir --entry gemm_chunks --target emu --arg %t/a.npy --arg %t/b.npy --arg %t/c.npy --arg 12 --arg 12 --arg 3 --out-dir %t/before 2>&1 | %FileCheck %s --check-prefix=BEFORE
// RUN: %pypto-opt %S/../../examples/explicit_chunks.mlir -p 'builtin.module(pl-check-chunk-bounds)' -o /dev/null 2>&1 | %FileCheck %s --check-prefix=LINT
// RUN: %pypto-run %S/../../examples/explicit_chunks.mlir --entry gemm_chunks --target emu -p 'builtin.module(pl-check-chunk-bounds{fix=true}, pl-default)' --arg %t/a.npy --arg %t/b.npy --arg %t/c.npy --arg 12 --arg 12 --arg 3 --out-dir %t/after 2>&1 | %FileCheck %s --check-prefix=AFTER
// RUN: %python -c "import numpy as np; a, b, c = (np.load('%t/' + f) for f in ('a.npy', 'b.npy', 'after/arg2.npy')); print(np.allclose(c, a @ b, rtol=1e-5, atol=1e-5))" | %FileCheck %s --check-prefix=PRODUCT

// BEFORE: error: out-of-bounds
// BEFORE: faults: {{[1-9][0-9]*}} at
// LINT: explicit_chunks.mlir:65:9: warning: this chunk loop runs [%o, %o + S) without a clamp {{.*}} without knowing %arg3 of @gemm_chunks
// LINT: explicit_chunks.mlir:60:3: note: the last chunk runs past %ub
// LINT: explicit_chunks.mlir:68:11: warning: this chunk loop runs [%o, %o + S) without a clamp {{.*}} without knowing %arg4 of @gemm_chunks
// LINT: explicit_chunks.mlir:61:5: note: the last chunk runs past %ub
// AFTER-COUNT-2: remark: clamped the upper bound of this chunk loop
// AFTER-NOT: error
// AFTER: faults: none
// PRODUCT: True
