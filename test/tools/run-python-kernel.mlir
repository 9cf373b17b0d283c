// pypto-run on a kernel file: --entry Program.fn or build_x(k=v).fn, both targets, any pipeline.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(12, dtype=np.float32).reshape(6, 2)); np.save('%t/y.npy', np.zeros((6, 2), np.float32))"
// RUN: %pypto-run %S/../frontend/kernels/chunked/hello_world.py --entry 'build_hello_world_program(rows=6, cols=2, row_chunk=4).add_scalar' --arg %t/x.npy --arg 0.5 --arg %t/y.npy | %FileCheck %s --check-prefix=CPU
// RUN: %pypto-run %S/../frontend/kernels/chunked/hello_world.py --entry 'build_hello_world_program(rows=6, cols=2, row_chunk=4).add_scalar' --arg %t/x.npy --arg 0.5 --arg %t/y.npy --target emu -p 'builtin.module(pl-default{policy=leading_full})' 2>&1 | %FileCheck %s --check-prefix=EMU
// RUN: %not %pypto-run %S/../frontend/kernels/chunked/hello_world.py --entry Nope.add_scalar --arg 1 2>&1 | %FileCheck %s --check-prefix=NO-PROGRAM
// RUN: %not %pypto-run %S/../frontend/kernels/chunked/hello_world.py --entry 'build_hello_world_program(rows=x).f' 2>&1 | %FileCheck %s --check-prefix=BAD-ENTRY
// RUN: %not %pypto-run %S/../frontend/kernels/chunked/hello_world.py --entry HelloWorldProgram.nope --arg 1 2>&1 | %FileCheck %s --check-prefix=NO-FUNCTION

// CPU:      arg2 = {{\[}}[ 0.5,  1.5],
// CPU-NEXT: [ 2.5,  3.5],
// CPU:      [10.5, 11.5]]

// Two chunks of 4 rows, the second partial: leading_full's main kernel and its remainder.
// EMU:      arg2 = {{\[}}[ 0.5,  1.5],
// EMU:      add_scalar_k0{{ +}}1
// EMU:      add_scalar_k{{[0-9]}}_rem{{ +}}1
// EMU:      faults: none

// NO-PROGRAM: pypto-run: error: {{.*}}hello_world.py: no program Nope (programs: HelloWorldProgram)
// BAD-ENTRY: pypto-run: error: --entry build_hello_world_program(rows=x).f: expected Program.fn or build_function(name=literal, ...).fn
// NO-FUNCTION: pypto-run: error: {{.*}}hello_world.py: no function @nope (functions: @add_scalar)
