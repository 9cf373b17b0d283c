// --no-implicit-module: the input is one op, printed as it is (no module around it), as
// mlir-opt does; with several top-level ops it is mlir-opt's error; pipelines need a module.
// RUN: %pypto-opt %s --split-input-file --no-implicit-module > %t.ours
// RUN: %mlir-opt %s --split-input-file --no-implicit-module > %t.upstream
// RUN: diff %t.ours %t.upstream
// RUN: %pypto-opt %s --split-input-file --no-implicit-module | %FileCheck %s
// RUN: %not %pypto-opt %s --no-implicit-module 2>&1 | %FileCheck %s --check-prefix=TWO
// RUN: %not %mlir-opt %s --no-implicit-module 2>&1 | %FileCheck %s --check-prefix=TWO
// RUN: %not %pypto-opt %s --split-input-file --no-implicit-module --cse 2>&1 | %FileCheck %s --check-prefix=PIPELINE
// RUN: %not %mlir-opt %s --split-input-file --no-implicit-module -p 'builtin.module(cse)' 2>&1 | %FileCheck %s --check-prefix=PIPELINE
// The module of the second part gets the pipeline:
// RUN: %not %pypto-opt %s --split-input-file --no-implicit-module --cse 2>/dev/null | %FileCheck %s --check-prefix=MODULE

// CHECK-NOT: module
// CHECK-LABEL: func.func @alone()
// CHECK: {{^// -{5}$}}
// CHECK-NEXT: module attributes {test.mine} {
// CHECK-LABEL: func.func @in_module()

// TWO: error: source must contain a single top-level operation, found: 2

// PIPELINE: no-implicit-module.mlir:[[@LINE+7]]:1: error: can't run 'builtin.module' pass manager on 'func.func' op
// PIPELINE-NEXT: {{^}}func.func @alone() {
// PIPELINE-NEXT: {{^}}^

// MODULE: module attributes {test.mine} {
// MODULE-NEXT: func.func @in_module()

func.func @alone() {
  return
}

// -----

module attributes {test.mine} {
  func.func @in_module() {
    return
  }
}
