"""The FSMA 204 spreadsheet: one row per critical tracking event, every KDE the rule asks."""

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

# The key data elements of 21 CFR 1.1325-1.1350, in the rule's words, for each critical
# tracking event the export emits, with the column(s) that hold each one.
RULE: dict[str, dict[str, tuple[str, ...]]] = {
    "Harvesting": {  # 1.1325(a)(1)
        "(i) location description for the immediate subsequent recipient (other than a "
        "transporter)": ("Immediate Subsequent Recipient",),
        "(ii) commodity and, if applicable, variety": ("Product Description",),
        "(iii) quantity and unit of measure": ("Quantity", "Unit of Measure"),
        "(iv) location description for the farm where the food was harvested": (
            "Location Description",),
        "(vii) date of harvesting": ("Harvest Date",),
        "(viii) reference document type and reference document number": (
            "Reference Document Type", "Reference Document Number"),
    },
    "Cooling": {  # 1.1325(b)
        "(1) location description for the immediate subsequent recipient (other than a "
        "transporter)": ("Immediate Subsequent Recipient",),
        "(2) commodity and, if applicable, variety": ("Product Description",),
        "(3) quantity and unit of measure": ("Quantity", "Unit of Measure"),
        "(4) location description for where the food was cooled": ("Location Description",),
        "(5) date of cooling": ("Event Date",),
        "(6) location description for the farm where the food was harvested": (
            "Harvest Location Description",),
        "(7) reference document type and reference document number": (
            "Reference Document Type", "Reference Document Number"),
    },
    "Initial Packing": {  # 1.1330(a)
        "(1) commodity and, if applicable, variety of the food received": (
            "Product Description",),
        "(2) date you received the food": ("Date Received",),
        "(3) quantity and unit of measure of the food received": ("Quantity Received",),
        "(4) location description for the farm where the food was harvested": (
            "Harvest Location Description",),
        "(7) business name and phone number for the harvester": (
            "Harvester Business Name", "Harvester Phone"),
        "(8) date of harvesting": ("Harvest Date",),
        "(9) location description for where the food was cooled (if applicable)": (
            "Cooling Location Description",),
        "(10) date of cooling (if applicable)": ("Cooling Date",),
        "(11) traceability lot code you assigned": ("Traceability Lot Code",),
        "(12) product description of the packed food": ("Product Description",),
        "(13) quantity and unit of measure of the packed food": ("Quantity", "Unit of Measure"),
        "(14) location description for where you initially packed the food (the "
        "traceability lot code source)": ("Location Description", "Traceability Lot Code Source"),
        "(15) date of initial packing": ("Event Date",),
        "(16) reference document type and reference document number": (
            "Reference Document Type", "Reference Document Number"),
    },
    "Shipping": {  # 1.1340(a)
        "(1) traceability lot code": ("Traceability Lot Code",),
        "(2) quantity and unit of measure": ("Quantity", "Unit of Measure"),
        "(3) product description": ("Product Description",),
        "(4) location description for the immediate subsequent recipient (other than a "
        "transporter)": ("Immediate Subsequent Recipient",),
        "(5) location description for the location from which you shipped the food": (
            "Location Description",),
        "(6) date you shipped the food": ("Event Date",),
        "(7) location description for the traceability lot code source": (
            "Traceability Lot Code Source",),
        "(8) reference document type and reference document number": (
            "Reference Document Type", "Reference Document Number"),
    },
    "Receiving": {  # 1.1345(a)
        "(1) traceability lot code": ("Traceability Lot Code",),
        "(2) quantity and unit of measure": ("Quantity", "Unit of Measure"),
        "(3) product description": ("Product Description",),
        "(4) location description for the immediate previous source (other than a "
        "transporter)": ("Immediate Previous Source",),
        "(5) location description for where the food was received": ("Location Description",),
        "(6) date you received the food": ("Event Date",),
        "(7) location description for the traceability lot code source": (
            "Traceability Lot Code Source",),
        "(8) reference document type and reference document number": (
            "Reference Document Type", "Reference Document Number"),
    },
    "Transformation": {  # 1.1350(a)
        "(1)(i) traceability lot code of the food used": ("Input Traceability Lot Codes",),
        "(1)(ii) product description of the food used": ("Input Product Descriptions",),
        "(1)(iii) for each traceability lot used, the quantity and unit of measure used": (
            "Input Quantities",),
        "(2)(i) new traceability lot code": ("Traceability Lot Code",),
        "(2)(ii) location description for where you transformed the food (the traceability "
        "lot code source)": ("Location Description", "Traceability Lot Code Source"),
        "(2)(iii) date transformation was completed": ("Event Date",),
        "(2)(iv) product description": ("Product Description",),
        "(2)(v) quantity and unit of measure": ("Quantity", "Unit of Measure"),
        "(2)(vi) reference document type and reference document number": (
            "Reference Document Type", "Reference Document Number"),
    },
}  # fmt: skip


