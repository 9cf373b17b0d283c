// --irdl-file=FILE loads the dialects an IRDL file defines, as in mlir-opt: their ops parse and
// verify. pl is always loaded; passing its own IRDL file (a copied mlir-opt command line) is
// harmless, redefining a loaded dialect is a located error (loading twice would abort).
// RUN: %pypto-opt %s --irdl-file=%S/Inputs/test-dialect.irdl.mlir > %t.ours
// RUN: %mlir-opt %s --irdl-file=%S/Inputs/test-dialect.irdl.mlir > %t.upstream
// RUN: diff %t.ours %t.upstream
// RUN: %pypto-opt %s --irdl-file=%S/Inputs/test-dialect.irdl.mlir | %FileCheck %s
// CHECK: "testd.use"(%{{.*}}) : (i32) -> ()
// RUN: %pypto-opt %s --irdl-file=%pl-irdl --allow-unregistered-dialect | %FileCheck %s
// Without the file, the op is unknown:
// RUN: %not %pypto-opt %s 2>&1 | %FileCheck %s --check-prefix=MISSING
// MISSING: error: operation being parsed with an unregistered dialect
// The op's verifier comes from the file:
// RUN: sed -e 's/: (i32)/: (i64)/; s/i32 = arith.constant 1 : i32/i32 = arith.constant 1 : i64/' %s | %not %pypto-opt - --irdl-file=%S/Inputs/test-dialect.irdl.mlir 2>&1 | %FileCheck %s --check-prefix=VERIFY
// VERIFY: error: expected 'i32' but got 'i64'
// RUN: echo 'irdl.dialect @arith {}' > %t.arith.irdl.mlir
// RUN: %not %pypto-opt %s --irdl-file=%t.arith.irdl.mlir 2>&1 | %FileCheck %s --check-prefix=TWICE
// TWICE: arith.irdl.mlir:1:1: error: dialect 'arith' is already loaded; an IRDL file cannot redefine it
// RUN: %not %pypto-opt %s --irdl-file=%t.missing 2>&1 | %FileCheck %s --check-prefix=NOFILE
// NOFILE: pypto-opt: error: could not open IRDL file '{{.*}}missing': no such file

func.func @f() {
  %i32 = arith.constant 1 : i32
  "testd.use"(%i32) : (i32) -> ()
  return
}
