// pl-check-chunk-bounds is silent when the chunk's upper bound is clamped by a min with the
// outer loop's upper bound, in any spelling (arith.minsi, arith.minui, affine.min,
// arith.select on arith.cmpi, the bound itself spelled differently), or when the body is
// guarded by `%i < %ub` (either way round, `<=` with ub - 1), or when a condition around it
// (scf.if) bounds its end. A min with anything else, or a max, is no clamp: those are flagged
// (check-chunk-bounds-not-clamps.mlir).
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(pl-check-chunk-bounds)'
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(canonicalize, cse, pl-check-chunk-bounds)'

// The clamps, one loop each, on a dynamic bound.
func.func @clamps(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  // minsi, the bound as the second operand.
  scf.for %o = %c0 to %n step %c16 {
    %e = arith.addi %o, %c16 : index
    %m = arith.minsi %e, %n : index
    scf.for %i = %o to %m step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  // minui (the bound is above %o >= 0, so the unsigned min is the signed one).
  scf.for %o = %c0 to %n step %c16 {
    %e = arith.addi %o, %c16 : index
    %m = arith.minui %n, %e : index
    scf.for %i = %o to %m step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  // affine.min.
  scf.for %o = %c0 to %n step %c16 {
    %m = affine.min affine_map<(d0)[s0] -> (d0 + 16, s0)>(%o)[%n]
    scf.for %i = %o to %m step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  // select(e < n, e, n).
  scf.for %o = %c0 to %n step %c16 {
    %e = arith.addi %o, %c16 : index
    %lt = arith.cmpi slt, %e, %n : index
    %m = arith.select %lt, %e, %n : index
    scf.for %i = %o to %m step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  // select(n > e, e, n), unsigned.
  scf.for %o = %c0 to %n step %c16 {
    %e = arith.addi %o, %c16 : index
    %gt = arith.cmpi ugt, %n, %e : index
    %m = arith.select %gt, %e, %n : index
    scf.for %i = %o to %m step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  // minsi with a min of the bound and something else: still at most %n.
  scf.for %o = %c0 to %n step %c16 {
    %e = arith.addi %o, %c16 : index
    %m1 = arith.minsi %n, %e : index
    %cap = arith.addi %e, %c1 : index
    %m = arith.minsi %cap, %m1 : index
    scf.for %i = %o to %m step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  return
}

// -----

// The bound spelled differently in the clamp: n * 1, and the same memref.dim twice.
func.func @clamp_by_value(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %o = %c0 to %n step %c16 {
    %e = arith.addi %o, %c16 : index
    %n1 = arith.muli %n, %c1 : index
    %m = arith.minsi %e, %n1 : index
    scf.for %i = %o to %m step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  %d = memref.dim %a, %c0 : memref<?xf32>
  scf.for %o = %c0 to %d step %c16 {
    %e = arith.addi %o, %c16 : index
    %d2 = memref.dim %a, %c0 : memref<?xf32>
    %m = arith.minsi %d2, %e : index
    scf.for %i = %o to %m step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  }
  return
}

// -----

// Guards: `%i < %ub` either way round, and `%i <= %ub - 1`.
func.func @guards(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %o = %c0 to %n step %c16 {
    %e = arith.addi %o, %c16 : index
    scf.for %i = %o to %e step %c1 {
      %in = arith.cmpi sgt, %n, %i : index
      scf.if %in {
        %x = memref.load %a[%i] : memref<?xf32>
        memref.store %x, %a[%i] : memref<?xf32>
      }
    }
  }
  scf.for %o = %c0 to %n step %c16 {
    %e = arith.addi %o, %c16 : index
    scf.for %i = %o to %e step %c1 {
      %last = arith.subi %n, %c1 : index
      %in = arith.cmpi sle, %i, %last : index
      scf.if %in {
        %x = memref.load %a[%i] : memref<?xf32>
        memref.store %x, %a[%i] : memref<?xf32>
      }
    }
  }
  return
}

// -----

// A condition around the chunk loop is a fact inside it: the full-chunk fast path
// `if o + 16 <= n { for i in [o, o + 16) } else { for i in [o, n) }` is clean, as are the else
// branch of the opposite test and a conjunction that holds. The else branch of a conjunction
// says nothing of either part: flagged.
func.func @versioned(%a: memref<?xf32>, %n: index, %m: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %o = %c0 to %n step %c16 {
    %e = arith.addi %o, %c16 : index
    %full = arith.cmpi sle, %e, %n : index
    scf.if %full {
      scf.for %i = %o to %e step %c1 {
        %x = memref.load %a[%i] : memref<?xf32>
        memref.store %x, %a[%i] : memref<?xf32>
      }
    } else {
      scf.for %i = %o to %n step %c1 {
        %x = memref.load %a[%i] : memref<?xf32>
        memref.store %x, %a[%i] : memref<?xf32>
      }
    }
  }
  // expected-note @below {{the last chunk runs past %ub when ub - lb is not a multiple of S}}
  scf.for %o = %c0 to %n step %c16 {
    %e = arith.addi %o, %c16 : index
    %partial = arith.cmpi sgt, %e, %n : index
    scf.if %partial {
    } else {
      scf.for %i = %o to %e step %c1 {
        %x = memref.load %a[%i] : memref<?xf32>
        memref.store %x, %a[%i] : memref<?xf32>
      }
    }
    %full = arith.cmpi slt, %e, %n : index
    %ok = arith.cmpi sge, %m, %c0 : index
    %both = arith.andi %ok, %full : i1
    scf.if %both {
      scf.for %i = %o to %e step %c1 {
        %x = memref.load %a[%i] : memref<?xf32>
        memref.store %x, %a[%i] : memref<?xf32>
      }
    } else {
      // expected-warning @below {{without knowing %arg1 of @versioned}}
      scf.for %i = %o to %e step %c1 {
        %x = memref.load %a[%i] : memref<?xf32>
        memref.store %x, %a[%i] : memref<?xf32>
      }
    }
  }
  return
}
