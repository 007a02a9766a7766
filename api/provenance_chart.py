"""The page's temperature chart as plain geometry for an inline SVG (no script, no library).

Lines break where the record has a gap, the storage band is shaded and excursions are marked,
so the chart tells the same story as the findings list beside it.
"""

from dataclasses import dataclass, field

from api.chart_scale import Scale, unbroken_runs
from schemas.district_time import DISTRICT_TIME
from schemas.provenance import ColdChain

WIDTH = 320
HEIGHT = 140
# Room on the left for the temperature labels and below for the dates.
LEFT = 34
BOTTOM = 18
TOP = 6
# Degrees of headroom above and below the plotted values and band.
MARGIN_C = 1.0


@dataclass
class ChartGeometry:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_bottom: int = HEIGHT - BOTTOM
    lines: list[str] = field(default_factory=list)
    band: tuple[float, float] | None = None
    marks: list[tuple[float, float]] = field(default_factory=list)
    y_labels: list[tuple[float, str]] = field(default_factory=list)
    x_labels: list[tuple[float, str, str]] = field(default_factory=list)


def chart_geometry(cold_chain: ColdChain, date_format: str = "%m-%d") -> ChartGeometry | None:
    points = [point for point in cold_chain.chart if point.mean is not None]
    if len(points) < 2:
        return None
    start = cold_chain.chart[0].time.timestamp()
    end = cold_chain.chart[-1].time.timestamp()
    span = max(end - start, 1.0)
    values = [value for point in points for value in (point.low, point.high) if value is not None]
    values += [v for v in (cold_chain.band_min, cold_chain.band_max) if v is not None]
    low, high = min(values) - MARGIN_C, max(values) + MARGIN_C
    plot_width = WIDTH - LEFT - 4
    plot_height = HEIGHT - BOTTOM - TOP

    x = Scale(start, start + span, LEFT, LEFT + plot_width)
    y = Scale(low, high, TOP + plot_height, TOP)

    geometry = ChartGeometry()
    for run in unbroken_runs(cold_chain.chart, lambda point: point.mean):
        if len(run) > 1:
            geometry.lines.append(" ".join(f"{x(p.time.timestamp())},{y(v)}" for p, v in run))
    band_top = cold_chain.band_max if cold_chain.band_max is not None else high
    band_bottom = cold_chain.band_min if cold_chain.band_min is not None else low
    if cold_chain.band_min is not None or cold_chain.band_max is not None:
        geometry.band = (y(band_top), round(y(band_bottom) - y(band_top), 1))
    for finding in cold_chain.findings:
        if finding.kind == "excursion":
            left = x(max(finding.start.timestamp(), start))
            right = x(min(finding.end.timestamp(), end))
            geometry.marks.append((left, max(round(right - left, 1), 1.5)))
    geometry.y_labels = [(y(value), f"{value:.0f}°") for value in (high - MARGIN_C, low + MARGIN_C)]
    first = cold_chain.chart[0].time.astimezone(DISTRICT_TIME)
    last = cold_chain.chart[-1].time.astimezone(DISTRICT_TIME)
    geometry.x_labels = [
        (LEFT, "start", first.strftime(date_format)),
        (WIDTH - 4, "end", last.strftime(date_format)),
    ]
    return geometry
