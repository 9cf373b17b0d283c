// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:3: error: 'pl.name_hint' expects a string, got 1 : i64
func.func @f() {
  scf.execute_region no_inline {
    scf.yield
  } {pl.at = "core_group", pl.name_hint = 1}
  return
}
