"""Schemathesis drives every operation of the OpenAPI document; no answer may be a 5xx.

It runs against a live uvicorn on loopback with a staff token (so requests reach the handlers,
not just the authentication) over the seeded demo data, with a bounded number of examples per
operation so the suite stays quick. Requests go out through httpx: schemathesis's own
requests-based transport trips over the urllib3 fork that some environments install.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from store.users import create_user
from tests.fix_api import bearer

REPO = Path(__file__).resolve().parents[2]
# Enough to try each operation's shapes without making the suite slow; raise it for a
# deeper run with FARMTRACE_FUZZ_EXAMPLES.
EXAMPLES_PER_OPERATION = int(os.environ.get("FARMTRACE_FUZZ_EXAMPLES", "15"))


@pytest.fixture
def api_schema(live_server: str, clean_database: str) -> schemathesis.BaseSchema:
    subprocess.run(
        [sys.executable, "-m", "farmtrace", "seed", "demo"],
        cwd=REPO,
        env={"FARMTRACE_DATABASE_URL": clean_database, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        check=True,
    )
    return schemathesis.openapi.from_url(f"{live_server}/openapi.json")


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client


@pytest.fixture
def fuzz_token(clean_database: str) -> str:
    with psycopg.connect(clean_database) as conn:
        return create_user(conn, "fuzzer", "staff").token


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_with_a_server_error(
    case: schemathesis.Case, fuzz_token: str, live_server: str, http: httpx.Client
) -> None:
    request = case.as_transport_kwargs(base_url=live_server, headers=bearer(fuzz_token))
    body = request.get("data")
    response = http.request(
        request["method"],
        request["url"],
        params=request.get("params"),
        headers=request.get("headers"),
        json=request.get("json"),
        content=body if isinstance(body, bytes | str) else None,
        data=body if isinstance(body, dict) else None,
    )
    case.validate_response(response, checks=[not_a_server_error])
