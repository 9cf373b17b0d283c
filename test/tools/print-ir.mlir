// IR printing, generic form and timing, for our passes and upstream ones alike.
// RUN: %pypto-opt %s --pl-split-chunked-loops --canonicalize --mlir-print-ir-after-all 2>&1 >/dev/null | %FileCheck %s --check-prefix=AFTER
// RUN: %pypto-opt %s -p 'builtin.module(pl-verify, cse)' --mlir-print-ir-before-all 2>&1 >/dev/null | %FileCheck %s --check-prefix=BEFORE
// RUN: %pypto-opt %s --pl-verify --mlir-print-ir-after-all --mlir-print-op-generic 2>&1 | %FileCheck %s --check-prefix=GENERIC
// RUN: %pypto-opt %s --pl-split-chunked-loops --cse --mlir-timing 2>&1 >/dev/null | %FileCheck %s --check-prefix=TIMING

// AFTER: // -----// IR Dump After SplitChunkedLoops (pl-split-chunked-loops) //----- //
// AFTER-NEXT: module {
// AFTER: pl.loop_origin = "chunk_outer"
// AFTER: // -----// IR Dump After Canonicalizer (canonicalize) //----- //
// AFTER-NEXT: module {
// AFTER-NOT: IR Dump

// BEFORE: // -----// IR Dump Before Verify (pl-verify) //----- //
// BEFORE: pl.chunk = 4
// BEFORE: // -----// IR Dump Before CSE (cse) //----- //
// BEFORE-NOT: IR Dump

// GENERIC: // -----// IR Dump After Verify (pl-verify) //----- //
// GENERIC-NEXT: "builtin.module"() ({
// GENERIC: "scf.for"(%{{.*}}, %{{.*}}, %{{.*}}) ({
// GENERIC: }) {pl.chunk = 4 : i64} : (index, index, index) -> ()
// The printed result is generic too:
// GENERIC: "builtin.module"() ({
// GENERIC: "func.func"() <{function_type = (memref<?xf32>, index) -> (), sym_name = "f"}>

// TIMING: Execution time report
// TIMING: Total Execution Time:
// TIMING: Name
// TIMING-DAG: SplitChunkedLoops
// TIMING-DAG: CSE
// TIMING: Total
func.func @f(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %a[%i] : memref<?xf32>
  } {pl.chunk = 4}
  return
}
