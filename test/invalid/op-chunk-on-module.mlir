// RUN-ARGS: pypto-opt %s
// EXPECT: %s:3:1: error: 'pl.chunk' is only valid on 'scf.for', not on 'builtin.module'
module attributes {pl.chunk = 4} {
  func.func @f() {
    return
  }
}
