"""A packed batch with a producer's photo and a cold store's readings, as the page's browser
checks (real Chromium, Lighthouse) load it."""

import io
from datetime import UTC, datetime, timedelta

import psycopg
from fastapi.testclient import TestClient
from PIL import Image

from store.arrivals import take_arrivals
from store.devices import add_device
from store.rollups import refresh_hours
from store.summaries import rebuild_summaries
from tests.api.builders import post
from tests.fix_api import bearer
from tests.inspect.cold_chain import add_readings, every_minute
from tests.public.stories import packed_batch

# Into the cold store at 15:30 Beijing time on 6 May (see stories.packed_batch).
IN_COLD_STORE = datetime(2026, 5, 6, 7, 30, tzinfo=UTC)


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (80, 130, 60)).save(out, "JPEG")
    return out.getvalue()


def batch_with_cold_chain_and_photo(client: TestClient, token: str, db: psycopg.Connection) -> str:
    """A packed batch whose cold store reported for its six hours there, 40 minutes of them too
    warm, then loaded on a truck."""
    lot = packed_batch(client, token)["lot_code"]
    uploaded = client.post(
        "/api/v1/media", headers=bearer(token), files={"file": ("p.jpg", _photo(), "image/jpeg")},
        data={"subject_kind": "producer", "subject": "P-ABU"},
    )  # fmt: skip
    assert uploaded.status_code == 201, uploaded.text
    add_device(db, "COLD-T1", "probe", "PC-COLD", IN_COLD_STORE - timedelta(days=1), 60)
    db.commit()
    add_readings(
        db, "COLD-T1",
        every_minute(IN_COLD_STORE, 360, lambda i: 7.5 if 120 <= i < 160 else 3.2),
    )  # fmt: skip
    post(
        client,
        token,
        f"/api/v1/batches/{lot}/moves",
        {"location": "TRUCK-01", "time": (IN_COLD_STORE + timedelta(hours=6)).isoformat()},
    )
    with db.transaction():
        refresh_hours(db, take_arrivals(db))  # as the watcher's round does
        rebuild_summaries(db)
    return str(lot)
