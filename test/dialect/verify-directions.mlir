// pl.direction on function arguments (pl.Out / pl.InOut of the Python front end): pl-verify
// checks each value and that an argument declared "in" is never written, directly, through a
// view, by a linalg op's outs, or by a callee's out/inout parameter. No attribute: unconstrained.
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics
// RUN: %pypto-opt %s -split-input-file -verify-diagnostics --pl-verify

// expected-note @below {{declare it pl.Out or pl.InOut if the kernel writes it}}
func.func @store_to_in(%x: memref<4xf32> {pl.direction = "in"}, %v: f32) {
  %c0 = arith.constant 0 : index
  // expected-error @below {{writes argument 0 of @store_to_in, declared pl.direction = "in"}}
  memref.store %v, %x[%c0] : memref<4xf32>
  return
}

// -----

// expected-note @below {{declare it pl.Out or pl.InOut if the kernel writes it}}
func.func @copy_into_view_of_in(%x: memref<4x4xf32> {pl.direction = "in"}, %t: memref<2x2xf32>, %i: index) {
  %w = memref.subview %x[%i, 0] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1], offset: ?>>
  // expected-error @below {{writes argument 0 of @copy_into_view_of_in, declared pl.direction = "in"}}
  linalg.copy ins(%t : memref<2x2xf32>) outs(%w : memref<2x2xf32, strided<[4, 1], offset: ?>>)
  return
}

// -----

func.func private @fill(%y: memref<4xf32> {pl.direction = "out"})

// expected-note @below {{declare it pl.Out or pl.InOut if the kernel writes it}}
func.func @pass_in_as_out(%x: memref<4xf32> {pl.direction = "in"}) {
  // expected-error @below {{writes argument 0 of @pass_in_as_out, declared pl.direction = "in"}}
  func.call @fill(%x) : (memref<4xf32>) -> ()
  return
}

// -----

// expected-error @below {{argument 0 of @bad_value: 'pl.direction' must be one of "in", "out", "inout", got "output"}}
func.func @bad_value(%x: memref<4xf32> {pl.direction = "output"}) {
  return
}

// -----

// expected-error @below {{argument 0 of @on_scalar: 'pl.direction' is for memrefs}}
func.func @on_scalar(%x: f32 {pl.direction = "in"}) {
  return
}

// -----

// Reads of an "in" argument, writes of "out"/"inout" and of arguments without the attribute
// are all fine.
func.func @valid(%x: memref<4xf32> {pl.direction = "in"}, %y: memref<4xf32> {pl.direction = "out"},
                 %z: memref<4xf32> {pl.direction = "inout"}, %w: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %v = memref.load %x[%c0] : memref<4xf32>
  memref.store %v, %y[%c0] : memref<4xf32>
  memref.store %v, %z[%c0] : memref<4xf32>
  memref.store %v, %w[%c0] : memref<4xf32>
  linalg.copy ins(%x : memref<4xf32>) outs(%y : memref<4xf32>)
  return
}

// -----

// expected-error @below {{argument 0 of @typo: unknown argument attribute 'pl.directoin'}}
func.func @typo(%x: memref<4xf32> {pl.directoin = "in"}) {
  return
}
