// Not clamps, flagged by pl-check-chunk-bounds (check-chunk-bounds-clamps.mlir has the clamps).
// RUN: %pypto-opt %s -verify-diagnostics -p 'builtin.module(pl-check-chunk-bounds)'
// The span of these chunk loops has no bound (a max with the outer bound, a min with another
// bound), so canonicalize could miscount them once their bounds fold: pypto-opt runs
// pl-normalize-int-loops{exit_values=false} before it (the integer rule, docs/policies.md), and
// the counted-up loops are no longer chunk loops of %o. Lint before canonicalize.
// RUN: %pypto-opt %s -p 'builtin.module(canonicalize, cse, pl-check-chunk-bounds)' 2>&1 | %FileCheck %s --implicit-check-not=warning
// CHECK-LABEL: func.func @not_clamps
// CHECK:         scf.for unsigned
// CHECK:         scf.for unsigned

// Not clamps: a max with the bound, a min with a bound of another loop.
func.func @not_clamps(%a: memref<?xf32>, %n: index, %other: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  // expected-note @below {{the last chunk may run past %ub: its end is not provably at most %ub}}
  scf.for %o = %c0 to %n step %c16 {
    %e = arith.addi %o, %c16 : index
    %m = arith.maxsi %e, %n : index
    // expected-warning @below {{without knowing %arg1 of @not_clamps}}
    scf.for %i = %o to %m step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  // expected-note @below {{the last chunk runs past %ub when ub - lb is not a multiple of S}}
  scf.for %o = %c0 to %n step %c16 {
    %e = arith.addi %o, %c16 : index
    %lt = arith.cmpi slt, %e, %other : index
    %m = arith.select %lt, %e, %other : index
    // expected-warning @below {{without knowing %arg1 of @not_clamps, %arg2 of @not_clamps}}
    scf.for %i = %o to %m step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  return
}
