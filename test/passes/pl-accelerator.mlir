// pl-accelerator = pl-default with pl-interchange-chunk-loops right after the split: the chunk
// loops of a nest of parallel chunked loops come out (one task = a block of chunks); pl-default
// leaves the nest as it is. Option variants: the policy reaches the split pass (under
// leading_full a remainder loop follows the inner chunk loop: interchange says why it stops).
// RUN: %pypto-opt %s -p 'builtin.module(pl-accelerator)' > %t.named
// RUN: %FileCheck %s --check-prefix=ACCEL < %t.named
// RUN: %pypto-opt %s -p 'builtin.module(pl-default)' | %FileCheck %s --check-prefix=DEFAULT
// RUN: %pypto-opt %s -p 'builtin.module(pl-accelerator{policy=leading_full unswitch=false})' 2>&1 | %FileCheck %s --check-prefix=LF
// The expansion, step for step:
// RUN: %pypto-opt %s -p 'builtin.module(pl-verify, pl-split-chunked-loops{policy=guarded}, pl-interchange-chunk-loops, pl-unswitch-guards, pl-normalize-int-loops, canonicalize, cse)' > %t.steps
// RUN: diff %t.named %t.steps

// ACCEL-LABEL: func.func @nest(
// ACCEL:         scf.for %[[O1:.*]] =
// ACCEL-NEXT:      arith.muli %[[O1]]
// ACCEL-NEXT:      scf.for %[[O2:.*]] =
// ACCEL-NEXT:        arith.muli %[[O2]]
// ACCEL-NEXT:        scf.for
// ACCEL-NEXT:          arith.addi
// ACCEL-NEXT:          scf.for
// DEFAULT-LABEL: func.func @nest(
// DEFAULT:         scf.for %[[O1:.*]] =
// DEFAULT:           scf.for %[[I1:.*]] =
// DEFAULT:             scf.for %[[O2:.*]] =
// DEFAULT:             } {pl.loop_origin = "chunk_outer", pl.parallel}
// DEFAULT:           } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// DEFAULT-NEXT:    } {pl.loop_origin = "chunk_outer", pl.parallel}
// LF: pl-accelerator.mlir:[[@LINE+7]]:3: remark: pl-interchange-chunk-loops: left as it is: other work follows the inner chunked loop in the outer chunk
// LF-LABEL: func.func @nest(
// LF:           pl.loop_origin = "chunk_outer"
// LF:           pl.loop_origin = "chunk_remainder"
func.func @nest(%m: memref<?x?xf32>, %n1: index, %n2: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n1 step %c1 {
    scf.for %j = %c0 to %n2 step %c1 {
      %x = memref.load %m[%i, %j] : memref<?x?xf32>
      %y = arith.addf %x, %x : f32
      memref.store %y, %m[%i, %j] : memref<?x?xf32>
    } {pl.chunk = 4, pl.parallel}
  } {pl.chunk = 2, pl.parallel}
  return
}
