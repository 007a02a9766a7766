"""Certifications (地理标志, 绿色食品, 有机 …): recorded by staff, shown on the pages of the
batches they cover."""

import psycopg

from schemas.certifications import CertificationCreate, CertificationPublic, CertificationShown
from store import audit
from store.db import rows
from store.references import missing_reference

_COLUMNS = "kind, name, number, issuer, valid_from, valid_until, product, producer"


def create_certification(
    conn: psycopg.Connection, certificate: CertificationCreate, user_id: int | None
) -> CertificationPublic:
    values = certificate.model_dump()
    try:
        with conn.transaction():
            found = rows(
                conn,
                f"INSERT INTO certifications ({_COLUMNS}) VALUES (%(kind)s, %(name)s, %(number)s,"
                " %(issuer)s, %(valid_from)s, %(valid_until)s, %(product)s, %(producer)s)"
                " RETURNING id",
                values,
            )
            audit.record(
                conn, user_id, "create", f"certificate {certificate.number}",
                certificate.model_dump(mode="json"),
            )  # fmt: skip
    except psycopg.errors.ForeignKeyViolation as error:
        raise missing_reference(error, f"certificate {certificate.number}") from error
    return CertificationPublic(id=found[0]["id"], **values)


def list_certifications(
    conn: psycopg.Connection, product: str | None = None, producer: str | None = None
) -> list[CertificationPublic]:
    found = rows(
        conn,
        f"SELECT id, {_COLUMNS} FROM certifications"
        " WHERE (%(product)s::text IS NULL OR product = %(product)s)"
        " AND (%(producer)s::text IS NULL OR producer = %(producer)s) ORDER BY id",
        {"product": product, "producer": producer},
    )
    return [CertificationPublic(**row) for row in found]


def certifications_for_batch(
    conn: psycopg.Connection, product: str, batch_ids: list[int]
) -> list[CertificationShown]:
    """The product's own certificates and those of the producers whose harvests are in the
    batch (or its ancestors, ``batch_ids``), for this product or for all they grow."""
    found = rows(
        conn,
        "SELECT DISTINCT c.id, c.kind, c.name, c.number, c.issuer, c.valid_from, c.valid_until"
        " FROM certifications c"
        " WHERE (c.producer IS NULL AND c.product = %(product)s)"
        "    OR ((c.product IS NULL OR c.product = %(product)s) AND c.producer IN ("
        "      SELECT h.producer FROM batch_harvest_lots l"
        "      JOIN harvest_lots h ON h.id = l.harvest_lot_id WHERE l.batch_id = ANY(%(ids)s)))"
        " ORDER BY c.id",
        {"product": product, "ids": batch_ids},
    )
    return [CertificationShown(**{k: v for k, v in row.items() if k != "id"}) for row in found]
