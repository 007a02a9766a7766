"""`farmtrace seed demo`: the Jinkouhe demo master data and a few demo batches."""

from datetime import UTC, datetime
from pathlib import Path

import click
import psycopg

from farmtrace import demo_data
from farmtrace.demo_batches import seed_demo_batches
from farmtrace.options import database_option, load_settings
from labels.lot_codes import lot_code_for
from schemas.master_data import ProducerCreate, ProductCreate, StorageProfile
from store.db import connect
from store.devices import add_device
from store.locations import upsert_location
from store.master_data import create_producer, create_product

# Demo devices are installed from the start of the demo season so replayed history fits.
DEMO_INSTALLED_FROM = datetime(2026, 1, 1, tzinfo=UTC)


@click.group()
def seed() -> None:
    """Load master data."""


@seed.command("demo")
@click.option(
    "--credentials-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append the MQTT passwords of newly added demo devices to this file (mode 600).",
)
@click.option(
    "--batches/--no-batches",
    default=True,
    show_default=True,
    help="Also add the demo batches (only into a database that has no batches yet).",
)
@click.option(
    "--anchor",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z"]),
    help="When the demo batches' first day starts (default: midnight three days ago, local).",
)
@database_option
def demo_command(
    credentials_out: Path | None, batches: bool, anchor: datetime | None, database_url: str | None
) -> None:
    """Load the Jinkouhe demo master data (idempotent)."""
    settings = load_settings(database_url=database_url)
    new_credentials: list[tuple[str, str]] = []
    with connect(settings.database_url) as conn:
        with conn.transaction():
            for location in demo_data.LOCATIONS:
                upsert_location(
                    conn,
                    location.code,
                    location.name,
                    location.kind,
                    location.name_en,
                    location.township,
                    location.parent,
                )
        known = {row[0] for row in conn.execute("SELECT device_id FROM devices")}
        for device in demo_data.DEVICES:
            if device.device_id in known:
                continue
            password = add_device(
                conn,
                device.device_id,
                device.kind,
                device.location,
                DEMO_INSTALLED_FROM,
                device.reporting_interval_s,
                DEMO_INSTALLED_FROM.date(),
            )
            new_credentials.append((device.device_id, password))
        products, producers = _seed_products_and_producers(conn)
        lots = _seed_batches(conn, anchor) if batches else []
    if credentials_out is not None and new_credentials:
        credentials_out.touch(mode=0o600, exist_ok=True)
        with credentials_out.open("a", encoding="utf-8") as out:
            out.writelines(f"{device_id} {password}\n" for device_id, password in new_credentials)
    click.echo(
        f"seeded {len(demo_data.LOCATIONS)} locations, {len(new_credentials)} new devices,"
        f" {products} new products, {producers} new producers, {len(lots)} new batches"
    )


def _seed_products_and_producers(conn: psycopg.Connection) -> tuple[int, int]:
    """Add the demo products and producers whose codes are not taken yet."""
    known_products = {row[0] for row in conn.execute("SELECT code FROM products")}
    known_producers = {row[0] for row in conn.execute("SELECT code FROM producers")}
    townships = {place.code: place.township for place in demo_data.LOCATIONS}
    new_products = [item for item in demo_data.PRODUCTS if item.code not in known_products]
    for item in new_products:
        profile = StorageProfile(
            temp_min=item.temp_min,
            temp_max=item.temp_max,
            humidity_max=item.humidity_max,
            max_excursion_minutes=item.max_excursion_minutes,
            max_gap_minutes=item.max_gap_minutes,
        )
        create_product(
            conn,
            ProductCreate(
                code=item.code,
                name_zh=item.name_zh,
                name_en=item.name_en,
                category=item.category,
                gtin=item.gtin,
                grade_standard=item.grade_standard,
                storage_profile=profile,
                shelf_life_days=item.shelf_life_days,
            ),
            None,
        )
    new_producers = [item for item in demo_data.PRODUCERS if item.code not in known_producers]
    for producer in new_producers:
        create_producer(
            conn,
            ProducerCreate(
                code=producer.code,
                name=producer.name,
                kind=producer.kind,  # type: ignore[arg-type]
                village=producer.village,
                township=townships.get(producer.village),
                public_name_consent=producer.public_name_consent,
            ),
            None,
        )
    return len(new_products), len(new_producers)


def _seed_batches(conn: psycopg.Connection, anchor: datetime | None) -> list[str]:
    """The demo batches, once: a database that already holds batches is left alone."""
    if conn.execute("SELECT 1 FROM batches LIMIT 1").fetchone():
        return []
    return seed_demo_batches(conn, lot_code_for, anchor)
