// The integer rule (docs/policies.md): whatever pipeline of our passes and upstream canonicalize,
// cse, sccp, inline, loop-invariant-code-motion and scf-for-loop-canonicalization pypto-run is
// given, a loop runs as the unoptimised program runs it. These are the pipelines of issue 15.

// An i64 loop from extended i32 bounds with step INT64_MAX: from 1 to 100 it runs once (the
// lowered `iv + step` wraps unless pl-normalize-int-loops rewrites the loop).
// RUN: %pypto-run %s --entry huge_step --arg 1 --arg 100 | %FileCheck %s --check-prefix=ONCE
// RUN: %pypto-run %s --entry huge_step --arg 1 --arg 100 -p 'builtin.module(cse)' | %FileCheck %s --check-prefix=ONCE
// RUN: %pypto-run %s --entry huge_step --arg 1 --arg 100 -p 'builtin.module(canonicalize, pl-default)' | %FileCheck %s --check-prefix=ONCE
// ONCE:      result0 = 1
// ONCE-NEXT: result1 = 1

// Bounds that fold later: -(2^63-1) to 2^63-1 step 2^63-2 is 3 trips, written as arithmetic on
// constants, chunked and not, directly and through a private callee.
// RUN: %pypto-run %s --entry late_chunked | %FileCheck %s --check-prefix=THREE
// RUN: %pypto-run %s --entry late_chunked -p 'builtin.module(canonicalize, pl-default)' | %FileCheck %s --check-prefix=THREE
// RUN: %pypto-run %s --entry late_chunked -p 'builtin.module(cse, canonicalize, pl-split-chunked-loops)' | %FileCheck %s --check-prefix=THREE
// RUN: %pypto-run %s --entry late_unchunked | %FileCheck %s --check-prefix=THREE
// RUN: %pypto-run %s --entry late_unchunked -p 'builtin.module(canonicalize, pl-default)' | %FileCheck %s --check-prefix=THREE
// RUN: %pypto-run %s --entry late_unchunked -p 'builtin.module(sccp, loop-invariant-code-motion, scf-for-loop-canonicalization, canonicalize)' | %FileCheck %s --check-prefix=THREE
// RUN: %pypto-run %s --entry through_callee -p 'builtin.module(inline, pl-default)' | %FileCheck %s --check-prefix=THREE
// RUN: %pypto-run %s --entry through_callee -p 'builtin.module(inline, canonicalize, cse)' | %FileCheck %s --check-prefix=THREE
// RUN: %pypto-run %s --entry through_callee -p 'builtin.module(inline, sccp, pl-split-chunked-loops{policy=leading_full}, canonicalize)' | %FileCheck %s --check-prefix=THREE
// THREE:      result0 = 3
// THREE-NEXT: result1 = 9223372036854775805

// An unsigned i8 loop with a step above the signed maximum (200): accepted, 0 and 200 run.
// RUN: %pypto-run %s --entry u8_big_step --arg 255 | %FileCheck %s --check-prefix=U8
// RUN: %pypto-run %s --entry u8_big_step --arg 255 -p 'builtin.module(canonicalize, pl-default{policy=leading_full})' | %FileCheck %s --check-prefix=U8
// RUN: %pypto-run %s --entry u8_unchunked | %FileCheck %s --check-prefix=U8
// RUN: %pypto-run %s --entry u8_unchunked -p 'builtin.module(canonicalize)' | %FileCheck %s --check-prefix=U8
// U8:      result0 = 2
// U8-NEXT: result1 = -56


func.func @huge_step(%lo: i32, %hi: i32) -> (i64, i64) {
  %lb = arith.extsi %lo : i32 to i64
  %ub = arith.extsi %hi : i32 to i64
  %s = arith.constant 9223372036854775807 : i64
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %n:2 = scf.for %i = %lb to %ub step %s iter_args(%a = %c0, %l = %c0) -> (i64, i64) : i64 {
    %b = arith.addi %a, %c1 : i64
    scf.yield %b, %i : i64, i64
  }
  return %n#0, %n#1 : i64, i64
}

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

func.func @u8_big_step(%n: i8) -> (i32, i8) {
  %c0 = arith.constant 0 : i8
  %s = arith.constant 200 : i8
  %z = arith.constant 0 : i32
  %one = arith.constant 1 : i32
  %r:2 = scf.for unsigned %i = %c0 to %n step %s iter_args(%a = %z, %l = %c0) -> (i32, i8) : i8 {
    %b = arith.addi %a, %one : i32
    scf.yield %b, %i : i32, i8
  } {pl.chunk = 2}
  return %r#0, %r#1 : i32, i8
}

// The same loop with constant bounds and no chunk: canonicalize reads the step as -56 and
// would delete the loop (found by the fuzzer's narrow class).
func.func @u8_unchunked() -> (i32, i8) {
  %c0 = arith.constant 0 : i8
  %n = arith.constant 255 : i8
  %s = arith.constant 200 : i8
  %z = arith.constant 0 : i32
  %one = arith.constant 1 : i32
  %r:2 = scf.for unsigned %i = %c0 to %n step %s iter_args(%a = %z, %l = %c0) -> (i32, i8) : i8 {
    %b = arith.addi %a, %one : i32
    scf.yield %b, %i : i32, i8
  }
  return %r#0, %r#1 : i32, i8
}
