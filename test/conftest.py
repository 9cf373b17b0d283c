"""Options of the test suite.

`make test` and `make test-fast` run it in pytest-xdist workers (`-n JOBS`) with `--dist loadfile`
(pyproject's addopts): each test module runs in one worker, so a module- or session-scoped
fixture (a compiled module, test_lit.py's one lit run over test/Output) or a module's cache is
built once, never by two processes at once. (pytest-xdist 3.8's `loadgroup` cannot group under
pytest 9: it renames the tests through an attribute pytest 9 no longer reads.)

`make test-fast` sets PYPTO_FAST_LANE=1: the JIT compiles at -O0 where a test names no level
(below), and lit's pypto-opt runs are forked from one server (test_lit.py). `make test` runs
neither shortcut.

The workers, and every process a test starts, use one OpenBLAS thread (unless the environment
says otherwise): the workers already fill the cores, and numpy's OpenBLAS otherwise starts a
thread per core in each process that spins after each call, CPU time taken from the other
worker. No test is about BLAS threads.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _fast_lane_compiles_at_o0() -> None:
    """`make test-fast` (PYPTO_FAST_LANE=1): the JIT compiles at LLVM -O0 unless a test asks
    for a level, as the default of compile_module, compile_emu, compile_instrumented and the
    examples' compile_variant (the front end's kernel calls use those defaults too). Every
    result the tests compare is bit-exact at any level (no fast-math anywhere), and -O0
    compiles in about half the time; `make test` (CI) compiles at the library's default, -O3,
    so optimised code stays tested."""
    import inspect

    from pypto_mlir.examples import kernels
    from pypto_mlir.lowering import cpu, emu

    for fn in (
        cpu.compile_module,
        emu.compile_emu,
        emu.compile_instrumented,
        kernels.compile_variant,
    ):
        names = [
            p.name
            for p in inspect.signature(fn).parameters.values()
            if p.default is not inspect.Parameter.empty
        ]
        defaults = list(fn.__defaults__ or ())
        defaults[names.index("opt_level")] = 0
        fn.__defaults__ = tuple(defaults)


if os.environ.get("PYPTO_FAST_LANE") == "1":
    _fast_lane_compiles_at_o0()


def pytest_addoption(parser):
    parser.addoption(
        "--pypto-lib",
        metavar="DIR",
        default=None,
        help="a pypto-lib checkout: run its example kernels through the Python front end "
        "(test/python/test_frontend_pypto_lib.py; skipped without it)",
    )
