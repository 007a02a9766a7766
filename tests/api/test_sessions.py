"""Server-side sessions, the user commands that end them, and sign-in throttling."""

import re
import subprocess
import sys
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from store.login_throttle import MAX_FAILURES
from store.users import NewUserSecrets
from tests.fix_api import bearer, login

REPO = Path(__file__).resolve().parents[2]
HTML = {"Accept": "text/html"}


def farmtrace_users(database_url: str, *args: str) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "farmtrace", "users", *args],
        cwd=REPO,
        env={"FARMTRACE_DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)


def _signed_in(client: TestClient) -> bool:
    return client.get("/staff", headers=HTML, follow_redirects=False).status_code == 200


def _try_password(client: TestClient, username: str, password: str) -> int:
    page = client.get("/login", headers=HTML)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token[1]},
        headers=HTML,
        follow_redirects=False,
    )
    if answer.status_code == 429:
        assert int(answer.headers["retry-after"]) > 0
        assert "登录失败次数过多" in answer.text
    return answer.status_code


def test_a_cookie_copied_before_logout_is_refused_after_it(
    staff_client: TestClient, app: FastAPI
) -> None:
    copied = dict(staff_client.cookies)
    page = staff_client.get("/staff", headers=HTML)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    staff_client.post("/logout", data={"csrf_token": token[1]}, follow_redirects=False)
    with TestClient(app, base_url="https://testserver", cookies=copied) as replay:
        assert not _signed_in(replay)


def test_disabling_a_user_ends_its_sessions_and_refuses_its_token_at_once(
    staff_client: TestClient, staff_user: NewUserSecrets, clean_database: str
) -> None:
    assert _signed_in(staff_client)
    farmtrace_users(clean_database, "disable", "packer")
    assert not _signed_in(staff_client)
    assert staff_client.get("/api/v1/batches", headers=bearer(staff_user.token)).status_code == 401
    listed = subprocess.run(
        [sys.executable, "-m", "farmtrace", "users", "list"], cwd=REPO, text=True,
        env={"FARMTRACE_DATABASE_URL": clean_database, "PATH": "/usr/bin:/bin"},
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    assert re.search(r"^packer\tstaff\tdisabled ", listed, re.M), listed
    farmtrace_users(clean_database, "enable", "packer")
    assert staff_client.get("/api/v1/batches", headers=bearer(staff_user.token)).status_code == 200


def test_a_password_reset_ends_sessions_and_only_the_new_password_works(
    staff_client: TestClient, staff_user: NewUserSecrets, clean_database: str
) -> None:
    new_password = farmtrace_users(clean_database, "reset-password", "packer")["password"]
    assert new_password != staff_user.password
    assert not _signed_in(staff_client)
    assert _try_password(staff_client, "packer", staff_user.password) == 401
    login(staff_client, "packer", new_password)
    assert _signed_in(staff_client)


def test_a_rotated_token_replaces_the_old_one(
    client: TestClient, staff_user: NewUserSecrets, clean_database: str
) -> None:
    new_token = farmtrace_users(clean_database, "rotate-token", "packer")["token"]
    assert client.get("/api/v1/batches", headers=bearer(staff_user.token)).status_code == 401
    assert client.get("/api/v1/batches", headers=bearer(new_token)).status_code == 200


def test_an_account_is_throttled_after_ten_failures_from_any_address(
    app: FastAPI, staff_user: NewUserSecrets
) -> None:
    for attempt in range(MAX_FAILURES):
        address = f"198.51.100.{attempt}"
        with TestClient(app, base_url="https://testserver", client=(address, 5000)) as client:
            assert _try_password(client, "packer", "wrong") == 401
    with TestClient(app, base_url="https://testserver", client=("203.0.113.9", 5000)) as client:
        # Even the right password waits: the guesser may have found it.
        assert _try_password(client, "packer", staff_user.password) == 429


def test_an_address_is_throttled_after_ten_failures_across_accounts(
    app: FastAPI, staff_user: NewUserSecrets
) -> None:
    with TestClient(app, base_url="https://testserver", client=("192.0.2.7", 5000)) as client:
        for attempt in range(MAX_FAILURES):
            assert _try_password(client, f"guess{attempt}", "wrong") == 401
        assert _try_password(client, "packer", staff_user.password) == 429
    with TestClient(app, base_url="https://testserver", client=("192.0.2.8", 5000)) as other:
        assert _try_password(other, "packer", staff_user.password) == 303


def test_a_few_failures_do_not_slow_or_block_the_right_password(
    client: TestClient, staff_user: NewUserSecrets
) -> None:
    for _ in range(MAX_FAILURES - 1):
        assert _try_password(client, "packer", "wrong") == 401
    assert _try_password(client, "packer", staff_user.password) == 303
    # A success clears the account's count; the address keeps its own.
    assert _try_password(client, "packer", "wrong") == 401
