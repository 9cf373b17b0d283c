// pl-check-chunk-bounds: explicit chunk loops `for o in [lb, ub) step S { for i in [o, o + S) }`
// whose last chunk can run past ub are warned about (module unchanged, exit 0); clamped,
// guarded and provably divisible ones are clean. With {fix=true} each flagged loop is clamped.
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(pl-check-chunk-bounds)'
// The module is printed unchanged (exactly as upstream mlir-opt prints the input):
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-check-chunk-bounds)' 2>/dev/null > %t.ours
// RUN: %mlir-opt %s -split-input-file > %t.upstream
// RUN: diff %t.ours %t.upstream
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-check-chunk-bounds{fix=true})' 2>/dev/null | %FileCheck %s --check-prefix=FIX
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-check-chunk-bounds{fix=true})' 2>&1 >/dev/null | %FileCheck %s --check-prefix=REMARK
// REMARK-COUNT-3: remark: clamped the upper bound of this chunk loop to the outer loop's upper bound: arith.minsi(%o + S, %ub)
// REMARK-NOT: warning

// A static bound that S does not divide: 10 = 3*3 + 1.
func.func @static_not_divisible(%a: memref<12xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c10 = arith.constant 10 : index
  // expected-note @below {{the last chunk runs past %ub when ub - lb is not a multiple of S}}
  scf.for %o = %c0 to %c10 step %c3 {
    %e = arith.addi %o, %c3 : index
    // expected-warning @below {{this chunk loop runs [%o, %o + S) without a clamp to the outer loop's upper bound or a guard `%i < %ub`}}
    scf.for %i = %o to %e step %c1 {
      %x = memref.load %a[%i] : memref<12xf32>
      memref.store %x, %a[%i] : memref<12xf32>
    }
  }
  return
}
// FIX-LABEL: func.func @static_not_divisible(
// FIX:         scf.for %[[O:.*]] = %{{.*}} to %[[UB:.*]] step
// FIX-NEXT:      %[[E:.*]] = arith.addi %[[O]], %{{.*}} : index
// FIX-NEXT:      %[[M:.*]] = arith.minsi %[[E]], %[[UB]] : index
// FIX-NEXT:      scf.for %{{.*}} = %[[O]] to %[[M]] step

// -----

// A dynamic bound, and a dynamic step (S2 = S * 1 is the same step); the inner step is 2.
func.func @dynamic(%a: memref<?xf32>, %lb: index, %ub: index, %S: index) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // expected-note @below {{the last chunk runs past %ub}}
  scf.for %o = %lb to %ub step %S {
    %s2 = arith.muli %S, %c1 : index
    %e = arith.addi %s2, %o : index
    // expected-warning @below {{without a clamp}}
    scf.for %i = %o to %e step %c2 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  return
}
// FIX-LABEL: func.func @dynamic(
// FIX:         arith.minsi

// -----

// The chunk inside a pl.at scope, as kernel libraries write it.
func.func @in_scope(%a: memref<?xf32>, %ub: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  // expected-note @below {{the last chunk runs past %ub}}
  scf.for %o = %c0 to %ub step %c16 {
    scf.execute_region no_inline {
      %e = arith.addi %o, %c16 : index
      // expected-warning @below {{without a clamp}}
      scf.for %i = %o to %e step %c1 {
        %x = memref.load %a[%i] : memref<?xf32>
        memref.store %x, %a[%i] : memref<?xf32>
      }
      scf.yield
    } {pl.at = "core_group"}
  }
  return
}

// -----

// Clean: clamped with minsi.
func.func @clamped(%a: memref<?xf32>, %ub: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %o = %c0 to %ub step %c16 {
    %e = arith.addi %o, %c16 : index
    %m = arith.minsi %e, %ub : index
    scf.for %i = %o to %m step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  return
}

// -----

// Clean: clamped with affine.min.
func.func @affine_min(%a: memref<?xf32>, %ub: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %o = %c0 to %ub step %c16 {
    %m = affine.min affine_map<(d0)[s0] -> (d0 + 16, s0)>(%o)[%ub]
    scf.for %i = %o to %m step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  return
}

// -----

// Clean: every iteration is guarded by i < ub.
func.func @guarded(%a: memref<?xf32>, %ub: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %o = %c0 to %ub step %c16 {
    %e = arith.addi %o, %c16 : index
    scf.for %i = %o to %e step %c1 {
      %in = arith.cmpi slt, %i, %ub : index
      scf.if %in {
        %x = memref.load %a[%i] : memref<?xf32>
        memref.store %x, %a[%i] : memref<?xf32>
      }
    }
  }
  return
}

// -----

// Clean: provably divisible (constants; ub = n * S from 0).
func.func @divisible(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c12 = arith.constant 12 : index
  scf.for %o = %c0 to %c12 step %c4 {
    %e = arith.addi %o, %c4 : index
    scf.for %i = %o to %e step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  %ub = arith.muli %n, %c4 : index
  scf.for %o = %c0 to %ub step %c4 {
    %e = arith.addi %o, %c4 : index
    scf.for %i = %o to %e step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  return
}

// -----

// Clean: the inner loop covers less than one outer step (a constant 2 < 4): no overrun.
func.func @short_inner(%a: memref<?xf32>, %ub: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  scf.for %o = %c0 to %ub step %c4 {
    %e = arith.addi %o, %c2 : index
    scf.for %i = %o to %e step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  return
}
