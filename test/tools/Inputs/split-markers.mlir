// Input of split-markers.mlir, cut at its plus-sign markers (its RUN lines would hold one).
func.func @first() {
  return
}
// +++++ // the rest of the line is in the next part
func.func @second() {
  %c = arith.constant 1 : i32
  return
}
