// examples/unclamped_tail.mlir with its tail clamped: each chunk task runs over
// [o, min(o + S, n)), so the last, partial chunk stops at n. Runs clean on the emulator (no
// fault, exit 0) and computes the same as on the CPU target.
//
//   pypto-run examples/clamped_tail.mlir --target emu --entry axpy_chunks \
//       --arg x.npy --arg y.npy --arg 1000 --arg 2.0
//
// numpy reference: y[:n] = a * x[:n] + y[:n]
func.func @axpy_chunks(%x: memref<?xf32>, %y: memref<?xf32>, %n: index, %a: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %S = arith.constant 64 : index
  scf.for %o = %c0 to %n step %S {
    scf.execute_region no_inline {
      %end = arith.addi %o, %S : index
      %hi = arith.minui %end, %n : index                 // the clamp
      scf.for %i = %o to %hi step %c1 {
        %xv = memref.load %x[%i] : memref<?xf32>
        %yv = memref.load %y[%i] : memref<?xf32>
        %p = arith.mulf %a, %xv : f32
        %s = arith.addf %p, %yv : f32
        memref.store %s, %y[%i] : memref<?xf32>
      }
      scf.yield
    } {pl.at = "core_group", pl.name_hint = "axpy_chunk"}
  } {pl.parallel}
  return
}

// The same chunking written with pl.chunk: pl-split-chunked-loops emits the tail (a guard under
// guarded, a remainder loop under leading_full) and pl-outline-kernels makes the chunk task, so
// the last chunk cannot run past n. Runs clean on the emulator with either policy.
func.func @axpy_auto(%x: memref<?xf32>, %y: memref<?xf32>, %n: index, %a: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %xv = memref.load %x[%i] : memref<?xf32>
    %yv = memref.load %y[%i] : memref<?xf32>
    %p = arith.mulf %a, %xv : f32
    %s = arith.addf %p, %yv : f32
    memref.store %s, %y[%i] : memref<?xf32>
  } {pl.chunk = 64, pl.parallel, pl.name_hint = "axpy_chunk_auto"}
  return
}
