"""The cold-chain part of a provenance summary, from the inspectors' history and findings.

The verdict, the temperature range and the chart are all computed from one set of intervals:
custody where the produce is stored or carried (``COLD_CHAIN_KINDS``). Time in processing
rooms is listed apart with its own temperatures (a drying room at 80 °C is the step, not a
cold-chain failure) and never folded into the range. A batch split or merged from others was
in its parents' custody before it existed, so their custody up to the moment it was made is
part of its story too. Excursion and gap detection are the inspectors' (``store.findings``).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

from schemas.codes import normalize_lot_code
from schemas.history import Finding, TemperatureHistory
from schemas.provenance import (
    ChainSpan,
    ChartPoint,
    ColdChain,
    ColdChainFinding,
    ColdChainVerdict,
    ProcessingStay,
)
from store.db import database_now, rows
from store.findings import COLD_CHAIN_KINDS, batch_findings, sets_limits, verdict
from store.genealogy import ancestor_lot_codes
from store.history import CustodyRecord, custody_records, temperature_history

# Points in the page's chart: enough for a phone's width, few enough to keep the page small.
CHART_POINTS = 120
# Consecutive chart buckets further apart than this many widths are drawn as a break.
CHART_BREAK_FACTOR = 1.5
_INSTANT = timedelta(microseconds=1)


@dataclass(frozen=True)
class _Part:
    """One batch of the lineage: its history, cut off when the batch on the page was made."""

    history: TemperatureHistory
    cut_off: datetime | None

    def before_cut(self, moment: datetime) -> bool:
        return self.cut_off is None or moment < self.cut_off

    def kinds(self) -> dict[str, str]:
        return {span.location: span.kind for span in self.history.custody}


def _lineage(conn: psycopg.Connection, record: CustodyRecord) -> list[tuple[str, datetime | None]]:
    """The batch (no cut-off) and its ancestors, each cut off when the batch was made."""
    # Most batches come straight from harvests: no walk up a lineage they do not have.
    ancestors = ancestor_lot_codes(conn, [record.batch_id]) if record.derived else []
    return [(record.lot_code, None), *((code, record.received_at) for code in ancestors)]


def _english_names(conn: psycopg.Connection, codes: set[str]) -> dict[str, str | None]:
    found = rows(conn, "SELECT code, name_en FROM locations WHERE code = ANY(%s)", (list(codes),))
    return {row["code"]: row["name_en"] for row in found}


def public_verdict(
    findings: list[Finding], any_data: bool, monitored: bool, cooled: bool
) -> ColdChainVerdict:
    """The inspectors' verdict over the cold-chain spans; a batch never stored or carried yet
    has nothing to be judged, which is not the same as having held."""
    if not monitored:
        return "no_profile"
    if not cooled:
        return "not_cooled"
    return verdict(findings, any_data)


def cold_chain_of(
    conn: psycopg.Connection, lot_code: str, now: datetime | None = None
) -> ColdChain:
    return cold_chains_of(conn, [lot_code], now)[normalize_lot_code(lot_code)]


def cold_chains_of(
    conn: psycopg.Connection, lot_codes: Sequence[str], now: datetime | None = None
) -> dict[str, ColdChain]:
    """Several batches' cold chains by lot code, their custody and places read once for all
    (a summary worker rebuilds a group of pages at a time)."""
    now = now or database_now(conn)
    records = custody_records(conn, lot_codes, now)
    lineages = {code: _lineage(conn, record) for code, record in records.items()}
    ancestors = {code for lineage in lineages.values() for code, _ in lineage[1:]}
    if ancestors - set(records):
        records |= custody_records(conn, sorted(ancestors - set(records)), now)
    places = {span.location for record in records.values() for span in record.custody}
    names_en = _english_names(conn, places)
    return {
        code: _cold_chain(conn, lineage, records, names_en, now)
        for code, lineage in lineages.items()
    }


def _cold_chain(
    conn: psycopg.Connection,
    lineage: list[tuple[str, datetime | None]],
    records: dict[str, CustodyRecord],
    names_en: dict[str, str | None],
    now: datetime,
) -> ColdChain:
    parts: list[_Part] = []
    findings: list[tuple[Finding, datetime | None]] = []
    own_data = False
    for code, cut_off in lineage:
        record = records[code]
        history = temperature_history(conn, code, CHART_POINTS, now=now, record=record)
        part = _Part(history, cut_off)
        parts.append(part)
        found, had_data = batch_findings(conn, code, now=now, record=record)
        findings += [(finding, cut_off) for finding in found if part.before_cut(finding.start)]
        own_data = own_data or (had_data and cut_off is None)
    profile = parts[0].history.storage_profile
    names = {span.location: span.location_name for p in parts for span in p.history.custody}
    spans = [span for _, span in _spans(parts, names_en, cold=True)]
    chart = _chart(parts)
    values = [v for point in chart for v in (point.low, point.high) if v is not None]
    return ColdChain(
        verdict=public_verdict(
            [f for f, _ in findings], own_data or bool(values), sets_limits(profile), bool(spans)
        ),
        band_min=profile.temp_min,
        band_max=profile.temp_max,
        humidity_max=profile.humidity_max,
        allowed_excursion_minutes=profile.max_excursion_minutes,
        cold_chain_hours=round(sum(_hours(span, now) for span in spans), 1),
        temp_min=min(values) if values else None,
        temp_max=max(values) if values else None,
        spans=spans,
        processing=_processing(parts, names_en),
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
                location_name_en=names_en.get(finding.location),
                metric=finding.metric,
                ongoing=finding.ongoing and cut is None,
            )
            for finding, cut in sorted(findings, key=lambda pair: pair[0].start)
        ],
        chart=chart,
    )


def _hours(span: ChainSpan, now: datetime) -> float:
    return max(((span.end or now) - span.start).total_seconds(), 0.0) / 3600


def _clipped(
    parts: list[_Part], cold: bool
) -> list[tuple[str, str, str, datetime, datetime | None]]:
    """(code, name, kind, start, end) of the lineage's custody, in or out of the cold chain,
    each cut off where its part is; in time order."""
    found = []
    for part in parts:
        for span in part.history.custody:
            if (span.kind in COLD_CHAIN_KINDS) != cold or not part.before_cut(span.start):
                continue
            end = span.end
            if part.cut_off is not None:
                end = min(end or part.cut_off, part.cut_off)
            found.append((span.location, span.location_name, span.kind, span.start, end))
    return sorted(found, key=lambda item: item[3])


def _spans(
    parts: list[_Part], names_en: dict[str, str | None], cold: bool
) -> list[tuple[str, ChainSpan]]:
    """(location code, span) of custody as the consumer follows it: a parent's stay in the
    cold store and its child's stay there after the split are one stay, and so are two
    parents' stays side by side in one room before they were merged."""
    spans: list[tuple[str, ChainSpan]] = []
    for code, name, kind, start, end in _clipped(parts, cold):
        last = spans[-1][1] if spans else None
        if last is not None and spans[-1][0] == code and (last.end is None or last.end >= start):
            # Two parents received side by side, or a parent's stay continued by its child's.
            later = None if last.end is None or end is None else max(last.end, end)
            spans[-1] = (code, last.model_copy(update={"end": later}))
            continue
        spans.append((code, ChainSpan(
            location_name=name, location_name_en=names_en.get(code), kind=kind,
            start=start, end=end,
        )))  # fmt: skip
    return spans


