"""What each round does with its arrivals, after rollups and alarms, in the same transaction."""

from collections.abc import Callable

import psycopg

from schemas.arrivals import Arrival
from store.summaries import refresh_stale_summaries, refresh_summaries_for_arrivals

# Further work on a round's arrivals: (conn, arrivals) → None.
ArrivalConsumer = Callable[[psycopg.Connection, list[Arrival]], None]


def refresh_stale_page_summaries(conn: psycopg.Connection, arrivals: list[Arrival]) -> None:
    """Summaries that staff writes marked stale are rebuilt here rather than by a visitor."""
    refresh_stale_summaries(conn)


CONSUMERS: list[ArrivalConsumer] = [refresh_summaries_for_arrivals, refresh_stale_page_summaries]
