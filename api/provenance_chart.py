"""The page's temperature chart as plain geometry for an inline SVG (no script, no library).

It draws exactly the cold-chain spans the verdict judges: each span is a numbered segment,
lines break where the record has a gap or the produce was out of the cold chain, the storage
band is shaded, excursions and gaps are marked, so the chart tells the same story as the
verdict above it and the findings it lists.
"""

from dataclasses import dataclass, field
from datetime import datetime

from api.chart_scale import Scale, unbroken_runs
from schemas.district_time import DISTRICT_TIME
from schemas.provenance import ColdChain

WIDTH = 320
HEIGHT = 150
# Room on the left for the temperature labels, above for segment numbers, below for times.
LEFT = 34
BOTTOM = 18
TOP = 14
RIGHT = 4
# Degrees of headroom above and below the plotted values and band.
MARGIN_C = 1.0
# Segments narrower than this many pixels get no number drawn inside them.
SEGMENT_LABEL_MIN_PX = 12
TIME_FORMAT = "%m-%d %H:%M"


@dataclass
class ChartGeometry:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM
    lines: list[str] = field(default_factory=list)
    band: tuple[float, float] | None = None
    marks: list[tuple[float, float]] = field(default_factory=list)
    gap_marks: list[tuple[float, float]] = field(default_factory=list)
    dividers: list[float] = field(default_factory=list)
    segment_labels: list[tuple[float, str]] = field(default_factory=list)
    y_labels: list[tuple[float, str]] = field(default_factory=list)
    x_labels: list[tuple[float, str, str]] = field(default_factory=list)


def chart_geometry(cold_chain: ColdChain) -> ChartGeometry | None:
    points = [point for point in cold_chain.chart if point.mean is not None]
    if len(points) < 2:
        return None
    times = [point.time.timestamp() for point in cold_chain.chart]
    times += [span.start.timestamp() for span in cold_chain.spans]
    times += [span.end.timestamp() for span in cold_chain.spans if span.end is not None]
    start, end = min(times), max(times)
    span_s = max(end - start, 1.0)
    values = [value for point in points for value in (point.low, point.high) if value is not None]
    values += [v for v in (cold_chain.band_min, cold_chain.band_max) if v is not None]
    low, high = min(values) - MARGIN_C, max(values) + MARGIN_C

    x = Scale(start, start + span_s, LEFT, WIDTH - RIGHT)
    y = Scale(low, high, HEIGHT - BOTTOM, TOP)

    geometry = ChartGeometry()
    for run in unbroken_runs(cold_chain.chart, lambda point: point.mean):
        if len(run) > 1:
            geometry.lines.append(" ".join(f"{x(p.time.timestamp())},{y(v)}" for p, v in run))
    band_top = cold_chain.band_max if cold_chain.band_max is not None else high
    band_bottom = cold_chain.band_min if cold_chain.band_min is not None else low
    if cold_chain.band_min is not None or cold_chain.band_max is not None:
        geometry.band = (y(band_top), round(y(band_bottom) - y(band_top), 1))
    for finding in cold_chain.findings:
        left = x(max(finding.start.timestamp(), start))
        right = x(min(finding.end.timestamp(), end))
        marks = geometry.marks if finding.kind == "excursion" else geometry.gap_marks
        marks.append((left, max(round(right - left, 1), 1.5)))
    for number, span in enumerate(cold_chain.spans, start=1):
        left = x(span.start.timestamp())
        right = x(span.end.timestamp() if span.end is not None else end)
        if number > 1:
            geometry.dividers.append(left)
        if right - left >= SEGMENT_LABEL_MIN_PX:
            geometry.segment_labels.append((round((left + right) / 2, 1), str(number)))
    geometry.y_labels = [(y(value), f"{value:.0f}°") for value in (high - MARGIN_C, low + MARGIN_C)]
    geometry.x_labels = [
        (LEFT, "start", datetime.fromtimestamp(start, DISTRICT_TIME).strftime(TIME_FORMAT)),
        (WIDTH - RIGHT, "end", datetime.fromtimestamp(end, DISTRICT_TIME).strftime(TIME_FORMAT)),
    ]
    return geometry
