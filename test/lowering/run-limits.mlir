// An i32 chunked loop whose span ub - lb overflows i32 runs 3 times through pypto-run's
// default pipeline (the split rewrites it before canonicalize sees it), in both policies.
// RUN: %pypto-run %s --entry span | %FileCheck %s
// RUN: %pypto-run %s --entry span -p 'builtin.module(pl-split-chunked-loops{policy=leading_full}, canonicalize, cse)' | %FileCheck %s
// RUN: %pypto-run %s --entry near_max --arg=2147483628 --arg 2147483639 | %FileCheck %s --check-prefix=MAX
// RUN: %pypto-run %s --entry near_max -p 'builtin.module(pl-split-chunked-loops{policy=leading_full})' --arg 2147483628 --arg 2147483639 | %FileCheck %s --check-prefix=MAX
// RUN: %pypto-run %s --entry near_max --arg 5 --arg -7 | %FileCheck %s --check-prefix=EMPTY

// CHECK: result0 = 3
// CHECK-NEXT: result1 = 400000000
// MAX: result0 = 4
// MAX-NEXT: result1 = 2147483637
// EMPTY: result0 = 0
// EMPTY-NEXT: result1 = -1

func.func @span() -> (index, i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m1 = arith.constant -1 : i32
  %lb = arith.constant -2000000000 : i32
  %ub = arith.constant 1500000000 : i32
  %st = arith.constant 1200000000 : i32
  %r:2 = scf.for %i = %lb to %ub step %st iter_args(%n = %c0, %last = %m1) -> (index, i32) : i32 {
    %n1 = arith.addi %n, %c1 : index
    scf.yield %n1, %i : index, i32
  } {pl.chunk = 2 : i64}
  return %r#0, %r#1 : index, i32
}

func.func @near_max(%lb: i32, %ub: i32) -> (index, i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m1 = arith.constant -1 : i32
  %st = arith.constant 3 : i32
  %r:2 = scf.for %i = %lb to %ub step %st iter_args(%n = %c0, %last = %m1) -> (index, i32) : i32 {
    %n1 = arith.addi %n, %c1 : index
    scf.yield %n1, %i : index, i32
  } {pl.chunk = 8 : i64}
  return %r#0, %r#1 : index, i32
}
