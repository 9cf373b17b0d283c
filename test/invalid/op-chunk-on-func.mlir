// RUN-ARGS: pypto-opt %s
// EXPECT: %s:3:1: error: 'pl.chunk' is only valid on 'scf.for', not on 'func.func'
func.func @f(%a: memref<?xf32>) attributes {pl.chunk = 4} {
  return
}
