// RUN-ARGS: pypto-run %s --entry ext --arg 1
// EXPECT: %s:3:1: error: @ext is only a declaration; it has no body to run
func.func private @ext(%n: index)
func.func @f() {
  return
}
