"""Compute a batch's provenance summary from its records (see ``store.summaries`` for storage).

A batch made by splitting or merging inherits its parents' story: their harvests, and their
steps and tests up to the moment this batch was made from them.
"""

from datetime import datetime
from typing import Any

import psycopg

from schemas.cbv import EVENT_MEANINGS
from schemas.provenance import Origin, ProvenanceSummary, Residue, Step, TestResult
from store.certificates import public_certificate
from store.certifications import certifications_for_batch
from store.cold_chain_summary import cold_chain_of
from store.db import rows
from store.errors import NotFoundError
from store.genealogy import ancestor_ids
from store.media import media_for_batch

_BATCH = """
SELECT b.id, b.product, b.lot_code, p.gtin, p.name_zh AS product_name_zh,
       p.name_en AS product_name_en, p.category, b.grade, p.grade_standard,
       b.quantity::float8 AS quantity, b.unit, b.status,
       b.received_at, b.packed_at, b.best_before, b.recalled_at, b.recall_reason
FROM batches b JOIN products p ON p.code = b.product WHERE b.id = %s
"""

_ORIGINS = """
SELECT DISTINCT v.name AS village_name, v.name_en AS village_name_en,
       coalesce(v.township, pr.township) AS township, v.admin_area, v.admin_area_en,
       h.harvest_date, pr.kind AS producer_kind,
       CASE WHEN pr.kind <> 'farmer' OR pr.public_name_consent THEN pr.name END AS producer_name,
       CASE WHEN pr.public_plots_consent THEN
         (SELECT plot.name FROM farm_deliveries d JOIN producer_plots plot
            ON plot.producer = d.farmer AND plot.code = d.plot WHERE d.harvest_lot_id = h.id)
       END AS plot_name,
       CASE WHEN pr.public_profile_consent THEN pr.profile END AS producer_profile,
       CASE WHEN pr.public_profile_consent THEN pr.profile_en END AS producer_profile_en
FROM batch_harvest_lots l
JOIN harvest_lots h ON h.id = l.harvest_lot_id
JOIN producers pr ON pr.code = h.producer
JOIN locations v ON v.code = h.village
WHERE l.batch_id = ANY(%s)
ORDER BY h.harvest_date, village_name, producer_name NULLS LAST
"""

# This batch's events, and its ancestors' events from before this batch was made.
_EVENTS = """
SELECT e.id, e.type, e.time, e.data, e.corrects, l.name AS location_name,
       l.name_en AS location_name_en
FROM events e LEFT JOIN locations l ON l.code = e.location
WHERE e.batch_id = %(batch)s OR (e.batch_id = ANY(%(ancestors)s) AND e.time < %(made_at)s)
ORDER BY e.time, e.id
"""

# Steps a consumer learns nothing from on their own (the split that made this batch is told
# by the parent's steps before it).
_UNTOLD_TYPES = {"splitting", "merging"}


def compute_summary(conn: psycopg.Connection, batch_id: int) -> ProvenanceSummary:
    found = rows(conn, _BATCH, (batch_id,))
    if not found:
        raise NotFoundError(f"no batch {batch_id}")
    batch = found[0]
    ancestors = ancestor_ids(conn, [batch_id])
    steps, tests = _steps_and_tests(conn, batch_id, ancestors, batch["received_at"])
    photos, documents = media_for_batch(conn, [batch_id, *ancestors])
    return ProvenanceSummary(
        **{key: value for key, value in batch.items() if key not in ("id", "product")},
        origins=[Origin(**row) for row in rows(conn, _ORIGINS, ([batch_id, *ancestors],))],
        steps=steps,
        tests=tests,
        cold_chain=cold_chain_of(conn, batch["lot_code"]),
        certificate=public_certificate(conn, batch_id),
        certifications=certifications_for_batch(conn, batch["product"], [batch_id, *ancestors]),
        photos=photos,
        documents=documents,
    )


def _effective(events: list[dict[str, Any]]) -> list[tuple[dict[str, Any], bool]]:
    """Each original event as its latest correction says it was, and whether it was amended."""
    by_id = {event["id"]: event for event in events}
    latest: dict[int, dict[str, Any]] = {}
    for event in events:
        original = event
        while original["corrects"] is not None and original["corrects"] in by_id:
            original = by_id[original["corrects"]]
        if event is not original:
            latest[original["id"]] = event
    return [
        (latest.get(event["id"], event), event["id"] in latest)
        for event in events
        if event["corrects"] is None
    ]


def _steps_and_tests(
    conn: psycopg.Connection, batch_id: int, ancestors: list[int], made_at: datetime
) -> tuple[list[Step], list[TestResult]]:
    events = rows(conn, _EVENTS, {"batch": batch_id, "ancestors": ancestors, "made_at": made_at})
    steps: list[Step] = []
    tests: list[TestResult] = []
    for event, corrected in _effective(events):
        data = event["data"] or {}
        if event["type"] == "testing":
            tests.append(_test(event, data))
            continue
        if event["type"] in _UNTOLD_TYPES or event["type"] not in EVENT_MEANINGS:
            continue
        meaning = EVENT_MEANINGS[event["type"]]
        steps.append(
            Step(
                type=event["type"],
                name_zh=meaning.name_zh,
                name_en=meaning.name_en,
                time=event["time"],
                location_name=event["location_name"],
                location_name_en=event["location_name_en"],
                notes=data.get("notes"),
                corrected=corrected,
                temperature_c=_number(data.get("temperature_c")),
                duration_minutes=_number(data.get("duration_minutes")),
            )
        )
    return steps, tests


def _number(value: Any) -> float | None:
    """A step's free-form data may hold anything; only a plain number is shown as one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _test(event: dict[str, Any], data: dict[str, Any]) -> TestResult:
    return TestResult(
        time=event["time"],
        passed=bool(data.get("passed")),
        lab=data.get("lab"),
        instrument=data.get("instrument"),
        standard=data.get("standard"),
        moisture_percent=data.get("moisture_percent"),
        residues=[Residue(**item) for item in data.get("pesticide_residue", [])],
        report_number=data.get("report_number"),
        lab_cma=data.get("lab_cma"),
        report_url=data.get("report_url"),
    )
