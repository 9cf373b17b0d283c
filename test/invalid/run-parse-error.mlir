// RUN-ARGS: pypto-run %s --entry f --arg 8
// EXPECT: %s:4:9: error: custom op 'arith.constnat' is unknown
func.func @f(%n: index) {
  %c0 = arith.constnat 0 : index
  return
}
