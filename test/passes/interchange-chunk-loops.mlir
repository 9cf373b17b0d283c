// pl-interchange-chunk-loops: nested parallel chunked loops get their chunk loops outward and
// their in-chunk loops inward, the guards combined at the innermost level; nests it cannot
// reorder are left as they are, with a remark saying why.
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(pl-split-chunked-loops, pl-interchange-chunk-loops, canonicalize, cse)' | %FileCheck %s
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops, pl-interchange-chunk-loops)' 2>/dev/null | %mlir-opt --irdl-file=%pl-irdl -split-input-file --verify-roundtrip > /dev/null

// Both trip counts dynamic: both guards, combined.
func.func @both_dynamic(%m: memref<?x?xf32>, %n1: index, %n2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n1 step %c1 {
    scf.for %j = %c0 to %n2 step %c1 {
      %x = memref.load %m[%i, %j] : memref<?x?xf32>
      %s = arith.addf %x, %x : f32
      memref.store %s, %m[%i, %j] : memref<?x?xf32>
    } {pl.chunk = 4, pl.parallel}
  } {pl.chunk = 2, pl.parallel}
  return
}
// CHECK-LABEL: func.func @both_dynamic(
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[T1:.*]] = arith.select
// CHECK:         %[[N1:.*]] = arith.ceildivui %[[T1]], %[[C2]] : index
// CHECK:         %[[T2:.*]] = arith.select
// CHECK:         %[[N2:.*]] = arith.ceildivui %[[T2]], %[[C4]] : index
// CHECK:         scf.for %[[O1:.*]] = %{{.*}} to %[[N1]] step
// CHECK-NEXT:      %[[CS1:.*]] = arith.muli %[[O1]], %[[C2]] : index
// CHECK-NEXT:      scf.for %[[O2:.*]] = %{{.*}} to %[[N2]] step
// CHECK-NEXT:        %[[CS2:.*]] = arith.muli %[[O2]], %[[C4]] : index
// CHECK-NEXT:        scf.for %[[I1:.*]] = %{{.*}} to %[[C2]] step
// CHECK-NEXT:          %[[K1:.*]] = arith.addi %[[CS1]], %[[I1]] : index
// CHECK-NEXT:          scf.for %[[I2:.*]] = %{{.*}} to %[[C4]] step
// CHECK-NEXT:            %[[K2:.*]] = arith.addi %[[CS2]], %[[I2]] : index
// CHECK-NEXT:            %[[G1:.*]] = arith.cmpi ult, %[[K1]], %[[T1]] : index
// CHECK-NEXT:            %[[G2:.*]] = arith.cmpi ult, %[[K2]], %[[T2]] : index
// CHECK-NEXT:            %[[G:.*]] = arith.andi %[[G1]], %[[G2]] : i1
// CHECK-NEXT:            scf.if %[[G]] {
// CHECK-NEXT:              memref.load %{{.*}}[%[[K1]], %[[K2]]]
// CHECK:                 } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:          } {pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:        } {pl.loop_origin = "chunk_outer", pl.parallel}
// CHECK-NEXT:      } {pl.loop_origin = "chunk_outer", pl.parallel}

// -----

// The outer trip count divides (8 = 4 * 2): only the inner guard.
func.func @outer_divisible(%m: memref<8x?xf32>, %n2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %c8 step %c1 {
    scf.for %j = %c0 to %n2 step %c1 {
      %x = memref.load %m[%i, %j] : memref<8x?xf32>
      memref.store %x, %m[%i, %j] : memref<8x?xf32>
    } {pl.chunk = 4, pl.parallel}
  } {pl.chunk = 2, pl.parallel}
  return
}
// CHECK-LABEL: func.func @outer_divisible(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               scf.for
// CHECK-NEXT:            %[[K2:.*]] = arith.addi
// CHECK-NEXT:            %[[G2:.*]] = arith.cmpi ult, %[[K2]], %{{.*}} : index
// CHECK-NEXT:            scf.if %[[G2]] {
// CHECK-NOT:     arith.andi

// -----

