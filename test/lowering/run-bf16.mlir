// bf16 across pypto-run's boundary: a bf16 memref parameter takes a .npy of uint16, the raw bits
// of each bfloat16 (a plain .npy cannot carry ml_dtypes' bfloat16: numpy writes it as 'V2',
// which is accepted as the same bits); --out-dir writes bf16 arrays and results as uint16 raw
// bits; the printout shows the exact values. A bf16 scalar is a float literal rounded to the
// nearest bf16. Both targets compute the same bits, which are those of ml_dtypes' arithmetic.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np, ml_dtypes as m; bf = m.bfloat16; np.save('%t/x.npy', (np.arange(6) * 0.37).astype(bf).view(np.uint16)); np.save('%t/y.npy', (np.arange(6) * 1.1).astype(bf)); np.save('%t/f.npy', np.zeros(6, np.float32))"
// RUN: %pypto-run %s --entry axpy --arg %t/x.npy --arg %t/y.npy --arg 0.3 --arg 6 | %FileCheck %s
// RUN: %pypto-run %s --entry axpy --arg %t/x.npy --arg %t/y.npy --arg 0.3 --arg 6 --target emu 2>/dev/null | %FileCheck %s
// RUN: %pypto-run %s --entry axpy --arg %t/x.npy --arg %t/y.npy --arg 0.3 --arg 6 --out-dir %t/cpu
// RUN: %pypto-run %s --entry axpy --arg %t/x.npy --arg %t/y.npy --arg 0.3 --arg 6 --out-dir %t/emu --target emu 2>/dev/null
// RUN: %python -c "import numpy as np, ml_dtypes as m; bf = m.bfloat16; f = np.float32; x = (np.arange(6) * 0.37).astype(bf); y = (np.arange(6) * 1.1).astype(bf); want = ((bf(0.3).astype(f) * x.astype(f)).astype(bf).astype(f) + y.astype(f)).astype(bf); got = [np.load('%t/' + d + '/arg1.npy') for d in ('cpu', 'emu')]; r = [np.load('%t/' + d + '/result0.npy') for d in ('cpu', 'emu')]; print([g.dtype.name for g in got + r], all((g == want.view(np.uint16)).all() for g in got), r[0] == r[1])" | %FileCheck %s --check-prefix=FILES
// RUN: %not %pypto-run %s --entry axpy --arg %t/x.npy --arg %t/f.npy --arg 0.3 --arg 6 2>&1 | %FileCheck %s --check-prefix=WRONG

// CHECK:      result0 = 18.25
// CHECK-NEXT: arg0 = [0.        , 0.36914062, 0.73828125, 1.109375  , 1.4765625 , 1.8515625 ]
// CHECK-NEXT: arg1 = [0.       , 1.2109375, 2.421875 , 3.625    , 4.84375  , 6.0625   ]
// FILES: ['uint16', 'uint16', 'uint16', 'uint16'] True True
// WRONG: pypto-run: error: argument 1 of @axpy (memref<?xbf16>): a bf16 memref takes a .npy of uint16 (the raw bits of each bfloat16), got dtype float32

func.func @axpy(%x: memref<?xbf16>, %y: memref<?xbf16>, %a: bf16, %n: index) -> bf16 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : bf16
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> bf16 {
    %xv = memref.load %x[%i] : memref<?xbf16>
    %yv = memref.load %y[%i] : memref<?xbf16>
    %m = arith.mulf %a, %xv : bf16
    %r = arith.addf %m, %yv : bf16
    memref.store %r, %y[%i] : memref<?xbf16>
    %t = arith.addf %acc, %r : bf16
    scf.yield %t : bf16
  } {pl.chunk = 4 : i64, pl.parallel}
  return %s : bf16
}
