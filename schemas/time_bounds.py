"""Bounds on every time a person or a partner enters: not before 2015, not in the future.

A time far outside them stored once broke everything downstream (a best-before in the year
10000 that no reader can load, a provenance page overflowing while it formats a date). So
input is refused at the edge, with the field named, and dates derived from bounded input
(best-before = packing date + at most ten years of shelf life) stay loadable.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime
from pydantic_core import PydanticCustomError

from schemas.district_time import DISTRICT_TIME

# Nothing in the district was traced before the programme started.
EARLIEST_TIME = datetime(2015, 1, 1, tzinfo=UTC)
EARLIEST_DATE = EARLIEST_TIME.date()
# Clocks of phones and tablets drift; five minutes forgives that, not a typo in the year.
DEFAULT_AHEAD_TOLERANCE_S = 300

_ahead_tolerance = timedelta(seconds=DEFAULT_AHEAD_TOLERANCE_S)


def allow_ahead(seconds: float) -> None:
    """Set how far ahead of this server's clock an entered time may be (the setting)."""
    global _ahead_tolerance
    _ahead_tolerance = timedelta(seconds=seconds)


def latest_time() -> datetime:
    return datetime.now(UTC) + _ahead_tolerance


def _bounded_time(value: datetime) -> datetime:
    if value < EARLIEST_TIME:
        raise PydanticCustomError(
            "time_too_early", "must not be before {earliest}", {"earliest": "2015-01-01"}
        )
    if value > latest_time():
        raise PydanticCustomError(
            "time_in_future",
            "must not be more than {seconds} s ahead of the server's clock",
            {"seconds": int(_ahead_tolerance.total_seconds())},
        )
    return value


def _bounded_date(value: date) -> date:
    if value < EARLIEST_DATE:
        raise PydanticCustomError(
            "date_too_early", "must not be before {earliest}", {"earliest": "2015-01-01"}
        )
    if value > latest_time().astimezone(DISTRICT_TIME).date():
        raise PydanticCustomError("date_in_future", "must not be after today")
    return value


EnteredTime = Annotated[AwareDatetime, AfterValidator(_bounded_time)]
EnteredDate = Annotated[date, AfterValidator(_bounded_date)]


def in_district_time(moment: datetime) -> datetime:
    """The moment on the district's clock, or in UTC where that clock would pass the year 9999
    (a time stored before input was bounded): shown as it is rather than failing the page."""
    try:
        return moment.astimezone(DISTRICT_TIME)
    except OverflowError:
        return moment.astimezone(UTC)
