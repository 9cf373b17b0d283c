// Races (--races): in kernels, each access to memory from outside the task (a kernel argument,
// a memref.global) records its element address in the shadow table through
// @__pl_emu_race_access (by a per-memref-type helper); the orchestration keeps the control word
// [epoch, task, enabled] up to date: group_begin bumps the epoch, resets the task index and
// enables the check for a per-iteration group that is not chained; each task_end bumps the
// task index; group_end disables the check. Private buffers (allocas) are not recorded.
// RUN: %python %S/Inputs/emu-instrument.py %s -p 'builtin.module(pl-default, pl-outline-kernels)' --races | %FileCheck %s
// RUN: %python %S/Inputs/emu-instrument.py %s -p 'builtin.module(pl-default, pl-outline-kernels)' | %FileCheck %s --check-prefix=OFF

// OFF-NOT: __pl_emu_race

// CHECK-LABEL: func.func @smooth(
// CHECK:   call @pl_emu_group_begin(%c0_i64, %c0_i64)
// CHECK:   %[[CTL:.*]] = memref.get_global @__pl_emu_race_ctl : memref<4xi64>
// CHECK:   %[[EPOCH:.*]] = memref.load %[[CTL]][%c0] : memref<4xi64>
// CHECK:   %[[NEXT:.*]] = arith.addi %[[EPOCH]], %c1_i64 : i64
// CHECK:   memref.store %[[NEXT]], %[[CTL]][%c0] : memref<4xi64>
// CHECK:   memref.store %c0_i64, %[[CTL]][%c1] : memref<4xi64>
// CHECK:   memref.store %c1_i64, %[[CTL]][%c2] : memref<4xi64>
// CHECK:   scf.for
// CHECK:     func.call @smooth_k0(
// CHECK:     func.call @pl_emu_task_end(
// CHECK:     %[[CTL2:.*]] = memref.get_global @__pl_emu_race_ctl : memref<4xi64>
// CHECK:     %[[TASK:.*]] = memref.load %[[CTL2]][%c1] : memref<4xi64>
// CHECK:     %[[TASK2:.*]] = arith.addi %[[TASK]], %c1_i64 : i64
// CHECK:     memref.store %[[TASK2]], %[[CTL2]][%c1] : memref<4xi64>
// CHECK:   }
// CHECK:   call @pl_emu_group_end(%c0_i64)
// CHECK:   %[[CTL3:.*]] = memref.get_global @__pl_emu_race_ctl : memref<4xi64>
// CHECK:   memref.store %c0_i64, %[[CTL3]][%c2] : memref<4xi64>
func.func @smooth(%a: memref<?xf32>, %out: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %tmp = memref.alloca() : memref<1xf32>
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %tmp[%c0] : memref<1xf32>
    %y = memref.load %tmp[%c0] : memref<1xf32>
    memref.store %y, %out[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}

// In the kernel (fast path of the unswitched chunk): the load of %a and the store to %out are
// recorded (write flag false, then true) before they run, inside their bounds checks; the
// alloca's accesses are not.
// CHECK-LABEL: func.func private @smooth_k0(
// CHECK:     scf.if %{{.*}} -> (f32) {
// CHECK-NEXT:  func.call @__pl_emu_race_elem_{{[0-9]+}}(%{{.*}}, %{{.*}}, %c0_i64, %false) : (memref<?xf32>, index, i64, i1) -> ()
// CHECK-NEXT:  memref.load
// CHECK-NOT:   __pl_emu_race_elem
// CHECK:     scf.if %{{.*}} {
// CHECK-NEXT:  func.call @__pl_emu_race_elem_{{[0-9]+}}(%{{.*}}, %{{.*}}, %c1_i64, %true) : (memref<?xf32>, index, i64, i1) -> ()
// CHECK-NEXT:  memref.store

// The race checker's globals and functions come first (the element helpers call them).
// CHECK-DAG: memref.global "private" @__pl_emu_race_ctl : memref<4xi64> = dense<0>
// CHECK-DAG: memref.global "private" @__pl_emu_race_table : memref<262144x5xi64> = dense<0>
// CHECK-DAG: func.func private @__pl_emu_race_access(
// CHECK-DAG: func.func private @__pl_emu_race_conflict(
// CHECK-LABEL: func.func private @__pl_emu_race_elem_{{[0-9]+}}(
// CHECK:   memref.extract_strided_metadata
// CHECK:   memref.extract_aligned_pointer_as_index
// CHECK:   call @__pl_emu_race_access(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (i64, i64, i64, i1) -> ()
