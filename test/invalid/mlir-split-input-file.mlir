// The second part of a --split-input-file run is broken; the first part is fine.
// RUN-ARGS: pypto-opt %s --split-input-file -o %t/out.mlir
// EXPECT: %s:9:3: error: custom op 'arith.constnat' is unknown
func.func @ok() {
  return
}
// -----
func.func @bad() {
  arith.constnat 0 : index
  return
}
