// RUN-ARGS: pypto-opt %s
// EXPECT: %s:3:1: error: 'pl.name_hint' is only valid on 'scf.for' or 'scf.execute_region', not on 'func.func'
func.func @f() attributes {pl.name_hint = "k"} {
  return
}
