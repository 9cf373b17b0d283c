// Hand-written chunk loops (pl.loop_origin = "chunk_inner", docs/dialect.md) through
// pl-unswitch-guards and pl-default run as written (issue 15 item 3): the pass unswitches only
// guards the split pass marked pl.guarded, so neither a flat index k = cs + i that wraps
// (cs = -2: iterations 0 and 1 fail the guard k < T) nor a bound carried in iter_args is touched.
// RUN: %pypto-run %s --entry wrapping_chunk --arg 5 --arg -2 -p 'builtin.module(cse)' | %FileCheck %s --check-prefix=WRAP
// RUN: %pypto-run %s --entry wrapping_chunk --arg 5 --arg -2 -p 'builtin.module(pl-unswitch-guards)' | %FileCheck %s --check-prefix=WRAP
// RUN: %pypto-run %s --entry wrapping_chunk --arg 5 --arg -2 | %FileCheck %s --check-prefix=WRAP
// RUN: %pypto-run %s --entry wrapping_chunk --arg 5 --arg 1 | %FileCheck %s --check-prefix=FULL
// WRAP: result0 = 2
// FULL: result0 = 4
// Its guard's bound carried in iter_args: the pass leaves the loop alone (valid IR, exit 0).
// RUN: %pypto-run %s --entry carried_bound --arg 3 -p 'builtin.module(pl-unswitch-guards)' | %FileCheck %s --check-prefix=CARRIED
// RUN: %pypto-run %s --entry carried_bound --arg 3 -p 'builtin.module(cse)' | %FileCheck %s --check-prefix=CARRIED
// CARRIED: result0 = 1

func.func @wrapping_chunk(%t: index, %cs: index) -> index {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%a = %c0) -> index {
    %k = arith.addi %cs, %i : index
    %g = arith.cmpi ult, %k, %t : index
    %n = scf.if %g -> index {
      %b = arith.addi %a, %c1 : index
      scf.yield %b : index
    } else {
      scf.yield %a : index
    }
    scf.yield %n : index
  } {pl.loop_origin = "chunk_inner"}
  return %r : index
}

func.func @carried_bound(%t0: index) -> index {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%t = %t0) -> index {
    %g = arith.cmpi ult, %i, %t : index
    %n = scf.if %g -> index {
      %b = arith.subi %t, %c1 : index
      scf.yield %b : index
    } else {
      scf.yield %t : index
    }
    scf.yield %n : index
  } {pl.loop_origin = "chunk_inner"}
  return %r : index
}
