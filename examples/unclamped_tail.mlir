// An explicit-chunk kernel with an UNCLAMPED tail: the bug class reviewers found when a kernel
// library was migrated to explicit core-group scopes. y[i] = a * x[i] + y[i] for i in [0, n),
// written by hand in chunks of S = 64: the outer loop (pl.parallel: its chunks may run at once)
// steps by S over a dynamic n, and each chunk runs as one task on one core group (the pl.at
// scope) over [o, o + S). Nothing clamps the last chunk to n: when S does not divide n, its task
// reads x and y and writes y past the end. (pypto-opt's pl-check-chunk-bounds lint warns about
// this loop statically; the emulator shows the accesses that actually fault.)
// examples/clamped_tail.mlir is the same kernel with the fix (hi = min(o + S, n)).
//
// On the CPU target this reads and writes past the arrays (undefined behaviour). The emulator
// suppresses the faulting accesses, reports each faulting site once with its count, and exits 1:
//
//   pypto-run examples/unclamped_tail.mlir --target emu --entry axpy_chunks \
//       --arg x.npy --arg y.npy --arg 1000 --arg 2.0
//   examples/unclamped_tail.mlir:28:15: error: out-of-bounds load of memref<?xf32> at [1000]
//       (shape [1000]) in kernel axpy_chunk, task 15 (and 23 more faults at this site)
//   ...
//
// numpy reference (n not a multiple of 64 or not): y = a * x + y over the first n elements.
func.func @axpy_chunks(%x: memref<?xf32>, %y: memref<?xf32>, %n: index, %a: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %S = arith.constant 64 : index
  scf.for %o = %c0 to %n step %S {
    scf.execute_region no_inline {
      %hi = arith.addi %o, %S : index                    // BUG: not clamped to n
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
