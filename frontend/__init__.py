"""PyPTO's kernel language, read from Python source into `pl` MLIR.

`language.py` is the vocabulary a kernel imports (`import pypto_mlir.language as pl`),
`lower.py` reads a `@pl.function`'s AST into MLIR text with a Python location on every op,
`tile_ops.py` emits the tile operations, `program.py` turns a `@pl.program` into a module.
This layer depends on `pypto_mlir.dialect` only; running a kernel (`target=`) is wired in from
above (`pypto_mlir.language` installs `tools/kernel_call.py`).
"""
