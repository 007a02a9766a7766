"""EPCIS 2.0 JSON-LD documents of batches: their events, transformations and cold chain.

Recorded steps become ObjectEvents (OBSERVE) with their CBV business step; receiving, splits
and merges become TransformationEvents (harvest lots → batch, parent → children, parents →
child); each harvest lot is an ObjectEvent (ADD, commissioning). The cold chain is one
ObjectEvent (``sensor_reporting``) per custody interval, whose ``sensorElementList`` holds a
min/max/mean summary per device with ``startTime``/``endTime``, and ``exception:
ALARM_CONDITION`` where that device saw an excursion. Corrections: an event later corrected
carries an ``errorDeclaration`` naming its corrective events (EPCIS 2.0 §7.4.1.4).
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, time
from typing import Any

import psycopg

from schemas import epcis as voc
from schemas.cbv import CBV_DISPOSITION, EVENT_MEANINGS, TEST_DISPOSITIONS
from schemas.district_time import DISTRICT_UTC_OFFSET, DISTRICT_UTC_OFFSET_TEXT
from store.batches import batch_row
from store.db import rows
from store.findings import batch_findings
from store.history import Segment, custody_segments

# Stable ids for events we derive rather than store (harvests, sensor summaries).
_DERIVED_NAMESPACE = uuid.UUID("7d4b5c1e-2f43-4a8e-9a63-6a0f3d1c8b25")

_BATCH = """
SELECT b.id, b.lot_code, b.quantity::float8 AS quantity, b.unit, p.gtin
FROM batches b JOIN products p ON p.code = b.product
"""
_EVENTS = """
SELECT e.id, e.event_id, e.batch_id, e.type, e.business_step, e.time, e.location, e.data,
       e.corrects, e.recorded_at, l.gln
