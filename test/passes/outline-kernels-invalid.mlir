// pl-outline-kernels rejects what it cannot outline with a located error, and changes nothing.
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics -p 'builtin.module(pl-outline-kernels)'

func.func @unsplit(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{pl-outline-kernels: this chunked loop is not split yet; run pl-split-chunked-loops first}}
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %a[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.parallel}
  return
}

// -----

func.func @two_blocks(%a: memref<?xf32>, %c: i1) -> f32 {
  // expected-error @below {{pl-outline-kernels: a pl.at scope must have a single block (this one has 3)}}
  %r = scf.execute_region -> f32 no_inline {
    cf.cond_br %c, ^bb1, ^bb2
  ^bb1:
    %x = arith.constant 1.0 : f32
    scf.yield %x : f32
  ^bb2:
    %y = arith.constant 2.0 : f32
    scf.yield %y : f32
  } {pl.at = "core_group"}
  return %r : f32
}
