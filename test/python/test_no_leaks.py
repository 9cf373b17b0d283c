"""Long-running users (a fuzzer, a compiler service) create many Contexts and call kernels many
times: nothing of ours may keep a Context alive once the user drops it, or grow per call.
(Both happened: a registry of diagnostic engines held every Context, the CPU lowering's error
handler formed a cycle through an object the garbage collector cannot see into, and each call
made new ctypes descriptor classes, which ctypes caches forever.)"""

from __future__ import annotations

import ctypes
import gc
import weakref

import numpy as np
from mlir import ir

from pypto_mlir.dialect.context import make_context
from pypto_mlir.lowering.cpu import compile_module
from pypto_mlir.passes import build_pass_manager

SOURCE = """
func.func @vadd(%a: memref<?xf32>, %b: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%s = %z) -> f32 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %b[%i] : memref<?xf32>
    %t = arith.addf %s, %x : f32
    scf.yield %t : f32
  } {pl.chunk = 4, pl.parallel}
  return %r : f32
}
"""


def test_a_dropped_context_is_freed():
    ctx = make_context()
    ir.Module.parse(SOURCE, ctx)
    ref = weakref.ref(ctx)
    del ctx
    gc.collect()
    assert ref() is None


def test_a_context_is_freed_after_compiling_and_running():
    ctx = make_context()
    module = ir.Module.parse(SOURCE, ctx)
    build_pass_manager("builtin.module(pl-default)", ctx).run(module.operation)
    compiled = compile_module(module, opt_level=0)
    a = np.arange(10, dtype=np.float32)
    assert compiled["vadd"](a, np.zeros(10, np.float32), 10) == 45.0
    ref = weakref.ref(ctx)
    del ctx, module, compiled
    gc.collect()
    assert ref() is None


def test_calls_do_not_grow_ctypes_caches():
    ctx = make_context()
    module = ir.Module.parse(SOURCE, ctx)
    fn = compile_module(module, opt_level=0)["vadd"]
    a, b = np.ones(7, np.float32), np.zeros(7, np.float32)
    fn(a, b, 7)
    before = len(ctypes._pointer_type_cache)
    for _ in range(500):
        fn(a, b, 7)
    assert len(ctypes._pointer_type_cache) == before