// The inner trip count divides: the outer guard alone wraps the body.
func.func @inner_divisible(%m: memref<?x8xf32>, %n1: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %n1 step %c1 {
    scf.for %j = %c0 to %c8 step %c1 {
      %x = memref.load %m[%i, %j] : memref<?x8xf32>
      memref.store %x, %m[%i, %j] : memref<?x8xf32>
    } {pl.chunk = 4, pl.parallel}
  } {pl.chunk = 2, pl.parallel}
  return
}
// CHECK-LABEL: func.func @inner_divisible(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for %{{.*}} = %{{.*}} to %[[C2:.*]] step
// CHECK-NEXT:          %[[K1:.*]] = arith.addi
// CHECK-NEXT:          scf.for
// CHECK-NEXT:            %[[K2:.*]] = arith.addi
// CHECK-NEXT:            %[[G1:.*]] = arith.cmpi ult, %[[K1]], %{{.*}} : index
// CHECK-NEXT:            scf.if %[[G1]] {
// CHECK-NEXT:              memref.load %{{.*}}[%[[K1]], %[[K2]]]

// -----

// No guard at all.
func.func @no_guards(%m: memref<8x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %c8 step %c1 {
    scf.for %j = %c0 to %c8 step %c1 {
      %x = memref.load %m[%i, %j] : memref<8x8xf32>
      memref.store %x, %m[%i, %j] : memref<8x8xf32>
    } {pl.chunk = 4, pl.parallel}
  } {pl.chunk = 2, pl.parallel}
  return
}
// CHECK-LABEL: func.func @no_guards(
// CHECK:         scf.for
// CHECK-NEXT:      arith.muli
// CHECK-NEXT:      scf.for
// CHECK-NEXT:        arith.muli
// CHECK-NEXT:        scf.for
// CHECK-NEXT:          %[[K1:.*]] = arith.addi
// CHECK-NEXT:          scf.for
// CHECK-NEXT:            %[[K2:.*]] = arith.addi
// CHECK-NEXT:            memref.load %{{.*}}[%[[K1]], %[[K2]]]
// CHECK-NOT:     scf.if

// -----

// A memref passed through iter_args unchanged is no obstacle.
func.func @memref_through(%m: memref<?x?xf32>, %n1: index, %n2: index) -> memref<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n1 step %c1 iter_args(%a = %m) -> memref<?x?xf32> {
    %q = scf.for %j = %c0 to %n2 step %c1 iter_args(%b = %a) -> memref<?x?xf32> {
      %x = memref.load %b[%i, %j] : memref<?x?xf32>
      memref.store %x, %b[%i, %j] : memref<?x?xf32>
      scf.yield %b : memref<?x?xf32>
    } {pl.chunk = 4, pl.parallel}
    scf.yield %q : memref<?x?xf32>
  } {pl.chunk = 2, pl.parallel}
  return %r : memref<?x?xf32>
}
// CHECK-LABEL: func.func @memref_through(
// CHECK-SAME:      %[[M:.*]]: memref<?x?xf32>,
// CHECK:         arith.andi
// CHECK:         return %[[M]] : memref<?x?xf32>

// -----

// Left alone: a value carried through the nest.
func.func @carried(%m: memref<?x?xf32>, %n1: index, %n2: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: the nest carries values in iter_args, and interchange would reorder their updates}}
  %r = scf.for %i = %c0 to %n1 step %c1 iter_args(%a = %z) -> f32 {
    %q = scf.for %j = %c0 to %n2 step %c1 iter_args(%b = %a) -> f32 {
      %x = memref.load %m[%i, %j] : memref<?x?xf32>
      %s = arith.addf %b, %x : f32
      scf.yield %s : f32
    } {pl.chunk = 4, pl.parallel}
    scf.yield %q : f32
  } {pl.chunk = 2, pl.parallel}
  return %r : f32
}
// CHECK-LABEL: func.func @carried(
// CHECK-NOT:     arith.andi

// -----

// Left alone: the inner trip count depends on the outer IV (a triangle).
func.func @triangle(%m: memref<?x?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: the inner trip count depends on the outer loop's iteration}}
  scf.for %i = %c0 to %n step %c1 {
    scf.for %j = %c0 to %i step %c1 {
      %x = memref.load %m[%i, %j] : memref<?x?xf32>
      memref.store %x, %m[%j, %i] : memref<?x?xf32>
    } {pl.chunk = 4, pl.parallel}
  } {pl.chunk = 2, pl.parallel}
  return
}

// -----

