"""What the staff console shows beside each batch: the cold-chain verdict its provenance page
states (from the stored summary, so both agree), and the names of the places it was."""

import psycopg

from store.db import rows


def stored_verdicts(conn: psycopg.Connection, lot_codes: list[str]) -> dict[str, str | None]:
    """Each lot's verdict; None where the summary has not been evaluated yet."""
    found = rows(
        conn,
        "SELECT b.lot_code, s.summary -> 'cold_chain' ->> 'verdict' AS verdict"
        " FROM batches b LEFT JOIN batch_summaries s ON s.batch_id = b.id"
        " WHERE b.lot_code = ANY(%s)",
        (lot_codes,),
    )
    return {row["lot_code"]: row["verdict"] for row in found}


def location_names(conn: psycopg.Connection) -> dict[str, tuple[str, str | None]]:
    """Every location's code → (Chinese name, English name)."""
    found = rows(conn, "SELECT code, name, name_en FROM locations")
    return {row["code"]: (row["name"], row["name_en"]) for row in found}
