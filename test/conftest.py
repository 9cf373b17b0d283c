"""Options of the test suite."""


def pytest_addoption(parser):
    parser.addoption(
        "--pypto-lib",
        metavar="DIR",
        default=None,
        help="a pypto-lib checkout: run its example kernels through the Python front end "
        "(test/python/test_frontend_pypto_lib.py; skipped without it)",
    )
