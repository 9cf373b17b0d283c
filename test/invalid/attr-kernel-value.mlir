// RUN-ARGS: pypto-opt %s
// EXPECT: %s:3:1: error: 'pl.kernel' is a unit attribute (write it without a value), got "yes"
func.func @f() attributes {pl.kernel = "yes"} {
  return
}