FROM events e LEFT JOIN locations l ON l.code = e.location
WHERE e.batch_id = ANY(%(ids)s) {where}
ORDER BY e.time, e.id
"""


def _time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _derived_id(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_DERIVED_NAMESPACE, ':'.join(map(str, parts)))}"


def _quantity(epc_class: str, quantity: float | None, unit: str) -> dict[str, Any]:
    element: dict[str, Any] = {"epcClass": epc_class}
    if quantity is not None and unit.lower() in voc.UNECE_UNITS:
        element["quantity"] = quantity * voc.UNIT_FACTORS.get(unit.lower(), 1.0)
        element["uom"] = voc.UNECE_UNITS[unit.lower()]
    elif quantity is not None:
        element["quantity"] = quantity
    return element


class _Builder:
    """Collects events once each (a split appears in the parent's and children's records)."""

    def __init__(self, conn: psycopg.Connection, base_url: str) -> None:
        self.conn = conn
        self.base_url = base_url
        self.events: dict[str, dict[str, Any]] = {}
        self.batches: dict[int, dict[str, Any]] = {}
        self.locations = {
            row["code"]: (row["gln"], row["site_gln"])
            for row in rows(
                conn,
                "SELECT l.code, l.gln, site.gln AS site_gln FROM locations l"
                " LEFT JOIN locations site ON site.code = l.parent",
            )
        }

    def batch(self, batch_id: int) -> dict[str, Any]:
        if batch_id not in self.batches:
            self.batches[batch_id] = rows(self.conn, _BATCH + " WHERE b.id = %s", (batch_id,))[0]
        return self.batches[batch_id]

    def batch_class(self, batch_id: int) -> str:
        batch = self.batch(batch_id)
        return voc.batch_class(batch["lot_code"], batch["gtin"], self.base_url)

    def place(self, code: str | None) -> dict[str, Any]:
        if code is None:
            return {}
        where = {"id": voc.location_id(code, *self.locations.get(code, (None, None)))}
        return {"readPoint": where, "bizLocation": where}

    def add(self, event_id: str, event: dict[str, Any]) -> None:
        self.events.setdefault(event_id, {**event, "eventID": event_id})

    def common(self, when: datetime, kind: str) -> dict[str, Any]:
        return {
            "type": kind,
            "eventTime": _time(when),
            "eventTimeZoneOffset": DISTRICT_UTC_OFFSET_TEXT,
        }

    def harvests(self, batch_id: int) -> None:
        found = rows(
            self.conn,
            "SELECT h.id, h.village, h.harvest_date, h.quantity::float8 AS quantity, h.unit,"
            " h.producer FROM harvest_lots h JOIN batch_harvest_lots bh ON bh.harvest_lot_id = h.id"
            " WHERE bh.batch_id = %s ORDER BY h.id",
            (batch_id,),
        )
        for lot in found:
            # Harvests are dated by day; noon in Jinkouhe stands for the day.
            when = datetime.combine(lot["harvest_date"], time(12), DISTRICT_UTC_OFFSET)
            self.add(
                _derived_id("harvest", lot["id"]),
                {
                    **self.common(when, "ObjectEvent"),
                    "action": "ADD",
                    "bizStep": "commissioning",
                    "disposition": "active",
                    "quantityList": [
                        _quantity(voc.harvest_lot_class(lot["id"]), lot["quantity"], lot["unit"])
                    ],
                    **self.place(lot["village"]),
                    voc.ext("producer"): lot["producer"],
                    voc.ext("harvestDate"): lot["harvest_date"].isoformat(),
                },
            )

    def recorded(self, event: dict[str, Any], corrections: Sequence[dict[str, Any]]) -> None:
        meaning = EVENT_MEANINGS.get(event["type"])
        if meaning is None:
            return
        event_id = f"urn:uuid:{event['event_id']}"
        if meaning.epcis_type == "TransformationEvent":
            self.transformation(event, event_id)
            return
        batch = self.batch(event["batch_id"])
        disposition = meaning.disposition
        if event["type"] == "testing" and "passed" in event["data"]:
            disposition = TEST_DISPOSITIONS[bool(event["data"]["passed"])]
        body: dict[str, Any] = {
            **self.common(event["time"], "ObjectEvent"),
            "action": "OBSERVE",
            "bizStep": event["business_step"].removeprefix("urn:epcglobal:cbv:bizstep:"),
            "quantityList": [
                _quantity(self.batch_class(event["batch_id"]), batch["quantity"], batch["unit"])
            ],
            **self.place(event["location"]),
            voc.ext("step"): event["type"],
        }
        if disposition:
            body["disposition"] = disposition.removeprefix(CBV_DISPOSITION)
        if event["data"]:
            body[voc.ext("data")] = voc.ext_value(event["data"])
        if event["corrects"] is not None:
            body[voc.ext("corrects")] = self.event_uri(event["corrects"])
        if corrections:
            body["errorDeclaration"] = {
                "declarationTime": _time(corrections[0]["recorded_at"]),
                "reason": "incorrect_data",
                "correctiveEventIDs": [f"urn:uuid:{c['event_id']}" for c in corrections],
            }
        self.add(event_id, body)

    def event_uri(self, event_row_id: int) -> str:
        found = rows(self.conn, "SELECT event_id FROM events WHERE id = %s", (event_row_id,))
        return f"urn:uuid:{found[0]['event_id']}"

    def transformation(self, event: dict[str, Any], event_id: str) -> None:
        """One event per receipt, split or merge, whichever batch's record it is read from."""
        if event["type"] == "receiving":
            batch = self.batch(event["batch_id"])
            inputs = [
                _quantity(voc.harvest_lot_class(row["id"]), row["quantity"], row["unit"])
                for row in rows(
                    self.conn,
                    "SELECT h.id, h.quantity::float8 AS quantity, h.unit FROM harvest_lots h"
                    " JOIN batch_harvest_lots bh ON bh.harvest_lot_id = h.id"
                    " WHERE bh.batch_id = %s ORDER BY h.id",
                    (event["batch_id"],),
                )
            ]
            outputs = [
                _quantity(self.batch_class(event["batch_id"]), batch["quantity"], batch["unit"])
            ]
        else:
            anchor = self.lineage_event(event)
            if anchor is None:
                return
            links = rows(
                self.conn,
                "SELECT parent_id, child_id, quantity::float8 AS quantity FROM batch_lineage"
                " WHERE event_id = %s ORDER BY parent_id, child_id",
                (anchor,),
            )
            anchor_row = rows(self.conn, "SELECT event_id FROM events WHERE id = %s", (anchor,))
            event_id = f"urn:uuid:{anchor_row[0]['event_id']}"
            inputs, outputs = [], []
            for parent in dict.fromkeys(link["parent_id"] for link in links):
                taken = sum(link["quantity"] or 0 for link in links if link["parent_id"] == parent)
                inputs.append(
                    _quantity(self.batch_class(parent), taken, self.batch(parent)["unit"])
                )
            for link in links:
                if all(o["epcClass"] != self.batch_class(link["child_id"]) for o in outputs):
                    child = self.batch(link["child_id"])
                    outputs.append(
                        _quantity(self.batch_class(link["child_id"]), child["quantity"],
                                  child["unit"])
                    )  # fmt: skip
        meaning = EVENT_MEANINGS[event["type"]]
        self.add(
            event_id,
            {
                **self.common(event["time"], "TransformationEvent"),
                "inputQuantityList": inputs,
                "outputQuantityList": outputs,
                "bizStep": meaning.bizstep,
                **({"disposition": meaning.disposition} if meaning.disposition else {}),
                **self.place(event["location"]),
                voc.ext("step"): event["type"],
            },
        )

    def lineage_event(self, event: dict[str, Any]) -> int | None:
        """The stored event a split or merge is filed under: the parent's for a split, the
        new batch's for a merge; the other side's record points at it through lineage."""
        if rows(self.conn, "SELECT 1 FROM batch_lineage WHERE event_id = %s", (event["id"],)):
            return int(event["id"])
        if event["type"] == "splitting":
            sql = "SELECT event_id FROM batch_lineage WHERE child_id = %s AND event_id IS NOT NULL"
            found = rows(self.conn, sql, (event["batch_id"],))
        else:
            found = rows(
                self.conn,
                "SELECT l.event_id FROM batch_lineage l JOIN batches c ON c.id = l.child_id"
                " WHERE l.parent_id = %s AND c.lot_code = %s AND l.event_id IS NOT NULL",
                (event["batch_id"], event["data"].get("into")),
            )
        return int(found[0]["event_id"]) if found else None

    def cold_chain(self, batch_id: int, now: datetime) -> None:
        batch = self.batch(batch_id)
        findings, _ = batch_findings(self.conn, batch["lot_code"], now=now)
        alarmed = {(f.device_id, f.metric, f.location) for f in findings if f.kind == "excursion"}
        spans = rows(
            self.conn,
            "SELECT location, lower(during) AS start, least(coalesce(upper(during), %s), %s)"
            " AS end FROM custody WHERE batch_id = %s AND lower(during) < %s"
            " ORDER BY lower(during)",
            (now, now, batch_id, now),
        )
        segments = custody_segments(self.conn, batch_id, now)
        for span in spans:
            here = [
                s for s in segments
                if s.location == span["location"] and span["start"] <= s.start < span["end"]
            ]  # fmt: skip
            elements = [
                element
                for segment in here
                for element in [self.sensor_element(segment, alarmed)]
                if element is not None
            ]
            if not elements:
                continue
            self.add(
                _derived_id("cold-chain", batch_id, span["location"], span["start"].isoformat()),
                {
                    **self.common(span["end"], "ObjectEvent"),
                    "action": "OBSERVE",
                    "bizStep": "sensor_reporting",
                    "quantityList": [
                        _quantity(self.batch_class(batch_id), batch["quantity"], batch["unit"])
                    ],
                    **self.place(span["location"]),
                    "sensorElementList": elements,
                },
            )

    def sensor_element(
        self, segment: Segment, alarmed: set[tuple[str | None, str | None, str]]
    ) -> dict[str, Any] | None:
        summaries = rows(
            self.conn,
            "SELECT metric, min(value) AS min, max(value) AS max, avg(value) AS mean"
            " FROM readings WHERE device_id = %s AND metric = ANY(%s)"
            " AND time >= %s AND time < %s GROUP BY metric ORDER BY metric DESC",
            (segment.device_id, list(voc.MEASUREMENTS), segment.start, segment.end),
        )
        if not summaries:
            return None
        reports = []
        for summary in summaries:
            kind, uom = voc.MEASUREMENTS[summary["metric"]]
            report: dict[str, Any] = {
                "type": kind,
                "minValue": round(summary["min"], 3),
                "maxValue": round(summary["max"], 3),
                "meanValue": round(summary["mean"], 3),
                "uom": uom,
            }
            if (segment.device_id, summary["metric"], segment.location) in alarmed:
                report["exception"] = voc.ALARM_CONDITION
            reports.append(report)
        return {
            "sensorMetadata": {
                "deviceID": voc.device_id_uri(segment.device_id),
                "startTime": _time(segment.start),
                "endTime": _time(segment.end),
            },
            "sensorReport": reports,
        }

    def document(self) -> dict[str, Any]:
        events = sorted(self.events.values(), key=lambda e: (e["eventTime"], e["eventID"]))
        return {
            "@context": [voc.EPCIS_CONTEXT, voc.extension_context(self.base_url)],
            "type": "EPCISDocument",
            "schemaVersion": voc.SCHEMA_VERSION,
            "creationDate": _time(datetime.now(UTC)),
            "epcisBody": {"eventList": events},
        }


