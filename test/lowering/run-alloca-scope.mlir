// memref.alloca_scope whose body holds loops (lowering/alloca_scopes.py): it lowers on both
// targets whether or not canonicalize ran before (without canonicalize, every such scope used to
// fail with "'memref.alloca_scope' op expects region #0 to have 0 or 1 blocks"), and computes
// what the program says.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/a.npy', np.arange(10, dtype=np.float32))"
// RUN: %pypto-run %s --entry twice -p 'builtin.module(cse)' --arg %t/a.npy | %FileCheck %s --check-prefix=TWICE
// RUN: %pypto-run %s --entry twice -p 'builtin.module(pl-split-chunked-loops)' --arg %t/a.npy | %FileCheck %s --check-prefix=TWICE
// RUN: %pypto-run %s --entry twice -p 'builtin.module(pl-split-chunked-loops)' --arg %t/a.npy --target emu > %t/out 2> %t/report
// RUN: %FileCheck %s --check-prefix=TWICE < %t/out && %FileCheck %s --check-prefix=EMU < %t/report
// RUN: %pypto-run %s --entry twice --arg %t/a.npy --target emu > %t/out 2> %t/report
// RUN: %FileCheck %s --check-prefix=TWICE < %t/out && %FileCheck %s --check-prefix=EMU < %t/report
// RUN: %pypto-run %s --entry many -p 'builtin.module(cse)' --arg 100000 | %FileCheck %s --check-prefix=MANY
// RUN: %pypto-run %s --entry nested -p 'builtin.module(cse)' --arg 20000 | %FileCheck %s --check-prefix=NESTED
// RUN: %pypto-run %s --entry nested -p 'builtin.module(pl-split-chunked-loops, cse)' --arg 300 --target emu 2>/dev/null | %FileCheck %s --check-prefix=NESTED-EMU
// RUN: %pypto-run %s --entry many -p 'builtin.module(cse)' --arg 100000 --opt-level 0 | %FileCheck %s --check-prefix=MANY
// RUN: %pypto-run %s --entry many -p 'builtin.module(pl-split-chunked-loops, cse)' --arg 1000 --target emu 2>&1 | %FileCheck %s --check-prefix=MANY-EMU

// Each chunk doubles its elements through a tile that lives in the scope; the scope also yields
// the sum of the chunk (a result), which the loop accumulates.
// TWICE:      result0 = 90.
// TWICE-NEXT: arg0 = [ 0.,  2.,  4.,  6.,  8., 10., 12., 14., 16., 18.]
// One task (the loop is not pl.parallel), two masked iterations (10 = 4 + 4 + 2).
// EMU:        twice_k0 1 2 
// EMU:        faults: none
func.func @twice(%a: memref<10xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %z = arith.constant 0.0 : f32
  %s = scf.for %i = %c0 to %c10 step %c1 iter_args(%acc = %z) -> f32 {
    %part = memref.alloca_scope -> (f32) {
      %t = memref.alloca() : memref<1xf32>
      %v = memref.load %a[%i] : memref<10xf32>
      %w = arith.addf %v, %v : f32
      scf.for %k = %c0 to %c1 step %c1 {
        memref.store %w, %t[%k] : memref<1xf32>
      }
      %x = memref.load %t[%c0] : memref<1xf32>
      memref.store %x, %a[%i] : memref<10xf32>
      memref.alloca_scope.return %x : f32
    }
    %next = arith.addf %acc, %part : f32
    scf.yield %next : f32
  } {pl.chunk = 4 : i64}
  return %s : f32
}

// The scope frees its 64 KiB buffer at each iteration: 100000 iterations without the restore
// would take 6.5 GB of stack.
// MANY: result0 = 100000
// MANY-EMU: result0 = 1000
// MANY-EMU: faults: none
func.func @many(%n: index) -> index {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16k = arith.constant 16384 : index
  %one = arith.constant 1 : i32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %c0) -> index {
    %got = memref.alloca_scope -> (index) {
      %t = memref.alloca() : memref<16384xi32>
      scf.for %k = %c0 to %c16k step %c1 {
        memref.store %one, %t[%k] : memref<16384xi32>
      }
      %last = memref.load %t[%c0] : memref<16384xi32>
      %l = arith.index_cast %last : i32 to index
      memref.alloca_scope.return %l : index
    }
    %next = arith.addi %acc, %got : index
    scf.yield %next : index
  }
  return %r : index
}

// Scopes in scopes, each with loops and a buffer, inner results flowing out through the outer
// one (the inner scope is rewritten first); 20000 iterations of 64 KiB per scope would take 1.3 GB
// of stack (pypto-run runs on a 1 GB stack) for each restore missing.
// NESTED: result0 = 40000
// NESTED-EMU: result0 = 600
func.func @nested(%n: index) -> index {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16k = arith.constant 16384 : index
  %one = arith.constant 1 : i32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %c0) -> index {
    %outer = memref.alloca_scope -> (index) {
      %t = memref.alloca() : memref<16384xi32>
      scf.for %k = %c0 to %c16k step %c1 {
        memref.store %one, %t[%k] : memref<16384xi32>
      }
      %inner = memref.alloca_scope -> (index) {
        %u = memref.alloca() : memref<16384xi32>
        scf.for %k = %c0 to %c16k step %c1 {
          %v = memref.load %t[%k] : memref<16384xi32>
          memref.store %v, %u[%k] : memref<16384xi32>
        }
        %x = memref.load %u[%c0] : memref<16384xi32>
        %xi = arith.index_cast %x : i32 to index
        memref.alloca_scope.return %xi : index
      }
      %y = memref.load %t[%c1] : memref<16384xi32>
      %yi = arith.index_cast %y : i32 to index
      %both = arith.addi %inner, %yi : index
      memref.alloca_scope.return %both : index
    }
    %next = arith.addi %acc, %outer : index
    scf.yield %next : index
  }
  return %r : index
}
