// Saved by an editor that writes a UTF-8 byte order mark.
// RUN-ARGS: pypto-opt %s
// EXPECT: %s:1:1: error: input starts with a UTF-8 byte order mark
func.func @f() {
  return
}
