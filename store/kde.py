"""Key data elements per critical tracking event: FSMA 204's sortable spreadsheet.

Our records mapped to FSMA's critical tracking events: a harvest lot is *Harvesting*;
receiving a batch at the centre is *Receiving*; a move onto a truck or a recorded shipment is
*Shipping*, a move off a truck is *Receiving*, a move into a cold store is *Cooling*; packing
is *Initial Packing*; splits, merges and the processing steps (cleaning, trimming, drying,
peeling) are *Transformation*. Tests, sorting and storing are records but not CTEs.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import psycopg

from schemas.codes import normalize_lot_code
from schemas.district_time import DISTRICT_TIME, DISTRICT_TIME_ZONE, DISTRICT_UTC_OFFSET_TEXT
from store.db import rows
from store.harvest_kdes import (
    HARVEST_KDE_COLUMNS,
    HARVEST_KDE_JOINS,
    HARVEST_KDE_SELECT,
    harvest_kdes,
)

# Column names as FSMA 204 (21 CFR 1 subpart S) names the key data elements.
KDE_COLUMNS = (
    "Traceability Lot Code",
    "Traceability Lot Code Source",
    "Product Description",
    "Critical Tracking Event",
    "Event Date",
    "Event Time",
    "Quantity",
    "Unit of Measure",
    "Location Description",
    "Location Identifier",
    "Immediate Previous Source",
    "Immediate Subsequent Recipient",
    "Input Traceability Lot Codes",
    "Harvest Date",
    "Reference Document Type",
    "Reference Document Number",
    *HARVEST_KDE_COLUMNS,
)
TRANSFORMATION_STEPS = {"splitting", "merging", "cleaning", "trimming", "drying", "peeling"}


@dataclass(frozen=True)
class KdeRow:
    values: dict[str, Any]

    def cells(self) -> list[Any]:
        return [self.values.get(column) for column in KDE_COLUMNS]


_EVENTS = """
SELECT e.event_id, e.type, e.time, e.data, e.corrects IS NOT NULL AS is_correction,
       b.id AS batch_id, b.lot_code, b.quantity::float8 AS quantity, b.unit,
       p.name_en || ' / ' || p.name_zh AS product,
       e.location, l.name AS location_name, l.kind AS location_kind, l.gln,
       (SELECT c.location FROM custody c WHERE c.batch_id = b.id
          AND upper(c.during) = e.time ORDER BY lower(c.during) DESC LIMIT 1) AS came_from,
       (SELECT min(c.location) FROM custody c WHERE c.batch_id = b.id
          AND lower(c.during) = b.received_at) AS source_location
FROM events e
JOIN batches b ON b.id = e.batch_id
JOIN products p ON p.code = b.product
LEFT JOIN locations l ON l.code = e.location
WHERE {where}
ORDER BY b.lot_code, e.time, e.id
"""
_HARVESTS = """
SELECT b.lot_code, p.name_en || ' / ' || p.name_zh AS product, h.id, h.harvest_date,
       h.quantity::float8 AS quantity, h.unit, h.producer, pr.name AS producer_name,
       h.village, v.name AS village_name, v.gln,
       (SELECT min(c.location) FROM custody c WHERE c.batch_id = b.id
          AND lower(c.during) = b.received_at) AS source_location{kde_select}
