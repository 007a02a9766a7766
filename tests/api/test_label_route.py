"""Labels through the API: every format, for readers only."""

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from tests.api.builders import receive, seed_master_data
from tests.fix_api import bearer


@pytest.fixture
def lot(client: TestClient, staff_token: str) -> str:
    seed_master_data(client, staff_token)
    return str(receive(client, staff_token)["lot_code"])


@pytest.mark.parametrize(
    ("fmt", "media_type", "starts_with"),
    [
        ("svg", "image/svg+xml", b"<?xml"),
        ("png", "image/png", b"\x89PNG"),
        ("pdf", "application/pdf", b"%PDF"),
        ("zpl", "text/plain; charset=utf-8", b"^XA"),
        ("tspl", "text/plain; charset=utf-8", b"SIZE"),
    ],
)
def test_every_label_format_is_served(
    client: TestClient,
    inspector_token: str,
    lot: str,
    fmt: str,
    media_type: str,
    starts_with: bytes,
) -> None:
    answer = client.get(f"/api/v1/batches/{lot}/label.{fmt}", headers=bearer(inspector_token))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == media_type
    assert answer.content.lstrip().startswith(starts_with)
    assert lot in answer.headers["content-disposition"]


def test_the_pdf_sheet_carries_the_chinese_product_name(
    client: TestClient, staff_token: str, lot: str, tmp_path
) -> None:
    answer = client.get(f"/api/v1/batches/{lot}/label.pdf", headers=bearer(staff_token))
    sheet = tmp_path / "sheet.pdf"
    sheet.write_bytes(answer.content)
    text = PdfReader(sheet).pages[0].extract_text()
    assert "金口河乌天麻（鲜）" in text.replace("\n", "")  # long names wrap


def test_labels_need_a_signed_in_reader(client: TestClient, lot: str) -> None:
    assert client.get(f"/api/v1/batches/{lot}/label.svg").status_code == 401


def test_an_unknown_lot_has_no_label(client: TestClient, staff_token: str, lot: str) -> None:
    answer = client.get("/api/v1/batches/NOSUCHLOT1/label.svg", headers=bearer(staff_token))
    assert answer.status_code == 404
    assert answer.json()["error"]["status"] == 404


def test_an_unknown_format_is_refused(client: TestClient, staff_token: str, lot: str) -> None:
    answer = client.get(f"/api/v1/batches/{lot}/label.docx", headers=bearer(staff_token))
    assert answer.status_code in {404, 422}
