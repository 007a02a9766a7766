"""The public pages are browsed on the same application the tests write through."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from tests.fix_api import serving


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[str]:
    """The ``app`` fixture's application on loopback (its origin, e.g. http://127.0.0.1:54321)."""
    with serving(app) as origin:
        yield origin
