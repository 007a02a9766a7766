"""Small refusals answered in the user's words, and routes reachable by the documented roles."""

import re
from typing import get_args

import pytest
from fastapi.testclient import TestClient

from api.staff_texts import STAFF_MESSAGES
from schemas.provenance import ColdChainVerdict
from tests.api.builders import receive, seed_master_data
from tests.fix_api import bearer


@pytest.fixture
def lot(client: TestClient, staff_token: str) -> str:
    seed_master_data(client, staff_token)
    return str(receive(client, staff_token)["lot_code"])


@pytest.mark.parametrize(("dpi", "fmt"), [(203, "zpl"), (300, "zpl"), (203, "tspl")])
def test_label_routes_take_either_printer_resolution(
    client: TestClient, staff_token: str, lot: str, dpi: int, fmt: str
) -> None:
    answer = client.get(f"/api/v1/batches/{lot}/label.{fmt}?dpi={dpi}", headers=bearer(staff_token))
    assert answer.status_code == 200, answer.text
    if fmt == "zpl":
        # 60 mm wide: 480 dots at 203 dpi, 709 at 300.
        assert re.search(rf"\^PW{480 if dpi == 203 else 709}\n", answer.text)


def test_an_unknown_resolution_is_refused_naming_it(
    client: TestClient, staff_token: str, lot: str
) -> None:
    answer = client.get(f"/api/v1/batches/{lot}/label.zpl?dpi=600", headers=bearer(staff_token))
    assert answer.status_code == 422
    assert answer.json()["error"]["message"].startswith("query.dpi:")


def test_scans_of_a_lot_are_for_staff_only(
    client: TestClient, staff_token: str, inspector_token: str, lot: str
) -> None:
    path = f"/api/v1/batches/{lot}/scans"
    assert client.get(path, headers=bearer(staff_token)).status_code == 200
    assert client.get(path, headers=bearer(inspector_token)).status_code == 403


def test_a_method_a_route_does_not_take_is_answered_405_with_allow(
    client: TestClient, staff_token: str
) -> None:
    answer = client.delete("/api/v1/batches", headers=bearer(staff_token))
    assert answer.status_code == 405
    assert set(answer.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert answer.json()["error"]["status"] == 405


def test_an_unknown_village_is_named_in_words_not_in_postgresql_s(
    client: TestClient, staff_token: str, lot: str
) -> None:
    body = {"code": "P-NEW", "name": "新农户", "village": "VP-NOWHERE"}
    answer = client.post("/api/v1/producers", json=body, headers=bearer(staff_token))
    assert answer.status_code == 422
    message = answer.json()["error"]["message"]
    assert message.endswith("unknown village 'VP-NOWHERE'")
    assert "Key (" not in message and "locations" not in message


@pytest.mark.parametrize(
    ("method", "path", "where"),
    [
        ("get", "/api/v1/batches?limit=1&q=a%00b", "query"),
        ("get", "/inspect/batches?lot=%00", "query"),
        ("post", "/api/v1/producers", "body"),
    ],
)
def test_text_with_nul_is_refused_naming_where(
    client: TestClient, staff_token: str, method: str, path: str, where: str
) -> None:
    body = '{"code": "P-NUL", "name": "a\\u0000b", "village": "VP-PUTI"}'
    answer = client.request(
        method, path, content=body if method == "post" else None,
        headers={**bearer(staff_token), "Content-Type": "application/json"},
    )  # fmt: skip
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["message"] == (
        f"{where}: text must not contain the NUL control character (U+0000)"
    )


def test_a_form_with_nul_is_refused_and_an_escaped_backslash_is_not_nul(
    client: TestClient, staff_token: str, lot: str
) -> None:
    form = client.post(
        "/login", content=b"username=a%00&password=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert form.status_code == 422
    # "\\u0000" in JSON is a backslash followed by the text u0000: ordinary text.
    body = '{"code": "P-SLASH", "name": "a\\\\u0000b", "village": "VP-PUTI"}'
    answer = client.post(
        "/api/v1/producers", content=body,
        headers={**bearer(staff_token), "Content-Type": "application/json"},
    )  # fmt: skip
    assert answer.status_code == 201, answer.text
    assert answer.json()["name"] == "a\\u0000b"


def test_every_cold_chain_verdict_has_words_on_the_consoles() -> None:
    """The consoles show a batch's verdict in words, never its code (cc_not_cooled once)."""
    for verdict in (*get_args(ColdChainVerdict), "pending"):
        words = STAFF_MESSAGES.get(f"cc_{verdict}")
        assert words is not None and all(words), verdict
