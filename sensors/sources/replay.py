"""Replay a logger export (CSV with a header row, or JSON lines) as if measured live.

Columns are SenML metric names (``temp``, ``hum``, ``door``, …) and optionally ``time``
(UNIX seconds or ISO 8601 with an offset). Rows with a time keep it: a USB logger's
history keeps its own timestamps. Rows without one are stamped when they are read.
The row reached is stored in the spool with the samples, so a restart neither repeats
nor skips a row.
"""

import csv
import json
import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from schemas.sensor_metrics import METRICS
from sensors.samples import Sample

log = logging.getLogger(__name__)

_TRUE_WORDS = {"1", "true", "yes", "open", "on"}


class ReplaySource:
    name = "replay"

    def __init__(self, path: Path, rows_per_sample: int = 1, loop: bool = False) -> None:
        self.path = path
        self.rows_per_sample = rows_per_sample
        self.loop = loop
        self.row = 0
        self._rows = _read_rows(path)

    def read(self, now: float) -> list[Sample]:
        samples: list[Sample] = []
        for _ in range(self.rows_per_sample):
            if self.row >= len(self._rows):
                if not self.loop or not self._rows:
                    break
                self.row = 0
            sample = _to_sample(self._rows[self.row], now)
            self.row += 1
            if sample is not None:
                samples.append(sample)
        return samples

    @property
    def exhausted(self) -> bool:
        return not self.loop and self.row >= len(self._rows)

    def position(self) -> dict[str, Any] | None:
        return {"path": str(self.path), "row": self.row}

    def resume(self, position: dict[str, Any]) -> None:
        if position.get("path") == str(self.path):
            self.row = int(position.get("row", 0))


def _read_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
            return list(_json_lines(handle))
        return list(csv.DictReader(handle))


def _json_lines(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            log.warning("skipping a line that is not JSON", extra={"line": number})
            continue
        if isinstance(row, dict):
            yield row


def _to_sample(row: dict[str, Any], now: float) -> Sample | None:
    try:
        when = _parse_time(row.get("time"), now)
        values: dict[str, float | bool] = {}
        for name, raw in row.items():
            metric = METRICS.get(name)
            if metric is None or raw is None or raw == "":
                continue
            if metric.boolean:
                values[name] = raw if isinstance(raw, bool) else str(raw).lower() in _TRUE_WORDS
            else:
                values[name] = float(raw)
    except (TypeError, ValueError) as error:
        log.warning("skipping a row that does not parse", extra={"error": str(error)})
        return None
    return Sample(when, values) if values else None


def _parse_time(raw: Any, now: float) -> float:
    if raw is None or raw == "":
        return now
    if isinstance(raw, int | float):
        return float(raw)
    try:
        return float(raw)
    except ValueError:
        parsed = datetime.fromisoformat(str(raw))
        if parsed.tzinfo is None:
            raise ValueError(f"time {raw!r} has no UTC offset") from None
        return parsed.timestamp()


def from_config(spec: dict[str, Any], device_id: str) -> ReplaySource:
    return ReplaySource(
        Path(spec["path"]), int(spec.get("rows_per_sample", 1)), bool(spec.get("loop", False))
    )
