// Kernel files with mistakes: each is one located error at the Python construct, naming it, and
// exit code 1, never a traceback (test/frontend/Inputs/errors.py; ERROR picks the mistake).
// RUN: env ERROR=while %not %pypto-opt %S/Inputs/errors.py 2>&1 | %FileCheck %s --check-prefix=WHILE
// RUN: env ERROR=listcomp %not %pypto-opt %S/Inputs/errors.py 2>&1 | %FileCheck %s --check-prefix=LISTCOMP
// RUN: env ERROR=unknown_pl %not %pypto-opt %S/Inputs/errors.py 2>&1 | %FileCheck %s --check-prefix=UNKNOWN
// RUN: env ERROR=shape %not %pypto-opt %S/Inputs/errors.py 2>&1 | %FileCheck %s --check-prefix=SHAPE
// RUN: env ERROR=dtype %not %pypto-opt %S/Inputs/errors.py 2>&1 | %FileCheck %s --check-prefix=DTYPE
// RUN: env ERROR=chunk %not %pypto-opt %S/Inputs/errors.py 2>&1 | %FileCheck %s --check-prefix=CHUNK
// RUN: env ERROR=loop_local %not %pypto-opt %S/Inputs/errors.py 2>&1 | %FileCheck %s --check-prefix=LOCAL
// RUN: env ERROR=write_in %not %pypto-opt %S/Inputs/errors.py 2>&1 | %FileCheck %s --check-prefix=WRITE-IN
// RUN: env ERROR=write_in %not %pypto-run %S/Inputs/errors.py --entry P.f --arg x --arg y 2>&1 | %FileCheck %s --check-prefix=WRITE-RUNNER

// WHILE: errors.py:18:17: error: a while loop is not supported in a kernel
// WHILE-NOT: Traceback
// LISTCOMP: errors.py:28:27: error: a list comprehension is not supported in a kernel
// UNKNOWN: errors.py:38:24: error: pl.softplus is not part of the supported language
// SHAPE: errors.py:48:36: error: pl.add: shapes [2, 4] and [4, 2] differ
// DTYPE: errors.py:57:21: error: pl.assemble: a f32 tile into a i32 tensor
// CHUNK: errors.py:75:27: error: chunk= must be a positive static int, got a run-time index value
// LOCAL: errors.py:87:24: error: t is defined inside the loop, branch or scope at line 85 and not visible after it

// pl-verify, on the MLIR of the kernel: the write is at the assemble's Python line, the note at
// the argument's (y, declared without pl.Out).
// WRITE-IN: errors.py:66:21: error: writes argument 1 of @f, declared pl.direction = "in"
// WRITE-IN: errors.py:65:53: note: declare it pl.Out or pl.InOut if the kernel writes it
// WRITE-IN-NOT: Traceback
// WRITE-RUNNER: errors.py:66:21: error: writes argument 1 of @f, declared pl.direction = "in"
