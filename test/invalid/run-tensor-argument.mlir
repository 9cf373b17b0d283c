// RUN-ARGS: pypto-run %s --entry f --arg %npy(float32:4)
// EXPECT: pypto-run: error: argument 0 of @f has type tensor<4xf32>, which cannot be passed from Python
func.func @f(%t: tensor<4xf32>) {
  return
}
