"""Grafana: every panel's SQL runs on the real database; provisioning talks Grafana's API.

Grafana itself cannot run here: provisioning is tested against a local stand-in HTTP server
that answers the few Grafana HTTP API calls the command makes (this test says so).
"""

import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import psycopg
import pytest
from grafana_client import GrafanaApi

from farmtrace.commands.grafana import datasource_model, provision
from farmtrace.provision.grafana_dashboards import DATASOURCE_UID, dashboards
from schemas.settings import Settings
from tests.inspect.cold_chain import (
    COLD_DEVICE,
    T0,
    add_readings,
    every_minute,
    new_batch,
    seed_district,
)
from watch.rounds import watch_once

REPO = Path(__file__).resolve().parents[2]
DASHBOARD_FILES = REPO / "deploy" / "grafana" / "dashboards"


def expand_macros(sql: str, start: datetime, end: datetime, interval: str, lot: str) -> str:
    """Grafana's PostgreSQL macros and our one variable, as Grafana expands them."""

    def quoted(time: datetime) -> str:
        return "'" + time.isoformat() + "'"

    sql = re.sub(
        r"\$__timeFilter\(([^)]+)\)",
        lambda m: f"{m[1]} BETWEEN {quoted(start)} AND {quoted(end)}",
        sql,
    )
    sql = sql.replace("$__timeFrom()", quoted(start)).replace("$__timeTo()", quoted(end))
    sql = sql.replace("$__interval", interval).replace("$lot", lot)
    assert "$" not in sql, sql
    return sql


def every_query(model: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for panel in model["panels"]:
        for target in panel["targets"]:
            yield f"{model['uid']} / {panel['title']} / {target['refId']}", target["rawSql"]
    for variable in model["templating"]["list"]:
        yield f"{model['uid']} / ${variable['name']}", variable["query"]


def test_the_provisioning_files_are_the_dashboards_the_command_pushes() -> None:
    for name, model in dashboards().items():
        assert json.loads((DASHBOARD_FILES / name).read_text(encoding="utf-8")) == model
    assert sorted(p.name for p in DASHBOARD_FILES.glob("*.json")) == sorted(dashboards())
    for model in dashboards().values():
        for panel in model["panels"]:
            assert panel["datasource"]["uid"] == DATASOURCE_UID


@pytest.mark.parametrize("interval", ["30s", "1m", "5m", "1h"])
def test_every_panel_query_runs_on_the_database(
    db: psycopg.Connection, clean_database: str, interval: str
) -> None:
    seed_district(db)
    lot = new_batch(db)
    add_readings(db, COLD_DEVICE, every_minute(T0, 120, lambda i: 9.0 if i > 60 else 3.0))
    with psycopg.connect(clean_database, autocommit=True) as watcher:
        watch_once(watcher, Settings(database_url=clean_database), now=T0 + timedelta(hours=2))
    start, end = T0 - timedelta(hours=1), T0 + timedelta(hours=3)
    answered = {}
    for name, sql in (q for model in dashboards().values() for q in every_query(model)):
        found = db.execute(expand_macros(sql, start, end, interval, lot).encode()).fetchall()
        answered[name] = len(found)
    db.rollback()
    assert answered["farmtrace-fleet / 各设备温度 Temperature by device / A"] > 0
    assert answered["farmtrace-batch / 批次温度 Temperature across custody / A"] > 0
    assert answered["farmtrace-batch / 批次温度 Temperature across custody / B"] == 2
    assert answered["farmtrace-batch / $lot"] == 1
    assert answered["farmtrace-alarms / 报警列表 Open alarms / A"] >= 1


class _StandInGrafana(BaseHTTPRequestHandler):
    """A stand-in for Grafana's HTTP API (no Grafana can run here): it keeps what it is sent
    and answers 404 for a datasource or folder it has not been given yet."""

    calls: ClassVar[list[tuple[str, str, str | None, Any]]] = []
    stored: ClassVar[dict[str, Any]] = {}

    def _answer(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _record(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        self.calls.append((self.command, self.path, self.headers.get("Authorization"), body))
        return body

    def do_GET(self) -> None:
        self._record()
        if self.path in self.stored:
            self._answer(200, self.stored[self.path])
        else:
            self._answer(404, {"message": "not found"})

    def do_POST(self) -> None:
        body = self._record()
        if self.path == "/api/datasources":
            self.stored[f"/api/datasources/uid/{body['uid']}"] = body
        elif self.path == "/api/folders":
            self.stored[f"/api/folders/{body['uid']}"] = body
        self._answer(200, {"status": "success"})

    def do_PUT(self) -> None:
        self._record()
        self._answer(200, {"status": "success"})

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def stand_in() -> Iterator[tuple[str, type[_StandInGrafana]]]:
    handler = type("StandIn", (_StandInGrafana,), {"calls": [], "stored": {}})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def test_provisioning_creates_then_updates_the_datasource_and_saves_every_dashboard(
    stand_in: tuple[str, type[_StandInGrafana]],
) -> None:
    url, handler = stand_in
    api = GrafanaApi.from_url(url=url, credential="glsa_test_token")
    model = datasource_model("postgresql://grafana_reader:pw@db:5432/farmtrace", True)
    first = provision(api, model)
    assert first[:2] == [f"datasource {DATASOURCE_UID} created", "folder farmtrace created"]
    assert {call[2] for call in handler.calls} == {"Bearer glsa_test_token"}
    [created] = [c for c in handler.calls if c[:2] == ("POST", "/api/datasources")]
    assert created[3]["url"] == "db:5432" and created[3]["jsonData"]["database"] == "farmtrace"
    saved = [c[3] for c in handler.calls if c[:2] == ("POST", "/api/dashboards/db")]
    assert [s["dashboard"] for s in saved] == list(dashboards().values())
    assert all(s["overwrite"] and s["folderUid"] == "farmtrace" for s in saved)
    handler.calls.clear()
    second = provision(api, model)
    assert second[0] == f"datasource {DATASOURCE_UID} updated"
    assert ("PUT", f"/api/datasources/uid/{DATASOURCE_UID}") in [c[:2] for c in handler.calls]


def test_the_provision_command_pushes_to_the_grafana_it_is_given(
    stand_in: tuple[str, type[_StandInGrafana]],
) -> None:
    url, handler = stand_in
    done = subprocess.run(
        [sys.executable, "-m", "farmtrace", "grafana", "provision", "--url", url,
         "--token", "glsa_cli", "--datasource-url",
         "postgresql://grafana_reader:secret@db:5432/farmtrace"],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "datasource farmtrace-db created" in done.stdout
    [created] = [c[3] for c in handler.calls if c[:2] == ("POST", "/api/datasources")]
    assert created["user"] == "grafana_reader"
    assert created["secureJsonData"] == {"password": "secret"}
