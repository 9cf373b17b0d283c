// The refinements of IR printing, as mlir-opt prints them (diffed on an upstream pipeline):
// --mlir-print-ir-after-change, --mlir-print-ir-after-failure, --mlir-print-ir-module-scope,
// --mlir-print-ir-tree-dir; and our passes under the same flags.
// RUN: %pypto-opt %s -p 'builtin.module(func.func(cse, canonicalize))' --mlir-print-ir-after-all --mlir-print-ir-after-change 2>%t.ours >/dev/null
// RUN: %mlir-opt %s -p 'builtin.module(func.func(cse, canonicalize))' --mlir-print-ir-after-all --mlir-print-ir-after-change 2>%t.upstream >/dev/null
// RUN: diff %t.ours %t.upstream
// RUN: %pypto-opt %s -p 'builtin.module(func.func(cse, canonicalize))' --mlir-print-ir-after-all --mlir-print-ir-module-scope --mlir-disable-threading 2>%t.ours >/dev/null
// RUN: %mlir-opt %s -p 'builtin.module(func.func(cse, canonicalize))' --mlir-print-ir-after-all --mlir-print-ir-module-scope --mlir-disable-threading 2>%t.upstream >/dev/null
// RUN: diff %t.ours %t.upstream
// Module scope needs one thread: MLIR would abort the process, mlir-opt and we say so.
// RUN: %not %pypto-opt %s --cse --mlir-print-ir-after-all --mlir-print-ir-module-scope 2>&1 | %FileCheck %s --check-prefix=THREADS
// THREADS: pypto-opt: error: IR print for module scope can't be setup on a pass-manager without disabling multi-threading first
// RUN: rm -rf %t.dir.ours %t.dir.upstream
// RUN: %pypto-opt %s -p 'builtin.module(cse, canonicalize)' --mlir-print-ir-after-all --mlir-print-ir-tree-dir=%t.dir.ours >/dev/null
// RUN: %mlir-opt %s -p 'builtin.module(cse, canonicalize)' --mlir-print-ir-after-all --mlir-print-ir-tree-dir=%t.dir.upstream >/dev/null
// RUN: diff -r %t.dir.ours %t.dir.upstream
// RUN: find %t.dir.ours -type f | sort | %FileCheck %s --check-prefix=TREE
// TREE: builtin_module_no-symbol-name/0_cse.mlir
// TREE: builtin_module_no-symbol-name/1_canonicalize.mlir
//
// After-change alone prints nothing, as in mlir-opt:
// RUN: %pypto-opt %s --pl-split-chunked-loops --canonicalize --mlir-print-ir-after-change 2>%t.err >/dev/null
// RUN: test ! -s %t.err
// RUN: %mlir-opt %s --canonicalize --mlir-print-ir-after-change 2>%t.err >/dev/null
// RUN: test ! -s %t.err
// After-change, with our passes: pl-verify changes nothing and is not printed.
// RUN: %pypto-opt %s --pl-verify --pl-split-chunked-loops --mlir-print-ir-after-all --mlir-print-ir-after-change 2>&1 >/dev/null | %FileCheck %s --check-prefix=CHANGE
// CHANGE-NOT: IR Dump After Verify
// CHANGE: // -----// IR Dump After SplitChunkedLoops (pl-split-chunked-loops) //----- //
// CHANGE-NOT: IR Dump
//
// After-failure on an upstream pass that fails (canonicalize asked to converge in one
// iteration), diffed with mlir-opt, which fails without a word (we add one error line):
// RUN: %not %pypto-opt %s -p 'builtin.module(func.func(canonicalize{max-iterations=1 test-convergence=true}))' --mlir-print-ir-after-failure 2>%t.ours >/dev/null
// RUN: %not %mlir-opt %s -p 'builtin.module(func.func(canonicalize{max-iterations=1 test-convergence=true}))' --mlir-print-ir-after-failure 2>%t.upstream >/dev/null
// RUN: grep -v 'error: pass pipeline failed' %t.ours | diff - %t.upstream
// RUN: %FileCheck %s --check-prefix=UPSTREAM-FAILURE < %t.ours
// UPSTREAM-FAILURE: // -----// IR Dump After Canonicalizer Failed (canonicalize) //----- //
// UPSTREAM-FAILURE: error: pass pipeline failed
//
// After-failure alone prints only the failing pass's IR: here pl-split-chunked-loops refuses
// the loop as a shift_inwards loop (it is not idempotent).
// RUN: sed -e 's/"guarded"/"shift_inwards"/' %s | %not %pypto-opt - --canonicalize --pl-split-chunked-loops --mlir-print-ir-after-failure 2>&1 >/dev/null | %FileCheck %s --check-prefix=FAILURE
// FAILURE-NOT: IR Dump After Canonicalizer
// FAILURE: error: shift_inwards is not legal
// FAILURE: // -----// IR Dump After SplitChunkedLoops Failed (pl-split-chunked-loops) //----- //
// FAILURE-NOT: IR Dump

func.func @f(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  %x = arith.addf %one, %one : f32
  %y = arith.addf %one, %one : f32
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %a[%i] : memref<?xf32>
    %w = arith.addf %v, %x : f32
    memref.store %w, %a[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.chunk_policy = "guarded"}
  return
}
