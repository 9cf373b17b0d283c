// RUN-ARGS: pypto-opt %s
// EXPECT: %s:6:1: error: redefinition of symbol named 'f'
func.func @f() {
  return
}
func.func @f() {
  return
}
