"""The split pass from Python: as a function on a module, inside a user's own PassManager,
failure without half-rewritten IR, and repeated runs without stale handles."""

from __future__ import annotations

import pytest
from mlir import ir
from mlir.passmanager import PassManager

from pypto_mlir.dialect.context import load_pl, make_context
from pypto_mlir.dialect.diagnostics import DiagnosedError
from pypto_mlir.passes import PipelineError, add_to_pass_manager, split_chunked_loops

LOOPS = """
func.func @f(%m: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %m[%i] : memref<?xf32>
  } {pl.chunk = 4}
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %m[%i] : memref<?xf32>
  } {pl.chunk = CHUNK}
  return
}
"""


def parse(text, ctx):
    return ir.Module.parse(text, ctx)


def test_function_splits_every_chunked_loop():
    ctx = make_context()
    m = parse(LOOPS.replace("CHUNK", "2"), ctx)
    split_chunked_loops(m, policy="leading_full")
    text = str(m)
    assert "pl.chunk" not in text
    assert text.count('"chunk_remainder"') == 2
    assert m.operation.verify()


def test_invalid_input_raises_and_leaves_module_unchanged():
    seen = []
    ctx = make_context(sink=seen.append)
    m = parse(LOOPS.replace("CHUNK", "0"), ctx)
    before = str(m)
    with pytest.raises(DiagnosedError):
        split_chunked_loops(m)
    assert str(m) == before
    assert [d.message for d in seen] == ["'pl.chunk' must be a positive integer, got 0"]
    assert seen[0].line == 9


def test_unknown_policy_is_a_value_error():
    ctx = make_context()
    m = parse(LOOPS.replace("CHUNK", "2"), ctx)
    with pytest.raises(ValueError, match="unknown policy 'peel'"):
        split_chunked_loops(m, policy="peel")


def test_users_own_context_and_pass_manager():
    # A user's Context: load_pl is idempotent (a second IRDL load would abort the process).
    ctx = ir.Context()
    load_pl(ctx)
    load_pl(ctx)
    m = parse(LOOPS.replace("CHUNK", "2"), ctx)
    pm = PassManager("builtin.module", ctx)
    pm.add("canonicalize")
    add_to_pass_manager(pm, "pl-split-chunked-loops{policy=leading_full}, cse")
    pm.run(m.operation)
    assert "pl.chunk" not in str(m) and '"chunk_outer"' in str(m)


def test_pass_manager_reports_bad_pipeline():
    ctx = make_context()
    pm = PassManager("builtin.module", ctx)
    with pytest.raises(PipelineError, match="has no option 'polcy'"):
        add_to_pass_manager(pm, "pl-split-chunked-loops{polcy=guarded}")


def test_running_twice_is_safe():
    # The second run finds no chunked loop; handles from the first run are never reused.
    ctx = make_context()
    m = parse(LOOPS.replace("CHUNK", "3"), ctx)
    split_chunked_loops(m)
    once = str(m)
    split_chunked_loops(m)
    assert str(m) == once
    assert "pl.chunk =" not in once and "scf.if" in once  # the first run did split
    pm = PassManager("builtin.module", ctx)
    add_to_pass_manager(pm, "pl-split-chunked-loops, pl-split-chunked-loops, canonicalize")
    m2 = parse(LOOPS.replace("CHUNK", "3"), ctx)
    pm.run(m2.operation)
    after_one_run = str(m2)
    pm.run(m2.operation)
    assert m2.operation.verify()
    assert str(m2) == after_one_run  # the second run of the pipeline changes nothing
