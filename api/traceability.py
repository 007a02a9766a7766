"""The batch's EPCIS 2.0 document for ``linkType=gs1:traceability``."""

from typing import Any

import psycopg


def traceability_document(
    conn: psycopg.Connection, lot_code: str, base_url: str
) -> dict[str, Any] | None:
    """None until the EPCIS builder is merged in."""
    return None
