"""pypto-opt as a stage of other people's pipelines (docs/integration.md): inside an xDSL
pipeline through xDSL's `mlir-opt` pass, and our passes in a user's own PassManager."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from store_loop import store_loop

BIN = Path(sys.executable).parent

KERNEL = store_loop("store_all")


@pytest.mark.skipif(sys.version_info < (3, 11), reason="xDSL supports Python 3.11 and later")
def test_inside_an_xdsl_pipeline(tmp_path):
    """xdsl-opt prints the module generically, pipes it through pypto-opt and parses the
    result back: the chunked loop comes back split, its markers kept. (guarded: xDSL's
    scf.execute_region lacks `no_inline`, which leading_full's remainder region carries;
    docs/integration.md.)"""
    src = tmp_path / "k.mlir"
    src.write_text(KERNEL)
    pipeline = (
        'mlir-opt{executable="pypto-opt" arguments="--mlir-print-op-generic","-p",'
        '"builtin.module(pl-split-chunked-loops{policy=guarded}, canonicalize)"}'
    )
    env = dict(os.environ, PATH=str(BIN) + os.pathsep + os.environ.get("PATH", ""))

    def xdsl_opt() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "xdsl-opt"), str(src), "-p", pipeline],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    proc = xdsl_opt()
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("builtin.module {"), out
    for origin in ("chunk_outer", "chunk_inner"):
        assert f'pl.loop_origin = "{origin}"' in out, out
    assert "pl.chunk = 4" not in out and "pl.guarded" in out
    # A failing stage fails the xDSL pipeline:
    src.write_text(KERNEL.replace("pl.chunk = 4", "pl.chunk = 0"))
    bad = xdsl_opt()
    assert bad.returncode != 0 and "Error executing mlir-opt pass" in bad.stderr


def _drop_terminators(op, pass_) -> None:
    """A broken pass of a user's: it erases every func.return (no uses: safe to erase), which
    leaves blocks without terminators: invalid IR."""
    from pypto_mlir.dialect.ir_queries import walk_ops

    for ret in walk_ops(op, "func.return"):
        ret.erase()


@pytest.mark.parametrize("verify_each", [True, False])
def test_verify_each_in_a_users_pass_manager(verify_each):
    """build_pass_manager(..., verify_each=False) is mlir-opt's --verify-each=0: the invalid IR
    a pass leaves is not caught between passes (the caller verifies at the end)."""
    from mlir import ir

    from pypto_mlir.dialect.context import make_context
    from pypto_mlir.passes import build_pass_manager

    ctx = make_context(sink=lambda d: None)
    module = ir.Module.parse(KERNEL, ctx)
    pm = build_pass_manager("builtin.module(pl-verify)", ctx, verify_each=verify_each)
    pm.add(_drop_terminators, name="DropTerminators", argument="drop-terminators")
    if verify_each:
        with pytest.raises(ir.MLIRError):
            pm.run(module.operation)
    else:
        pm.run(module.operation)
        with pytest.raises(ir.MLIRError):
            module.operation.verify()


@pytest.mark.parametrize("own_context", [True, False], ids=["users-context", "make_context"])
def test_transform_errors_carry_their_diagnostics(own_context):
    """split_chunked_loops on invalid input raises DiagnosedError with the diagnostics, as
    MLIRError.error_diagnostics does: severity, location, message."""
    from mlir import ir

    from pypto_mlir.dialect.context import load_pl, make_context
    from pypto_mlir.dialect.diagnostics import DiagnosedError
    from pypto_mlir.passes import split_chunked_loops

    if own_context:
        ctx = ir.Context()
        load_pl(ctx)
        ctx.attach_diagnostic_handler(lambda d: True)  # the user's handler: keeps stderr quiet
    else:
        ctx = make_context(sink=lambda d: None)
    module = ir.Module.parse(KERNEL.replace("pl.chunk = 4", "pl.chunk = 0"), ctx)
    with pytest.raises(DiagnosedError) as info:
        split_chunked_loops(module)
    [d] = info.value.error_diagnostics
    assert (d.severity, d.line, d.col) == ("error", 5, 3)
    assert d.message == "'pl.chunk' must be a positive integer, got 0"
    assert d.location.start_line == 5 and d.location.start_col == 3
    assert "'pl.chunk' must be a positive integer, got 0" in str(info.value)
