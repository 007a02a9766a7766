"""Every response carries security headers fitting its page; public pages run no script."""


import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser

from tests.api.builders import receive, seed_master_data
from tests.fix_api import bearer


def _policy(answer: httpx.Response) -> dict[str, str]:
    directives = answer.headers["content-security-policy"].split(";")
    return dict(d.strip().partition(" ")[::2] for d in directives if d.strip())


@pytest.mark.parametrize(
    ("path", "status"),
    [("/l/NOSUCHLOT", 404), ("/staff", 303), ("/login", 200), ("/api/v1/batches", 401),
     ("/healthz", 200), ("/static/farmtrace.css", 200)],
)  # fmt: skip
def test_every_response_has_the_common_headers(client: TestClient, path: str, status: int) -> None:
    answer = client.get(path, headers={"Accept": "text/html"}, follow_redirects=False)
    assert answer.status_code == status
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "same-origin"
    assert _policy(answer)["frame-ancestors"] == "'none'"
    # The test client's site is on https.
    assert answer.headers["strict-transport-security"].startswith("max-age=")


def test_public_pages_forbid_every_script_and_consoles_only_foreign_ones(
    client: TestClient, staff_token: str
) -> None:
    seed_master_data(client, staff_token)
    lot = receive(client, staff_token)["lot_code"]
    public = client.get(f"/l/{lot}", headers={"Accept": "text/html"})
    assert public.status_code == 200
    assert _policy(public)["script-src"] == "'none'"
    assert _policy(public)["default-src"] == "'none'"
    console = client.get("/login", headers={"Accept": "text/html"})
    assert _policy(console)["script-src"] == "'self'"


def test_a_refused_body_carries_the_headers_too(client: TestClient) -> None:
    answer = client.post("/api/v1/products", content=b"x" * (2 * 1024 * 1024))
    assert answer.status_code == 413
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_plain_http_gets_no_hsts_and_cookies_are_not_secure(live_server: str) -> None:
    answer = httpx.get(f"{live_server}/login?lang=en", headers={"Accept": "text/html"})
    assert "strict-transport-security" not in answer.headers
    cookies = answer.headers.get_list("set-cookie")
    assert cookies
    for cookie in cookies:
        lowered = cookie.lower()
        assert "httponly" in lowered and "samesite=lax" in lowered
        assert "secure" not in lowered


def test_cookies_on_https_are_secure_httponly_and_samesite(client: TestClient) -> None:
    answer = client.get("/login?lang=en", headers={"Accept": "text/html"})
    cookies = answer.headers.get_list("set-cookie")
    assert len(cookies) == 2  # the session (with its CSRF token) and the language choice
    for cookie in cookies:
        lowered = cookie.lower()
        assert "httponly" in lowered and "samesite=lax" in lowered and "secure" in lowered



@pytest.mark.browser
def test_chromium_runs_no_script_injected_into_a_public_page(
    browser: Browser, live_server: str, staff_token: str
) -> None:
    with httpx.Client(base_url=live_server) as api:
        seed_master_data(api, staff_token)
        lot = receive(api, staff_token)["lot_code"]
        assert api.get(f"/api/v1/batches/{lot}", headers=bearer(staff_token)).is_success
    page = browser.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto(f"{live_server}/l/{lot}")
    assert page.locator("h1").count() == 1
    # The page's own inline stylesheet is allowed and applied.
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    assert not violations, violations
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = true'; document.body.appendChild(s); }"
    )
    assert page.evaluate("window.injected === undefined")
    assert any("Content Security Policy" in text for text in violations), violations
