"""The inspectors' documentation names every inspector route and setting it should."""

from pathlib import Path

from fastapi import FastAPI

from schemas.settings import Settings
from tests.inspect.test_access import every_route

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "inspectors.md").read_text(encoding="utf-8")
DOCUMENTED_AREAS = ("/temperature", "/findings", "/epcis", "/exports/", "/alarms", "/recalls")


def test_every_inspector_api_route_is_documented(app: FastAPI) -> None:
    for path, _ in every_route(app.routes):
        if path.startswith("/api/v1/") and any(area in path for area in DOCUMENTED_AREAS):
            short = path.removeprefix("/api/v1")
            documented = short.replace("{extension}", "csv").replace("{alarm_id}", "{id}")
            documented = documented.replace("{recall_id}", "{id}").replace("kde.csv", "kde.")
            assert documented.split("?")[0] in DOC, path


def test_every_alarm_setting_is_documented() -> None:
    for name in Settings.model_fields:
        if name.startswith(("alarm_", "watch_")):
            assert f"FARMTRACE_{name.upper()}" in DOC, name


def test_every_inspector_page_is_documented() -> None:
    for page in ("/inspect", "/inspect/batches/{lot}", "/inspect/alarms", "/inspect/audit"):
        assert f"`{page}`" in DOC, page
