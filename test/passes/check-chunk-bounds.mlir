// pl-check-chunk-bounds: explicit chunk loops `for o in [lb, ub) step S { for i in [o, o + S) }`
// whose last chunk can run past ub are warned about (module unchanged, exit 0): one warning at
// the chunk loop, one note at the outer loop. When the answer depends on a value the lint cannot
// reason about, the warning names it. Clamped, guarded and provably divisible ones are clean.
// With {fix=true} each flagged loop is clamped.
// (Nested chunk loops: check-chunk-bounds-nested.mlir; spellings of spans and steps:
// check-chunk-bounds-spellings.mlir; clamps and guards: check-chunk-bounds-clamps.mlir; not clamps:
// check-chunk-bounds-not-clamps.mlir.)
// The module is printed unchanged (exactly as upstream mlir-opt prints the input):
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(pl-check-chunk-bounds)' > %t.ours
// RUN: %mlir-opt %s -split-input-file > %t.upstream
// RUN: diff %t.ours %t.upstream
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-check-chunk-bounds{fix=true})' -o %t.fixed 2> %t.remarks
// RUN: %FileCheck %s --check-prefix=FIX < %t.fixed
// RUN: %FileCheck %s --check-prefix=REMARK < %t.remarks
// REMARK-COUNT-9: remark: clamped the upper bound of this chunk loop to the outer loop's upper bound: arith.minsi(%o + S, %ub)
// REMARK: remark: clamped the upper bound of this chunk loop to the outer loop's upper bound: arith.minui(%o + S, %ub)
// REMARK: remark: clamped the upper bound of this chunk loop to the outer loop's upper bound: arith.minsi(%o + S, %ub)
// REMARK-NOT: warning

