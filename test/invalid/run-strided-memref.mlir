// RUN-ARGS: pypto-run %s --entry f --arg %npy(float32:4)
// EXPECT: pypto-run: error: argument 0 of @f has type memref<4xf32, strided<[2]>>: only the identity layout is supported
func.func @f(%a: memref<4xf32, strided<[2]>>) {
  return
}
