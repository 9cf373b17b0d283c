// --split-input-file: each `// -----` chunk is processed on its own, diagnostics keep the line
// numbers of the whole file, a failing chunk prints nothing but the others still print, the
// output separates chunks as mlir-opt does, and the exit code reports the failure.
// RUN: %not %pypto-opt %s -split-input-file 2>&1 | %FileCheck %s
// RUN: %not %pypto-opt %s --split-input-file -p 'builtin.module(canonicalize)' 2>&1 | %FileCheck %s
// Without the flag the markers are plain comments: one module, which does not parse.
// RUN: %not %pypto-opt %s 2>&1 | %FileCheck %s --check-prefix=WHOLE

// CHECK-LABEL: func.func @first
// CHECK: // -----
// CHECK: split-input-file.mlir:34:3: error: 'pl.chunk' must be a positive integer, got 0
// CHECK-NEXT: {{^}}  scf.for %i = %c0 to %n step %c1 {
// CHECK-NEXT: {{^}}  ^
// CHECK: // -----
// CHECK: split-input-file.mlir:42:8: error: custom op 'arith.bogus' is unknown
// CHECK-NEXT: {{^}}  %x = arith.bogus
// CHECK-NEXT: {{^}}       ^
// CHECK: // -----
// CHECK-LABEL: func.func @last
// CHECK-NOT: error

// WHOLE: split-input-file.mlir:42:8: error: custom op 'arith.bogus' is unknown
// WHOLE-NOT: error
// WHOLE-NOT: module
func.func @first() {
  return
}

// -----

func.func @bad_chunk(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
  } {pl.chunk = 0}
  return
}

// -----

func.func @parse_error() {
  %x = arith.bogus
  return
}

// -----

func.func @last() {
  return
}
