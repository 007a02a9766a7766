"""Dates Python cannot hold (after 9999, before year 1, ±infinity) load as None, logged.

One best-before in the year 10000, stored before input was bounded, used to make every list
that showed that batch fail, and the watcher with it. A reader that meets such a date now
logs it and treats the date as unknown; everything else on the page or in the round goes on.
Only ``date`` columns: timestamps keep psycopg's fast loader (reading times are many).
"""

import logging
from datetime import date

import psycopg
from psycopg.abc import Buffer
from psycopg.types.datetime import DateLoader

log = logging.getLogger(__name__)


class LenientDateLoader(DateLoader):
    def load(self, data: Buffer) -> date | None:  # type: ignore[override]
        try:
            return super().load(data)
        except psycopg.DataError as error:
            log.warning("unloadable date read as unknown: %s", error)
            return None


def load_dates_leniently(conn: psycopg.Connection) -> None:
    conn.adapters.register_loader("date", LenientDateLoader)
