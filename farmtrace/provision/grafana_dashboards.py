"""The Grafana dashboards, defined once here: pushed by `farmtrace grafana provision` and
written by `farmtrace grafana export` to deploy/grafana/dashboards for docker-compose (a
test keeps the files equal to these). Every panel is raw SQL against the farmtrace database;
Grafana expands $__timeFilter, $__timeFrom(), $__timeTo(), $__interval and $lot."""

from typing import Any

from schemas.district_time import DISTRICT_TIME_ZONE

DATASOURCE_UID = "farmtrace-db"
DATASOURCE = {"type": "grafana-postgresql-datasource", "uid": DATASOURCE_UID}
FOLDER_UID = "farmtrace"
FOLDER_TITLE = "farmtrace"

FLEET_TEMPERATURES_SQL = """\
SELECT date_bin('$__interval'::interval, r.bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS time,
       r.device_id || ' · ' || coalesce(l.name, '—') AS metric,
       avg(r.avg) AS value
FROM readings_5m r
LEFT JOIN device_installations i ON i.device_id = r.device_id AND i.during @> r.bucket
LEFT JOIN locations l ON l.code = i.location
WHERE $__timeFilter(r.bucket) AND r.metric = 'temp'
GROUP BY 1, 2
ORDER BY 1"""

FLEET_DEVICES_SQL = """\
SELECT d.device_id AS "device", l.name AS "location", lr.last_time AS "last reading",
       d.reporting_interval_s AS "interval (s)",
       d.last_calibrated + d.calibration_interval_days AS "calibration due",
       coalesce(d.last_calibrated + d.calibration_interval_days < current_date, true)
           AS "calibration overdue"
FROM devices d
LEFT JOIN device_installations i ON i.device_id = d.device_id AND upper_inf(i.during)
LEFT JOIN locations l ON l.code = i.location
LEFT JOIN device_last_readings lr ON lr.device_id = d.device_id
WHERE d.revoked_at IS NULL
ORDER BY 1"""

LOT_VARIABLE_SQL = "SELECT lot_code FROM batches ORDER BY received_at DESC LIMIT 1000"

BATCH_TEMPERATURE_SQL = """\
SELECT date_bin('$__interval'::interval, r.time, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS time,
       l.name || ' · ' || r.device_id AS metric,
       avg(r.value) AS value
FROM batches b
JOIN custody c ON c.batch_id = b.id
JOIN locations l ON l.code = c.location
JOIN device_installations i ON i.location = c.location AND i.during && c.during
JOIN readings r ON r.device_id = i.device_id AND r.metric = 'temp'
    AND r.time <@ (c.during * i.during)
WHERE b.lot_code = '$lot' AND $__timeFilter(r.time)
GROUP BY 1, 2
ORDER BY 1"""

BATCH_BAND_SQL = """\
SELECT edge AS time, p.temp_min AS "band min", p.temp_max AS "band max"
FROM batches b
JOIN products p ON p.code = b.product
CROSS JOIN (VALUES ($__timeFrom()::timestamptz), ($__timeTo()::timestamptz)) AS edges(edge)
WHERE b.lot_code = '$lot'
ORDER BY 1"""

BATCH_CUSTODY_SQL = """\
SELECT l.name AS "location", l.kind, lower(c.during) AS "from", upper(c.during) AS "to"
FROM batches b
JOIN custody c ON c.batch_id = b.id
JOIN locations l ON l.code = c.location
WHERE b.lot_code = '$lot'
ORDER BY lower(c.during)"""

OPEN_ALARMS_SQL = """\
SELECT a.opened_at AS "opened", a.kind, a.device_id AS "device", l.name AS "location",
       a.started_at AS "since", a.peak, a.acknowledged_at AS "acknowledged",
       u.username AS "by", a.ack_comment AS "comment"
FROM alarms a
LEFT JOIN locations l ON l.code = a.location
LEFT JOIN users u ON u.id = a.acknowledged_by
WHERE a.closed_at IS NULL
ORDER BY a.opened_at DESC"""

OPEN_ALARM_COUNT_SQL = """\
SELECT count(*) AS "open alarms" FROM alarms WHERE closed_at IS NULL"""

