// MLIR bytecode in and out (--emit-bytecode), with mlir-opt on either side: a round trip gives
// back the text, and the bytecode keeps the locations of this file.
// RUN: %pypto-opt %s > %t.text
// RUN: %pypto-opt %s --emit-bytecode -o %t.mlirbc
// RUN: %pypto-opt %t.mlirbc > %t.roundtrip
// RUN: diff %t.text %t.roundtrip
// RUN: %pypto-opt %s --emit-bytecode | %pypto-opt - > %t.piped
// RUN: diff %t.text %t.piped
// mlir-opt reads ours, and we read mlir-opt's, as bytecode:
// RUN: %mlir-opt --irdl-file=%pl-irdl %t.mlirbc > %t.upstream
// RUN: diff %t.text %t.upstream
// RUN: %mlir-opt --irdl-file=%pl-irdl %s --emit-bytecode | %pypto-opt - -p 'builtin.module(pl-split-chunked-loops)' | %FileCheck %s
// CHECK-LABEL: func.func @store_all
// CHECK: pl.loop_origin = "chunk_outer"
// Locations survive the bytecode:
// RUN: %pypto-opt %s --emit-bytecode | %mlir-opt --irdl-file=%pl-irdl --mlir-print-debuginfo --mlir-print-local-scope | %FileCheck %s --check-prefix=LOC
// LOC: memref.store {{.*}} loc("{{.*}}bytecode.mlir":[[@LINE+13]]:5)
// Bytecode is written to a file or a pipe, and cannot be split:
// RUN: %not %pypto-opt %s --emit-bytecode -split-input-file 2>&1 | %FileCheck %s --check-prefix=SPLIT
// SPLIT: pypto-opt: error: --emit-bytecode cannot be combined with --split-input-file
// pypto-run reads bytecode too:
// RUN: %pypto-run %t.mlirbc --entry twice --arg 21 | %FileCheck %s --check-prefix=RESULT
// RESULT: result0 = 42

func.func @store_all(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %a[%i] : memref<?xf32>
  } {pl.chunk = 4}
  return
}

func.func @twice(%n: index) -> index {
  %r = arith.addi %n, %n : index
  return %r : index
}