def _add_batches(
    builder: _Builder,
    batch_ids: Sequence[int],
    now: datetime,
    since: datetime | None = None,
    until: datetime | None = None,
) -> None:
    where = ""
    params: dict[str, Any] = {"ids": list(batch_ids)}
    if since is not None and until is not None:
        where = "AND e.time >= %(since)s AND e.time < %(until)s"
        params |= {"since": since, "until": until}
    found = rows(builder.conn, _EVENTS.format(where=where), params)
    corrections: dict[int, list[dict[str, Any]]] = {}
    for event in found:
        if event["corrects"] is not None:
            corrections.setdefault(event["corrects"], []).append(event)
    for batch_id in batch_ids:
        builder.harvests(batch_id)
    for event in found:
        builder.recorded(event, corrections.get(event["id"], []))
    for batch_id in batch_ids:
        builder.cold_chain(batch_id, now)


def epcis_document_for_batch(
    conn: psycopg.Connection, lot_code: str, base_url: str, now: datetime | None = None
) -> dict[str, Any]:
    """The batch's whole record as an EPCIS 2.0 document (the resolver's traceability link)."""
    batch = batch_row(conn, lot_code)
    builder = _Builder(conn, base_url)
    _add_batches(builder, [batch["id"]], now or datetime.now(UTC))
    return builder.document()


def epcis_document_for_query(
    conn: psycopg.Connection,
    base_url: str,
    lot_codes: Sequence[str] = (),
    since: datetime | None = None,
    until: datetime | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Events of the named batches, or of every batch with events between ``since`` and
    ``until``; cold-chain summaries of each batch concerned."""
    if lot_codes:
        ids = [batch_row(conn, code)["id"] for code in lot_codes]
    else:
        ids = [
            row["batch_id"]
            for row in rows(
                conn,
                "SELECT DISTINCT batch_id FROM events WHERE time >= %s AND time < %s"
                " ORDER BY batch_id",
                (since, until),
            )
        ]
    builder = _Builder(conn, base_url)
    bounded = since is not None and until is not None
    _add_batches(
        builder, ids, now or datetime.now(UTC),
        since if bounded else None, until if bounded else None,
    )  # fmt: skip
    return builder.document()
