"""The scan log: each resolver hit, kept without any address of the visitor."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg

from schemas.codes import normalize_lot_code
from schemas.district_time import DISTRICT_TIME_ZONE
from schemas.scans import CopyRule, LotScans, SerialHistory, SerialScans
from store.db import rows

# Serials listed per lot in a report: the most scanned first, which is where copies show.
SERIALS_LISTED = 200


@dataclass(frozen=True)
class Scan:
    at: datetime
    lot_code: str
    serial: str | None
    language: str
    client: str


def record_scans(conn: psycopg.Connection, scans: Sequence[Scan]) -> None:
    """Write a buffer of scans in one statement round (COPY: cheapest for many rows)."""
    if not scans:
        return
    with (
        conn.cursor() as cursor,
        cursor.copy("COPY scans (at, lot_code, serial, language, client) FROM STDIN") as copy,
    ):
        for scan in scans:
            copy.write_row((scan.at, scan.lot_code, scan.serial, scan.language, scan.client))


def serial_history(conn: psycopg.Connection, lot_code: str, serial: str) -> SerialHistory:
    """What the page for one pack needs: its scans so far, the days they fell on, and whether
    the serial is one of the batch's packs."""
    found = rows(
        conn,
        "SELECT count(*) AS count, min(at) AS first,"
        " coalesce(array_agg(DISTINCT (at AT TIME ZONE %(zone)s)::date)"
        "   FILTER (WHERE at IS NOT NULL), '{}') AS days,"
        " EXISTS (SELECT 1 FROM packs p JOIN batches b ON b.id = p.batch_id"
        "   WHERE b.lot_code = %(lot)s) AS batch_has_packs,"
        " EXISTS (SELECT 1 FROM packs p JOIN batches b ON b.id = p.batch_id"
        "   WHERE b.lot_code = %(lot)s AND p.serial = %(serial)s) AS is_pack"
        " FROM scans WHERE lot_code = %(lot)s AND serial = %(serial)s",
        {"lot": normalize_lot_code(lot_code), "serial": serial, "zone": DISTRICT_TIME_ZONE},
    )[0]
    return SerialHistory(
        count=found["count"], first=found["first"], days=frozenset(found["days"]),
        batch_has_packs=found["batch_has_packs"], is_pack=found["is_pack"],
    )  # fmt: skip


def lot_scans(
    conn: psycopg.Connection, lot_code: str, copy_threshold: int, copy_days: int | None = None
) -> LotScans:
    lot = normalize_lot_code(lot_code)
    totals = rows(
        conn, "SELECT count(*) AS total, min(at) AS first, max(at) AS last FROM scans"
        " WHERE lot_code = %s", (lot,),
    )[0]  # fmt: skip
    by_client = rows(
        conn, "SELECT client AS key, count(*) AS n FROM scans WHERE lot_code = %s GROUP BY 1",
        (lot,),
    )  # fmt: skip
    by_language = rows(
        conn, "SELECT language AS key, count(*) AS n FROM scans WHERE lot_code = %s GROUP BY 1",
        (lot,),
    )  # fmt: skip
    serials = rows(
        conn,
        "SELECT serial, count(*) AS count, min(at) AS first, max(at) AS last,"
        " count(DISTINCT (at AT TIME ZONE %s)::date) AS days FROM scans"
        " WHERE lot_code = %s AND serial IS NOT NULL GROUP BY serial"
        " ORDER BY count(*) DESC, serial LIMIT %s",
        (DISTRICT_TIME_ZONE, lot, SERIALS_LISTED),
    )
    rule = CopyRule(copy_threshold, copy_days if copy_days is not None else 2**31)
    return LotScans(
        lot_code=lot,
        total=totals["total"],
        first=totals["first"],
        last=totals["last"],
        by_client={row["key"]: row["n"] for row in by_client},
        by_language={row["key"]: row["n"] for row in by_language},
        copy_threshold=copy_threshold,
        serials=[
            SerialScans(**row, suspected_copy=rule.looks_copied(row["count"], row["days"]))
            for row in serials
        ],
    )


def scan_counts(
    conn: psycopg.Connection,
    copy_threshold: int,
    limit: int = 100,
    copy_days: int | None = None,
) -> list[dict[str, object]]:
    """Scans per lot, most scanned first, with how many serials look copied (console table)."""
    return rows(
        conn,
        "WITH per_serial AS (SELECT lot_code, serial, count(*) AS n, max(at) AS last,"
        "   count(DISTINCT (at AT TIME ZONE %s)::date) AS days"
        "   FROM scans GROUP BY lot_code, serial)"
        " SELECT lot_code, sum(n)::bigint AS total, count(serial) AS serials,"
        "   count(*) FILTER (WHERE serial IS NOT NULL AND (n > %s OR days > %s)) AS suspected,"
        "   max(last) AS last"
        " FROM per_serial GROUP BY lot_code ORDER BY sum(n) DESC, lot_code LIMIT %s",
        (DISTRICT_TIME_ZONE, copy_threshold, copy_days if copy_days is not None else 2**31,
         limit),
    )  # fmt: skip