// A static bound that S does not divide: 10 = 3*3 + 1. The finding is certain: no value named.
func.func @static_not_divisible(%a: memref<12xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c10 = arith.constant 10 : index
  // expected-note @below {{the last chunk runs past %ub when ub - lb is not a multiple of S (ub - lb = 10, S = 3)}}
  scf.for %o = %c0 to %c10 step %c3 {
    %e = arith.addi %o, %c3 : index
    // expected-warning-re @below {{{{^}}this chunk loop runs [%o, %o + S) without a clamp to the outer loop's upper bound or a guard `%i < %ub`{{$}}}}
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
// Whether S divides ub - lb depends on all three arguments: the warning names them.
func.func @dynamic(%a: memref<?xf32>, %lb: index, %ub: index, %S: index) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // expected-note @below {{the last chunk runs past %ub}}
  scf.for %o = %lb to %ub step %S {
    %s2 = arith.muli %S, %c1 : index
    %e = arith.addi %s2, %o : index
    // expected-warning @below {{without a clamp to the outer loop's upper bound or a guard `%i < %ub`; cannot prove its last chunk in bounds without knowing %arg2 of @dynamic, %arg1 of @dynamic, %arg3 of @dynamic}}
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
      // expected-warning @below {{without knowing %arg1 of @in_scope}}
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

// A chunk shorter than the step (2 < 4) still runs past a bound that 4 does not divide (ub = 5:
// the last chunk is [4, 6)). (Before the lint reasoned about values it skipped such loops.)
func.func @short_inner(%a: memref<?xf32>, %ub: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  // expected-note @below {{the last chunk runs past %ub when ub - lb is not a multiple of S}}
  scf.for %o = %c0 to %ub step %c4 {
    %e = arith.addi %o, %c2 : index
    // expected-warning @below {{without knowing %arg1 of @short_inner}}
    scf.for %i = %o to %e step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  return
}

// -----

// A value the lint does not model (a bound loaded from memory; a division by a dynamic value)
// is named with its location.
func.func @unmodelled(%a: memref<?xf32>, %sizes: memref<2xindex>, %n: index, %k: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %ub = memref.load %sizes[%c0] : memref<2xindex>
  // expected-note @below {{the last chunk runs past %ub when ub - lb is not a multiple of S}}
  scf.for %o = %c0 to %ub step %c16 {
    %e = arith.addi %o, %c16 : index
    // expected-warning-re @below {{without knowing the result of memref.load at {{.*}}check-chunk-bounds.mlir:{{[0-9]+}}:9{{$}}}}
    scf.for %i = %o to %e step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  %q = arith.divsi %n, %k : index
  // expected-note @below {{the last chunk may run past %ub: its end is not provably at most %ub}}
  scf.for %o = %c0 to %n step %c16 {
    %e = arith.addi %o, %q : index
    // expected-warning-re @below {{without knowing %arg2 of @unmodelled, the result of arith.divsi at {{.*}}check-chunk-bounds.mlir:{{[0-9]+}}:8{{$}}}}
    scf.for %i = %o to %e step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  return
}
// FIX-LABEL: func.func @unmodelled(
// FIX-COUNT-2: arith.minsi

// -----

// An end computed from %o by arithmetic the lint does not read (a semi-affine map) still makes
// a chunk loop, and the value is named. Bounds loaded from memory at %o (a CSR row range) do
// not: that loop is no chunk of %o and is left alone.
func.func @opaque_end(%a: memref<?xf32>, %rowptr: memref<?xindex>, %n: index, %s: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  // expected-note @below {{the last chunk may run past %ub: its end is not provably at most %ub}}
  scf.for %o = %c0 to %n step %c16 {
    %e = affine.apply affine_map<(d0)[s0] -> (d0 + 16 * (s0 floordiv s0))>(%o)[%s]
    // expected-warning-re @below {{without knowing %arg2 of @opaque_end, the result of affine.apply at {{.*}}:{{[0-9]+}}:10{{$}}}}
    scf.for %i = %o to %e step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  scf.for %o = %c0 to %n step %c1 {
    %lo = memref.load %rowptr[%o] : memref<?xindex>
    %o1 = arith.addi %o, %c1 : index
    %hi = memref.load %rowptr[%o1] : memref<?xindex>
    scf.for %i = %lo to %hi step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  return
}

// -----

// A min with something other than %ub is not a clamp.
func.func @other_min(%a: memref<?xf32>, %n: index, %cap: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  // expected-note @below {{the last chunk runs past %ub when ub - lb is not a multiple of S}}
  scf.for %o = %c0 to %n step %c4 {
    %e = arith.addi %o, %c4 : index
    %m = arith.minsi %e, %cap : index
    // expected-warning @below {{without knowing %arg1 of @other_min, %arg2 of @other_min}}
    scf.for %i = %o to %m step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  return
}
// FIX-LABEL: func.func @other_min(
// FIX:         %[[M:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// FIX-NEXT:    %[[M2:.*]] = arith.minsi %[[M]], %{{.*}} : index
// FIX-NEXT:    scf.for %{{.*}} = %{{.*}} to %[[M2]] step

// -----

// A guard whose else branch accesses memory guards nothing.
func.func @guard_with_else(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %z = arith.constant 0.0 : f32
  // expected-note @below {{the last chunk runs past %ub}}
  scf.for %o = %c0 to %n step %c4 {
    %e = arith.addi %o, %c4 : index
    // expected-warning @below {{without a clamp}}
    scf.for %i = %o to %e step %c1 {
      %g = arith.cmpi slt, %i, %n : index
      scf.if %g {
        %x = memref.load %a[%i] : memref<?xf32>
        memref.store %x, %a[%i] : memref<?xf32>
      } else {
        memref.store %z, %a[%i] : memref<?xf32>
      }
    }
  }
  return
}

// -----

// A chunk longer than the step (8 > 4) runs past ub even though 12 is a multiple of 4.
func.func @longer_than_step(%a: memref<12xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c12 = arith.constant 12 : index
  // expected-note @below {{the chunk spans more than one step S of this loop: the last chunk runs past %ub}}
  scf.for %o = %c0 to %c12 step %c4 {
    %e = arith.addi %o, %c8 : index
    // expected-warning @below {{without a clamp}}
    scf.for %i = %o to %e step %c1 {
      %x = memref.load %a[%i] : memref<12xf32>
      memref.store %x, %a[%i] : memref<12xf32>
    }
  }
  return
}

// -----

// An unsigned loop is clamped with minui (minsi would read bounds above 2^31 as negative).
func.func @unsigned(%a: memref<16xi32>, %lb: i32, %ub: i32) {
  %c1 = arith.constant 1 : i32
  %c4 = arith.constant 4 : i32
  // expected-note @below {{the last chunk runs past %ub}}
  scf.for unsigned %o = %lb to %ub step %c4 : i32 {
    %e = arith.addi %o, %c4 : i32
    // expected-warning @below {{without a clamp}}
    scf.for unsigned %i = %o to %e step %c1 : i32 {
      %d = arith.subi %i, %lb : i32
      %k = arith.index_castui %d : i32 to index
      %x = memref.load %a[%k] : memref<16xi32>
      memref.store %x, %a[%k] : memref<16xi32>
    }
  }
  return
}
// FIX-LABEL: func.func @unsigned(
// FIX:         %[[M:.*]] = arith.minui %{{.*}}, %{{.*}} : i32
// FIX-NEXT:    scf.for unsigned %{{.*}} = %{{.*}} to %[[M]] step

// -----

// Unsigned loops compare unsigned: a minui with the bound is a clamp, and a chunk of one
// iteration at %o is in bounds. Both clean.
func.func @unsigned_clean(%a: memref<16xi32>, %lb: i32, %ub: i32) {
  %c1 = arith.constant 1 : i32
  %c4 = arith.constant 4 : i32
  scf.for unsigned %o = %lb to %ub step %c4 : i32 {
    %e = arith.addi %o, %c4 : i32
    %m = arith.minui %e, %ub : i32
    scf.for unsigned %i = %o to %m step %c1 : i32 {
      %d = arith.subi %i, %lb : i32
      %k = arith.index_castui %d : i32 to index
      %x = memref.load %a[%k] : memref<16xi32>
      memref.store %x, %a[%k] : memref<16xi32>
    }
  }
  scf.for unsigned %o = %lb to %ub step %c4 : i32 {
    %e = arith.addi %o, %c4 : i32
    scf.for unsigned %i = %o to %e step %c4 : i32 {
      %d = arith.subi %i, %lb : i32
      %k = arith.index_castui %d : i32 to index
      %x = memref.load %a[%k] : memref<16xi32>
      memref.store %x, %a[%k] : memref<16xi32>
    }
  }
  return
}

// -----

// An i32 chunk loop of an index loop: the fix casts the outer bound to i32 for the clamp.
func.func @mixed_types(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c1_i32 = arith.constant 1 : i32
  %c16_i32 = arith.constant 16 : i32
  // expected-note @below {{the last chunk runs past %ub when ub - lb is not a multiple of S}}
  scf.for %o = %c0 to %n step %c16 {
    %o32 = arith.index_cast %o : index to i32
    %e = arith.addi %o32, %c16_i32 : i32
    // expected-warning @below {{without knowing %arg1 of @mixed_types}}
    scf.for %i = %o32 to %e step %c1_i32 : i32 {
      %k = arith.index_cast %i : i32 to index
      %x = memref.load %a[%k] : memref<?xf32>
      memref.store %x, %a[%k] : memref<?xf32>
    }
  }
  return
}
// FIX-LABEL: func.func @mixed_types(
// FIX-SAME:      %{{.*}}: memref<?xf32>, %[[N:.*]]: index)
// FIX:           %[[E:.*]] = arith.addi %{{.*}}, %{{.*}} : i32
// FIX-NEXT:      %[[N32:.*]] = arith.index_cast %[[N]] : index to i32
// FIX-NEXT:      %[[M:.*]] = arith.minsi %[[E]], %[[N32]] : i32
// FIX-NEXT:      scf.for %{{.*}} = %{{.*}} to %[[M]] step %{{.*}} : i32 {
