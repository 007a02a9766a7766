"""The registry of metrics a device may report: SenML name, unit and physical bounds."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    unit: str | None  # SenML registered unit; None for boolean metrics carried in ``vb``
    low: float
    high: float
    boolean: bool = False


METRICS: dict[str, Metric] = {}


def register_metric(metric: Metric) -> None:
    """Add a metric (an extension point for new sensor kinds)."""
    METRICS[metric.name] = metric


for _metric in (
    # Bounds are what the sensors we deploy can physically report, not storage bands.
    Metric("temp", "Cel", -60.0, 100.0),
    Metric("hum", "%RH", 0.0, 100.0),
    Metric("door", None, 0.0, 1.0, boolean=True),
    Metric("lat", "lat", -90.0, 90.0),
    Metric("lon", "lon", -180.0, 180.0),
    Metric("batt", "%EL", 0.0, 100.0),
):
    register_metric(_metric)
