// Unchunked integer loops whose span ub - lb overflows their type run their true number of
// iterations through pypto-run's default pipeline (pl-default), although upstream canonicalize
// alone folds them to zero trips (test/passes/normalize-int-loops.mlir pins that).
// RUN: %pypto-run %s --entry i32_span | %FileCheck %s --check-prefix=I32
// RUN: %pypto-run %s --entry i64_span | %FileCheck %s --check-prefix=I64
// RUN: %pypto-run %s --entry index_span | %FileCheck %s --check-prefix=INDEX
// RUN: %pypto-run %s --entry i32_dynamic --arg -2000000000 --arg 1500000000 --arg 1200000000 | %FileCheck %s --check-prefix=I32
// RUN: %pypto-run %s --entry u32_span | %FileCheck %s --check-prefix=U32
// The CPU lowering itself counts trips exactly, with no pipeline before it: here `iv + step`
// passes INT32_MAX after the second trip, and the loop as written would wrap and go on.
// RUN: %pypto-run %s --entry i32_exit -p 'builtin.module(cse)' | %FileCheck %s --check-prefix=EXIT
// RUN: %pypto-run %s --entry i32_span -p 'builtin.module(cse)' | %FileCheck %s --check-prefix=I32
// A pipeline of the user's with upstream canonicalize: pypto-run normalizes the loops before it.
// RUN: %pypto-run %s --entry i32_span -p 'builtin.module(canonicalize)' | %FileCheck %s --check-prefix=I32
// RUN: %pypto-run %s --entry i32_dynamic --arg -2000000000 --arg 1500000000 --arg 1200000000 -p 'builtin.module(canonicalize, cse)' | %FileCheck %s --check-prefix=I32

// -2e9, -0.8e9, 0.4e9: 3 trips; the result also checks the last IV.
// I32:      result0 = 3
// I32-NEXT: result1 = 400000000
func.func @i32_span() -> (i32, i32) {
  %lb = arith.constant -2000000000 : i32
  %ub = arith.constant 1500000000 : i32
  %s = arith.constant 1200000000 : i32
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r:2 = scf.for %i = %lb to %ub step %s iter_args(%n = %c0, %last = %c0) -> (i32, i32) : i32 {
    %m = arith.addi %n, %c1 : i32
    scf.yield %m, %i : i32, i32
  }
  return %r#0, %r#1 : i32, i32
}

// The same loop with bounds known only at run time.

func.func @i32_dynamic(%lb: i32, %ub: i32, %s: i32) -> (i32, i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r:2 = scf.for %i = %lb to %ub step %s iter_args(%n = %c0, %last = %c0) -> (i32, i32) : i32 {
    %m = arith.addi %n, %c1 : i32
    scf.yield %m, %i : i32, i32
  }
  return %r#0, %r#1 : i32, i32
}

// -8e18, -3e18, 2e18: 3 trips.
// I64:      result0 = 3
// I64-NEXT: result1 = 2000000000000000000
func.func @i64_span() -> (i64, i64) {
  %lb = arith.constant -8000000000000000000 : i64
  %ub = arith.constant 6000000000000000000 : i64
  %s = arith.constant 5000000000000000000 : i64
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %r:2 = scf.for %i = %lb to %ub step %s iter_args(%n = %c0, %last = %c0) -> (i64, i64) : i64 {
    %m = arith.addi %n, %c1 : i64
    scf.yield %m, %i : i64, i64
  }
  return %r#0, %r#1 : i64, i64
}

// INDEX:      result0 = 3
// INDEX-NEXT: result1 = 2000000000000000000
func.func @index_span() -> (index, index) {
  %lb = arith.constant -8000000000000000000 : index
  %ub = arith.constant 6000000000000000000 : index
  %s = arith.constant 5000000000000000000 : index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r:2 = scf.for %i = %lb to %ub step %s iter_args(%n = %c0, %last = %c0) -> (index, index) {
    %m = arith.addi %n, %c1 : index
    scf.yield %m, %i : index, index
  }
  return %r#0, %r#1 : index, index
}

// Unsigned: 5 and 2^31 + 5 lie below 2^32 - 1; 2 trips.
// U32:      result0 = 2
// U32-NEXT: result1 = -2147483643
func.func @u32_span() -> (i32, i32) {
  %lb = arith.constant 5 : i32
  %ub = arith.constant -1 : i32
  %s = arith.constant -2147483648 : i32
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r:2 = scf.for unsigned %i = %lb to %ub step %s iter_args(%n = %c0, %last = %c0) -> (i32, i32) : i32 {
    %m = arith.addi %n, %c1 : i32
    scf.yield %m, %i : i32, i32
  }
  return %r#0, %r#1 : i32, i32
}

// EXIT:      result0 = 2
// EXIT-NEXT: result1 = 1073741825
func.func @i32_exit() -> (i32, i32) {
  %lb = arith.constant 0 : i32
  %ub = arith.constant 2147483647 : i32
  %s = arith.constant 1073741825 : i32
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r:2 = scf.for %i = %lb to %ub step %s iter_args(%n = %c0, %last = %c0) -> (i32, i32) : i32 {
    %m = arith.addi %n, %c1 : i32
    scf.yield %m, %i : i32, i32
  }
  return %r#0, %r#1 : i32, i32
}
