// The file ends in the middle of a type.
// RUN-ARGS: pypto-opt %s
// EXPECT: %s:4:26: error: expected non-function type
func.func @f(%a: memref<4x