// pl-split-chunked-loops, policy guarded: the reference inventory of PyPTO's SplitChunkedLoops
// tests, after canonicalize and cse. The raw output (before canonicalize) must verify upstream.
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops{policy=guarded}, canonicalize, cse)' | %FileCheck %s
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-split-chunked-loops{policy=guarded})' -o %t.raw
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

// CHECK-LABEL: func.func @t7_c5(
// CHECK-SAME:      %[[X:.*]]: f32) -> f32
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C5:.*]] = arith.constant 5 : index
// CHECK-DAG:     %[[C7:.*]] = arith.constant 7 : index
// CHECK:         %[[R:.*]] = scf.for %[[O:.*]] = %[[C0]] to %[[C2]] step %[[C1]] iter_args(%[[A:.*]] = %[[X]]) -> (f32) {
// CHECK:           %[[BASE:.*]] = arith.muli %[[O]], %[[C5]] : index
// CHECK:           %[[IN:.*]] = scf.for %[[I:.*]] = %[[C0]] to %[[C5]] step %[[C1]] iter_args(%[[B:.*]] = %[[A]]) -> (f32) {
// CHECK:             %[[K:.*]] = arith.addi %[[BASE]], %[[I]] : index
// CHECK:             %[[G:.*]] = arith.cmpi ult, %[[K]], %[[C7]] : index
// CHECK:             %[[PHI:.*]] = scf.if %[[G]] -> (f32) {
// CHECK:               %[[S:.*]] = arith.addf %[[B]], %{{.*}} : f32
// CHECK:               scf.yield %[[S]] : f32
// CHECK:             } else {
// CHECK:               scf.yield %[[B]] : f32
// CHECK:             }
// CHECK:             scf.yield %[[PHI]] : f32
// CHECK:           } {pl.guarded, pl.loop_origin = "chunk_inner"}
// CHECK:           scf.yield %[[IN]] : f32
// CHECK:         } {pl.loop_origin = "chunk_outer"}
// CHECK:         return %[[R]] : f32

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
// CHECK-NOT:         scf.if
// CHECK:             arith.addf
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

// The single outer iteration folds away; the guard masks iterations 3 and 4.
// CHECK-LABEL: func.func @t3_c5(
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C5:.*]] = arith.constant 5 : index
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %[[C5]] step %{{.*}} iter_args
// CHECK:           %[[G:.*]] = arith.cmpi ult, %[[I]], %[[C3]] : index
// CHECK:           scf.if %[[G]] -> (f32)
// CHECK:         } {pl.guarded, pl.loop_origin = "chunk_inner"}
// CHECK-NOT:     scf.for

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

// CHECK-LABEL: func.func @t11_c5(
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C11:.*]] = arith.constant 11 : index
// CHECK:         scf.for %{{.*}} = %{{.*}} to %[[C3]]
// CHECK:           scf.for
// CHECK:             arith.cmpi ult, %{{.*}}, %[[C11]] : index
// CHECK:             scf.if
// CHECK-NOT:     chunk_remainder

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
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C11:.*]] = arith.constant 11 : index
// CHECK:         scf.for %{{.*}} = %{{.*}} to %[[C3]]
// CHECK:           scf.for
// CHECK:             %[[K:.*]] = arith.addi
// CHECK:             %[[G:.*]] = arith.cmpi ult, %[[K]], %[[C11]] : index
// CHECK:             scf.if %[[G]] {
// CHECK:               %[[IV:.*]] = arith.muli %[[K]], %[[C2]] : index
// CHECK:               memref.store %{{.*}}, %{{.*}}[%[[IV]]]

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
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C9:.*]] = arith.constant 9 : index
// CHECK:         scf.for %{{.*}} = %{{.*}} to %[[C3]]
// CHECK:             arith.cmpi ult, %{{.*}}, %[[C9]] : index
// CHECK:           } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK:         } {pl.loop_origin = "chunk_outer", pl.parallel}

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

// T = max(n, 0) (no subtraction: lb = 0), ceildiv(T, 4) chunks, guard k < T.
// CHECK-LABEL: func.func @dynamic_n(
// CHECK-SAME:      %[[X:.*]]: f32, %[[N:.*]]: index) -> f32
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[POS:.*]] = arith.cmpi sgt, %[[N]], %[[C0]] : index
// CHECK:         %[[T:.*]] = arith.select %[[POS]], %[[N]], %[[C0]] : index
// CHECK:         %[[NO:.*]] = arith.ceildivui %[[T]], %[[C4]] : index
// CHECK:         scf.for %[[O:.*]] = %[[C0]] to %[[NO]]
// CHECK:           scf.for
// CHECK:             %[[K:.*]] = arith.addi
// CHECK:             arith.cmpi ult, %[[K]], %[[T]] : index
// CHECK:             scf.if
// CHECK:             } else {

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
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[SPAN:.*]] = arith.subi %[[HI]], %[[LO]] : index
// CHECK:         %[[POS:.*]] = arith.cmpi sgt, %[[HI]], %[[LO]] : index
// CHECK:         %[[T:.*]] = arith.select %[[POS]], %[[SPAN]], %[[C0]] : index
// CHECK:         %[[NO:.*]] = arith.ceildivui %[[T]], %[[C4]] : index
// CHECK:         scf.for %{{.*}} = %[[C0]] to %[[NO]]
// CHECK:             %[[K:.*]] = arith.addi
// CHECK:             %[[G:.*]] = arith.cmpi ult, %[[K]], %[[T]] : index
// CHECK:             scf.if %[[G]] {
// CHECK:               %[[IV:.*]] = arith.addi %[[LO]], %[[K]] : index
// CHECK:               memref.store %{{.*}}, %[[OUT]][%[[IV]]]

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
