"""Whether the gateway's clock can be trusted, and how readings taken before it could be placed.

A gateway without a battery-backed clock boots in 1970 (or 2000) until NTP or GPS sets it.
Readings stamped by such a clock would be wrong, so the agent does not send them: it holds
them in the spool, reports clock state ``unset`` in its status, and when the clock is set
gives each held reading its true time from the monotonic clock, which counts seconds since
boot whatever the wall clock says. Readings held across a reboot cannot be placed and are
dropped and counted (``dropped`` in the status). The collector would refuse pre-2015 times
into its dead-letter table anyway; holding them keeps them useful instead.
"""

from pathlib import Path

from schemas.senml import EARLIEST_TIME

CLOCK_SET = "set"
CLOCK_UNSET = "unset"

_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def clock_state(wall_time: float) -> str:
    return CLOCK_SET if wall_time >= EARLIEST_TIME else CLOCK_UNSET


def boot_id() -> str:
    """This boot's identity: the monotonic clock is comparable only within one boot."""
    try:
        return _BOOT_ID.read_text(encoding="ascii").strip()
    except OSError:
        return "unknown-boot"