def history(db: psycopg.Connection) -> tuple[str, str]:
    """Received at the centre, cooled, cleaned, tested, packed, split; the child shipped by
    truck to the warehouse; the parent later put back into the cold store after packing."""
    seed_district(db)
    with db.transaction():
        db.execute(
            "INSERT INTO locations (code, name, name_en, kind, gln, township, phone)"
            " VALUES ('PC', '金口河区农产品初加工中心', 'Jinkouhe primary processing centre',"
            "  'warehouse', '6901234000016', '永和镇', '0833-0000000'),"
            " ('PC-RECEIVING', '收货区', 'Receiving bay', 'processing_room', null, null, null)"
        )
        db.execute("UPDATE locations SET parent = 'PC' WHERE code IN ('PC-RECEIVING', 'PC-COLD')")
    lot = new_batch(db, location="PC-RECEIVING")
    move(db, lot, "PC-COLD", T0 + timedelta(minutes=20))
    record_event(db, lot, EventCreate(type="cleaning", time=T0 + timedelta(minutes=30)), None)
    record_event(
        db, lot, EventCreate(type="testing", time=T0 + timedelta(minutes=40),
                             data={"passed": True, "lab": "金口河区农检站",
                                   "standard": "GB 2763-2021", "moisture_percent": 80.5}),
        None,
    )  # fmt: skip
    record_event(db, lot, EventCreate(type="packing", time=T0 + timedelta(hours=1)), None)
    [child] = split_batch(
        db, lot, SplitCreate(children=[SplitChild(quantity=30)], time=T0 + timedelta(hours=2)),
        None, lot_code_for,
    )  # fmt: skip
    db.commit()
    move(db, lot, "WH-1", T0 + timedelta(hours=2, minutes=30))
    move(db, lot, "PC-COLD", T0 + timedelta(hours=2, minutes=45))
    move(db, child.lot_code, "TRUCK-01", T0 + timedelta(hours=3))
    move(db, child.lot_code, "WH-1", T0 + timedelta(hours=5))
    return lot, child.lot_code


def _table(client: TestClient, token: str, *lots: str) -> list[dict[str, str]]:
    query = "&".join(f"lot={lot}" for lot in lots)
    answer = client.get(f"/api/v1/exports/kde.csv?{query}", headers=bearer(token))
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))


def test_one_row_per_critical_tracking_event_as_the_rule_defines_them(
    db: psycopg.Connection, client: TestClient, inspector_token: str
) -> None:
    lot, child = history(db)
    table = _table(client, inspector_token, lot, child)
    assert list(table[0]) == list(KDE_COLUMNS)
    events = [(r["Traceability Lot Code"], r["Critical Tracking Event"]) for r in table]
    # Receiving at the centre and cold storage after packing are not CTEs (1.1345(c),
    # 1.1325(b)); cleaning keeps the lot code, so it is no transformation.
    assert sorted(events) == sorted([
        (lot, "Harvesting"), (lot, "Cooling"), (lot, "Initial Packing"),
        (child, "Transformation"), (child, "Shipping"), (child, "Receiving"),
    ])  # fmt: skip
    assert [r["Traceability Lot Code"] for r in table] == sorted(
        r["Traceability Lot Code"] for r in table
    )


def test_every_kde_the_rule_lists_is_filled_for_each_cte(
    db: psycopg.Connection, client: TestClient, inspector_token: str
) -> None:
    lot, child = history(db)
    table = _table(client, inspector_token, lot, child)
    assert {row["Critical Tracking Event"] for row in table} == set(RULE)
    for row in table:
        cte = row["Critical Tracking Event"]
        for element, columns in RULE[cte].items():
            for column in columns:
                assert column in KDE_COLUMNS, column
                assert row[column].strip(), f"{cte}: {element} ({column}) is empty"


def test_shipments_and_receipts_name_the_places_not_the_truck(
    db: psycopg.Connection, client: TestClient, inspector_token: str
) -> None:
    lot, child = history(db)
    rows = {r["Critical Tracking Event"]: r for r in _table(client, inspector_token, child)}
    shipping, receiving = rows["Shipping"], rows["Receiving"]
    assert shipping["Location Identifier"] != "TRUCK-01"
    assert shipping["Location Description"].startswith("加工中心冷库")
    assert shipping["Immediate Subsequent Recipient"].startswith("区仓库")
    assert receiving["Immediate Previous Source"].startswith("加工中心冷库")
    assert "川L" not in shipping["Immediate Subsequent Recipient"] + receiving[
        "Immediate Previous Source"]  # fmt: skip
    transformation = rows["Transformation"]
    assert transformation["Input Traceability Lot Codes"] == lot
    assert transformation["Input Quantities"] == f"{lot}: 30 kg"
    assert "Jinkouhe gastrodia, fresh" in transformation["Input Product Descriptions"]


def test_location_descriptions_carry_business_name_phone_and_address(
    db: psycopg.Connection, client: TestClient, inspector_token: str
) -> None:
    lot, _ = history(db)
    rows = {r["Critical Tracking Event"]: r for r in _table(client, inspector_token, lot)}
    packing = rows["Initial Packing"]["Location Description"]
    # A room of the centre: the centre is the business, with its phone, address and GLN.
    for part in ("加工中心冷库", "金口河区农产品初加工中心", "tel. 0833-0000000",
                 "永和镇，中国四川省乐山市金口河区", "GLN 6901234000016"):  # fmt: skip
        assert part in packing, part
    assert rows["Initial Packing"]["Cooling Location Description"] == packing
    assert rows["Cooling"]["Immediate Subsequent Recipient"] == packing  # the initial packer
    harvest = rows["Harvesting"]
    assert harvest["Location Description"].startswith("阿布惹（农户 / farmer）; 蒲梯村服务点")
    assert harvest["Harvester Business Name"] == "阿布惹"
    assert "电话未登记" in harvest["Harvester Phone"]  # recorded gaps are said, not left blank


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
    assert list(rows[0]) == list(KDE_COLUMNS)
    assert len(rows) == len(list(csv.reader(io.StringIO(csv_answer.content.decode("utf-8-sig")))))
    assert sheet.auto_filter.ref and sheet.freeze_panes == "A2"
    assert hasattr(rows[1][KDE_COLUMNS.index("Event Date")], "year")


def test_an_export_needs_lots_or_a_period(client: TestClient, inspector_token: str) -> None:
    answer = client.get("/api/v1/exports/kde.csv", headers=bearer(inspector_token))
    assert answer.status_code == 400
    assert client.get("/api/v1/exports/kde.csv?lot=A1").status_code == 401