// Left alone: the inner loop is not pl.parallel.
func.func @inner_sequential(%m: memref<?x?xf32>, %n1: index, %n2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: both chunked loops must be pl.parallel (interchange reorders their iterations)}}
  scf.for %i = %c0 to %n1 step %c1 {
    scf.for %j = %c0 to %n2 step %c1 {
      %x = memref.load %m[%i, %j] : memref<?x?xf32>
      memref.store %x, %m[%i, %j] : memref<?x?xf32>
    } {pl.chunk = 4}
  } {pl.chunk = 2, pl.parallel}
  return
}

// -----

// Left alone: work after the inner chunked loop in the outer chunk.
func.func @work_after(%m: memref<?x?xf32>, %v: memref<?xf32>, %n1: index, %n2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: other work follows the inner chunked loop in the outer chunk}}
  scf.for %i = %c0 to %n1 step %c1 {
    scf.for %j = %c0 to %n2 step %c1 {
      %x = memref.load %m[%i, %j] : memref<?x?xf32>
      memref.store %x, %m[%i, %j] : memref<?x?xf32>
    } {pl.chunk = 4, pl.parallel}
    memref.store %z, %v[%i] : memref<?xf32>
  } {pl.chunk = 2, pl.parallel}
  return
}

// -----

// Left alone: a store before the inner chunked loop would run once per inner iteration (and
// not at all when the inner loop runs none).
func.func @store_before(%flag: memref<?xf32>, %m: memref<?x?xf32>, %n1: index, %n2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: 'memref.store' in the outer chunk, before the inner chunked loop, would run once per inner iteration}}
  scf.for %i = %c0 to %n1 step %c1 {
    memref.store %one, %flag[%i] : memref<?xf32>
    scf.for %j = %c0 to %n2 step %c1 {
      %x = memref.load %m[%i, %j] : memref<?x?xf32>
      memref.store %x, %m[%i, %j] : memref<?x?xf32>
    } {pl.chunk = 4, pl.parallel}
  } {pl.chunk = 2, pl.parallel}
  return
}
// CHECK-LABEL: func.func @store_before(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             memref.store
// CHECK:             scf.for {{.*}} {
// CHECK:           } {pl.loop_origin = "chunk_outer", pl.parallel}
// CHECK:         } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK:       } {pl.loop_origin = "chunk_outer", pl.parallel}

// -----

// Left alone: a store that does not depend on the outer iteration is not hoisted either (it
// would run although the outer loop runs no iteration).
func.func @invariant_store(%flag: memref<?xf32>, %m: memref<?x?xf32>, %n1: index, %n2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: 'memref.store' in the outer chunk, before the inner chunked loop, would run once per inner iteration}}
  scf.for %i = %c0 to %n1 step %c1 {
    memref.store %one, %flag[%c0] : memref<?xf32>
    scf.for %j = %c0 to %n2 step %c1 {
      %x = memref.load %m[%i, %j] : memref<?x?xf32>
      memref.store %x, %m[%i, %j] : memref<?x?xf32>
    } {pl.chunk = 4, pl.parallel}
  } {pl.chunk = 2, pl.parallel}
  return
}

// -----

// Left alone: a load before the inner chunked loop would be repeated after the inner
// iterations wrote its element.
func.func @load_before(%m: memref<?x?xf32>, %n1: index, %n2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: 'memref.load' in the outer chunk, before the inner chunked loop, would run once per inner iteration}}
  scf.for %i = %c0 to %n1 step %c1 {
    %b = memref.load %m[%i, %c0] : memref<?x?xf32>
    scf.for %j = %c0 to %n2 step %c1 {
      %x = memref.load %m[%i, %j] : memref<?x?xf32>
      %s = arith.addf %x, %b : f32
      memref.store %s, %m[%i, %j] : memref<?x?xf32>
    } {pl.chunk = 4, pl.parallel}
  } {pl.chunk = 2, pl.parallel}
  return
}

// -----

