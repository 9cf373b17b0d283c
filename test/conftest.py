"""Options of the test suite, and how it is spread over processes (pytest-xdist, `make test`).

`make test` and `make test-fast` run `pytest -n JOBS` with `--dist loadgroup` (pyproject's
addopts): tests are handed to the workers one by one, except those of one xdist group, which
run in one worker. A test joins its module's group when it uses a module- or session-scoped
fixture of the suite (a compiled module, the one lit run): built once per process, such a
fixture would otherwise be built again in every worker that gets one of its tests. A module can
also name its group itself (`pytestmark = pytest.mark.xdist_group(...)`), e.g. when its tests
share a cache rather than a fixture.
"""

from __future__ import annotations

import pytest

SHARED_SCOPES = {"module", "package", "session"}


def pytest_addoption(parser):
    parser.addoption(
        "--pypto-lib",
        metavar="DIR",
        default=None,
        help="a pypto-lib checkout: run its example kernels through the Python front end "
        "(test/python/test_frontend_pypto_lib.py; skipped without it)",
    )


def _shares_a_fixture(item: pytest.Item) -> bool:
    """Whether `item` uses a module- or wider-scoped fixture defined in this suite."""
    info = getattr(item, "_fixtureinfo", None)  # pytest keeps the resolved fixtures here
    if info is None:
        return False
    for defs in info.name2fixturedefs.values():
        for fixturedef in defs:
            # baseid: "" for the fixtures of pytest and its plugins, a path for the suite's own
            if fixturedef.scope in SHARED_SCOPES and fixturedef.baseid:
                return True
    return False


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist appends the group to each test's id
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("xdist_group") is None and _shares_a_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
