// Pipeline parsing: our passes and upstream ones in one anchored pipeline, pass options, the
// per-pass flag forms (in order), single-dash long flags, and -p as --pass-pipeline.
//
// A full pipeline, mixing ours and upstream, with an option of ours:
// RUN: %pypto-opt %s -split-input-file --pass-pipeline='builtin.module(pl-split-chunked-loops{policy=leading_full}, canonicalize, func.func(cse))' | %FileCheck %s --check-prefix=FULL
// -p means --pass-pipeline; per-pass flags (both option spellings) build the same pipeline:
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops{policy=leading_full}, canonicalize, func.func(cse))' | %FileCheck %s --check-prefix=FULL
// RUN: %pypto-opt %s -split-input-file --pl-split-chunked-loops=policy=leading_full --canonicalize --cse | %FileCheck %s --check-prefix=FULL
// RUN: %pypto-opt %s -split-input-file -pl-split-chunked-loops='policy=leading_full' -canonicalize -cse | %FileCheck %s --check-prefix=FULL
// The default policy, and a named pipeline of ours with an option:
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops, canonicalize)' | %FileCheck %s --check-prefix=GUARDED
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-default)' | %FileCheck %s --check-prefix=GUARDED
// RUN: %pypto-opt %s -split-input-file --pl-default=policy=leading_full | %FileCheck %s --check-prefix=FULL
// Per-pass flags run in the order given (seen in the IR dump headers):
// RUN: %pypto-opt %s -split-input-file --pl-verify --canonicalize --mlir-print-ir-before-all 2>&1 >/dev/null | %FileCheck %s --check-prefix=ORDER1
// RUN: %pypto-opt %s -split-input-file --canonicalize --pl-verify --mlir-print-ir-before-all 2>&1 >/dev/null | %FileCheck %s --check-prefix=ORDER2
// An upstream option and a nested upstream pipeline, as in mlir-opt:
// RUN: %pypto-opt %s -split-input-file --canonicalize='max-iterations=3 region-simplify=disabled' 2>&1 | %FileCheck %s --check-prefix=UNCHANGED
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(func.func(canonicalize{max-iterations=3}, cse), pl-verify)' | %FileCheck %s --check-prefix=UNCHANGED

// FULL-LABEL: func.func @ten
// FULL: scf.for
// FULL:   scf.for
// FULL:   } {pl.loop_origin = "chunk_inner"}
// FULL: } {pl.loop_origin = "chunk_outer"}
// FULL: scf.for
// FULL: } {pl.loop_origin = "chunk_remainder"}
// FULL-NOT: pl.chunk

// GUARDED-LABEL: func.func @ten
// GUARDED: scf.for
// GUARDED:   scf.for
// GUARDED:     scf.if
// GUARDED:   } {pl.guarded, pl.loop_origin = "chunk_inner"{{(, pl.unswitched)?}}}
// GUARDED: } {pl.loop_origin = "chunk_outer"}
// GUARDED-NOT: chunk_remainder

// ORDER1: IR Dump Before Verify (pl-verify)
// ORDER1-NEXT: module
// ORDER1: IR Dump Before Canonicalizer (canonicalize)
// ORDER2: IR Dump Before Canonicalizer (canonicalize)
// ORDER2: IR Dump Before Verify (pl-verify)

// UNCHANGED-LABEL: func.func @ten
// UNCHANGED: } {pl.chunk = 4 : i64}
// UNCHANGED-LABEL: func.func @plain
func.func @ten(%a: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c10 = arith.constant 10 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c10 step %c1 {
    memref.store %one, %a[%i] : memref<?xf32>
  } {pl.chunk = 4}
  return
}

// -----

// FULL-LABEL: func.func @plain
// GUARDED-LABEL: func.func @plain
func.func @plain(%x: index) -> index {
  return %x : index
}
