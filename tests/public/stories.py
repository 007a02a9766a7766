"""Batches for the public-side tests, told through the JSON API as staff would tell them."""

import time
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from tests.api.builders import post, receive, seed_master_data

GTIN = "06901234567892"
# How long a change may take to reach the pages (a notification's round trip, with slack).
FRESH_WITHIN_S = 3.0


def packed_batch(client: TestClient, token: str, **receive_options: Any) -> dict[str, Any]:
    """A batch of fresh gastrodia received, cleaned, tested, packed and moved to cold store."""
    seed_master_data(client, token)
    batch = receive(client, token, **receive_options)
    process_and_pack(client, token, batch["lot_code"])
    return batch


def process_and_pack(client: TestClient, token: str, lot: str) -> None:
    steps = [
        {"type": "cleaning", "time": "2026-05-06T09:15:00+08:00",
         "data": {"notes": "清水冲洗去泥"}},
        {"type": "testing", "time": "2026-05-06T11:00:00+08:00",
         "data": {"passed": True, "lab": "金口河区农产品质量检测站", "standard": "GB 2763-2021",
                  "pesticide_residue": [{"substance": "毒死蜱", "value_mg_kg": 0.005,
                                         "limit_mg_kg": 0.02}]}},
        {"type": "packing", "time": "2026-05-06T14:30:00+08:00",
         "data": {"notes": "500 g 真空袋"}},
    ]  # fmt: skip
    for step in steps:
        post(client, token, f"/api/v1/batches/{lot}/events", step)
    post(
        client, token, f"/api/v1/batches/{lot}/moves",
        {"location": "PC-COLD", "time": "2026-05-06T15:30:00+08:00"},
    )  # fmt: skip


def fresh_get(
    client: TestClient,
    url: str,
    headers: dict[str, str],
    until: Callable[[Response], bool],
    within_s: float = FRESH_WITHIN_S,
) -> Response:
    """GET until ``until`` holds: API processes learn of a change by a database notification,
    which arrives within milliseconds but not within the writer's own call."""
    deadline = time.monotonic() + within_s
    while True:
        answer = client.get(url, headers=headers)
        if until(answer) or time.monotonic() > deadline:
            return answer
        time.sleep(0.02)
