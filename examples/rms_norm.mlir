// RMSNorm over the rows of a 512 x 512 f32 matrix, as pypto-lib's examples/intermediate/rms_norm.py:
//   y[r, :] = x[r, :] * rsqrt(mean(x[r, :]^2) + eps) * gamma
// with eps = 1e-6.
//
// The row loop is pl.parallel with chunk 64: 8 chunks of 64 rows, the 8 row-block tasks of the
// PyPTO kernel (ROW_CHUNK = 64). 512 = 8 * 64, so neither policy needs a guard or a remainder:
// both emit the same 8 x 64 nest (the static, divisible case of the library). Per row, the sum
// of squares is carried in iter_args across the column loop, in column order; the second column
// loop scales the row. Nothing is carried across rows.
//
//   pypto-run examples/rms_norm.mlir --entry rms_norm --arg x.npy --arg gamma.npy --arg y.npy
//
// numpy reference (float64): y = x / sqrt(mean(x**2, axis=1) + eps)[:, None] * gamma.
// In source order, in float32 (bit-exact: every op is one IEEE rounding, sqrt included):
//   ss = 0; for c: ss = ss + x[:, c] * x[:, c]; inv = 1 / sqrt(ss * (1/512) + eps);
//   y = (x * inv[:, None]) * gamma
func.func @rms_norm(%x: memref<512x512xf32>, %gamma: memref<512xf32>, %y: memref<512x512xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c512 = arith.constant 512 : index
  %zero = arith.constant 0.0 : f32
  %inv_cols = arith.constant 0.001953125 : f32   // 1/512, exact: multiplying by it is dividing
  %eps = arith.constant 1.0e-06 : f32
  scf.for %r = %c0 to %c512 step %c1 {
    %ss = scf.for %c = %c0 to %c512 step %c1 iter_args(%acc = %zero) -> (f32) {
      %v = memref.load %x[%r, %c] : memref<512x512xf32>
      %sq = arith.mulf %v, %v : f32
      %next = arith.addf %acc, %sq : f32
      scf.yield %next : f32
    }
    %mean = arith.mulf %ss, %inv_cols : f32
    %var = arith.addf %mean, %eps : f32
    // math.rsqrt lowers to 1 / sqrt (two IEEE roundings), never to an approximation.
    %inv = math.rsqrt %var : f32
    scf.for %c = %c0 to %c512 step %c1 {
      %v = memref.load %x[%r, %c] : memref<512x512xf32>
      %g = memref.load %gamma[%c] : memref<512xf32>
      %n = arith.mulf %v, %inv : f32
      %o = arith.mulf %n, %g : f32
      memref.store %o, %y[%r, %c] : memref<512x512xf32>
    }
  } {pl.chunk = 64, pl.parallel}
  return
}
