"""A gastrodia batch inserted with plain SQL, as the batch API would have stored it."""

import psycopg

PARENT_LOT = "TM2611284KQ8ZP1XD6"
CHILD_LOT = "TM261128ZZ81KD3M0B7"


def insert_gastrodia_batches(conn: psycopg.Connection) -> None:
    """A parent batch from two villages' harvest lots and a child pack split from it."""
    conn.execute(
        "INSERT INTO locations (code, name, name_en, kind, township) VALUES"
        " ('VP-XINMIN', '新民村', 'Xinmin', 'village_point', '永和镇'),"
        " ('VP-PUTI', '蒲梯村', 'Puti', 'village_point', '和平彝族乡')"
    )
    conn.execute(
        "INSERT INTO producers (code, name, village, township) VALUES"
        " ('P-001', '王家合作社', 'VP-XINMIN', '永和镇'),"
        " ('P-002', '李大姐', 'VP-PUTI', '和平彝族乡')"
    )
    conn.execute(
        "INSERT INTO products (code, name_zh, name_en, category, gtin, grade_standard,"
        " temp_min, temp_max, shelf_life_days)"
        " VALUES ('TIANMA', '金口河天麻', 'Jinkouhe gastrodia', 'medicinal', '06901234567892',"
        " '特级/一级/二级', 0, 4, 364)"
    )
    [[parent_id]] = conn.execute(
        "INSERT INTO batches (lot_code, product, grade, quantity, unit, received_at, packed_at)"
        " VALUES (%s, 'TIANMA', '特级', 120, 'kg', '2026-11-26T09:00+08:00',"
        " '2026-11-27T20:30+00:00') RETURNING id",
        (PARENT_LOT,),
    ).fetchall()
    [[child_id]] = conn.execute(
        "INSERT INTO batches (lot_code, product, grade, quantity, unit, received_at, packed_at,"
        " best_before) VALUES (%s, 'TIANMA', '特级', 250, 'g', '2026-11-26T09:00+08:00',"
        " '2026-11-28T10:00+08:00', '2027-06-30') RETURNING id",
        (CHILD_LOT,),
    ).fetchall()
    harvest_ids = [
        row[0]
        for row in conn.execute(
            "INSERT INTO harvest_lots (producer, village, harvest_date, quantity, unit) VALUES"
            " ('P-001', 'VP-XINMIN', '2026-11-20', 70, 'kg'),"
            " ('P-002', 'VP-PUTI', '2026-11-21', 50, 'kg') RETURNING id"
        ).fetchall()
    ]
    for harvest_id in harvest_ids:
        conn.execute(
            "INSERT INTO batch_harvest_lots (batch_id, harvest_lot_id) VALUES (%s, %s)",
            (parent_id, harvest_id),
        )
    conn.execute(
        "INSERT INTO batch_lineage (parent_id, child_id, quantity) VALUES (%s, %s, 0.25)",
        (parent_id, child_id),
    )
    conn.commit()
