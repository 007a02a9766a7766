"""The district's clock: the one time zone for every local date and time farmtrace shows,
prints or files (Jinkouhe keeps China Standard Time)."""

from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

# The IANA name, also what SQL's ``AT TIME ZONE`` takes.
DISTRICT_TIME_ZONE = "Asia/Shanghai"
DISTRICT_TIME = ZoneInfo(DISTRICT_TIME_ZONE)
# China keeps no daylight saving time, so formats that want a fixed offset (EPCIS) get one.
DISTRICT_UTC_OFFSET = timezone(timedelta(hours=8))
DISTRICT_UTC_OFFSET_TEXT = "+08:00"
