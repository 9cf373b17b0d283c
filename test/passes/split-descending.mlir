// A descending loop (PyPTO's range(10, 0, -1) with chunk 4) built with the builder API: an
// ascending scf.for over the trip count k, iv = 10 - k in the body, then split.
// RUN: %python %S/Inputs/descending.py > %t.built
// RUN: %FileCheck %s --check-prefix=BUILT < %t.built
// RUN: %pypto-opt %t.built -p 'builtin.module(pl-split-chunked-loops, canonicalize, cse)' | %FileCheck %s
// RUN: %pypto-opt %t.built -p 'builtin.module(pl-split-chunked-loops{policy=leading_full}, canonicalize, cse)' | %FileCheck %s --check-prefix=LF

// BUILT-LABEL: func.func @descending(
// BUILT:         scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// BUILT:         } {pl.chunk = 4 : i64}

// T = 10, C = 4: three chunks, the last one guarded (k < 10); iv = 10 - k.
// CHECK-LABEL: func.func @descending(
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C10:.*]] = arith.constant 10 : index
// CHECK:         scf.for %{{.*}} = %{{.*}} to %[[C3]]
// CHECK:             %[[K:.*]] = arith.addi
// CHECK:             %[[G:.*]] = arith.cmpi ult, %[[K]], %[[C10]] : index
// CHECK:             scf.if %[[G]] -> (index) {
// CHECK:               arith.subi %[[C10]], %[[K]] : index

// LF-LABEL: func.func @descending(
// LF:         } {pl.loop_origin = "chunk_outer"}
// LF:         } {pl.loop_origin = "chunk_remainder"}
