// A Latin-1 byte (0xe9) in a comment: the file is not UTF-8.
// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:22: error: input is not valid UTF-8 (byte 0xe9)
// kernel for the café demo
func.func @f() {
  return
}
