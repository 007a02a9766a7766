"""Products, producers and locations: create (codes are stable, never reused) and read."""

from collections.abc import Callable
from typing import Any

import psycopg

from schemas.gs1 import company_gtins
from schemas.master_data import (
    LocationCreate,
    LocationPublic,
    PackSize,
    Plot,
    ProducerCreate,
    ProducerPublic,
    ProductCreate,
    ProductPublic,
    StorageProfile,
)
from store import audit
from store.db import rows
from store.errors import ConflictError, NotFoundError
from store.references import missing_reference

_PRODUCT_COLUMNS = (
    "code, name_zh, name_en, category, gtin, grade_standard, temp_min, temp_max, humidity_max,"
    " max_excursion_minutes, max_gap_minutes, shelf_life_days, pack_quantity, pack_unit,"
    " certificate_category"
)
_PRODUCT_SELECT = _PRODUCT_COLUMNS.replace(
    "pack_quantity", "pack_quantity::float8 AS pack_quantity"
)
_PRODUCER_COLUMNS = (
    "code, name, kind, village, township, public_name_consent, phone, public_plots_consent,"
    " profile, profile_en, public_profile_consent"
)
_LOCATION_COLUMNS = (
    "code, name, name_en, kind, gln, township, parent, address, phone, admin_area, admin_area_en"
)
_PROFILE_FIELDS = tuple(StorageProfile.model_fields)


def _product(row: dict[str, Any]) -> ProductPublic:
    profile = StorageProfile(**{name: row.pop(name) for name in _PROFILE_FIELDS})
    quantity, unit = row.pop("pack_quantity"), row.pop("pack_unit")
    pack_size = PackSize(quantity=quantity, unit=unit) if quantity is not None else None
    return ProductPublic(**row, storage_profile=profile, pack_size=pack_size)


def _insert(
    conn: psycopg.Connection,
    sql: str,
    params: tuple[Any, ...],
    what: str,
    user_id: int | None,
    details: dict[str, Any],
    then: Callable[[], None] = lambda: None,
) -> None:
    try:
        with conn.transaction():
            conn.execute(sql, params)
            then()
            audit.record(conn, user_id, "create", what, details)
    except psycopg.errors.UniqueViolation as error:
        column = error.diag.constraint_name or ""
        field = "gtin" if "gtin" in column else "gln" if "gln" in column else "code"
        raise ConflictError(
            f"{what}: that {field} is already registered", f"{what}：已登记"
        ) from error
    except psycopg.errors.ForeignKeyViolation as error:
        raise missing_reference(error, what) from error


def create_product(
    conn: psycopg.Connection, product: ProductCreate, user_id: int | None
) -> ProductPublic:
    profile, pack = product.storage_profile, product.pack_size
    _insert(
        conn,
        f"INSERT INTO products ({_PRODUCT_COLUMNS}) VALUES"
        " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            product.code, product.name_zh, product.name_en, product.category, product.gtin,
            product.grade_standard, profile.temp_min, profile.temp_max, profile.humidity_max,
            profile.max_excursion_minutes, profile.max_gap_minutes, product.shelf_life_days,
            pack.quantity if pack else None, pack.unit if pack else None,
            product.certificate_category,
        ),
        f"product {product.code}",
        user_id,
        product.model_dump(mode="json"),
    )  # fmt: skip
    return get_product(conn, product.code)


def allocate_gtins(
    conn: psycopg.Connection, company_prefix: str, user_id: int | None
) -> dict[str, str]:
    """Number every product without a GTIN from the centre's GS1 Company Prefix, taking the
    highest free item references, so its labels carry a Digital Link (AI 01) rather than the
    short form; returns product code → GTIN-14. Products the prefix has no room for keep none.
    """
    allocated: dict[str, str] = {}
    with conn.transaction():
        # One allocator at a time: two API processes starting together pick different numbers.
        conn.execute("LOCK TABLE products IN SHARE ROW EXCLUSIVE MODE")
        without = [row["code"] for row in rows(
            conn, "SELECT code FROM products WHERE gtin IS NULL ORDER BY code")]  # fmt: skip
        if not without:
            return allocated
        taken = {row["gtin"] for row in rows(
            conn, "SELECT gtin FROM products WHERE gtin IS NOT NULL")}  # fmt: skip
        free = (gtin for gtin in company_gtins(company_prefix) if gtin not in taken)
        for code, gtin in zip(without, free, strict=False):
            conn.execute("UPDATE products SET gtin = %s WHERE code = %s", (gtin, code))
            audit.record(conn, user_id, "allocate_gtin", f"product {code}", {"gtin": gtin})
            allocated[code] = gtin
    return allocated


