// --allow-unregistered-dialect is off by default: an unknown op is a located error (exit 1);
// with the flag it parses and prints.
// RUN: %not %pypto-opt %s 2>&1 | %FileCheck %s --check-prefix=OFF
// RUN: %pypto-opt %s --allow-unregistered-dialect -allow-unregistered-dialect --cse | %FileCheck %s --check-prefix=ON

// OFF: unregistered.mlir:11:{{[0-9]+}}: error: operation being parsed with an unregistered dialect
// OFF-NOT: module
// ON-LABEL: func.func @f
// ON: "foo.bar"() {x = 1 : i64} : () -> ()
func.func @f() {
  "foo.bar"() {x = 1} : () -> ()
  return
}
