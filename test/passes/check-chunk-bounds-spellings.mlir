// pl-check-chunk-bounds matches the span of a chunk to the outer step by value, however each
// is spelled: `1 * S`, `S * 1`, `tile * chunk` computed twice (dynamic or constant, folded or
// not), affine.apply, the same memref.dim twice. Every case here is provably in bounds: silent.
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(pl-check-chunk-bounds)'
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(canonicalize, cse, pl-check-chunk-bounds)'
// RUN: %pypto-opt %s -split-input-file -p 'builtin.module(pl-check-chunk-bounds{fix=true})' 2>&1 >/dev/null | %FileCheck %s --allow-empty --check-prefix=FIX
// FIX-NOT: remark

// A static shape that 1 * S divides (pypto-lib's migrated kernels spell every step so:
// gemm_eltwise's `1 * chunk`, rms_norm's `row_chunk * 1`).
func.func @one_times_step(%a: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %step = arith.muli %c1, %c4 : index
  scf.for %o = %c0 to %c64 step %step {
    %span = arith.muli %c4, %c1 : index
    %e = arith.addi %o, %span : index
    scf.for %i = %o to %e step %c1 {
      %x = memref.load %a[%i] : memref<64xf32>
      memref.store %x, %a[%i] : memref<64xf32>
    }
  } {pl.parallel}
  return
}

// -----

// A dynamic tile * chunk, computed once for the step and again for the span (operands the
// other way round), with a bound that is a multiple of it.
func.func @tile_times_chunk_twice(%a: memref<?xf32>, %tile: index, %chunk: index, %blocks: index) {
  %c0 = arith.constant 0 : index
  %step = arith.muli %tile, %chunk : index
  %ub = arith.muli %blocks, %step : index
  scf.for %o = %c0 to %ub step %step {
    %span = arith.muli %chunk, %tile : index
    %e = arith.addi %span, %o : index
    scf.for %i = %o to %e step %tile {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    }
  } {pl.parallel}
  return
}

// -----

// Constant tile * chunk: folded in the step, not folded in the span.
func.func @folded_and_not(%a: memref<512xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %c512 = arith.constant 512 : index
  scf.for %o = %c0 to %c512 step %c128 {
    %span = arith.muli %c64, %c2 : index
    %e = arith.addi %o, %span : index
    scf.for %i = %o to %e step %c64 {
      %x = memref.load %a[%i] : memref<512xf32>
      memref.store %x, %a[%i] : memref<512xf32>
    }
  } {pl.parallel}
  return
}

// -----

// The end written with affine.apply, the bound with the same memref.dim twice (a multiple of
// the step by an affine.apply), a non-zero lower bound.
func.func @affine_spellings(%a: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %d = memref.dim %a, %c0 : memref<?xf32>
  %d2 = memref.dim %a, %c0 : memref<?xf32>
  %lb = affine.apply affine_map<()[s0] -> (s0 * 8 + 3)>()[%d]
  %ub = affine.apply affine_map<()[s0] -> (s0 * 16 + 3)>()[%d2]
  scf.for %o = %lb to %ub step %c8 {
    %e = affine.apply affine_map<(d0) -> (d0 + 8)>(%o)
    scf.for %i = %o to %e step %c1 {
      %k = affine.apply affine_map<(d0)[s0] -> (d0 - s0 * 8 - 3)>(%i)[%d]
      %x = memref.load %a[%k] : memref<?xf32>
      memref.store %x, %a[%k] : memref<?xf32>
    }
  }
  return
}

// -----

// A static bound that S does not divide, where the chunk is shorter than the step and still
// ends by the bound: the last chunk starts at 8 and ends at 8 + 2 = 10.
func.func @short_chunk_fits(%a: memref<10xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c10 = arith.constant 10 : index
  scf.for %o = %c0 to %c10 step %c4 {
    %e = arith.addi %o, %c2 : index
    scf.for %i = %o to %e step %c1 {
      %x = memref.load %a[%i] : memref<10xf32>
      memref.store %x, %a[%i] : memref<10xf32>
    }
  }
  return
}

// -----

// A chunk of one inner iteration, [o, o + 64) step 64 (rms_norm's `range(r, r + row_chunk *
// 1, row_chunk)`): its one iteration is %o itself, below the bound whatever the bound is.
func.func @one_iteration(%a: memref<?x64xf32>, %rows: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %step = arith.muli %c64, %c1 : index
  scf.for %o = %c0 to %rows step %step {
    scf.execute_region no_inline {
      %span = arith.muli %c64, %c1 : index
      %e = arith.addi %o, %span : index
      scf.for %r = %o to %e step %c64 {
        %x = memref.load %a[%r, %c0] : memref<?x64xf32>
        memref.store %x, %a[%r, %c0] : memref<?x64xf32>
      }
      scf.yield
    } {pl.at = "core_group"}
  } {pl.parallel}
  return
}

// -----

// An i32 chunk loop fed through index_cast, over an i32 span that is a multiple of the step.
func.func @casts(%a: memref<?xf32>, %blocks: i32) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c1_i32 = arith.constant 1 : i32
  %c16_i32 = arith.constant 16 : i32
  %n = arith.muli %blocks, %c16_i32 : i32
  %ub = arith.index_cast %n : i32 to index
  scf.for %o = %c0 to %ub step %c16 {
    %o32 = arith.index_cast %o : index to i32
    %e = arith.addi %o32, %c16_i32 : i32
    scf.for %i = %o32 to %e step %c1_i32 : i32 {
      %k = arith.index_cast %i : i32 to index
      %x = memref.load %a[%k] : memref<?xf32>
      memref.store %x, %a[%k] : memref<?xf32>
    }
  }
  return
}

// -----

// A triangular loop is not a chunk loop: its upper bound does not move with %o.
func.func @triangular(%a: memref<?x?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  scf.for %o = %c0 to %n step %c1 {
    scf.for %i = %o to %n step %c1 {
      memref.store %zero, %a[%o, %i] : memref<?x?xf32>
    }
  }
  return
}
