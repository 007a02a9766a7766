"""Locations: village points, township stations, rooms, stores, warehouses and trucks."""

import psycopg


def upsert_location(
    conn: psycopg.Connection,
    code: str,
    name: str,
    kind: str,
    name_en: str | None = None,
    township: str | None = None,
    parent: str | None = None,
    gln: str | None = None,
    admin_area: tuple[str, str] | None = None,
) -> None:
    """``admin_area``: the full administrative name in Chinese and in English."""
    area_zh, area_en = admin_area or (None, None)
    conn.execute(
        "INSERT INTO locations (code, name, name_en, kind, township, parent, gln,"
        " admin_area, admin_area_en) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,"
        " kind = excluded.kind, township = excluded.township, parent = excluded.parent,"
        " gln = excluded.gln, admin_area = excluded.admin_area,"
        " admin_area_en = excluded.admin_area_en",
        (code, name, name_en, kind, township, parent, gln, area_zh, area_en),
    )


def set_contact_phone(conn: psycopg.Connection, code: str, phone: str | None) -> None:
    """The site's number (the centre's is printed on the certificates it issues)."""
    conn.execute("UPDATE locations SET phone = %s WHERE code = %s", (phone, code))
