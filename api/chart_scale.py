"""What both temperature charts share: linear scales onto pixels, and lines broken at gaps."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Scale:
    """Maps ``low``…``high`` of the data onto ``start``…``end`` pixels (``end < start`` for a
    y axis, whose pixels grow downwards), rounded to a tenth of a pixel."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        fraction = (value - self.low) / ((self.high - self.low) or 1.0)
        return round(self.start + fraction * (self.end - self.start), 1)


def unbroken_runs(
    points: Iterable[T], value_of: Callable[[T], float | None]
) -> list[list[tuple[T, float]]]:
    """(point, value) pairs split wherever ``value_of`` is None: a chart draws each run as one
    line, so a gap in the record is a gap in the line rather than a line across it."""
    runs: list[list[tuple[T, float]]] = [[]]
    for point in points:
        value = value_of(point)
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((point, value))
    return [run for run in runs if run]
