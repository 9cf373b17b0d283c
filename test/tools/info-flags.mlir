// The informational flags: --list-passes, --version, --help, --print-irdl-path (the path alone,
// usable by upstream mlir-opt --irdl-file to parse our output).
// RUN: %pypto-opt --list-passes | %FileCheck %s --check-prefix=LIST
// RUN: %pypto-opt --version | %FileCheck %s --check-prefix=VERSION
// RUN: %pypto-opt --help | %FileCheck %s --check-prefix=HELP
// RUN: %pypto-opt -h | %FileCheck %s --check-prefix=HELP
// RUN: %pypto-opt --print-irdl-path | %FileCheck %s --check-prefix=IRDL
// RUN: bash -c '%pypto-opt %s | %mlir-opt --irdl-file="$(%pypto-opt --print-irdl-path)" --verify-roundtrip' | %FileCheck %s --check-prefix=UPSTREAM

// LIST: pl-split-chunked-loops  -
// LIST-NEXT: policy=guarded|leading_full|clamped|auto  (default guarded)
// LIST: pl-verify  -
// LIST: Pipelines
// LIST: pl-default  -
// LIST-NEXT: policy=guarded|leading_full|clamped|auto
// LIST: Upstream MLIR passes {{.*}}, by name in --pass-pipeline and as --flags:
// LIST-NEXT: {{^  [a-z0-9-]+  -  }}
// LIST: {{^  canonicalize  -  Canonicalize operations$}}
// LIST: {{^  cse  -  Eliminate common sub-expressions$}}
// LIST: Upstream MLIR pass pipelines:
// LIST-NEXT: {{^  [a-z0-9-]+  -  }}

// VERSION: pypto-opt (pypto-mlir) {{[0-9]+\.[0-9]+\.[0-9]+}}
// VERSION: LLVM 22

// HELP: usage: pypto-opt
// HELP-DAG: --pass-pipeline
// HELP-DAG: --split-input-file
// HELP-DAG: --verify-diagnostics
// HELP-DAG: --mlir-print-ir-after-all
// HELP-DAG: --list-passes
// HELP-DAG: --mlir-print-debuginfo
// HELP-DAG: --emit-bytecode
// HELP-DAG: --print-tools-dir
// HELP-DAG: -o FILE
// HELP: Per-pass flags

// IRDL: {{^/.*/pl\.irdl\.mlir$}}
// IRDL-NOT: {{.}}

// UPSTREAM: scf.for
// UPSTREAM: {pl.chunk = 4 : i64, pl.parallel}
func.func @f(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %a[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}
