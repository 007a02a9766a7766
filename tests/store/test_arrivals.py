from datetime import UTC, datetime

import psycopg

from schemas.arrivals import Arrival
from store.arrivals import record_arrivals, take_arrivals


def at(hour: int) -> datetime:
    return datetime(2026, 3, 1, hour, tzinfo=UTC)


def test_arrivals_are_merged_per_device_and_taken_once(db: psycopg.Connection) -> None:
    record_arrivals(db, [Arrival("d1", at(1), at(2), 10), Arrival("d2", at(3), at(3), 1)])
    record_arrivals(db, [Arrival("d1", at(0), at(1), 5)])
    db.commit()
    assert take_arrivals(db) == [
        Arrival("d1", at(0), at(2), 15),
        Arrival("d2", at(3), at(3), 1),
    ]
    db.commit()
    assert take_arrivals(db) == []