FROM batch_harvest_lots bh
JOIN batches b ON b.id = bh.batch_id
JOIN products p ON p.code = b.product
JOIN harvest_lots h ON h.id = bh.harvest_lot_id
JOIN producers pr ON pr.code = h.producer
JOIN locations v ON v.code = h.village{kde_joins}
WHERE {where}
ORDER BY b.lot_code, h.harvest_date, h.id
"""


def critical_tracking_event(
    event_type: str, location_kind: str | None, came_from_kind: str | None
) -> str | None:
    if event_type in TRANSFORMATION_STEPS:
        return "Transformation"
    if event_type == "receiving":
        return "Receiving"
    if event_type == "packing":
        return "Initial Packing"
    if event_type == "shipping":
        return "Shipping"
    if event_type == "moving":
        if location_kind == "truck":
            return "Shipping"
        if came_from_kind == "truck":
            return "Receiving"
        if location_kind == "cold_store":
            return "Cooling"
    return None


def _local(time: datetime) -> tuple[date, str]:
    local = time.astimezone(DISTRICT_TIME)
    return local.date(), local.strftime(f"%H:%M:%S {DISTRICT_UTC_OFFSET_TEXT}")


def kde_rows(
    conn: psycopg.Connection,
    since: datetime | None = None,
    until: datetime | None = None,
    lot_codes: Sequence[str] = (),
) -> list[KdeRow]:
    """One row per critical tracking event of the lots named, or in the period."""
    event_where, harvest_where = ["true"], ["true"]
    params: dict[str, Any] = {"zone": DISTRICT_TIME_ZONE}
    if lot_codes:
        params["lots"] = [normalize_lot_code(code) for code in lot_codes]
        event_where.append("b.lot_code = ANY(%(lots)s)")
        harvest_where.append("b.lot_code = ANY(%(lots)s)")
    if since is not None:
        params["since"] = since
        event_where.append("e.time >= %(since)s")
        harvest_where.append(
            "h.harvest_date >= (%(since)s::timestamptz AT TIME ZONE %(zone)s)::date"
        )
    if until is not None:
        params["until"] = until
        event_where.append("e.time < %(until)s")
        harvest_where.append(
            "h.harvest_date < (%(until)s::timestamptz AT TIME ZONE %(zone)s)::date"
        )
    kinds = {row["code"]: row["kind"] for row in rows(conn, "SELECT code, kind FROM locations")}
    names = {row["code"]: row["name"] for row in rows(conn, "SELECT code, name FROM locations")}
    found: list[KdeRow] = []
    harvests = _HARVESTS.format(
        where=" AND ".join(harvest_where),
        kde_select=HARVEST_KDE_SELECT,
        kde_joins=HARVEST_KDE_JOINS,
    )
    for harvest in rows(conn, harvests, params):
        found.append(KdeRow({
            "Traceability Lot Code": harvest["lot_code"],
            "Traceability Lot Code Source": names.get(harvest["source_location"]),
            "Product Description": harvest["product"],
            "Critical Tracking Event": "Harvesting",
            "Event Date": harvest["harvest_date"],
            "Quantity": harvest["quantity"],
            "Unit of Measure": harvest["unit"],
            "Location Description": f"{harvest['village_name']} ({harvest['producer_name']})",
            "Location Identifier": harvest["gln"] or harvest["village"],
            "Immediate Subsequent Recipient": names.get(harvest["source_location"]),
            "Harvest Date": harvest["harvest_date"],
            "Reference Document Type": "harvest record",
            "Reference Document Number": f"HL-{harvest['id']}",
            **harvest_kdes(harvest),
        }))  # fmt: skip
    for event in rows(conn, _EVENTS.format(where=" AND ".join(event_where)), params):
        cte = critical_tracking_event(
            event["type"], event["location_kind"], kinds.get(event["came_from"] or "")
        )
        if cte is None:
            continue
        day, clock = _local(event["time"])
        inputs = event["data"].get("from")
        came_from = names.get(event["came_from"]) if event["came_from"] else None
        document = "correction record" if event["is_correction"] else "event record"
        found.append(KdeRow({
            "Traceability Lot Code": event["lot_code"],
            "Traceability Lot Code Source": names.get(event["source_location"]),
            "Product Description": event["product"],
            "Critical Tracking Event": cte,
            "Event Date": day,
            "Event Time": clock,
            "Quantity": event["quantity"],
            "Unit of Measure": event["unit"],
            "Location Description": event["location_name"],
            "Location Identifier": event["gln"] or event["location"],
            "Immediate Previous Source": came_from,
            "Input Traceability Lot Codes": (
                ", ".join(inputs) if isinstance(inputs, list) else inputs
            ),
            "Reference Document Type": document,
            "Reference Document Number": str(event["event_id"]),
        }))  # fmt: skip
    return sorted(
        found,
        key=lambda row: (
            row.values["Traceability Lot Code"],
            row.values["Event Date"],
            row.values.get("Event Time") or "",
        ),
    )
