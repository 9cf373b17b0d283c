// --split-input-file=MARKER and --output-split-marker=MARKER, diffed with mlir-opt: the input
// is cut at every occurrence of the marker, and locations keep their line and column in the
// whole file.
// RUN: %pypto-opt %S/Inputs/split-markers.mlir --split-input-file='// +++++' --output-split-marker='// ===' > %t.ours
// RUN: %mlir-opt %S/Inputs/split-markers.mlir --split-input-file='// +++++' --output-split-marker='// ===' > %t.upstream
// RUN: diff %t.ours %t.upstream
// RUN: %pypto-opt %S/Inputs/split-markers.mlir --split-input-file='// +++++' --output-split-marker='// ===' | %FileCheck %s
// RUN: %pypto-opt %S/Inputs/split-markers.mlir --split-input-file='// +++++' --mlir-print-debuginfo > %t.ours
// RUN: %mlir-opt %S/Inputs/split-markers.mlir --split-input-file='// +++++' --mlir-print-debuginfo > %t.upstream
// RUN: diff %t.ours %t.upstream
// An empty marker is the default one, as in mlir-opt:
// RUN: %pypto-opt %S/transparency.mlir --split-input-file= > %t.ours
// RUN: %mlir-opt %S/transparency.mlir --split-input-file= > %t.upstream
// RUN: diff %t.ours %t.upstream
// RUN: %FileCheck %s --check-prefix=EMPTY < %t.ours
// EMPTY: {{^// -{5}$}}
// The default marker does not occur here: one part, which holds both functions.
// RUN: %pypto-opt %S/Inputs/split-markers.mlir --split-input-file | %FileCheck %s --check-prefix=WHOLE

// CHECK-LABEL: func.func @first
// CHECK-NEXT: return
// CHECK: {{^// ===$}}
// CHECK-LABEL: func.func @second

// WHOLE: module {
// WHOLE-NEXT: func.func @first
// WHOLE-NOT: module
// WHOLE: func.func @second
// An error in the second part is located in the whole file, line and column, as mlir-opt does:
// RUN: sed -e 's|// the rest.*|"bad.op"() : () -> ()|' %S/Inputs/split-markers.mlir | %not %pypto-opt - --split-input-file='// +++++' 2>&1 | %FileCheck %s --check-prefix=ERROR
// RUN: sed -e 's|// the rest.*|"bad.op"() : () -> ()|' %S/Inputs/split-markers.mlir | %not %mlir-opt - --split-input-file='// +++++' 2>&1 | %FileCheck %s --check-prefix=ERROR
// ERROR: <stdin>:5:18: error: {{.*}}unregistered dialect
