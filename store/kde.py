"""Key data elements per critical tracking event: FSMA 204's sortable spreadsheet.

Our records mapped to the rule's critical tracking events (21 CFR 1 subpart S):

- a harvest lot is *Harvesting* (1.1325(a));
- a move into a cold store before the lot is packed is *Cooling* (1.1325(b)); after packing,
  cold storage is holding, not cooling;
- packing is *Initial Packing* (1.1330): the row also carries what the packer keeps of the
  food received (farm, harvester, harvest and cooling);
- after packing, a move onto a truck or a recorded shipment is *Shipping* (1.1340) and a move
  off a truck is *Receiving* (1.1345). Before initial packing neither applies (1.1340(c),
  1.1345(c)): receiving harvest lots at the centre is recorded in the packing row;
- a split or merge, which gives the food a new traceability lot code (1.1320), is
  *Transformation* (1.1350), on the new lot's row with each input lot, its product and the
  quantity taken from it. Cleaning, trimming, drying and peeling keep the lot code and are
  records, not CTEs; so are tests, sorting and storing.

"Location Description" is where the event happened (the farm, the cooler, the packer, the
place shipped from, the place received at, where transformed), described as 1.1310 asks.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import psycopg

from schemas.codes import normalize_lot_code
from schemas.district_time import DISTRICT_TIME, DISTRICT_TIME_ZONE, DISTRICT_UTC_OFFSET_TEXT
from store.db import rows
from store.kde_places import (
    NO_PHONE,
    Places,
    Stay,
    custody_by_batch,
    next_holder,
    previous_holder,
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
    "Input Product Descriptions",
    "Input Quantities",
    "Harvest Date",
    "Harvest Location Description",
    "Commodity Variety",
    "Field or Growing Area",
    "Harvester Business Name",
    "Harvester Phone",
    "Cooling Location Description",
    "Cooling Date",
    "Date Received",
    "Quantity Received",
    "Reference Document Type",
    "Reference Document Number",
)
DATE_COLUMNS = ("Event Date", "Harvest Date", "Cooling Date", "Date Received")
TRANSFORMATION_STEPS = {"splitting", "merging"}
_PRODUCER_KINDS = {"farmer": "农户 / farmer", "cooperative": "合作社 / cooperative",
                   "enterprise": "企业 / enterprise"}  # fmt: skip


@dataclass(frozen=True)
class KdeRow:
    values: dict[str, Any]

    def cells(self) -> list[Any]:
        return [self.values.get(column) for column in KDE_COLUMNS]


_EVENTS = """
SELECT e.event_id, e.type, e.time, e.data, e.corrects IS NOT NULL AS is_correction,
       e.batch_id, e.location
FROM events e JOIN batches b ON b.id = e.batch_id
WHERE {where}
ORDER BY b.lot_code, e.time, e.id
"""
_BATCHES = """
SELECT b.id, b.lot_code, b.quantity::float8 AS quantity, b.unit, b.received_at, b.packed_at,
       p.name_en || ' / ' || p.name_zh AS product,
       (SELECT min(c.location) FROM custody c WHERE c.batch_id = b.id
          AND lower(c.during) = b.received_at) AS source_location,
       (SELECT e.location FROM events e WHERE e.batch_id = b.id AND e.type = 'packing'
          ORDER BY e.time, e.id LIMIT 1) AS packing_location
FROM batches b JOIN products p ON p.code = b.product
WHERE b.id = ANY(%s)
"""
# Each batch's harvest lots, its own or (for a split or merged lot) its ancestors'.
_HARVESTS = """
WITH RECURSIVE lineage (batch_id, ancestor_id) AS (
    SELECT id, id FROM batches WHERE id = ANY(%(ids)s)
    UNION
    SELECT l.batch_id, bl.parent_id FROM lineage l
    JOIN batch_lineage bl ON bl.child_id = l.ancestor_id
)
SELECT l.batch_id, l.ancestor_id = l.batch_id AS own, h.id, h.harvest_date,
       h.quantity::float8 AS quantity, h.unit, h.village, pr.name AS producer_name,
       pr.kind AS producer_kind, pr.phone AS producer_phone,
       coalesce(pr.village, h.village) AS farm_village,
       h.code AS receipt_number, d.variety, plot.name AS plot_name, plot.code AS plot_code
FROM lineage l
JOIN batch_harvest_lots bh ON bh.batch_id = l.ancestor_id
JOIN harvest_lots h ON h.id = bh.harvest_lot_id
JOIN producers pr ON pr.code = h.producer
-- A lot delivered at a village point names its variety and the plot it grew on.
LEFT JOIN farm_deliveries d ON d.harvest_lot_id = h.id
LEFT JOIN producer_plots plot ON plot.producer = d.farmer AND plot.code = d.plot
ORDER BY l.batch_id, h.harvest_date, h.id
"""
_INPUTS = """
SELECT l.child_id, p.lot_code, l.quantity::float8 AS quantity, p.unit,
       pp.name_en || ' / ' || pp.name_zh AS product
