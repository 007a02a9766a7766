"""Geometry of the temperature chart the inspector's batch page draws as inline SVG.

Only numbers and labels are computed here; ``inspect/_chart.html`` writes the SVG, so every
label is escaped by the template. The storage band is a shaded strip, custody intervals are
labelled stripes along the top, excursions red spans, gaps grey spans; each series' mean is
a line broken wherever the record has a gap, with its min–max envelope shaded.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from api.chart_scale import Scale, unbroken_runs
from schemas.district_time import DISTRICT_TIME
from schemas.history import Finding, TemperatureHistory

WIDTH, HEIGHT = 960, 360
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 48, 12, 34, 34
# Degrees of headroom above and below the data and band, so lines do not touch the frame.
Y_PADDING = 1.0


@dataclass
class Span:
    x: float
    width: float
    label: str = ""


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    plot_top: float = MARGIN_TOP
    plot_bottom: float = HEIGHT - MARGIN_BOTTOM
    plot_left: float = MARGIN_LEFT
    plot_right: float = WIDTH - MARGIN_RIGHT
    band: tuple[float, float] | None = None
    custody: list[Span] = field(default_factory=list)
    excursions: list[Span] = field(default_factory=list)
    gaps: list[Span] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    envelopes: list[str] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    empty: bool = True


def temperature_chart(history: TemperatureHistory, findings: list[Finding]) -> Chart:
    chart = Chart()
    series = [s for s in history.series if s.metric == "temp"]
    values = [v for s in series for p in s.points for v in (p.min, p.max) if v is not None]
    starts = [c.start for c in history.custody]
    ends = [s.end for s in series] + [c.end for c in history.custody if c.end is not None]
    if not starts:
        return chart
    t0 = min(starts)
    t1 = max([*ends, t0 + timedelta(hours=1)])
    profile = history.storage_profile
    limits = [v for v in (profile.temp_min, profile.temp_max) if v is not None]
    low = min(values + limits, default=0.0) - Y_PADDING
    high = max(values + limits, default=10.0) + Y_PADDING
    chart.empty = not values

    x_scale = Scale(t0.timestamp(), t1.timestamp(), chart.plot_left, chart.plot_right)
    y = Scale(low, high, chart.plot_bottom, chart.plot_top)

    def x(time: datetime) -> float:
        return x_scale(time.timestamp())

    def span(start: datetime, end: datetime | None, label: str = "") -> Span:
        left, right = x(max(start, t0)), x(min(end or t1, t1))
        return Span(left, max(right - left, 1.0), label)

    if limits:
        top = profile.temp_max if profile.temp_max is not None else high
        bottom = profile.temp_min if profile.temp_min is not None else low
        chart.band = (y(top), y(bottom))
    chart.custody = [span(c.start, c.end, c.location_name) for c in history.custody]
    for finding in findings:
        if finding.metric not in (None, "temp"):
            continue
        target = chart.excursions if finding.kind == "excursion" else chart.gaps
        target.append(span(finding.start, finding.end))
    for one in series:
        for run in unbroken_runs(one.points, lambda point: point.mean):
            chart.lines.append(" ".join(f"{x(p.time)},{y(mean)}" for p, mean in run))
            # The envelope: each point's maximum along the top, its minimum back along the bottom.
            upper = [f"{x(p.time)},{y(mean if p.max is None else p.max)}" for p, mean in run]
            lower = [f"{x(p.time)},{y(mean if p.min is None else p.min)}" for p, mean in run[::-1]]
            chart.envelopes.append(" ".join(upper + lower))
    step = _nice_step(high - low)
    tick = step * int(low // step + 1)
    while tick < high:
        chart.y_ticks.append(Tick(y(tick), f"{tick:g}"))
        tick += step
    for index in range(6):
        moment = t0 + (t1 - t0) * index / 5
        chart.x_ticks.append(
            Tick(x(moment), moment.astimezone(DISTRICT_TIME).strftime("%m-%d %H:%M"))
        )
    return chart


def _nice_step(extent: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 20, 50):
        if extent / step <= 8:
            return step
    return 100.0
