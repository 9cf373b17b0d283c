// --mlir-print-debuginfo and --mlir-print-local-scope print what mlir-opt prints, and a pipe of
// stages keeps the original file's locations: mlir-opt | pypto-opt | mlir-opt.
// RUN: %pypto-opt %s --mlir-print-debuginfo > %t.ours
// RUN: %mlir-opt --irdl-file=%pl-irdl %s --mlir-print-debuginfo > %t.upstream
// RUN: diff %t.ours %t.upstream
// RUN: %pypto-opt %s --mlir-print-debuginfo --mlir-print-local-scope > %t.ours
// RUN: %mlir-opt --irdl-file=%pl-irdl %s --mlir-print-debuginfo --mlir-print-local-scope > %t.upstream
// RUN: diff %t.ours %t.upstream
// From stdin the locations name <stdin>, as mlir-opt's do:
// RUN: %pypto-opt - --mlir-print-debuginfo < %s > %t.ours
// RUN: %mlir-opt --irdl-file=%pl-irdl - --mlir-print-debuginfo < %s > %t.upstream
// RUN: diff %t.ours %t.upstream
//
// The pipe: every op of the last stage's output still points into this file, the ops our pass
// made at the loop they came from.
// RUN: %mlir-opt --irdl-file=%pl-irdl %s --mlir-print-debuginfo \
// RUN:   | %pypto-opt - -p 'builtin.module(pl-default)' --mlir-print-debuginfo \
// RUN:   | %mlir-opt --irdl-file=%pl-irdl --mlir-print-debuginfo --mlir-print-local-scope \
// RUN:   | %FileCheck %s --check-prefix=PIPE
// PIPE-LABEL: func.func @store_all
// PIPE-NOT: loc("<stdin>"
// PIPE: arith.ceildivui {{.*}} loc("{{.*}}debuginfo.mlir":[[@LINE+16]]:3)
// PIPE: memref.store {{.*}} loc("{{.*}}debuginfo.mlir":[[@LINE+16]]:5)
// PIPE-NOT: loc("<stdin>"
//
// An error in a later stage is reported at this file's line, with that line echoed under it
// (the line of the file, not of the text the stage read):
// RUN: %mlir-opt --irdl-file=%pl-irdl %s --mlir-print-debuginfo | sed -e 's/pl.chunk = 4/pl.chunk = 0/' \
// RUN:   | %not %pypto-opt - --pl-verify 2>&1 | %FileCheck %s --check-prefix=ERROR
// ERROR: debuginfo.mlir:[[@LINE+8]]:3: error: 'pl.chunk' must be a positive integer, got 0
// ERROR-NEXT: {{^}}  scf.for %i = %c0 to %n step %c1 {
// ERROR-NEXT: {{^}}  ^

func.func @store_all(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %a[%i] : memref<?xf32>
  } {pl.chunk = 4}
  return
}
