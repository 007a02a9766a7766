"""A batch of messages on its way to one commit, and what writing it did."""

from dataclasses import dataclass, field

from ingest.dead_letters import DeadLetter
from ingest.messages import Received, Resolution
from schemas.arrivals import Arrival


@dataclass(frozen=True, slots=True)
class BatchPolicy:
    max_rows: int
    # Flush before the window of unacknowledged messages fills, so the broker keeps sending.
    max_messages: int
    max_wait_s: float


@dataclass(slots=True)
class Batch:
    messages: list[Received] = field(default_factory=list)
    # Each message's resolution, kept to write them one by one if the batch is refused.
    resolutions: list[tuple[Received, Resolution]] = field(default_factory=list)
    copy_parts: list[bytes] = field(default_factory=list)
    rows: int = 0
    newest_times: list[float] = field(default_factory=list)
    # Per device, the span of its readings in this batch: the reading-arrivals outbox rows.
    arrivals: dict[str, Arrival] = field(default_factory=dict)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    # Read only once their delivery is counted, or their device looked up in the registry.
    redelivered: list[Received] = field(default_factory=list)
    unknown: list[tuple[Received, Resolution]] = field(default_factory=list)
    delivery_fingerprints: list[str] = field(default_factory=list)
    started: float = 0.0

    def take(self, item: Received, resolution: Resolution) -> None:
        self.resolutions.append((item, resolution))
        if resolution.rows:
            self.copy_parts.append(resolution.copy_rows)
            self.rows += resolution.rows
        if resolution.newest is not None:
            self.newest_times.append(resolution.newest)
        if resolution.arrival is not None:
            arrival = resolution.arrival
            seen = self.arrivals.get(arrival.device_id)
            self.arrivals[arrival.device_id] = arrival if seen is None else seen.merged(arrival)
        if resolution.dead_letters:
            self.dead_letters.extend(resolution.dead_letters)

    @property
    def settled(self) -> bool:
        return not self.redelivered and not self.unknown


@dataclass(frozen=True, slots=True)
class Written:
    inserted: int = 0
    letters: int = 0
    conflicts: int = 0
