"""The FSMA 204 spreadsheet: its columns, one row per critical tracking event, both formats."""

import csv
import io
from datetime import timedelta

import psycopg
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from labels.lot_codes import lot_code_for
from schemas.batches import EventCreate, SplitChild, SplitCreate
from store.events import record_event
from store.genealogy import split_batch
from store.kde import KDE_COLUMNS
from tests.fix_api import bearer
from tests.inspect.cold_chain import T0, move, new_batch, seed_district

FSMA_COLUMNS = [
    "Traceability Lot Code", "Traceability Lot Code Source", "Product Description",
    "Critical Tracking Event", "Event Date", "Event Time", "Quantity", "Unit of Measure",
    "Location Description", "Location Identifier", "Immediate Previous Source",
    "Immediate Subsequent Recipient", "Input Traceability Lot Codes", "Harvest Date",
    "Reference Document Type", "Reference Document Number",
    # Harvesting and cooling KDEs filled from the village point's records.
    "Commodity Variety", "Field or Growing Area", "Harvester Business Name", "Harvester Phone",
    "Cooling Location Description", "Cooling Date",
]  # fmt: skip


def history(db: psycopg.Connection) -> tuple[str, str]:
    seed_district(db)
    lot = new_batch(db, location="PC-COLD")
    record_event(db, lot, EventCreate(type="cleaning", time=T0 + timedelta(minutes=30)), None)
    record_event(
        db, lot, EventCreate(type="testing", time=T0 + timedelta(minutes=40),
                             data={"passed": True}), None,
    )  # fmt: skip
    record_event(db, lot, EventCreate(type="packing", time=T0 + timedelta(hours=1)), None)
    [child] = split_batch(
        db, lot, SplitCreate(children=[SplitChild(quantity=30)], time=T0 + timedelta(hours=2)),
        None, lot_code_for,
    )  # fmt: skip
    db.commit()
    move(db, child.lot_code, "TRUCK-01", T0 + timedelta(hours=3))
    move(db, child.lot_code, "WH-1", T0 + timedelta(hours=5))
    return lot, child.lot_code


def test_the_spreadsheet_has_fsma_columns_and_one_row_per_tracking_event(
    db: psycopg.Connection, client: TestClient, inspector_token: str
) -> None:
    lot, child = history(db)
    assert list(KDE_COLUMNS) == FSMA_COLUMNS
    answer = client.get(
        f"/api/v1/exports/kde.csv?lot={lot}&lot={child}", headers=bearer(inspector_token)
    )
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert list(table[0]) == FSMA_COLUMNS
    events = [(r["Traceability Lot Code"], r["Critical Tracking Event"]) for r in table]
    assert sorted(events) == sorted([
        (lot, "Harvesting"), (lot, "Receiving"), (lot, "Transformation"),
        (lot, "Initial Packing"), (lot, "Transformation"),
        (child, "Transformation"), (child, "Shipping"), (child, "Receiving"),
    ])  # fmt: skip
    shipping = next(r for r in table if r["Critical Tracking Event"] == "Shipping")
    assert shipping["Location Identifier"] == "TRUCK-01"
    arrival = next(
        r for r in table if r["Traceability Lot Code"] == child
        and r["Critical Tracking Event"] == "Receiving"
    )  # fmt: skip
    assert arrival["Immediate Previous Source"] == "冷藏车 川L·J0101"
    assert next(r for r in table if r["Traceability Lot Code"] == child
                and r["Critical Tracking Event"] == "Transformation")[
        "Input Traceability Lot Codes"] == lot  # fmt: skip
    assert [r["Traceability Lot Code"] for r in table] == sorted(
        r["Traceability Lot Code"] for r in table
    )


def test_the_xlsx_has_the_same_rows_with_real_dates_and_filters(
    db: psycopg.Connection, client: TestClient, inspector_token: str
) -> None:
    history(db)
    period = "from=2026-05-01T00:00:00%2B08:00&to=2026-05-08T00:00:00%2B08:00"
    xlsx = client.get(f"/api/v1/exports/kde.xlsx?{period}", headers=bearer(inspector_token))
    csv_answer = client.get(f"/api/v1/exports/kde.csv?{period}", headers=bearer(inspector_token))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == FSMA_COLUMNS
    assert len(rows) == len(csv_answer.content.decode("utf-8-sig").strip().splitlines())
    assert sheet.auto_filter.ref and sheet.freeze_panes == "A2"
    assert hasattr(rows[1][FSMA_COLUMNS.index("Event Date")], "year")


def test_an_export_needs_lots_or_a_period(client: TestClient, inspector_token: str) -> None:
    answer = client.get("/api/v1/exports/kde.csv", headers=bearer(inspector_token))
    assert answer.status_code == 400
    assert client.get("/api/v1/exports/kde.csv?lot=A1").status_code == 401
