// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:3: error: 'pl.chunk' is only valid on 'scf.for', not on 'scf.execute_region'
func.func @f() {
  scf.execute_region no_inline {
    scf.yield
  } {pl.at = "core_group", pl.chunk = 4}
  return
}
