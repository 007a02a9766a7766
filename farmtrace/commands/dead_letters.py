"""`farmtrace dead-letters`: inspect refused input, and put it through again once mended."""

import click

from farmtrace.commands.options import database_option, load_settings
from ingest.messages import Limits
from ingest.replay import replay
from store.db import connect
from store.dead_letters import list_dead_letters

# What `list` quotes of a payload on its line.
PAYLOAD_PREVIEW_BYTES = 80


@click.group("dead-letters")
def dead_letters() -> None:
    """Refused messages and records, kept with their reason."""


@dead_letters.command("list")
@click.option("--device", "device_id", help="Only this device's dead letters.")
@click.option("--limit", type=int, default=100, show_default=True)
@database_option
def list_command(device_id: str | None, limit: int, database_url: str | None) -> None:
    """Oldest first: id, arrivals, first and last arrival, device, record, reason, payload."""
    settings = load_settings(database_url=database_url)
    with connect(settings.database_url) as conn:
        letters = list_dead_letters(conn, device_id=device_id, limit=limit)
    for letter in letters:
        record = "message" if letter.record_index is None else f"record {letter.record_index}"
        preview = letter.payload[:PAYLOAD_PREVIEW_BYTES].decode(errors="backslashreplace")
        click.echo(
            f"{letter.id}\t{letter.arrivals}x\t{letter.received_at.isoformat()}"
            f"\t{letter.last_received_at.isoformat()}\t{letter.device_id or '-'}\t{record}"
            f"\t{letter.reason}\t{preview!r} ({letter.payload_size} bytes)"
        )


@dead_letters.command("replay")
@click.option("--device", "device_id", help="Replay this device's dead letters.")
@click.option("--id", "ids", type=int, multiple=True, help="Replay this dead letter (repeatable).")
@click.option("--all", "replay_all", is_flag=True, help="Replay every dead letter.")
@database_option
def replay_command(
    device_id: str | None, ids: tuple[int, ...], replay_all: bool, database_url: str | None
) -> None:
    """Resolve dead letters again: what now resolves is stored once, the rest stays refused."""
    if not (device_id or ids or replay_all):
        raise click.UsageError("name --device ID, --id N or --all")
    settings = load_settings(database_url=database_url)
    limits = Limits(
        settings.ingest_max_payload_bytes,
        settings.ingest_max_records_per_message,
        settings.dead_letter_payload_cap,
    )
    with connect(settings.database_url) as conn:
        letters = list_dead_letters(conn, device_id=device_id, ids=list(ids) or None)
        conn.commit()
        outcome = replay(conn, letters, limits)
    click.echo(
        f"replayed {outcome.replayed}: {outcome.readings} readings stored;"
        f" still refused: {outcome.still_refused}"
    )
