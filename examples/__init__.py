"""The example kernels, importable as `pypto_mlir.examples` (kernels.py: the kernel table that
the demo, the tests and the benchmarks share)."""
