"""Every error leaves the application in one JSON shape (or as a page for browsers)."""

from fastapi.testclient import TestClient

from tests.fix_api import bearer

ERROR_KEYS = {"status", "code", "message"}


def assert_error_shape(body: dict, status: int) -> None:
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_KEYS
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def test_unknown_route_answers_in_the_error_shape(client: TestClient) -> None:
    answer = client.get("/api/v1/no-such-thing")
    assert answer.status_code == 404
    assert_error_shape(answer.json(), 404)


def test_missing_credentials_answer_in_the_error_shape(client: TestClient) -> None:
    answer = client.get("/staff", headers={"Accept": "application/json"})
    assert answer.status_code == 401
    assert_error_shape(answer.json(), 401)
    assert answer.json()["error"]["code"] == "unauthorized"


def test_a_bad_token_answers_in_the_error_shape(client: TestClient) -> None:
    answer = client.get("/staff", headers=bearer("not-a-token"))
    assert answer.status_code == 401
    assert_error_shape(answer.json(), 401)


def test_a_wrong_role_answers_forbidden_in_the_error_shape(
    client: TestClient, inspector_token: str
) -> None:
    answer = client.get("/staff", headers=bearer(inspector_token))
    assert answer.status_code == 403
    assert_error_shape(answer.json(), 403)


def test_browsers_get_an_error_page_in_their_language(client: TestClient) -> None:
    answer = client.get("/no-such-page", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in answer.text
    chinese = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert '<html lang="zh-CN">' in chinese.text
