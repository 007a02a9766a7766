"""`farmtrace grafana`: push the PostgreSQL datasource and the dashboards to a Grafana, or
write the dashboards as provisioning files for docker-compose."""

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import click
from grafana_client import GrafanaApi
from grafana_client.client import GrafanaClientError, GrafanaException

from farmtrace.commands.options import load_settings
from farmtrace.provision.grafana_dashboards import (
    DATASOURCE_UID,
    FOLDER_TITLE,
    FOLDER_UID,
    dashboards,
)

# Grafana answers in well under this; a slower one is not worth waiting for interactively.
GRAFANA_TIMEOUT_S = 15.0


def datasource_model(database_url: str, timescaledb: bool) -> dict[str, Any]:
    """Grafana's PostgreSQL datasource for a libpq URL (as Grafana's host sees the server)."""
    parts = urlsplit(database_url)
    return {
        "name": "farmtrace",
        "uid": DATASOURCE_UID,
        "type": "grafana-postgresql-datasource",
        "access": "proxy",
        "url": f"{parts.hostname or 'localhost'}:{parts.port or 5432}",
        "user": unquote(parts.username or "grafana_reader"),
        "isDefault": True,
        "jsonData": {
            "database": parts.path.lstrip("/") or "farmtrace",
            "sslmode": "disable"
            if parts.hostname in (None, "localhost", "127.0.0.1", "db")
            else "require",
            "postgresVersion": 1500,
            "timescaledb": timescaledb,
        },
        "secureJsonData": {"password": unquote(parts.password or "")},
    }


def _missing(error: GrafanaException) -> bool:
    return isinstance(error, GrafanaClientError) and error.status_code == 404


def provision(api: GrafanaApi, datasource: dict[str, Any]) -> list[str]:
    """Create or update the datasource, the folder and every dashboard; returns what it did."""
    done = []
    try:
        api.datasource.get_datasource_by_uid(DATASOURCE_UID)
        api.datasource.update_datasource_by_uid(DATASOURCE_UID, datasource)
        done.append(f"datasource {DATASOURCE_UID} updated")
    except GrafanaException as error:
        if not _missing(error):
            raise
        api.datasource.create_datasource(datasource)
        done.append(f"datasource {DATASOURCE_UID} created")
    try:
        api.folder.get_folder(FOLDER_UID)
    except GrafanaException as error:
        if not _missing(error):
            raise
        api.folder.create_folder(FOLDER_TITLE, uid=FOLDER_UID)
        done.append(f"folder {FOLDER_UID} created")
    for model in dashboards().values():
        api.dashboard.update_dashboard(
            {"dashboard": model, "folderUid": FOLDER_UID, "overwrite": True,
             "message": "farmtrace grafana provision"}
        )  # fmt: skip
        done.append(f"dashboard {model['uid']} saved")
    return done


def write_dashboards(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in dashboards().items():
        path = folder / name
        path.write_text(json.dumps(model, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


@click.group()
def grafana() -> None:
    """Grafana dashboards for the cold chain."""


@grafana.command("provision")
@click.option("--url", required=True, help="Grafana's base URL, e.g. http://grafana:3000")
@click.option("--token", required=True, envvar="GRAFANA_TOKEN", help="a service-account token")
@click.option(
    "--datasource-url",
    envvar="FARMTRACE_GRAFANA_DATABASE_URL",
    help="libpq URL of the database as Grafana reaches it, with a read-only user"
    " (default: FARMTRACE_DATABASE_URL)",
)
@click.option("--timescaledb/--no-timescaledb", default=True, show_default=True)
def provision_command(url: str, token: str, datasource_url: str | None, timescaledb: bool) -> None:
    """Create or update the datasource (uid farmtrace-db) and the dashboards."""
    settings = load_settings()
    api = GrafanaApi.from_url(url=url, credential=token, timeout=GRAFANA_TIMEOUT_S)
    model = datasource_model(datasource_url or settings.database_url, timescaledb)
    try:
        for line in provision(api, model):
            click.echo(line)
    except GrafanaException as error:
        raise click.ClickException(f"Grafana refused: {error.message}") from error


@grafana.command("export")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True)
def export_command(out: Path) -> None:
    """Write the dashboards as JSON files (deploy/grafana/dashboards for docker-compose)."""
    for path in write_dashboards(out):
        click.echo(str(path))
