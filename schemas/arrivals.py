"""The reading-arrival record: what the collector writes beside new readings, the watcher reads.

One arrival says that ``row_count`` readings of ``device_id`` between ``first_time`` and
``last_time`` were stored; the watcher turns arrivals into rollups, alarms and page summaries.
"""

from dataclasses import dataclass
from datetime import datetime

# Readings at most this old (seconds) are live: the collector writes their messages, and the
# watcher takes their arrivals, before those of readings spooled for longer (a flush).
LIVE_WITHIN_S = 120.0


@dataclass(frozen=True)
class Arrival:
    device_id: str
    first_time: datetime
    last_time: datetime
    row_count: int

    def merged(self, other: "Arrival") -> "Arrival":
        """One arrival spanning both (same device)."""
        return Arrival(
            self.device_id,
            min(self.first_time, other.first_time),
            max(self.last_time, other.last_time),
            self.row_count + other.row_count,
        )
