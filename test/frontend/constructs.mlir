// The MLIR of each construct of the Python front end's subset (docs/frontend.md), one function
// each in test/frontend/Inputs/constructs.py; test/python/test_frontend_language.py runs them.
// RUN: %pypto-opt %S/Inputs/constructs.py 2>%t.remarks | %FileCheck %s
// RUN: %FileCheck %s --check-prefix=REMARK < %t.remarks
// RUN: %pypto-opt %S/Inputs/constructs.py -p 'builtin.module(pl-default)' 2>/dev/null | %FileCheck %s --check-prefix=SPLIT
// RUN: %pypto-opt %S/Inputs/constructs.py --mlir-print-debuginfo --mlir-print-local-scope 2>/dev/null | %FileCheck %s --check-prefix=LOC

// Dynamic dims from pl.dynamic: memref.dim of the first argument that has one; a chunk= loop
// with its policy; a @pl.jit.inline call emitted in place; directions as argument attributes.
// CHECK-LABEL: func.func @chunked_rows(
// CHECK-SAME:    %[[X:.*]]: memref<?x8xf32> {pl.direction = "in"}, %[[Y:.*]]: memref<?x8xf32> {pl.direction = "out"})
// CHECK:         %[[N:.*]] = memref.dim %[[X]], %c0
// CHECK:         scf.for %[[R:.*]] = %{{.*}} to %[[N]] step %{{.*}} {
// CHECK:           %[[ROW:.*]] = memref.subview %[[X]][%[[R]], 0] [1, 8] [1, 1]
// CHECK:           %[[T:.*]] = memref.alloc() : memref<1x8xf32>
// CHECK:           linalg.generic {{.*}} ins(%[[ROW]] {{.*}} outs(%[[T]]
// CHECK:             arith.mulf
// CHECK:           %[[DST:.*]] = memref.subview %[[Y]][%[[R]], 0] [1, 8] [1, 1]
// CHECK:           linalg.copy ins(%[[T]] : memref<1x8xf32>) outs(%[[DST]]
// CHECK:           memref.dealloc %[[T]]
// CHECK:         } {pl.chunk = 4 : i64, pl.chunk_policy = "leading_full", pl.parallel}

// with pl.at(level=CORE_GROUP, name_hint=...): a no_inline scope inside an unchunked pl.parallel.
// CHECK-LABEL: func.func @scoped(
// CHECK-SAME:    {pl.direction = "inout"}
// CHECK:         scf.for
// CHECK:           scf.execute_region no_inline {
// CHECK:             math.exp
// CHECK:             scf.yield
// CHECK:           } {pl.at = "core_group", pl.name_hint = "rows4"}
// CHECK:         } {pl.parallel}

// A scalar reassigned in a loop is carried in iter_args, in a branch in scf.if results;
// init_values / pl.yield_ spell the same out.
// CHECK-LABEL: func.func @carried(
// CHECK:         %[[SUM:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (f32) {
// CHECK:           %[[C:.*]] = arith.cmpf ogt
// CHECK:           %[[IF:.*]] = scf.if %[[C]] -> (f32) {
// CHECK:             arith.addf %[[ACC]]
// CHECK:           } else {
// CHECK:             scf.yield %[[ACC]] : f32
// CHECK:           scf.yield %[[IF]] : f32
// CHECK:         %[[MAX:.*]] = scf.for {{.*}} iter_args(%[[M:.*]] = %cst{{.*}}) -> (f32) {
// CHECK:           arith.maximumf %[[M]]
// CHECK:         arith.addf %[[SUM]], %[[MAX]]

// Each argument carries the location of its Python parameter (one per line here), the ops
// theirs.
// LOC-LABEL: func.func @padded(
// LOC-SAME:    %{{.*}}: memref<6x8xf32> {pl.direction = "in"} loc("{{.*}}constructs.py":53:13),
// LOC-SAME:    %{{.*}}: index loc("{{.*}}constructs.py":54:13),
// LOC-SAME:    %{{.*}}: memref<4x8xf32> {pl.direction = "out"} loc("{{.*}}constructs.py":55:13))
// LOC:         arith.minsi {{.*}} loc("{{.*}}constructs.py":57:58)

// valid_shape: only the valid window is read (dynamic size), into a padded tile; fillpad.
// CHECK-LABEL: func.func @padded(
// CHECK:         %[[V:.*]] = arith.minsi
// CHECK:         %[[W:.*]] = memref.subview %{{.*}}[2, 0] [%[[V]], 8] [1, 1] : memref<6x8xf32> to memref<?x8xf32, strided<[8, 1], offset: 16>>
// CHECK:         linalg.fill
// CHECK:         linalg.copy ins(%[[W]]
// CHECK:         arith.constant 0xFF800000 : f32

// pl.Tuple results; self.f(...) is a func.call, and the caller frees the callee's tiles.
// CHECK-LABEL: func.func @row_stats(
// CHECK-SAME:    -> (memref<4x1xf32>, memref<4x1xf32>)
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK:           arith.maximumf
// CHECK:         return %{{.*}}, %{{.*}} : memref<4x1xf32>, memref<4x1xf32>
// CHECK-LABEL: func.func @calls(
// CHECK:         %[[S:.*]]:2 = call @row_stats(
// CHECK:         arith.subf
// CHECK-DAG:     memref.dealloc %[[S]]#0
// CHECK-DAG:     memref.dealloc %[[S]]#1

// An optimizer with nothing to do keeps the scope, with a remark at the optimizer.
// CHECK-LABEL: func.func @ignored(
// CHECK:         scf.execute_region no_inline
// REMARK: constructs.py:82:32: remark: pl.auto_chunk is ignored: this scope has no loop with chunk=
// REMARK: constructs.py:82:47: remark: pl.split(SplitMode.UP_DOWN) is ignored: the targets model no core split

// pl-default splits the chunk= loop as the hand-written MLIR's.
// SPLIT-LABEL: func.func @chunked_rows(
// SPLIT:         {pl.loop_origin = "chunk_inner", pl.parallel}
// SPLIT:         {pl.loop_origin = "chunk_outer", pl.parallel}
// SPLIT:         {pl.loop_origin = "chunk_remainder", pl.parallel}

// pl.full(shape, dtype=, value=): a tile buffer filled with the value (linalg.fill), freed at the
// end of the function.
// CHECK-LABEL: func.func @filled(
// CHECK:         %[[BIAS:.*]] = memref.alloc() : memref<2x8xf32>
// CHECK:         %[[V:.*]] = arith.constant 1.500000e+00 : f32
// CHECK:         linalg.fill ins(%[[V]] : f32) outs(%[[BIAS]] : memref<2x8xf32>)
// CHECK:         linalg.generic {{.*}} ins(%{{.*}}, %[[BIAS]] :
// CHECK:           arith.addf
// CHECK:         memref.dealloc %[[BIAS]]

// pl.parallel(0, n, chunk=C): step 1 (a second builder in the file).
// CHECK-LABEL: func.func @twice(
// CHECK:         scf.for %{{.*}} = %c0{{.*}} to %c10{{.*}} step %c1{{.*}} {
// CHECK:         } {pl.chunk = 4 : i64, pl.parallel}
