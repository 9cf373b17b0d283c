// RUN-ARGS: pypto-opt %s
// EXPECT: %s:5:8: error: 'pl.loop_origin' is only valid on 'scf.for', not on 'scf.while'
func.func @f(%n: index) -> index {
  %c0 = arith.constant 0 : index
  %r = scf.while (%i = %c0) : (index) -> index {
    %go = arith.cmpi slt, %i, %n : index
    scf.condition(%go) %i : index
  } do {
  ^bb0(%j: index):
    scf.yield %j : index
  } attributes {pl.loop_origin = "chunk_outer"}
  return %r : index
}
