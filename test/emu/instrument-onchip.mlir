// On-chip memory: the static memref.alloca buffers a kernel holds at once must fit the machine's
// on-chip memory (a located error before running, with a note per other buffer); a dynamic
// alloca is checked when it runs: over budget, it faults (site kind "alloca") and allocates
// zero elements.
// RUN: %not %python %S/Inputs/emu-instrument.py %s -p 'builtin.module(pl-outline-kernels)' --memory 1200 2>&1 | %FileCheck %s --check-prefix=STATIC
// RUN: %python %S/Inputs/emu-instrument.py %s -p 'builtin.module(pl-outline-kernels)' --memory 1280 | %FileCheck %s

// STATIC: instrument-onchip.mlir:[[# @LINE + 22]]:12: error: on-chip memory: kernel 'tile' needs 1280 bytes of memref.alloca buffers at once, more than the 1200 bytes of on-chip memory of a core group
// STATIC: instrument-onchip.mlir:[[# @LINE + 20]]:12: note: this buffer takes 1024 bytes
// STATIC-NOT: error

// The dynamic buffer: bytes = 4 * %n (in i128, saturated); used = 1280 (the static peak) at
// the start; over budget: fault with the bytes as index 0, and every dynamic size becomes 0.
// CHECK-LABEL: func.func private @tile(
// CHECK:   %[[USED:.*]] = memref.alloca() : memref<i64>
// CHECK:   memref.store %c1280_i64, %[[USED]][] : memref<i64>
// CHECK:   %[[OVER:.*]] = arith.cmpi ugt, %{{.*}}, %c1280_i128 : i128
// CHECK:   scf.if %[[OVER]] {
// CHECK:     func.call @pl_emu_fault(%c0_i64, %c-1_i64, %{{.*}}, %c0_i64, %c0_i64, %c0_i64, %{{.*}}, %c0_i64, %c0_i64, %c0_i64)
// CHECK:   } else {
// CHECK:     memref.store %{{.*}}, %[[USED]][] : memref<i64>
// CHECK:   }
// CHECK:   %[[SIZE:.*]] = arith.select %[[OVER]], %c0, %{{.*}} : index
// CHECK:   memref.alloca(%[[SIZE]]) : memref<?xf32>
// CHECK: // site 0: alloca at {{.*}}instrument-onchip.mlir:[[# @LINE + 6]]:12 of memref<?xf32> in tile
func.func @run(%a: memref<?xf32>, %n: index) {
  scf.execute_region no_inline {
    %c0 = arith.constant 0 : index
    %buf = memref.alloca() : memref<256xf32>
    %acc = memref.alloca() : memref<64xf32>
    %dyn = memref.alloca(%n) : memref<?xf32>
    %x = memref.load %a[%c0] : memref<?xf32>
    memref.store %x, %buf[%c0] : memref<256xf32>
    memref.store %x, %acc[%c0] : memref<64xf32>
    memref.store %x, %dyn[%c0] : memref<?xf32>
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "tile"}
  return
}
