// Nested pl.at scopes (PyPTO's `with pl.at(level=CORE_GROUP)` inside another): the outermost
// scope is the task; a scope nested in it always runs, inline in that task (a kernel launches no
// kernel). The emulator says so with a warning at each nested scope, and nothing else: the run
// succeeds, the results are those of the CPU target; pl-verify and the lint are silent.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/a.npy', np.arange(64, dtype=np.float32))"
// RUN: %pypto-run %s --entry f --arg %t/a.npy --target emu > %t/emu.out 2> %t/emu.err
// RUN: %FileCheck %s < %t/emu.err
// RUN: %pypto-run %s --entry f --arg %t/a.npy > %t/cpu.out
// RUN: diff %t/cpu.out %t/emu.out
// RUN: %pypto-opt %s -p 'builtin.module(pl-verify, pl-check-chunk-bounds)' -o /dev/null 2>&1 | %FileCheck %s --allow-empty --check-prefix=QUIET
// (Through the Python API the warning has a note at the enclosing scope:
// test_emu_instrument.py::test_nested_scopes_run_inline_with_a_warning.)

// One warning, at the nested scope; four tasks of @outer (one per outer iteration), not 16.
// CHECK:      run-emu-nested-scopes.mlir:[[# @LINE + 16]]:9: warning: this pl.at scope is nested in the work of kernel @outer: it runs inline in each task of @outer, not as a task of its own{{$}}
// CHECK-NOT:  warning
// CHECK:      {{^}}outer 4 0
// CHECK:      {{^}}faults: none
// QUIET-NOT:  {{.}}

func.func @f(%a: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %two = arith.constant 2.0 : f32
  scf.for %o = %c0 to %c64 step %c16 {
    scf.execute_region no_inline {
      scf.for %h = %c0 to %c16 step %c4 {
        scf.execute_region no_inline {
          %b = arith.addi %o, %h : index
          scf.for %i = %c0 to %c4 step %c1 {
            %k = arith.addi %b, %i : index
            %v = memref.load %a[%k] : memref<64xf32>
            %w = arith.mulf %v, %two : f32
            memref.store %w, %a[%k] : memref<64xf32>
          }
          scf.yield
        } {pl.at = "core_group", pl.name_hint = "inner"}
      }
      scf.yield
    } {pl.at = "core_group", pl.name_hint = "outer"}
  } {pl.parallel}
  return
}
