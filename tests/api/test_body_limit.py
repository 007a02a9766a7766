"""Request bodies over the limit are refused with 413 before they are parsed or kept."""

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from api.body_limit import DEFAULT_MAX_BODY_BYTES, BodyLimit
from tests.fix_api import bearer

TOO_LARGE = DEFAULT_MAX_BODY_BYTES + 1


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """A body sent chunked, with no Content-Length to refuse it by."""
    while total > 0:
        yield b"x" * min(size, total)
        total -= size


@pytest.mark.parametrize("path", ["/api/v1/products", "/login", "/l/NOSUCHLOT"])
def test_declared_oversized_body_is_refused_for_anonymous_callers(
    live_server: str, path: str
) -> None:
    answer = httpx.post(
        f"{live_server}{path}",
        content=b"{" + b" " * TOO_LARGE,
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["status"] == 413


def test_streamed_oversized_body_is_refused_for_a_signed_in_caller(
    live_server: str, staff_token: str
) -> None:
    answer = httpx.post(
        f"{live_server}/api/v1/products",
        content=chunks(20 * DEFAULT_MAX_BODY_BYTES),
        headers={"Content-Type": "application/json", **bearer(staff_token)},
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "request_entity_too_large"


def test_a_body_under_the_limit_reaches_the_route(live_server: str, staff_token: str) -> None:
    answer = httpx.post(
        f"{live_server}/api/v1/products",
        content=chunks(DEFAULT_MAX_BODY_BYTES - 10),
        headers={"Content-Type": "application/json", **bearer(staff_token)},
    )
    # Read in full and judged as JSON (it is not), so the limit let it through.
    assert answer.status_code == 422


def test_a_path_prefix_may_have_a_larger_limit() -> None:
    app = FastAPI()

    @app.post("/{name:path}")
    async def echo_size(request: Request) -> int:
        return len(await request.body())

    app.add_middleware(BodyLimit, max_bytes=100, larger={"/uploads/": 1000})
    client = TestClient(app)
    assert client.post("/uploads/photo", content=b"x" * 1000).json() == 1000
    assert client.post("/uploads/photo", content=b"x" * 1001).status_code == 413
    assert client.post("/notes", content=b"x" * 101).status_code == 413
    assert client.post("/notes", content=b"x" * 100).json() == 100
