"""`farmtrace api`: serve the web application with uvicorn, in one process per core.

One Python process serves one request's Python at a time; the provenance page is CPU-bound
(templates, JSON), so production runs a worker per core, each on its own listening socket
of the same port (farmtrace/commands/api_workers.py says why). Workers are spawned
processes: each configures its own logging and builds its own app (pool, summary listener,
scan log) from the environment this command sets, including the directory where they
share their Prometheus counters (farmtrace/commands/api_metrics_dir.py).
"""

import logging
import os

import click
import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError

from api.main import create_app
from farmtrace.commands.api_metrics_dir import shared_metrics_dir
from farmtrace.commands.api_workers import reuse_port_supported, run_workers
from farmtrace.commands.logs import configure_logging
from farmtrace.commands.options import database_option, load_settings

# What each worker imports; a factory, so the settings are read in the worker itself.
SERVING_APP = "farmtrace.commands.api:serving_app"


def default_workers() -> int:
    """The cores this process may run on (a container's cpuset counts, not the host's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def serving_app() -> FastAPI:
    """The application one worker serves, logging as the command that started it."""
    configure_logging(os.environ.get("FARMTRACE_LOG_LEVEL", "INFO").upper())
    return create_app()


@click.command("api")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, type=int, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    envvar="FARMTRACE_API_WORKERS",
    help="Processes serving requests (default: the machine's cores).",
)
@click.option(
    "--access-log/--no-access-log",
    default=False,
    envvar="FARMTRACE_API_ACCESS_LOG",
    show_default=True,
    help="A log line per request (a reverse proxy usually keeps these).",
)
@database_option
def api(
    host: str, port: int, workers: int | None, access_log: bool, database_url: str | None
) -> None:
    """Serve the consoles, the public pages and the JSON API."""
    try:
        settings = load_settings(database_url=database_url)
    except ValidationError as error:
        raise click.ClickException(f"invalid settings: {error}") from error
    if settings.secret_key is None:
        raise click.ClickException(
            "FARMTRACE_SECRET_KEY is not set; the API signs console sessions with it"
            " (for example: export FARMTRACE_SECRET_KEY=$(python3 -c"
            " 'import secrets; print(secrets.token_urlsafe(32))'))"
        )
    # The workers read their settings and log level from the environment they inherit.
    os.environ["FARMTRACE_DATABASE_URL"] = settings.database_url
    os.environ["FARMTRACE_LOG_LEVEL"] = logging.getLevelName(logging.getLogger().level)
    count = workers or default_workers()
    if count > 1:
        with shared_metrics_dir():
            serve(count, host, port, access_log)
        return
    serve(count, host, port, access_log)


def serve(count: int, host: str, port: int, access_log: bool) -> None:
    """Serve until stopped: a socket per worker where the kernel allows it, else uvicorn's."""
    if count > 1 and reuse_port_supported():
        run_workers(SERVING_APP, count, host, port, access_log)
        return
    # Logging stays ours (JSON lines); uvicorn's own config would replace it.
    uvicorn.run(
        SERVING_APP,
        factory=True,
        host=host,
        port=port,
        workers=count,
        log_config=None,
        access_log=access_log,
    )
