"""Options of the test suite.

`make test` and `make test-fast` run it in pytest-xdist workers (`-n JOBS`) with `--dist loadfile`
(pyproject's addopts): each test module runs in one worker, so a module- or session-scoped
fixture (a compiled module, test_lit.py's one lit run over test/Output) or a module's cache is
built once, never by two processes at once. (pytest-xdist 3.8's `loadgroup` cannot group under
pytest 9: it renames the tests through an attribute pytest 9 no longer reads.)

The workers, and every process a test starts, use one OpenBLAS thread (unless the environment
says otherwise): the workers already fill the cores, and numpy's OpenBLAS otherwise starts a
thread per core in each process that spins after each call, CPU time taken from the other
worker. No test is about BLAS threads.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def pytest_addoption(parser):
    parser.addoption(
        "--pypto-lib",
        metavar="DIR",
        default=None,
        help="a pypto-lib checkout: run its example kernels through the Python front end "
        "(test/python/test_frontend_pypto_lib.py; skipped without it)",
    )
