"""The Jinkouhe demo master data and demo batches, loaded idempotently."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg

from farmtrace.demo import data as demo_data
from farmtrace.demo.batches import seed_demo_batches
from labels.lot_codes import lot_code_for
from schemas.master_data import PackSize, Plot, ProducerCreate, ProductCreate, StorageProfile
from store.batches import has_batches
from store.devices import add_device, registered_device_ids
from store.locations import set_contact_phone, upsert_location
from store.master_data import create_producer, create_product, list_producers, list_products

# Demo devices are installed from the start of the demo season so replayed history fits.
DEMO_INSTALLED_FROM = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Seeded:
    """What one run added; ``new_credentials`` are the new devices' MQTT passwords."""

    new_credentials: list[tuple[str, str]] = field(default_factory=list)
    products: int = 0
    producers: int = 0
    lots: list[str] = field(default_factory=list)


def seed_demo(conn: psycopg.Connection, batches: bool, anchor: datetime | None) -> Seeded:
    """Add whatever of the demo data is missing; a second run adds nothing."""
    seeded = Seeded()
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
                location.gln,
                admin_area=location.admin_area,
            )
        set_contact_phone(conn, demo_data.CENTRE, demo_data.CENTRE_CONTACT_PHONE)
    known = registered_device_ids(conn)
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
        seeded.new_credentials.append((device.device_id, password))
    seeded.products, seeded.producers = _seed_products_and_producers(conn)
    if batches:
        seeded.lots = _seed_batches(conn, anchor)
    return seeded


def _seed_products_and_producers(conn: psycopg.Connection) -> tuple[int, int]:
    """Add the demo products and producers whose codes are not taken yet."""
    known_products = {product.code for product in list_products(conn)}
    known_producers = {producer.code for producer in list_producers(conn)}
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
                pack_size=PackSize(quantity=item.pack_size[0], unit=item.pack_size[1])
                if item.pack_size
                else None,
                certificate_category=demo_data.CERTIFICATE_CATEGORIES.get(  # type: ignore[arg-type]
                    item.code, "none"
                ),
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
                phone=demo_data.FARMER_PHONES.get(producer.code),
                plots=[
                    Plot(code=code, name=name, area_mu=area)
                    for code, name, area in demo_data.FARMER_PLOTS.get(producer.code, [])
                ],
            ),
            None,
        )
    return len(new_products), len(new_producers)


def _seed_batches(conn: psycopg.Connection, anchor: datetime | None) -> list[str]:
    """The demo batches, once: a database that already holds batches is left alone."""
    if has_batches(conn):
        return []
    return seed_demo_batches(conn, lot_code_for, anchor)
