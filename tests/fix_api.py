"""API fixtures: an application on the emptied test database, a client, and a user per role.

``client`` sends no credentials; pass ``headers=bearer(staff_token)`` (or another role's
token) per request, or use ``staff_client`` / ``inspector_client`` (signed in through the
``/login`` form) for console pages. ``live_server`` serves the app on loopback for browsers.
"""

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from farmtrace.servers.network import free_port
from schemas.settings import Settings
from store.users import NewUserSecrets, create_user


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api_settings(clean_database: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=clean_database,
        secret_key=secrets.token_urlsafe(32),
        public_base_url="https://trace.example.cn",
        # Uploaded photos and PDFs stay in the test's own folder.
        media_dir=str(tmp_path / "media"),
    )


@pytest.fixture
def app(api_settings: Settings) -> FastAPI:
    return create_app(api_settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    # https, like the public base URL above, so the Secure session cookie is sent back.
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


def _make_user(database_url: str, username: str, role: str) -> NewUserSecrets:
    with psycopg.connect(database_url) as conn:
        return create_user(conn, username, role)


@pytest.fixture
def staff_user(clean_database: str) -> NewUserSecrets:
    return _make_user(clean_database, "packer", "staff")


@pytest.fixture
def inspector_user(clean_database: str) -> NewUserSecrets:
    return _make_user(clean_database, "inspector", "inspector")


@pytest.fixture
def admin_user(clean_database: str) -> NewUserSecrets:
    return _make_user(clean_database, "admin", "admin")


@pytest.fixture
def staff_token(staff_user: NewUserSecrets) -> str:
    return staff_user.token


@pytest.fixture
def inspector_token(inspector_user: NewUserSecrets) -> str:
    return inspector_user.token


@pytest.fixture
def admin_token(admin_user: NewUserSecrets) -> str:
    return admin_user.token


def login(client: TestClient, username: str, password: str) -> None:
    """Sign in through the console's form (with its CSRF token), leaving the cookie set."""
    page = client.get("/login", headers={"Accept": "text/html"})
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        headers={"Accept": "text/html"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


@pytest.fixture
def staff_client(client: TestClient, staff_user: NewUserSecrets) -> TestClient:
    """The client signed in to the console as a staff member."""
    login(client, staff_user.user.username, staff_user.password)
    return client


@pytest.fixture
def inspector_client(client: TestClient, inspector_user: NewUserSecrets) -> TestClient:
    """The client signed in to the console as an inspector."""
    login(client, inspector_user.user.username, inspector_user.password)
    return client


# Long enough for the pool to open on a loaded CI machine.
LIVE_SERVER_START_TIMEOUT_S = 20.0


@contextmanager
def serving(app: FastAPI, port: int | None = None) -> Iterator[str]:
    """Serve ``app`` with uvicorn on loopback for a real browser; yields its origin."""
    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + LIVE_SERVER_START_TIMEOUT_S
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_server(clean_database: str) -> Iterator[str]:
    """The application on loopback, for browsers; yields its origin.

    Its public base URL is its own origin (plain http), so session cookies are not marked
    Secure and QR links resolve locally.
    """
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    settings = Settings(
        database_url=clean_database, secret_key=secrets.token_urlsafe(32), public_base_url=origin
    )
    with serving(create_app(settings), port) as served:
        yield served
