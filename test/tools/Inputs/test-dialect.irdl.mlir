// An IRDL dialect for irdl-file.mlir: one op with an i32 operand.
irdl.dialect @testd {
  irdl.operation @use {
    %i32 = irdl.is i32
    irdl.operands(x: %i32)
  }
}