def _processing(parts: list[_Part], names_en: dict[str, str | None]) -> list[ProcessingStay]:
    """Each stay outside the cold chain with the temperatures its room recorded meanwhile."""
    stays: list[ProcessingStay] = []
    for code, span in _spans(parts, names_en, cold=False):
        lows: list[float] = []
        highs: list[float] = []
        for part in parts:
            for series in part.history.series:
                if series.metric != "temp" or series.location != code:
                    continue
                for point in series.points:
                    inside = span.start <= point.time < (span.end or point.time + _INSTANT)
                    if inside and part.before_cut(point.time) and point.min is not None:
                        lows.append(point.min)
                        highs.append(point.max if point.max is not None else point.min)
        stays.append(ProcessingStay(
            location_name=span.location_name, location_name_en=span.location_name_en,
            start=span.start, end=span.end,
            temp_min=min(lows) if lows else None, temp_max=max(highs) if highs else None,
        ))  # fmt: skip
    return stays


def _chart(parts: list[_Part]) -> list[ChartPoint]:
    """The cold-chain spans' temperature series on one time axis: buckets of devices at the
    same time are combined (lowest low, mean of means, highest high); a silent bucket is null."""
    lows: dict[datetime, float] = {}
    highs: dict[datetime, float] = {}
    means: dict[datetime, list[float]] = defaultdict(list)
    seen: set[datetime] = set()
    width = None
    for part in parts:
        width = width or part.history.bucket_seconds
        kinds = part.kinds()
        for series in part.history.series:
            if series.metric != "temp" or kinds.get(series.location) not in COLD_CHAIN_KINDS:
                continue
            for point in series.points:
                if not part.before_cut(point.time):
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
