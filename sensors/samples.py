"""What a source hands the agent: the values of one moment, in registered SenML units."""

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Sample:
    """Values measured at one time (UNIX seconds); booleans are SenML ``vb`` metrics."""

    time: float
    values: dict[str, float | bool] = field(default_factory=dict)