ALARMS_OPENED_SQL = """\
SELECT date_bin('1 hour', opened_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS time,
       kind AS metric, count(*) AS value
FROM alarms
WHERE $__timeFilter(opened_at)
GROUP BY 1, 2
ORDER BY 1"""


def _target(sql: str, table: bool = False, ref: str = "A") -> dict[str, Any]:
    return {
        "refId": ref,
        "datasource": DATASOURCE,
        "editorMode": "code",
        "rawQuery": True,
        "rawSql": sql,
        "format": "table" if table else "time_series",
    }


def _panel(
    panel_id: int,
    title: str,
    kind: str,
    targets: list[dict[str, Any]],
    grid: tuple[int, int, int, int],
    unit: str | None = None,
) -> dict[str, Any]:
    x, y, w, h = grid
    panel: dict[str, Any] = {
        "id": panel_id,
        "type": kind,
        "title": title,
        "datasource": DATASOURCE,
        "gridPos": {"x": x, "y": y, "w": w, "h": h},
        "targets": targets,
        "options": {},
        "fieldConfig": {"defaults": {}, "overrides": []},
    }
    if unit:
        panel["fieldConfig"]["defaults"]["unit"] = unit
    return panel


def _dashboard(
    uid: str,
    title: str,
    panels: list[dict[str, Any]],
    variables: list[dict[str, Any]] = [],  # noqa: B006
) -> dict[str, Any]:
    return {
        "uid": uid,
        "title": title,
        "tags": ["farmtrace"],
        "timezone": DISTRICT_TIME_ZONE,
        "schemaVersion": 39,
        "version": 1,
        "refresh": "1m",
        "time": {"from": "now-24h", "to": "now"},
        "templating": {"list": variables},
        "panels": panels,
    }


def dashboards() -> dict[str, dict[str, Any]]:
    """File name → dashboard model."""
    lot_variable = {
        "name": "lot",
        "label": "批次号 Lot code",
        "type": "query",
        "datasource": DATASOURCE,
        "query": LOT_VARIABLE_SQL,
        "definition": LOT_VARIABLE_SQL,
        "refresh": 2,
        "multi": False,
        "includeAll": False,
    }
    return {
        "fleet-temperatures.json": _dashboard(
            "farmtrace-fleet",
            "冷链温度总览 Fleet temperatures",
            [
                _panel(
                    1,
                    "各设备温度 Temperature by device",
                    "timeseries",
                    [_target(FLEET_TEMPERATURES_SQL)],
                    (0, 0, 24, 12),
                    "celsius",
                ),
                _panel(
                    2,
                    "设备与校准 Devices and calibration",
                    "table",
                    [_target(FLEET_DEVICES_SQL, table=True)],
                    (0, 12, 24, 10),
                ),
            ],
        ),
        "batch-history.json": _dashboard(
            "farmtrace-batch",
            "批次温度记录 Batch temperature history",
            [
                _panel(
                    1,
                    "批次温度 Temperature across custody",
                    "timeseries",
                    [_target(BATCH_TEMPERATURE_SQL), _target(BATCH_BAND_SQL, table=True, ref="B")],
                    (0, 0, 24, 12),
                    "celsius",
                ),
                _panel(
                    2,
                    "保管记录 Custody",
                    "table",
                    [_target(BATCH_CUSTODY_SQL, table=True)],
                    (0, 12, 24, 8),
                ),
            ],
            [lot_variable],
        ),
        "open-alarms.json": _dashboard(
            "farmtrace-alarms",
            "报警 Open alarms",
            [
                _panel(
                    1,
                    "未关闭报警 Open alarms",
                    "stat",
                    [_target(OPEN_ALARM_COUNT_SQL, table=True)],
                    (0, 0, 6, 6),
                ),
                _panel(
                    2,
                    "报警次数 Alarms opened",
                    "timeseries",
                    [_target(ALARMS_OPENED_SQL)],
                    (6, 0, 18, 6),
                ),
                _panel(
                    3,
                    "报警列表 Open alarms",
                    "table",
                    [_target(OPEN_ALARMS_SQL, table=True)],
                    (0, 6, 24, 12),
                ),
            ],
        ),
    }