def get_product(conn: psycopg.Connection, code: str) -> ProductPublic:
    found = rows(conn, f"SELECT {_PRODUCT_SELECT} FROM products WHERE code = %s", (code,))
    if not found:
        raise NotFoundError(f"no product {code!r}", f"找不到产品 {code}")
    return _product(found[0])


def product_for_gtin(conn: psycopg.Connection, gtin: str) -> ProductPublic | None:
    """The product a GTIN-14 names, for the resolver's product level (None if none)."""
    found = rows(conn, f"SELECT {_PRODUCT_SELECT} FROM products WHERE gtin = %s", (gtin,))
    return _product(found[0]) if found else None


def list_products(conn: psycopg.Connection) -> list[ProductPublic]:
    return [
        _product(row) for row in rows(conn, f"SELECT {_PRODUCT_SELECT} FROM products ORDER BY code")
    ]


def create_producer(
    conn: psycopg.Connection, producer: ProducerCreate, user_id: int | None
) -> ProducerPublic:
    def add_plots() -> None:
        conn.cursor().executemany(
            "INSERT INTO producer_plots (producer, code, name, area_mu) VALUES (%s, %s, %s, %s)",
            [(producer.code, plot.code, plot.name, plot.area_mu) for plot in producer.plots],
        )

    _insert(
        conn,
        f"INSERT INTO producers ({_PRODUCER_COLUMNS})"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            producer.code, producer.name, producer.kind, producer.village, producer.township,
            producer.public_name_consent, producer.phone, producer.public_plots_consent,
            producer.profile, producer.profile_en, producer.public_profile_consent,
        ),
        f"producer {producer.code}",
        user_id,
        # The audit trail names who registered the farmer, not their phone number.
        producer.model_dump(mode="json", exclude={"phone"}),
        add_plots,
    )  # fmt: skip
    return get_producer(conn, producer.code)


def _producers(conn: psycopg.Connection, where: str, params: tuple[Any, ...]) -> list[Any]:
    found = rows(
        conn, f"SELECT {_PRODUCER_COLUMNS} FROM producers WHERE {where} ORDER BY code", params
    )
    plots: dict[str, list[Plot]] = {}
    for row in rows(
        conn,
        "SELECT producer, code, name, area_mu::float8 AS area_mu FROM producer_plots"
        " WHERE producer = ANY(%s) ORDER BY producer, code",
        ([row["code"] for row in found],),
    ):
        plots.setdefault(row.pop("producer"), []).append(Plot(**row))
    return [ProducerPublic(**row, plots=plots.get(row["code"], [])) for row in found]


def get_producer(conn: psycopg.Connection, code: str) -> ProducerPublic:
    found = _producers(conn, "code = %s", (code,))
    if not found:
        raise NotFoundError(f"no producer {code!r}", f"找不到生产者 {code}")
    producer: ProducerPublic = found[0]
    return producer


def list_producers(conn: psycopg.Connection, village: str | None = None) -> list[ProducerPublic]:
    """Every producer, or those of one village point."""
    return _producers(conn, "%s::text IS NULL OR village = %s", (village, village))


def create_location(
    conn: psycopg.Connection, location: LocationCreate, user_id: int | None
) -> LocationPublic:
    _insert(
        conn,
        f"INSERT INTO locations ({_LOCATION_COLUMNS})"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            location.code, location.name, location.name_en, location.kind, location.gln,
            location.township, location.parent, location.address, location.phone,
            location.admin_area, location.admin_area_en,
        ),
        f"location {location.code}",
        user_id,
        location.model_dump(mode="json"),
    )  # fmt: skip
    return get_location(conn, location.code)


def get_location(conn: psycopg.Connection, code: str) -> LocationPublic:
    found = rows(conn, f"SELECT {_LOCATION_COLUMNS} FROM locations WHERE code = %s", (code,))
    if not found:
        raise NotFoundError(f"no location {code!r}", f"找不到位置 {code}")
    return LocationPublic(**found[0])


def list_locations(conn: psycopg.Connection, kind: str | None = None) -> list[LocationPublic]:
    found = rows(
        conn,
        f"SELECT {_LOCATION_COLUMNS} FROM locations WHERE %s::text IS NULL OR kind = %s"
        " ORDER BY kind, code",
        (kind, kind),
    )
    return [LocationPublic(**row) for row in found]
