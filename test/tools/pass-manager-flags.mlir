// mlir-opt's pass-manager flags, compared with mlir-opt on an upstream pipeline:
// --dump-pass-pipeline, --verify-each[=0], --mlir-pass-statistics, --mlir-timing.
// RUN: %pypto-opt %s -p 'builtin.module(cse, func.func(canonicalize{max-iterations=3}))' --dump-pass-pipeline 2>%t.ours >/dev/null
// RUN: %mlir-opt %s -p 'builtin.module(cse, func.func(canonicalize{max-iterations=3}))' --dump-pass-pipeline 2>%t.upstream >/dev/null
// RUN: diff %t.ours %t.upstream
// Our passes appear by name, in the order they run:
// RUN: %pypto-opt %s -p 'builtin.module(pl-default{unswitch=false})' --dump-pass-pipeline 2>&1 >/dev/null | %FileCheck %s --check-prefix=DUMP
// DUMP:      Pass Manager with 5 passes:
// DUMP-NEXT: builtin.module(
// DUMP-NEXT:   pl-verify,
// DUMP-NEXT:   pl-split-chunked-loops,
// DUMP-NEXT:   pl-normalize-int-loops,
// DUMP-NEXT:   canonicalize{{[{].*[}]}},
// DUMP-NEXT:   cse
// DUMP-NEXT: )
//
// RUN: %pypto-opt %s --canonicalize --verify-each=0 > %t.ours
// RUN: %mlir-opt %s --canonicalize --verify-each=0 > %t.upstream
// RUN: diff %t.ours %t.upstream
// RUN: %pypto-opt %s --canonicalize -verify-each=false > %t.ours
// RUN: diff %t.ours %t.upstream
//
// RUN: %pypto-opt %s --canonicalize --cse --mlir-pass-statistics 2>%t.ours >/dev/null
// RUN: %mlir-opt %s --canonicalize --cse --mlir-pass-statistics 2>%t.upstream >/dev/null
// RUN: diff %t.ours %t.upstream
//
// The timing report has mlir-opt's rows: Parser first, the passes, Output, Rest, Total.
// RUN: %pypto-opt %s --canonicalize --pl-split-chunked-loops --mlir-timing 2>&1 >/dev/null | %FileCheck %s --check-prefix=TIMING
// RUN: %mlir-opt %s --canonicalize --mlir-timing 2>&1 >/dev/null | %FileCheck %s --check-prefix=TIMING-UPSTREAM
// TIMING: Execution time report
// TIMING: Total Execution Time: [[TOTAL:[0-9.]+]] seconds
// TIMING: ----Wall Time----  ----Name----
// TIMING-NEXT: {{^    [0-9.]+ \( *[0-9.]+%\)  Parser$}}
// TIMING-NEXT: {{^    [0-9.]+ \( *[0-9.]+%\)  Canonicalizer$}}
// TIMING-NEXT: {{^    [0-9.]+ \( *[0-9.]+%\)  SplitChunkedLoops$}}
// TIMING-NEXT: {{^    [0-9.]+ \( *[0-9.]+%\)  Output$}}
// TIMING-NEXT: {{^    [0-9.]+ \( *[0-9.]+%\)  Rest$}}
// TIMING-NEXT: {{^    }}[[TOTAL]] (100.0%)  Total
// TIMING-UPSTREAM: ----Wall Time----  ----Name----
// TIMING-UPSTREAM-NEXT: {{^    [0-9.]+ \( *[0-9.]+%\)  Parser$}}
// TIMING-UPSTREAM-NEXT: {{^    [0-9.]+ \( *[0-9.]+%\)  Canonicalizer$}}
// TIMING-UPSTREAM-NEXT: {{^    [0-9.]+ \( *[0-9.]+%\)  Output$}}
// TIMING-UPSTREAM-NEXT: {{^    [0-9.]+ \( *[0-9.]+%\)  Rest$}}

func.func @f(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  %unused = arith.addf %one, %one : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %a[%i] : memref<?xf32>
  } {pl.chunk = 4}
  return
}
