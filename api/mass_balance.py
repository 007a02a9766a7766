"""Mass balance at the centre: what went in against what came out, so a weighing or typing
mistake (harvest lots of 50 kg received as a 48 kg batch) is noticed when it is entered.

A mismatch is refused until the person entering it confirms it; the confirmation is kept in
the audit trail with both figures.
"""

from dataclasses import dataclass

# Half a percent: centre scales read to 0.1 kg on lots of tens of kilograms.
TOLERANCE_FRACTION = 0.005
# Below this no scale tells the difference.
TOLERANCE_MIN = 0.01


@dataclass(frozen=True)
class Balance:
    """``expected`` is what should come out of ``source``; ``actual`` what was entered."""

    expected: float
    actual: float

    @property
    def difference(self) -> float:
        return self.actual - self.expected

    @property
    def mismatch(self) -> bool:
        allowed = max(TOLERANCE_MIN, abs(self.expected) * TOLERANCE_FRACTION)
        return abs(self.difference) > allowed


def receiving_balance(batch_quantity: float, harvest_quantities: list[float]) -> Balance:
    """The batch received against the harvest lots it is made of."""
    return Balance(sum(harvest_quantities), batch_quantity)


def split_balance(parent_quantity: float, child_quantities: list[float]) -> Balance:
    """The children of a split against the batch they are split from."""
    return Balance(parent_quantity, sum(child_quantities))


def step_yield(quantity: float, weight_after: float) -> float | None:
    """What a trimming, peeling or drying step kept, as a fraction of the batch."""
    return weight_after / quantity if quantity > 0 else None


def gains_weight(quantity: float, weight_after: float) -> bool:
    """Trimming or drying cannot make a batch heavier: more than the batch is a mistake."""
    return weight_after - quantity > max(TOLERANCE_MIN, quantity * TOLERANCE_FRACTION)
