"""The cold-chain part of a provenance summary, from the inspectors' history and findings.

A batch split or merged from others was in its parents' custody before it existed, so their
history and findings up to the moment it was made are part of its cold chain too. Excursion
and gap detection are the inspectors' (``store.findings``); this module only condenses them.
"""

from collections import defaultdict
from datetime import datetime, timedelta

import psycopg

from schemas.history import Finding, TemperatureHistory
from schemas.provenance import ChartPoint, ColdChain, ColdChainFinding
from store.db import database_now, rows
from store.findings import batch_findings, sets_limits, verdict
from store.genealogy import ancestor_ids
from store.history import temperature_history

# Points in the page's chart: enough for a phone's width, few enough to keep the page small.
CHART_POINTS = 120
# Custody in these kinds of place counts as refrigerated time on the page.
REFRIGERATED_KINDS = {"cold_store", "truck"}
# Consecutive chart buckets further apart than this many widths are drawn as a break.
CHART_BREAK_FACTOR = 1.5


def _lineage(conn: psycopg.Connection, lot_code: str) -> list[tuple[str, datetime | None]]:
    """The batch (no cut-off) and its ancestors, each cut off when the batch was made."""
    batch = rows(conn, "SELECT id, received_at FROM batches WHERE lot_code = %s", (lot_code,))[0]
    ancestors = ancestor_ids(conn, [batch["id"]])
    codes = rows(conn, "SELECT lot_code FROM batches WHERE id = ANY(%s)", (ancestors,))
    return [(lot_code, None), *((row["lot_code"], batch["received_at"]) for row in codes)]


def _before(moment: datetime, cut_off: datetime | None) -> bool:
    return cut_off is None or moment < cut_off


def cold_chain_of(conn: psycopg.Connection, lot_code: str) -> ColdChain:
    now: datetime = database_now(conn)
    histories: list[tuple[TemperatureHistory, datetime | None]] = []
    findings: list[tuple[Finding, datetime | None]] = []
    any_data = False
    for code, cut_off in _lineage(conn, lot_code):
        histories.append((temperature_history(conn, code, CHART_POINTS, now=now), cut_off))
        found, had_data = batch_findings(conn, code, now=now)
        findings += [(finding, cut_off) for finding in found if _before(finding.start, cut_off)]
        any_data = any_data or had_data
    own = histories[0][0]
    names = {span.location: span.location_name for h, _ in histories for span in h.custody}
    chart = _chart(histories)
    values = [v for point in chart for v in (point.low, point.high) if v is not None]
    return ColdChain(
        verdict=verdict(
            [f for f, _ in findings], any_data or bool(values), sets_limits(own.storage_profile)
        ),
        band_min=own.storage_profile.temp_min,
        band_max=own.storage_profile.temp_max,
        refrigerated_hours=round(_refrigerated_hours(histories, now), 1),
        temp_min=min(values) if values else None,
        temp_max=max(values) if values else None,
        findings=[
            ColdChainFinding(
                kind=finding.kind,
                start=finding.start,
                end=finding.end if cut is None else min(finding.end, cut),
                duration_s=finding.duration_s
                if cut is None or finding.end <= cut
                else (cut - finding.start).total_seconds(),
                peak=finding.peak,
                location_name=names.get(finding.location, finding.location),
            )
            for finding, cut in sorted(findings, key=lambda pair: pair[0].start)
        ],
        chart=chart,
    )


def _refrigerated_hours(
    histories: list[tuple[TemperatureHistory, datetime | None]], now: datetime
) -> float:
    seconds = 0.0
    for history, cut_off in histories:
        for span in history.custody:
            if span.kind not in REFRIGERATED_KINDS:
                continue
            end = min(span.end or now, now, cut_off or now)
            seconds += max((end - span.start).total_seconds(), 0.0)
    return seconds / 3600


def _chart(histories: list[tuple[TemperatureHistory, datetime | None]]) -> list[ChartPoint]:
    """Every temperature series on one time axis: buckets of devices at the same time are
    combined (lowest low, mean of means, highest high); a bucket where all are silent is null."""
    lows: dict[datetime, float] = {}
    highs: dict[datetime, float] = {}
    means: dict[datetime, list[float]] = defaultdict(list)
    seen: set[datetime] = set()
    width = None
    for history, cut_off in histories:
        width = width or history.bucket_seconds
        for series in history.series:
            if series.metric != "temp":
                continue
            for point in series.points:
                if not _before(point.time, cut_off):
                    continue
                seen.add(point.time)
                if point.mean is None or point.min is None or point.max is None:
                    continue
                lows[point.time] = min(lows.get(point.time, point.min), point.min)
                highs[point.time] = max(highs.get(point.time, point.max), point.max)
                means[point.time].append(point.mean)
    chart: list[ChartPoint] = []
    previous: datetime | None = None
    for time in sorted(seen):
        if (
            width
            and previous is not None
            and (time - previous).total_seconds() > CHART_BREAK_FACTOR * width
        ):
            gap_at = previous + timedelta(seconds=width)
            chart.append(ChartPoint(time=gap_at, low=None, mean=None, high=None))
        if time in means:
            mean = round(sum(means[time]) / len(means[time]), 2)
            chart.append(ChartPoint(time=time, low=lows[time], mean=mean, high=highs[time]))
        else:
            chart.append(ChartPoint(time=time, low=None, mean=None, high=None))
        previous = time
    return chart
