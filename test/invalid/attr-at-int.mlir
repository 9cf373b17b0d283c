// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:3: error: 'pl.at' expects a string, got 0 : i64
func.func @f() {
  scf.execute_region no_inline {
    scf.yield
  } {pl.at = 0}
  return
}
