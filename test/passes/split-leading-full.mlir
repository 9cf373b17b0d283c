// pl-split-chunked-loops, policy leading_full: the reference inventory of PyPTO's SplitChunkedLoops
// tests, after canonicalize and cse. The raw output (before canonicalize) must verify upstream.
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops{policy=leading_full}, canonicalize, cse)' | %FileCheck %s
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops{policy=leading_full})' -o %t.raw
// RUN: %mlir-opt --irdl-file=%pl-irdl -split-input-file --verify-roundtrip %t.raw > /dev/null
// RUN: %FileCheck %s --check-prefix=RAW < %t.raw

// RAW-NOT: pl.chunk

// 7 iterations, chunk 5: not divisible.
func.func @t7_c5(%x: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %one = arith.constant 1.0 : f32
  %r = scf.for %i = %c0 to %c7 step %c1 iter_args(%a = %x) -> f32 {
    %s = arith.addf %a, %one : f32
    scf.yield %s : f32
  } {pl.chunk = 5}
  return %r : f32
}

// One full chunk (no outer loop: a pl.single_chunk region, which canonicalize keeps) and a
// remainder of 2, chained.
// CHECK-LABEL: func.func @t7_c5(
// CHECK-SAME:      %[[X:.*]]: f32) -> f32
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C5:.*]] = arith.constant 5 : index
// CHECK:         %[[MAIN:.*]] = scf.execute_region -> f32 no_inline {
// CHECK:           scf.for %{{.*}} = %{{.*}} to %[[C5]] step %{{.*}} iter_args(%{{.*}} = %[[X]]) -> (f32) {
// CHECK-NOT:         scf.if
// CHECK:           } {pl.loop_origin = "chunk_inner"}
// CHECK:         } {pl.single_chunk}
// CHECK:         %[[REM:.*]] = scf.execute_region -> f32 no_inline {
// CHECK:           %[[LOOP:.*]] = scf.for %{{.*}} = %{{.*}} to %[[C2]] step %{{.*}} iter_args(%{{.*}} = %[[MAIN]]) -> (f32) {
// CHECK:           } {pl.loop_origin = "chunk_remainder"}
// CHECK:           scf.yield %[[LOOP]] : f32
// CHECK:         } {pl.remainder}
// CHECK:         return %[[REM]] : f32

// -----


// 10 iterations, chunk 5: divisible, so neither guard nor remainder.
func.func @t10_c5(%x: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %one = arith.constant 1.0 : f32
  %r = scf.for %i = %c0 to %c10 step %c1 iter_args(%a = %x) -> f32 {
    %s = arith.addf %a, %one : f32
    scf.yield %s : f32
  } {pl.chunk = 5}
  return %r : f32
}

// CHECK-LABEL: func.func @t10_c5(
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C5:.*]] = arith.constant 5 : index
// CHECK:         scf.for %{{.*}} = %{{.*}} to %[[C2]]
// CHECK:           scf.for %{{.*}} = %{{.*}} to %[[C5]]
// CHECK:           } {pl.loop_origin = "chunk_inner"}
// CHECK:         } {pl.loop_origin = "chunk_outer"}
// CHECK-NOT:     chunk_remainder

// -----


// 3 iterations, chunk 5: T < C, one outer iteration.
func.func @t3_c5(%x: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %one = arith.constant 1.0 : f32
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%a = %x) -> f32 {
    %s = arith.addf %a, %one : f32
    scf.yield %s : f32
  } {pl.chunk = 5}
  return %r : f32
}

// T < C: no full chunk, only the remainder.
// CHECK-LABEL: func.func @t3_c5(
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK:         scf.for %{{.*}} = %{{.*}} to %[[C3]]
// CHECK:         } {pl.loop_origin = "chunk_remainder"}
// CHECK-NOT:     chunk_outer

// -----


// 11 iterations, chunk 5.
func.func @t11_c5(%x: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c11 = arith.constant 11 : index
  %one = arith.constant 1.0 : f32
  %r = scf.for %i = %c0 to %c11 step %c1 iter_args(%a = %x) -> f32 {
    %s = arith.addf %a, %one : f32
    scf.yield %s : f32
  } {pl.chunk = 5}
  return %r : f32
}

// Two full chunks; the one-iteration remainder loop folds to its body, which stays in the
// marked region (a later stage still sees the remainder).
// CHECK-LABEL: func.func @t11_c5(
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK:         %[[MAIN:.*]] = scf.for %{{.*}} = %{{.*}} to %[[C2]]
// CHECK:         } {pl.loop_origin = "chunk_outer"}
// CHECK:         %[[REM:.*]] = scf.execute_region -> f32 no_inline {
// CHECK-NEXT:      %[[LAST:.*]] = arith.addf %[[MAIN]], %{{.*}} : f32
// CHECK-NEXT:      scf.yield %[[LAST]] : f32
// CHECK-NEXT:    } {pl.remainder}
// CHECK:         return %[[REM]] : f32

// -----


// range(0, 22, 2): T = 11, chunk 5; the body sees iv = 2*k.
func.func @step2(%out: memref<22xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c22 = arith.constant 22 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c22 step %c2 {
    memref.store %one, %out[%i] : memref<22xf32>
  } {pl.chunk = 5}
  return
}

