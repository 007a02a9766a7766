"""The words and dates a batch's label prints, read from its batch, product and harvest lots."""

import psycopg
from psycopg.rows import dict_row

from schemas.district_time import DISTRICT_TIME_ZONE
from schemas.labels import LabelData

# Pack and best-before dates are printed as local calendar dates in the district.
# Between several origin villages on one label (the Chinese enumeration comma).
VILLAGE_SEPARATOR = "、"

_LABEL_QUERY = """
WITH RECURSIVE lineage (id) AS (
    SELECT id FROM batches WHERE lot_code = %(lot_code)s
    UNION
    SELECT edge.parent_id FROM batch_lineage edge JOIN lineage ON edge.child_id = lineage.id
)
SELECT b.lot_code, p.name_zh, p.name_en, b.grade, p.gtin, b.quantity, b.unit,
       (b.packed_at AT TIME ZONE %(zone)s)::date AS pack_date,
       coalesce(b.best_before,
                (b.packed_at AT TIME ZONE %(zone)s)::date + p.shelf_life_days) AS best_before,
       (SELECT string_agg(DISTINCT village.name, %(separator)s ORDER BY village.name)
          FROM batch_harvest_lots link
          JOIN harvest_lots lot ON lot.id = link.harvest_lot_id
          JOIN locations village ON village.code = lot.village
         WHERE link.batch_id IN (SELECT id FROM lineage)) AS origin_village
  FROM batches b JOIN products p ON p.code = b.product
 WHERE b.lot_code = %(lot_code)s
"""


def load_label_data(conn: psycopg.Connection, lot_code: str) -> LabelData | None:
    """The label of the batch ``lot_code``; origins include those of the batches it came from."""
    with conn.cursor(row_factory=dict_row) as cursor:
        row = cursor.execute(
            _LABEL_QUERY,
            {"lot_code": lot_code, "zone": DISTRICT_TIME_ZONE, "separator": VILLAGE_SEPARATOR},
        ).fetchone()
    if row is None:
        return None
    return LabelData(
        lot_code=row["lot_code"],
        product_name_zh=row["name_zh"],
        product_name_en=row["name_en"],
        grade=row["grade"],
        pack_date=row["pack_date"],
        best_before=row["best_before"],
        origin_village=row["origin_village"],
        net_quantity=row["quantity"],
        net_unit=row["unit"],
        gtin=row["gtin"],
    )


def load_pack_labels(
    conn: psycopg.Connection, lot_code: str, serial: str | None = None
) -> list[LabelData] | None:
    """One label per serialised pack of the batch (or the one ``serial``), each with the pack's
    own net content and serial; None when there is no such batch."""
    lot = load_label_data(conn, lot_code)
    if lot is None:
        return None
    with conn.cursor(row_factory=dict_row) as cursor:
        packs = cursor.execute(
            "SELECT p.serial, p.quantity, p.unit FROM packs p JOIN batches b ON b.id = p.batch_id"
            " WHERE b.lot_code = %s AND (%s::text IS NULL OR p.serial = %s) ORDER BY p.id",
            (lot_code, serial, serial),
        ).fetchall()
    return [
        lot.model_copy(
            update={"serial": pack["serial"], "net_quantity": pack["quantity"],
                    "net_unit": pack["unit"]}
        )
        for pack in packs
    ]  # fmt: skip
