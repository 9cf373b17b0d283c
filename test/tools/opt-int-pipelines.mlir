// The integer rule for pypto-opt as a stage (docs/policies.md): `pypto-opt -p P | pypto-run`
// gives what the unoptimised program gives, as `pypto-run -p P` does
// (test/lowering/run-int-pipelines.mlir). An upstream pass in P could miscount a loop whose
// span may overflow once its bounds fold, so pypto-opt runs
// pl-normalize-int-loops{exit_values=false} before the first upstream pass of P, on an input
// that has such a loop.

// Bounds that fold later (issue 15, item 2): -(2^63-1) to 2^63-1 step 2^63-2 is 3 trips,
// written as arithmetic on constants; the pipelines of the issue.
// RUN: %pypto-opt %s -p 'builtin.module(canonicalize, pl-default)' | %pypto-run - --entry late_chunked | %FileCheck %s --check-prefix=THREE
// RUN: %pypto-opt %s -p 'builtin.module(canonicalize, pl-default)' | %pypto-run - --entry late_unchunked | %FileCheck %s --check-prefix=THREE
// RUN: %pypto-opt %s -p 'builtin.module(cse, canonicalize, pl-split-chunked-loops)' | %pypto-run - --entry late_chunked | %FileCheck %s --check-prefix=THREE
// RUN: %pypto-opt %s -p 'builtin.module(cse, canonicalize, pl-split-chunked-loops)' | %pypto-run - --entry late_unchunked | %FileCheck %s --check-prefix=THREE
// RUN: %pypto-opt %s -p 'builtin.module(inline, pl-default)' | %pypto-run - --entry through_callee | %FileCheck %s --check-prefix=THREE
// RUN: %pypto-opt %s --inline --sccp --canonicalize | %pypto-run - --entry through_callee | %FileCheck %s --check-prefix=THREE
// THREE:      result0 = 3
// THREE-NEXT: result1 = 9223372036854775805

// Where the pass goes: before the first upstream pass, after ours (the split sees the chunked
// loop as written), and not at all when a pl-normalize-int-loops runs first (pl-default's).
// RUN: %pypto-opt %s -p 'builtin.module(cse, canonicalize, pl-split-chunked-loops)' --dump-pass-pipeline 2>&1 >/dev/null | %FileCheck %s --check-prefix=FIRST
// FIRST:      Pass Manager with 4 passes:
// FIRST-NEXT: builtin.module(
// FIRST-NEXT:   pl-normalize-int-loops,
// FIRST-NEXT:   cse,
// RUN: %pypto-opt %s -p 'builtin.module(pl-split-chunked-loops, canonicalize)' --dump-pass-pipeline 2>&1 >/dev/null | %FileCheck %s --check-prefix=AFTER-OURS
// AFTER-OURS:      Pass Manager with 3 passes:
// AFTER-OURS-NEXT: builtin.module(
// AFTER-OURS-NEXT:   pl-split-chunked-loops,
// AFTER-OURS-NEXT:   pl-normalize-int-loops,
// AFTER-OURS-NEXT:   canonicalize
// RUN: %pypto-opt %s -p 'builtin.module(pl-default, canonicalize)' --dump-pass-pipeline 2>&1 >/dev/null | %FileCheck %s --check-prefix=OWN
// OWN:      Pass Manager with 7 passes:
// OWN-NEXT: builtin.module(
// OWN-NEXT:   pl-verify,
// OWN-NEXT:   pl-split-chunked-loops,
// OWN-NEXT:   pl-unswitch-guards,
// OWN-NEXT:   pl-normalize-int-loops,
// OWN-NEXT:   canonicalize{{[{].*[}]}},

// Without such a loop, P runs exactly as given (the output is mlir-opt's).
// RUN: %pypto-opt %S/Inputs/safe-int-loop.mlir -p 'builtin.module(cse, canonicalize)' --dump-pass-pipeline 2>&1 >/dev/null | %FileCheck %s --check-prefix=EXACT
// EXACT:      Pass Manager with 2 passes:
// EXACT-NEXT: builtin.module(
// EXACT-NEXT:   cse,
// RUN: %pypto-opt %S/Inputs/safe-int-loop.mlir --canonicalize > %t.ours
// RUN: %mlir-opt %S/Inputs/safe-int-loop.mlir --canonicalize > %t.upstream
// RUN: diff %t.ours %t.upstream

func.func @late_chunked() -> (index, index) {
  %c0 = arith.constant 0 : index
  %max = arith.constant 9223372036854775807 : index
  %one = arith.constant 1 : index
  %lb = arith.subi %c0, %max : index
  %s = arith.subi %max, %one : index
  %n:2 = scf.for %i = %lb to %max step %s iter_args(%a = %c0, %l = %c0) -> (index, index) {
    %b = arith.addi %a, %one : index
    scf.yield %b, %i : index, index
  } {pl.chunk = 2}
  return %n#0, %n#1 : index, index
}

func.func @late_unchunked() -> (index, index) {
  %c0 = arith.constant 0 : index
  %max = arith.constant 9223372036854775807 : index
  %one = arith.constant 1 : index
  %lb = arith.subi %c0, %max : index
  %s = arith.subi %max, %one : index
  %n:2 = scf.for %i = %lb to %max step %s iter_args(%a = %c0, %l = %c0) -> (index, index) {
    %b = arith.addi %a, %one : index
    scf.yield %b, %i : index, index
  }
  return %n#0, %n#1 : index, index
}

func.func private @count(%lb: index, %ub: index, %s: index) -> (index, index) {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1 : index
  %n:2 = scf.for %i = %lb to %ub step %s iter_args(%a = %c0, %l = %c0) -> (index, index) {
    %b = arith.addi %a, %one : index
    scf.yield %b, %i : index, index
  } {pl.chunk = 2}
  return %n#0, %n#1 : index, index
}

func.func @through_callee() -> (index, index) {
  %c0 = arith.constant 0 : index
  %max = arith.constant 9223372036854775807 : index
  %one = arith.constant 1 : index
  %lb = arith.subi %c0, %max : index
  %s = arith.subi %max, %one : index
  %n:2 = func.call @count(%lb, %max, %s) : (index, index, index) -> (index, index)
  return %n#0, %n#1 : index, index
}