FROM batch_lineage l JOIN batches p ON p.id = l.parent_id JOIN products pp ON pp.code = p.product
WHERE l.child_id = ANY(%s)
ORDER BY p.lot_code
"""


def critical_tracking_event(
    event_type: str, location_kind: str | None, came_from_kind: str | None, packed: bool
) -> str | None:
    """The CTE a recorded event is, given whether the lot had been initially packed."""
    if event_type in TRANSFORMATION_STEPS:
        return "Transformation"
    if event_type == "packing":
        return "Initial Packing"
    if not packed:
        is_cooling = event_type == "moving" and location_kind == "cold_store"
        return "Cooling" if is_cooling else None
    if event_type == "shipping" or (event_type == "moving" and location_kind == "truck"):
        return "Shipping"
    if event_type == "receiving" or (event_type == "moving" and came_from_kind == "truck"):
        return "Receiving"
    return None


def _local(time: datetime) -> tuple[date, str]:
    local = time.astimezone(DISTRICT_TIME)
    return local.date(), local.strftime(f"%H:%M:%S {DISTRICT_UTC_OFFSET_TEXT}")


def _amount(quantity: float | None, unit: str) -> str:
    return f"{quantity:g} {unit}" if quantity is not None else unit


def _plot(harvest: dict[str, Any]) -> str | None:
    """FSMA 204's field or growing area: the farmer's plot, where the delivery named one."""
    return f"{harvest['plot_name']} ({harvest['plot_code']})" if harvest["plot_name"] else None


def _harvest_record(harvest: dict[str, Any]) -> dict[str, str]:
    """The village point's receipt where the lot was delivered there, else the centre's line."""
    if harvest["receipt_number"]:
        return {"Reference Document Type": "village delivery receipt",
                "Reference Document Number": harvest["receipt_number"]}  # fmt: skip
    return {"Reference Document Type": "harvest record",
            "Reference Document Number": f"HL-{harvest['id']}"}  # fmt: skip


def _one_or_all(values: list[Any]) -> Any:
    """A single value as itself (a date stays a date in the XLSX), several joined."""
    distinct = list(dict.fromkeys(values))
    if len(distinct) == 1:
        return distinct[0]
    return "; ".join(str(value) for value in distinct) if distinct else None


class _Sheet:
    """The rows of one export, built from the batches its events and harvests belong to."""

    def __init__(self, conn: psycopg.Connection, batch_ids: list[int]) -> None:
        self.places = Places(conn)
        self.batches = {row["id"]: row for row in rows(conn, _BATCHES, (batch_ids,))}
        self.custody = custody_by_batch(conn, batch_ids)
        self.harvests: dict[int, list[dict[str, Any]]] = {}
        for row in rows(conn, _HARVESTS, {"ids": batch_ids}):
            self.harvests.setdefault(row["batch_id"], []).append(row)
        self.inputs: dict[int, list[dict[str, Any]]] = {}
        for row in rows(conn, _INPUTS, (batch_ids,)):
            self.inputs.setdefault(row["child_id"], []).append(row)
        self.cooling: dict[int, tuple[str, date]] = {}

    def farm(self, harvest: dict[str, Any]) -> str:
        village = self.places.get(harvest["farm_village"])
        kind = _PRODUCER_KINDS.get(harvest["producer_kind"], harvest["producer_kind"])
        where = self.places.describe(harvest["farm_village"]) if village else None
        return f"{harvest['producer_name']}（{kind}）; {where or harvest['farm_village']}"

    def harvester(self, harvest: dict[str, Any]) -> dict[str, str]:
        return {
            "Harvester Business Name": harvest["producer_name"],
            "Harvester Phone": harvest["producer_phone"] or NO_PHONE,
        }

    def common(self, batch: dict[str, Any], cte: str) -> dict[str, Any]:
        return {
            "Traceability Lot Code": batch["lot_code"],
            "Traceability Lot Code Source": self.places.describe(batch["source_location"]),
            "Product Description": batch["product"],
            "Critical Tracking Event": cte,
            "Quantity": batch["quantity"],
            "Unit of Measure": batch["unit"],
        }

    def harvest_rows(self, batch_id: int, in_scope: set[int]) -> list[KdeRow]:
        batch = self.batches[batch_id]
        return [
            KdeRow(
                {
                    **self.common(batch, "Harvesting"),
                    "Event Date": harvest["harvest_date"],
                    "Quantity": harvest["quantity"],
                    "Unit of Measure": harvest["unit"],
                    "Location Description": self.farm(harvest),
                    "Location Identifier": self.places.identifier(harvest["farm_village"]),
                    "Immediate Subsequent Recipient": self.places.describe(harvest["village"]),
                    "Harvest Date": harvest["harvest_date"],
                    "Commodity Variety": harvest["variety"],
                    "Field or Growing Area": _plot(harvest),
                    **self.harvester(harvest),
                    **_harvest_record(harvest),
                }
            )
            for harvest in self.harvests.get(batch_id, [])
            if harvest["own"] and harvest["id"] in in_scope
        ]

    def origin(self, batch_id: int) -> dict[str, Any]:
        harvests = self.harvests.get(batch_id, [])
        return {
            "Harvest Date": _one_or_all([h["harvest_date"] for h in harvests]),
            "Harvest Location Description": _one_or_all([self.farm(h) for h in harvests]),
            **{
                column: _one_or_all([self.harvester(h)[column] for h in harvests])
                for column in ("Harvester Business Name", "Harvester Phone")
            },
        }

    def event_row(self, event: dict[str, Any]) -> KdeRow | None:
        batch = self.batches[event["batch_id"]]
        stays: list[Stay] = self.custody.get(event["batch_id"], [])
        place = self.places.get(event["location"])
        came_from = self.places.get(
            next((s.location for s in stays if s.until == event["time"]), None)
        )
        packed = batch["packed_at"] is not None and event["time"] >= batch["packed_at"]
        cte = critical_tracking_event(
            event["type"], place.kind if place else None, came_from.kind if came_from else None,
            packed,
        )  # fmt: skip
        if cte == "Transformation" and "from" not in event["data"]:
            return None  # the input lot's side of a split or merge: the new lot's row has it
        if cte is None:
            return None
        day, clock = _local(event["time"])
        where = event["location"]
        values: dict[str, Any] = {
            **self.common(batch, cte),
            "Event Date": day,
            "Event Time": clock,
            "Reference Document Type": (
                "correction record" if event["is_correction"] else "event record"
            ),
            "Reference Document Number": str(event["event_id"]),
        }
        if cte == "Cooling":
            # Cooled food goes on to its initial packer; before packing, to its next holder.
            after = batch["packing_location"] or next_holder(stays, self.places, event["time"])
            site = place.parent if place else None
            values["Immediate Subsequent Recipient"] = self.places.describe(after or site or where)
            values["Harvest Location Description"] = self.origin(event["batch_id"])[
                "Harvest Location Description"
            ]
            self.cooling.setdefault(event["batch_id"], (self.places.describe(where) or "", day))
        elif cte == "Initial Packing":
            weight = event["data"].get("weight_after")
            values["Quantity"] = weight if isinstance(weight, int | float) else batch["quantity"]
            values["Date Received"] = _local(batch["received_at"])[0]
            values["Quantity Received"] = _amount(batch["quantity"], batch["unit"])
            values.update(self.origin(event["batch_id"]))
            cooled = self.cooling.get(event["batch_id"])
            if cooled:
                values["Cooling Location Description"], values["Cooling Date"] = cooled
        elif cte == "Shipping":
            if place is None or place.kind == "truck":
                where = previous_holder(stays, self.places, event["time"]) or where
            recipient = next_holder(stays, self.places, event["time"])
            values["Immediate Subsequent Recipient"] = self.places.describe(recipient)
        elif cte == "Receiving":
            source = previous_holder(stays, self.places, event["time"])
            values["Immediate Previous Source"] = self.places.describe(source)
        elif cte == "Transformation":
            values["Traceability Lot Code Source"] = self.places.describe(where)
            inputs = self.inputs.get(event["batch_id"], [])
            values["Input Traceability Lot Codes"] = ", ".join(i["lot_code"] for i in inputs)
            values["Input Product Descriptions"] = "; ".join(i["product"] for i in inputs)
            values["Input Quantities"] = "; ".join(
                f"{i['lot_code']}: {_amount(i['quantity'], i['unit'])}" for i in inputs
            )
        values["Location Description"] = self.places.describe(where)
        values["Location Identifier"] = self.places.identifier(where)
        return KdeRow(values)


def kde_rows(
    conn: psycopg.Connection,
    since: datetime | None = None,
    until: datetime | None = None,
    lot_codes: Sequence[str] = (),
) -> list[KdeRow]:
    """One row per critical tracking event of the lots named, or in the period."""
    event_where = ["true"]
    harvest_where = ["true"]
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
    # Events in time order, so a lot's cooling is known before its packing row is built.
    events = sorted(
        rows(conn, _EVENTS.format(where=" AND ".join(event_where)), params),
        key=lambda event: event["time"],
    )
    harvested = rows(
        conn,
        "SELECT bh.batch_id, h.id FROM batch_harvest_lots bh"
        " JOIN batches b ON b.id = bh.batch_id JOIN harvest_lots h ON h.id = bh.harvest_lot_id"
        f" WHERE {' AND '.join(harvest_where)}",
        params,
    )
    batch_ids = {row["batch_id"] for row in harvested} | {event["batch_id"] for event in events}
    sheet = _Sheet(conn, sorted(batch_ids))
    in_scope = {row["id"] for row in harvested}
    found = [
        row
        for batch_id in sorted({row["batch_id"] for row in harvested})
        for row in sheet.harvest_rows(batch_id, in_scope)
    ]
    found += [row for event in events if (row := sheet.event_row(event)) is not None]
    return sorted(
        found,
        key=lambda row: (
            row.values["Traceability Lot Code"],
            row.values["Event Date"],
            row.values.get("Event Time") or "",
        ),
    )
