"""DS18B20 1-Wire probes through the Linux w1 sysfs driver.

Newer kernels expose ``temperature`` (millidegrees Celsius); older ones only ``w1_slave``,
two lines whose first ends in ``YES`` when the CRC matched and whose second ends ``t=<m°C>``.
A failed read is skipped (the gap shows in the record) rather than sent as a wrong value.
"""

import logging
from pathlib import Path
from typing import Any

from sensors.samples import Sample

log = logging.getLogger(__name__)

SYSFS_ROOT = Path("/sys/bus/w1/devices")
# 85 °C is the probe's power-on reset value: a conversion that never ran, not a reading.
POWER_ON_RESET_MILLIDEGREES = 85_000


class Ds18b20Source:
    name = "ds18b20"

    def __init__(self, root: Path = SYSFS_ROOT, probe: str | None = None) -> None:
        self.root = root
        self.probe = probe

    def read(self, now: float) -> list[Sample]:
        folder = self._probe_folder()
        if folder is None:
            log.warning("no DS18B20 probe found", extra={"root": str(self.root)})
            return []
        millidegrees = read_millidegrees(folder)
        if millidegrees is None:
            return []
        return [Sample(now, {"temp": millidegrees / 1000.0})]

    def position(self) -> dict[str, Any] | None:
        return None

    def resume(self, position: dict[str, Any]) -> None:
        return None

    def _probe_folder(self) -> Path | None:
        if self.probe:
            folder = self.root / self.probe
            return folder if folder.exists() else None
        # One probe per gateway is the rule: the metric registry has one ``temp``.
        probes = sorted(self.root.glob("28-*"))
        return probes[0] if probes else None


def read_millidegrees(folder: Path) -> int | None:
    """The probe's temperature in m°C, or None when the read failed."""
    try:
        simple = folder / "temperature"
        if simple.exists():
            value = int(simple.read_text(encoding="ascii").strip())
        else:
            value = _parse_w1_slave((folder / "w1_slave").read_text(encoding="ascii"))
    except (OSError, ValueError) as error:
        log.warning("DS18B20 read failed", extra={"probe": folder.name, "error": str(error)})
        return None
    if value == POWER_ON_RESET_MILLIDEGREES:
        log.warning("DS18B20 returned its power-on value", extra={"probe": folder.name})
        return None
    return value


def _parse_w1_slave(text: str) -> int:
    lines = text.strip().splitlines()
    if len(lines) < 2 or not lines[0].strip().endswith("YES"):
        raise ValueError("CRC check failed")
    _, separator, value = lines[1].rpartition("t=")
    if not separator:
        raise ValueError("no t= field")
    return int(value)


def from_config(spec: dict[str, Any], device_id: str) -> Ds18b20Source:
    return Ds18b20Source(Path(spec.get("root", SYSFS_ROOT)), spec.get("probe"))
