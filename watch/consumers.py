"""What each round does with its arrivals, after rollups and alarms, in the same transaction."""

from collections.abc import Callable

import psycopg

from schemas.arrivals import Arrival
from store.summaries import mark_summaries_due

# Further work on a round's arrivals: (conn, arrivals) → None.
ArrivalConsumer = Callable[[psycopg.Connection, list[Arrival]], None]


def mark_page_summaries_due(conn: psycopg.Connection, arrivals: list[Arrival]) -> None:
    """The pages these readings concern are rebuilt after the round (``rebuild_summaries``)."""
    mark_summaries_due(conn, arrivals)


CONSUMERS: list[ArrivalConsumer] = [mark_page_summaries_due]
