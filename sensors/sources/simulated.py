"""The simulator as a source: a gateway agent can sample a simulated device like a probe."""

from typing import Any

from sensors.samples import Sample
from sensors.simulation.models import DeviceModel, build_model


class SimulatedSource:
    name = "simulated"

    def __init__(self, profile: str, seed: int, origin: float | None = None) -> None:
        self.profile = profile
        self.seed = seed
        self.origin = origin
        self._model: DeviceModel | None = None

    def model(self, now: float) -> DeviceModel:
        if self._model is None:
            # Without a given origin the simulated day starts at the first sample.
            self._model = build_model(self.profile, self.seed, self.origin or now)
        return self._model

    def advance_to(self, until: float, interval_s: float) -> None:
        """Run the model from its origin up to ``until`` without sampling, so that a run
        carrying on an earlier one continues its story (a warming truck stays warm) and its
        readings are the ones the earlier run would have taken."""
        origin = self.origin if self.origin is not None else until
        model = self.model(origin)
        moment = origin
        while moment < until:
            model.reading(moment)
            moment += interval_s

    def read(self, now: float) -> list[Sample]:
        return [Sample(now, self.model(now).reading(now))]

    def position(self) -> dict[str, Any] | None:
        return None

    def resume(self, position: dict[str, Any]) -> None:
        return None


def from_config(spec: dict[str, Any], device_id: str) -> SimulatedSource:
    origin = spec.get("origin")
    return SimulatedSource(
        str(spec.get("profile", device_id)),
        int(spec.get("seed", 0)),
        float(origin) if origin is not None else None,
    )
