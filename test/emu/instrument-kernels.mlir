// Orchestration and task counters. Each launch group is bracketed by group_begin(id, flags)
// and group_end(id): the loop of a per-iteration kernel (flags bit 0: chained by iter_args), or
// the call itself. Each kernel call: task_begin(kernel), the task counters zeroed, the call,
// task_end(kernel, the eight counters). In the kernel, each block adds its static counts to
// local counters (allocas of the entry block) at its start; the guard's else branch counts a
// masked iteration; the return adds the locals to @__pl_emu_counters.
// RUN: %python %S/Inputs/emu-instrument.py %s -p 'builtin.module(pl-default{unswitch=false}, pl-outline-kernels)' | %FileCheck %s

// CHECK-LABEL: func.func @vadd(
// CHECK:   call @pl_emu_group_begin(%c0_i64, %c0_i64) : (i64, i64) -> ()
// CHECK-NEXT: scf.for
// CHECK-NEXT:   func.call @pl_emu_task_begin(%c0_i64) : (i64) -> ()
// CHECK-NEXT:   %[[G:.*]] = memref.get_global @__pl_emu_counters : memref<8xi64>
// CHECK-COUNT-8: memref.store %c0_i64, %[[G]][%{{.*}}] : memref<8xi64>
// CHECK-NEXT:   func.call @vadd_k0(
// CHECK-NEXT:   %[[G2:.*]] = memref.get_global @__pl_emu_counters : memref<8xi64>
// CHECK-COUNT-8: memref.load %[[G2]][%{{.*}}] : memref<8xi64>
// CHECK-NEXT:   func.call @pl_emu_task_end(%c0_i64, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
// CHECK-NEXT: } {pl.loop_origin = "chunk_outer", pl.parallel}
// CHECK-NEXT: call @pl_emu_group_end(%c0_i64) : (i64) -> ()
func.func @vadd(%a: memref<?xf32>, %b: memref<?xf32>, %c: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    %y = memref.load %b[%i] : memref<?xf32>
    %s = arith.addf %x, %y : f32
    memref.store %s, %c[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}

// The chained loop: flags = 1.
// CHECK-LABEL: func.func @total(
// CHECK:   call @pl_emu_group_begin(%c1_i64, %c1_i64) : (i64, i64) -> ()
// CHECK:   func.call @pl_emu_task_begin(%c1_i64) : (i64) -> ()
// CHECK:   func.call @total_k0(
// CHECK:   func.call @pl_emu_task_end(%c1_i64,
// CHECK:   call @pl_emu_group_end(%c1_i64) : (i64) -> ()
func.func @total(%a: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> f32 {
    %x = memref.load %a[%i] : memref<?xf32>
    %t = arith.addf %acc, %x : f32
    scf.yield %t : f32
  } {pl.chunk = 4, pl.parallel}
  return %s : f32
}

// The kernel of @vadd: locals, per-block counts, the masked iteration, the flush.
// CHECK-LABEL: func.func private @vadd_k0(
// CHECK-SAME: %{{.*}}: index, %{{.*}}: index, %{{.*}}: memref<?xf32>, %{{.*}}: memref<?xf32>, %{{.*}}: memref<?xf32>, %{{.*}}: i1, %{{.*}}: i1, %{{.*}}: i1) attributes {pl.kernel}
// CHECK:      %[[SCALAR:.*]] = memref.alloca() : memref<i64>
// CHECK-COUNT-6: memref.alloca() : memref<i64>
// CHECK-NEXT: %[[MASKED:.*]] = memref.alloca() : memref<i64>
// CHECK:   scf.for
// CHECK-NEXT:   memref.load %[[SCALAR]][] : memref<i64>
// CHECK-NEXT:   arith.addi %{{.*}}, %c2_i64 : i64
// CHECK-NEXT:   memref.store %{{.*}}, %[[SCALAR]][] : memref<i64>
// CHECK:        scf.if
// CHECK:          arith.addi %{{.*}}, %c1_i64 : i64
// CHECK:          arith.addi %{{.*}}, %c2_i64 : i64
// CHECK:          arith.addi %{{.*}}, %c1_i64 : i64
// CHECK:          arith.addi %{{.*}}, %c8_i64 : i64
// CHECK:          arith.addi %{{.*}}, %c4_i64 : i64
// The eighth counter (masked_iterations) in the guard's else branch, which the pass adds:
// CHECK:          memref.store %{{.*}}, %arg4[%{{.*}}] : memref<?xf32>
// CHECK-NEXT:     } else {
// CHECK-NEXT:       arith.index_cast
// CHECK-NEXT:       arith.index_cast
// CHECK-NEXT:       func.call @pl_emu_fault(%c2_i64,
// CHECK-NEXT:     }
// CHECK-NEXT:   } else {
// CHECK-NEXT:     memref.load %[[MASKED]][] : memref<i64>
// CHECK-NEXT:     arith.addi %{{.*}}, %c1_i64 : i64
// CHECK-NEXT:     memref.store %{{.*}}, %[[MASKED]][] : memref<i64>
// CHECK-NEXT:   }
// CHECK-NEXT: } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
// CHECK:      memref.get_global @__pl_emu_counters : memref<8xi64>
// CHECK-COUNT-8: arith.addi
// CHECK:      return

// CHECK: // kernel 0: vadd_k0
// CHECK: // kernel 1: total_k0
// CHECK: // group 0: vadd_k0 per_iteration at {{.*}}instrument-kernels.mlir:[[# @LINE - 63]]:3
// CHECK: // group 1: total_k0 per_iteration chained at {{.*}}instrument-kernels.mlir:[[# @LINE - 44]]:8
