from datetime import UTC, datetime

import psycopg

from schemas.arrivals import Arrival
from store.arrivals import arrivals_waiting, record_arrivals, take_arrivals


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


def test_a_round_takes_live_arrivals_first_then_the_oldest_up_to_its_readings(
    db: psycopg.Connection,
) -> None:
    now = db.execute("SELECT now()").fetchone()[0]  # type: ignore[index]
    flush = [Arrival(f"gw{n}", at(n), at(n + 1), 500) for n in range(4)]
    record_arrivals(db, flush)
    live = Arrival("probe", now, now, 1)
    record_arrivals(db, [live])
    db.commit()
    # The live reading, then spooled ones until their readings reach the bound.
    assert take_arrivals(db, readings=1_000) == [flush[0], flush[1], live]
    db.commit()
    assert arrivals_waiting(db)
    # One arrival is always taken, however many readings it holds.
    assert take_arrivals(db, readings=10) == [flush[2]]
    assert take_arrivals(db) == [flush[3]]
    db.commit()
    assert not arrivals_waiting(db)