// CHECK-LABEL: func.func @step2(
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C20:.*]] = arith.constant 20 : index
// CHECK:         scf.for %{{.*}} = %{{.*}} to %[[C2]]
// CHECK:             %[[K:.*]] = arith.addi
// CHECK:             %[[IV:.*]] = arith.muli %[[K]], %[[C2]] : index
// CHECK:             memref.store %{{.*}}, %{{.*}}[%[[IV]]]
// CHECK:         } {pl.loop_origin = "chunk_outer"}
// CHECK:         memref.store %{{.*}}, %{{.*}}[%[[C20]]]

// -----


// pl.parallel, 9 iterations, chunk 4: every generated loop stays parallel.
func.func @parallel9_c4(%out: memref<9xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c9 = arith.constant 9 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c9 step %c1 {
    memref.store %one, %out[%i] : memref<9xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}

// CHECK-LABEL: func.func @parallel9_c4(
// CHECK-DAG:     %[[C8:.*]] = arith.constant 8 : index
// CHECK:           } {pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK:         } {pl.loop_origin = "chunk_outer", pl.parallel}
// CHECK:         memref.store %{{.*}}, %{{.*}}[%[[C8]]]

// -----


// Dynamic trip count n.
func.func @dynamic_n(%x: f32, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %x) -> f32 {
    %s = arith.addf %a, %one : f32
    scf.yield %s : f32
  } {pl.chunk = 4}
  return %r : f32
}

// CHECK-LABEL: func.func @dynamic_n(
// CHECK-SAME:      %[[X:.*]]: f32, %[[N:.*]]: index) -> f32
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[POS:.*]] = arith.cmpi sgt, %[[N]], %[[C0]] : index
// CHECK:         %[[T:.*]] = arith.select %[[POS]], %[[N]], %[[C0]] : index
// CHECK:         %[[NF:.*]] = arith.divui %[[T]], %[[C4]] : index
// CHECK:         %[[NR:.*]] = arith.remui %[[T]], %[[C4]] : index
// CHECK:         %[[MAIN:.*]] = scf.for %{{.*}} = %[[C0]] to %[[NF]] step %{{.*}} iter_args(%{{.*}} = %[[X]])
// CHECK:           scf.for %{{.*}} = %[[C0]] to %[[C4]]
// CHECK-NOT:         scf.if
// CHECK:         } {pl.loop_origin = "chunk_outer"}
// CHECK:         %[[REM:.*]] = scf.execute_region -> f32 no_inline {
// CHECK:           scf.for %{{.*}} = %[[C0]] to %[[NR]] step %{{.*}} iter_args(%{{.*}} = %[[MAIN]])
// CHECK:           } {pl.loop_origin = "chunk_remainder"}
// CHECK:         } {pl.remainder}
// CHECK:         return %[[REM]]

// -----


// Dynamic lower and upper bounds.
func.func @dynamic_lo_hi(%out: memref<?xf32>, %lo: index, %hi: index) {
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %lo to %hi step %c1 {
    memref.store %one, %out[%i] : memref<?xf32>
  } {pl.chunk = 4}
  return
}

// CHECK-LABEL: func.func @dynamic_lo_hi(
// CHECK-SAME:      %[[OUT:.*]]: memref<?xf32>, %[[LO:.*]]: index, %[[HI:.*]]: index)
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[SPAN:.*]] = arith.subi %[[HI]], %[[LO]] : index
// CHECK:         %[[T:.*]] = arith.select %{{.*}}, %[[SPAN]], %{{.*}} : index
// CHECK:         %[[NF:.*]] = arith.divui %[[T]], %[[C4]] : index
// CHECK:         %[[NR:.*]] = arith.remui %[[T]], %[[C4]] : index
// CHECK:         %[[BASE:.*]] = arith.muli %[[NF]], %[[C4]] : index
// CHECK:         scf.for %{{.*}} = %{{.*}} to %[[NF]]
// CHECK:         } {pl.loop_origin = "chunk_outer"}
// CHECK:         scf.for %[[R:.*]] = %{{.*}} to %[[NR]]
// CHECK:           %[[K:.*]] = arith.addi %[[BASE]], %[[R]] : index
// CHECK:           %[[IV:.*]] = arith.addi %[[LO]], %[[K]] : index
// CHECK:           memref.store %{{.*}}, %[[OUT]][%[[IV]]]
// CHECK:         } {pl.loop_origin = "chunk_remainder"}

// -----


// A static zero-trip loop disappears; its result is its init.
func.func @zero_trip(%x: f32) -> f32 {
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %one = arith.constant 1.0 : f32
  %r = scf.for %i = %c5 to %c5 step %c1 iter_args(%a = %x) -> f32 {
    %s = arith.addf %a, %one : f32
    scf.yield %s : f32
  } {pl.chunk = 4}
  return %r : f32
}

// CHECK-LABEL: func.func @zero_trip(
// CHECK-SAME:      %[[X:.*]]: f32) -> f32
// CHECK-NEXT:    return %[[X]] : f32
