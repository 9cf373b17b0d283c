"""Targets. cpu.py lowers a module to LLVM and runs it with MLIR's JIT, with numpy_abi.py as
its numpy calling convention; emu/ is the emulated accelerator, built on the same lowering."""
