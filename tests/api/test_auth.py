"""Users, sessions and tokens: who may reach the consoles and the API."""

import subprocess
import sys
from pathlib import Path

import psycopg
from fastapi.testclient import TestClient

from api.sessions import SessionSigner
from store.users import NewUserSecrets, authenticate, token_hash, user_by_token
from tests.fix_api import bearer, login

REPO = Path(__file__).resolve().parents[2]


def test_users_add_prints_password_and_token_once_and_stores_only_hashes(
    clean_database: str,
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "farmtrace", "users", "add", "wang", "--role", "staff"],
        cwd=REPO,
        env={"FARMTRACE_DATABASE_URL": clean_database, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    lines = dict(line.split(": ", 1) for line in done.stdout.splitlines())
    with psycopg.connect(clean_database) as conn:
        user = authenticate(conn, "wang", lines["password"])
        assert user is not None and user.role == "staff"
        assert user_by_token(conn, lines["token"]) == user
        stored = conn.execute("SELECT password_hash, token_hash FROM users").fetchone()
    assert stored is not None
    assert lines["password"] not in stored[0] and stored[0].startswith("$argon2")
    assert stored[1] == token_hash(lines["token"])


def test_api_refuses_to_start_without_a_secret_key(clean_database: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "farmtrace", "api", "--port", "1"],
        cwd=REPO,
        env={"FARMTRACE_DATABASE_URL": clean_database, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "FARMTRACE_SECRET_KEY" in done.stderr


def test_staff_signs_in_reaches_the_console_and_signs_out(
    client: TestClient, staff_user: NewUserSecrets
) -> None:
    html = {"Accept": "text/html"}
    assert client.get("/staff", headers=html, follow_redirects=False).status_code == 303
    login(client, staff_user.user.username, staff_user.password)
    page = client.get("/staff", headers=html)
    assert page.status_code == 200 and "加工中心工作台" in page.text
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/logout", data={"csrf_token": csrf}, headers=html, follow_redirects=False)
    assert client.get("/staff", headers=html, follow_redirects=False).status_code == 303


def test_a_wrong_password_is_refused(client: TestClient, staff_user: NewUserSecrets) -> None:
    page = client.get("/login", headers={"Accept": "text/html"})
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post(
        "/login",
        data={"username": "packer", "password": "wrong", "csrf_token": csrf},
        headers={"Accept": "text/html"},
    )
    assert answer.status_code == 401 and "用户名或密码不正确" in answer.text


def test_a_form_without_the_csrf_token_is_refused(
    client: TestClient, staff_user: NewUserSecrets
) -> None:
    answer = client.post(
        "/login",
        data={"username": "packer", "password": staff_user.password},
        follow_redirects=False,
    )
    assert answer.status_code == 403


def test_a_forged_session_cookie_is_ignored() -> None:
    signer = SessionSigner("one key")
    cookie = signer.dumps({"uid": 1})
    assert signer.loads(cookie) == {"uid": 1}
    assert SessionSigner("another key").loads(cookie) is None
    payload, _, signature = cookie.partition(".")
    assert signer.loads(payload[:-2] + "xx." + signature) is None
    assert signer.loads(cookie, now=10**12) is None


def test_an_inspector_token_cannot_open_the_staff_console(
    client: TestClient, inspector_token: str, staff_token: str
) -> None:
    assert client.get("/staff", headers=bearer(inspector_token)).status_code == 403
    assert client.get("/staff", headers=bearer(staff_token)).status_code == 200


def test_sign_in_only_returns_to_pages_of_this_site(
    client: TestClient, staff_user: NewUserSecrets
) -> None:
    for target, landing in [
        ("/staff/receive", "/staff/receive"),
        ("https://evil.example/", "/staff"),
        ("//evil.example/", "/staff"),
        ("/\t/evil.example/", "/staff"),
    ]:
        page = client.get("/login", headers={"Accept": "text/html"})
        csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        answer = client.post(
            "/login",
            data={"username": "packer", "password": staff_user.password, "csrf_token": csrf,
                  "next": target},
            headers={"Accept": "text/html"},
            follow_redirects=False,
        )  # fmt: skip
        assert answer.headers["location"] == landing
