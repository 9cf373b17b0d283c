"""pypto-mlir: chunked loops with tail policies as an MLIR pass pipeline.

Subpackages, layered (each depends only on the ones after it):
``tools`` -> ``lowering`` -> ``passes`` -> ``dialect``.
"""

__version__ = "0.1.0"
