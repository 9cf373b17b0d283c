"""Targets. cpu.py lowers a module to LLVM and runs it with MLIR's JIT; abi.py is its numpy
calling convention. (Later: emu/, the emulated accelerator.)"""
