"""The constructs of the Python front end, run: test/frontend/Inputs/constructs.py on the CPU (and
the emulator where a construct concerns it), against numpy. Their MLIR is pinned by
test/frontend/constructs.mlir; the errors by test/frontend/errors.mlir."""

import constructs  # test/frontend/Inputs is on pytest's pythonpath (pyproject.toml)
import numpy as np
import pytest

import pypto_mlir.language as pl
from pypto_mlir.frontend.errors import FrontendError

P = constructs.build_constructs_program()
f32 = np.float32


@pytest.mark.parametrize("rows", [0, 1, 4, 10, 13])
def test_dynamic_rows_chunked_with_a_remainder(rows):
    x = np.arange(rows * 8, dtype=f32).reshape(rows, 8) - 7
    y = np.full_like(x, np.nan)
    assert P.chunked_rows(x, y) is y
    assert np.array_equal(y, x * f32(0.5))


def test_scope_on_both_targets():
    x = np.linspace(-2, 2, 128, dtype=f32).reshape(16, 8)
    for target in ("cpu", "emu"):
        y = np.ones((16, 8), f32)
        P.scoped(x, y, target=target)
        assert np.allclose(y, 1 + np.exp(x.astype(np.float64)), rtol=3e-7, atol=0)


def test_carried_scalars_if_and_init_values():
    x = np.array([3, -1, 2.5, -7, 0, 4, -2, 1, 1, 1, -3, 9, 0.5, -0.5, 2, -9], f32)
    expected = f32(np.sum(x[x > 0], dtype=f32)) + x.max()
    assert P.carried(x) == pytest.approx(float(expected), rel=1e-6)


@pytest.mark.parametrize("n", [0, 3, 4, 9])
def test_valid_shape_and_fillpad(n):
    x = np.arange(48, dtype=f32).reshape(6, 8)
    y = np.zeros((4, 8), f32)
    P.padded(x, n, y)
    valid = min(n, 4)
    assert np.array_equal(y[:valid], x[2 : 2 + valid])
    assert np.all(y[valid:] == -np.inf)


def test_calls_and_tuple_results():
    x = np.arange(32, dtype=f32).reshape(4, 8)
    y = np.zeros((4, 1), f32)
    P.calls(x, y)
    assert np.array_equal(y[:, 0], x.sum(1) - x.max(1))
    hi, total = P.row_stats(x)
    assert np.array_equal(hi[:, 0], x.max(1)) and np.array_equal(total[:, 0], x.sum(1))


def test_full_tile():
    x = np.arange(16, dtype=f32).reshape(2, 8)
    y = np.zeros((2, 8), f32)
    P.filled(x, y)
    assert np.array_equal(y, x + f32(1.5))


def test_unknown_option_and_target():
    x = np.zeros(8, f32)
    with pytest.raises(TypeError, match="unknown option 'policy'"):
        P.ignored(x, x, policy="guarded")
    with pytest.raises(ValueError, match="target must be one of cpu, emu"):
        P.ignored(x, x, target="gpu")


def test_operations_outside_a_kernel_say_so():
    with pytest.raises(FrontendError, match="pl.slice is part of a kernel"):
        pl.slice(np.zeros(4), [2], [0])


def test_static_math_and_python_errors_are_located():
    @pl.program
    class Bad:
        @pl.function
        def f(self, x: pl.Tensor[[4], pl.FP32]):
            t = pl.slice(x, [4 // 0], [0])
            return t

    with pytest.raises(FrontendError) as info:
        Bad.f(np.zeros(4, f32))
    line = test_static_math_and_python_errors_are_located.__code__.co_firstlineno + 5
    assert str(info.value).startswith(f"{__file__}:{line}:")
    assert "ZeroDivisionError" in str(info.value)


def test_emulator_faults_raise_with_python_lines():
    @pl.program
    class Past:
        @pl.function
        def f(self, x: pl.Tensor[[6], pl.FP32], y: pl.Out[pl.Tensor[[6], pl.FP32]]):
            for i in pl.parallel(0, 8, 4):
                y = pl.assemble(y, pl.exp(pl.slice(x, [4], [i])), [i])
            return y

    from pypto_mlir.tools.kernel_call import KernelFault

    with pytest.raises(KernelFault) as info:
        Past.f(np.zeros(6, f32), np.zeros(6, f32), target="emu")
    line = test_emulator_faults_raise_with_python_lines.__code__.co_firstlineno + 6
    assert f"{__file__}:{line}:" in str(info.value)
    assert "out-of-bounds" in str(info.value)


def test_start_stop_chunked_without_step():
    x = np.arange(10, dtype=f32)
    y = np.zeros(10, f32)
    constructs.build_two_bound_program().twice(x, y, target="emu")
    assert np.array_equal(y, x + x)
