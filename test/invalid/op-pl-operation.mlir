// pl has no operations: its vocabulary is attributes on upstream ops.
// RUN-ARGS: pypto-opt %s
// EXPECT: %s:5:3: error: unregistered operation 'pl.chunk' found in dialect ('pl') that does not allow unknown operations
func.func @f() {
  "pl.chunk"() {value = 4} : () -> ()
  return
}