// Three levels: all three chunk loops move out, all three in-chunk loops in, and the three
// guards combine at the innermost level (one task: a 2 x 4 x 3 block).
func.func @three_levels(%m: memref<?x?x?xf32>, %n1: index, %n2: index, %n3: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n1 step %c1 {
    scf.for %j = %c0 to %n2 step %c1 {
      scf.for %k = %c0 to %n3 step %c1 {
        %x = memref.load %m[%i, %j, %k] : memref<?x?x?xf32>
        memref.store %x, %m[%i, %j, %k] : memref<?x?x?xf32>
      } {pl.chunk = 3, pl.parallel}
    } {pl.chunk = 4, pl.parallel}
  } {pl.chunk = 2, pl.parallel}
  return
}
// CHECK-LABEL: func.func @three_levels(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               scf.for %{{.*}} = %{{.*}} to %c2
// CHECK-NEXT:            %[[K1:.*]] = arith.addi
// CHECK-NEXT:            scf.for %{{.*}} = %{{.*}} to %c4
// CHECK-NEXT:              %[[K2:.*]] = arith.addi
// CHECK-NEXT:              scf.for %{{.*}} = %{{.*}} to %c3
// CHECK-NEXT:                %[[K3:.*]] = arith.addi
// CHECK-NEXT:                %[[G1:.*]] = arith.cmpi ult, %[[K1]]
// CHECK-NEXT:                %[[G2:.*]] = arith.cmpi ult, %[[K2]]
// CHECK-NEXT:                %[[G3:.*]] = arith.cmpi ult, %[[K3]]
// CHECK-NEXT:                %[[G12:.*]] = arith.andi %[[G1]], %[[G2]] : i1
// CHECK-NEXT:                %[[G:.*]] = arith.andi %[[G12]], %[[G3]] : i1
// CHECK-NEXT:                scf.if %[[G]] {
// CHECK-NEXT:                  memref.load %{{.*}}[%[[K1]], %[[K2]], %[[K3]]]
// CHECK:                     } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:              } {pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:            } {pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK-NEXT:          } {pl.loop_origin = "chunk_outer", pl.parallel}
// CHECK-NEXT:        } {pl.loop_origin = "chunk_outer", pl.parallel}
// CHECK-NEXT:      } {pl.loop_origin = "chunk_outer", pl.parallel}

// -----

// Three levels, the third with a store before its chunk loop: the outer two are interchanged,
// and a remark at the second says why the third stays inside the task.
func.func @two_of_three(%m: memref<?x?x?xf32>, %v: memref<?xf32>, %n1: index, %n2: index, %n3: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  scf.for %i = %c0 to %n1 step %c1 {
    // expected-remark @below {{pl-interchange-chunk-loops: left as it is: 'memref.store' in the outer chunk, before the inner chunked loop, would run once per inner iteration}}
    scf.for %j = %c0 to %n2 step %c1 {
      memref.store %z, %v[%j] : memref<?xf32>
      scf.for %k = %c0 to %n3 step %c1 {
        %x = memref.load %m[%i, %j, %k] : memref<?x?x?xf32>
        memref.store %x, %m[%i, %j, %k] : memref<?x?x?xf32>
      } {pl.chunk = 3, pl.parallel}
    } {pl.chunk = 4, pl.parallel}
  } {pl.chunk = 2, pl.parallel}
  return
}
// CHECK-LABEL: func.func @two_of_three(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for %{{.*}} = %{{.*}} to %c2
// CHECK:               scf.for %{{.*}} = %{{.*}} to %c4
// CHECK:                 arith.andi
// CHECK-NEXT:            scf.if
// CHECK-NEXT:              memref.store
// CHECK:                   scf.for
// CHECK:                     scf.for %{{.*}} = %{{.*}} to %c3
// CHECK:                   } {pl.loop_origin = "chunk_outer", pl.parallel}

// -----

// Left alone: clamped chunks.
func.func @clamped(%m: memref<?x?xf32>, %n1: index, %n2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-remark @below {{pl-interchange-chunk-loops: left as it is: clamped chunks are not interchanged (the in-chunk loop's bound min(C, T - o*C) depends on its chunk); use guarded}}
  scf.for %i = %c0 to %n1 step %c1 {
    scf.for %j = %c0 to %n2 step %c1 {
      %x = memref.load %m[%i, %j] : memref<?x?xf32>
      memref.store %x, %m[%i, %j] : memref<?x?xf32>
    } {pl.chunk = 4, pl.parallel, pl.chunk_policy = "clamped"}
  } {pl.chunk = 2, pl.parallel, pl.chunk_policy = "clamped"}
  return
}
