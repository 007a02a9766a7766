"""Pluggable sources: each kind is one small module with a ``from_config`` function.

A source turns the hardware (or a file, or a model) into ``Sample``s in registered SenML
units. Adding a kind is one module here and one line in ``SOURCE_KINDS``.
"""

from collections.abc import Callable
from typing import Any, Protocol

from sensors.samples import Sample


class Source(Protocol):
    name: str

    def read(self, now: float) -> list[Sample]:
        """Samples taken now (a replayed export may carry its own times)."""
        ...

    def position(self) -> dict[str, Any] | None:
        """Where the source is, stored with its samples so a restart resumes there."""
        ...

    def resume(self, position: dict[str, Any]) -> None: ...


class SourceError(ValueError):
    """A source's configuration is wrong."""


def build_source(spec: dict[str, Any], device_id: str) -> Source:
    from sensors.sources import ds18b20, replay, simulated

    kinds: dict[str, Callable[[dict[str, Any], str], Source]] = {
        "ds18b20": ds18b20.from_config,
        "replay": replay.from_config,
        "simulated": simulated.from_config,
    }
    kind = spec.get("kind")
    if kind not in kinds:
        raise SourceError(f"unknown source kind {kind!r} (known: {', '.join(sorted(kinds))})")
    return kinds[kind](spec, device_id)
