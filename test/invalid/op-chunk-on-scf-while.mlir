// RUN-ARGS: pypto-opt %s
// EXPECT: %s:5:8: error: 'pl.chunk' is only valid on 'scf.for', not on 'scf.while'
func.func @f(%n: index) -> index {
  %c0 = arith.constant 0 : index
  %r = scf.while (%i = %c0) : (index) -> index {
    %go = arith.cmpi slt, %i, %n : index
    scf.condition(%go) %i : index
  } do {
  ^bb0(%j: index):
    %c1 = arith.constant 1 : index
    %next = arith.addi %j, %c1 : index
    scf.yield %next : index
  } attributes {pl.chunk = 4}
  return %r : index
}
