"""Who reaches what: nobody anonymous gets past the public pages; inspectors write nothing
through the API (in the console they may acknowledge an alarm: tests/inspect/test_review_desk)."""

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.fix_api import bearer

# Areas behind sign-in; everything else (provenance pages, resolver, health, sign-in) is public.
PRIVATE_PREFIXES = ("/api/v1/", "/inspect", "/staff")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Placeholders for path parameters: the check happens before anything is looked up.
SAMPLE_PARAMETERS = {"lot": "TIAN2605060000000A", "extension": "csv", "alarm_id": "1"}


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)(:[^}]*)?\}", lambda m: SAMPLE_PARAMETERS.get(m[1], "1"), path)


def every_route(routes: list, prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    """(path, methods) of every API route, through included routers (newer FastAPI keeps
    them as wrappers around the original router)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route.methods
        elif hasattr(route, "original_router"):
            nested = prefix + route.include_context.prefix
            yield from every_route(route.original_router.routes, nested)


def private_routes(app: FastAPI) -> list[tuple[str, str]]:
    return sorted(
        (method, concrete(path))
        for path, methods in every_route(app.routes)
        if path.startswith(PRIVATE_PREFIXES) and "/public" not in path
        for method in methods
    )


def test_an_anonymous_caller_reaches_no_private_route(app: FastAPI, client: TestClient) -> None:
    routes = private_routes(app)
    assert ("GET", "/api/v1/alarms") in routes and ("GET", "/inspect") in routes
    for method, path in routes:
        answer = client.request(method, path, json={}, follow_redirects=False)
        # A console form without a session has no CSRF token either: refused one way or other.
        refusals = (401,) if path.startswith("/api/") or method == "GET" else (401, 403)
        assert answer.status_code in refusals, (method, path, answer.status_code)
        page = client.request(method, path, headers={"Accept": "text/html"}, follow_redirects=False)
        if path.startswith("/api/"):
            assert page.status_code == 401, (method, path)
        elif method == "GET":
            assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_an_inspector_can_write_nothing_through_the_api(
    app: FastAPI, client: TestClient, inspector_token: str
) -> None:
    writes = [
        (m, p) for m, p in private_routes(app) if m in WRITE_METHODS and p.startswith("/api/")
    ]
    assert ("POST", "/api/v1/recalls") in writes
    for method, path in writes:
        answer = client.request(method, path, json={}, headers=bearer(inspector_token))
        assert answer.status_code == 403, (method, path, answer.status_code)


@pytest.mark.parametrize("path", ["/healthz", "/login"])
def test_public_pages_need_no_sign_in(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 200
