"""Batches for the front page's tests: received yesterday and packed, so still in date."""

from datetime import timedelta

import httpx
import psycopg

from schemas.time_bounds import in_district_time
from store.db import database_now
from tests.api.builders import post


def batch_on_sale(
    client: httpx.Client,
    token: str,
    db: psycopg.Connection,
    producer: str,
    village: str,
    pack: bool = True,
) -> str:
    """A batch of fresh gastrodia received yesterday and, when ``pack``, packed this morning."""
    now = in_district_time(database_now(db))
    db.rollback()
    received = (now - timedelta(days=1)).replace(microsecond=0)
    lot = post(
        client, token, "/api/v1/batches",
        {"product": "TIANMA-FRESH", "quantity": 40, "unit": "kg", "location": "PC-RECEIVING",
         "received_at": received.isoformat(),
         "harvest_lots": [{"producer": producer, "village": village, "unit": "kg",
                           "harvest_date": received.date().isoformat(), "quantity": 40}]},
    )["lot_code"]  # fmt: skip
    if pack:
        post(
            client, token, f"/api/v1/batches/{lot}/events",
            {"type": "packing", "time": (received + timedelta(hours=3)).isoformat()},
        )  # fmt: skip
    return str(lot)
