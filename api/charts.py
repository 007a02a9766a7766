"""Geometry of the temperature chart the inspector's batch page draws as inline SVG.

Only numbers and labels are computed here; ``inspect/_chart.html`` writes the SVG, so every
label is escaped by the template. The storage band is a shaded strip, custody intervals are
labelled stripes along the top, excursions red spans, gaps grey spans; each series' mean is
a line broken wherever the record has a gap, with its min–max envelope shaded.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from schemas.history import Finding, TemperatureHistory

WIDTH, HEIGHT = 960, 360
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 48, 12, 34, 34
LOCAL_TIME = ZoneInfo("Asia/Shanghai")
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
    limits = [v for v in (history.band.temp_min, history.band.temp_max) if v is not None]
    low = min(values + limits, default=0.0) - Y_PADDING
    high = max(values + limits, default=10.0) + Y_PADDING
    chart.empty = not values

    def x(time: datetime) -> float:
        fraction = (time - t0) / (t1 - t0)
        return round(chart.plot_left + fraction * (chart.plot_right - chart.plot_left), 1)

    def y(value: float) -> float:
        fraction = (value - low) / (high - low)
        return round(chart.plot_bottom - fraction * (chart.plot_bottom - chart.plot_top), 1)

    def span(start: datetime, end: datetime | None, label: str = "") -> Span:
        left, right = x(max(start, t0)), x(min(end or t1, t1))
        return Span(left, max(right - left, 1.0), label)

    if limits:
        top = history.band.temp_max if history.band.temp_max is not None else high
        bottom = history.band.temp_min if history.band.temp_min is not None else low
        chart.band = (y(top), y(bottom))
    chart.custody = [span(c.start, c.end, c.location_name) for c in history.custody]
    for finding in findings:
        if finding.metric not in (None, "temp"):
            continue
        target = chart.excursions if finding.kind == "excursion" else chart.gaps
        target.append(span(finding.start, finding.end))
    for one in series:
        run: list[tuple[float, float, float, float]] = []
        for point in [*one.points, None]:
            if point is not None and point.mean is not None:
                assert point.min is not None and point.max is not None
                run.append((x(point.time), y(point.mean), y(point.min), y(point.max)))
                continue
            if run:
                chart.lines.append(" ".join(f"{px},{py}" for px, py, _, _ in run))
                upper = [f"{px},{top}" for px, _, _, top in run]
                lower = [f"{px},{bottom}" for px, _, bottom, _ in reversed(run)]
                chart.envelopes.append(" ".join(upper + lower))
                run = []
    step = _nice_step(high - low)
    tick = step * int(low // step + 1)
    while tick < high:
        chart.y_ticks.append(Tick(y(tick), f"{tick:g}"))
        tick += step
    for index in range(6):
        moment = t0 + (t1 - t0) * index / 5
        chart.x_ticks.append(Tick(x(moment), moment.astimezone(LOCAL_TIME).strftime("%m-%d %H:%M")))
    return chart


def _nice_step(extent: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 20, 50):
        if extent / step <= 8:
            return step
    return 100.0
