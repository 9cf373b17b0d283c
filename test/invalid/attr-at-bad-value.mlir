// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:3: error: 'pl.at' must be one of "core_group", got "chip"
func.func @f() {
  scf.execute_region no_inline {
    scf.yield
  } {pl.at = "chip"}
  return
}
