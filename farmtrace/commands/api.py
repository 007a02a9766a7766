"""`farmtrace api`: serve the web application with uvicorn."""

import click
import uvicorn
from pydantic import ValidationError

from api.main import create_app
from farmtrace.commands.options import database_option, load_settings


@click.command("api")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, type=int, show_default=True)
@database_option
def api(host: str, port: int, database_url: str | None) -> None:
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
    # Logging stays ours (JSON lines); uvicorn's own config would replace it.
    uvicorn.run(create_app(settings), host=host, port=port, log_config=None)
