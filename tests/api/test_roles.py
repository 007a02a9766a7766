"""Staff write; inspectors read; nobody anonymous does either."""

import pytest
from fastapi.testclient import TestClient

from tests.api.builders import receive, seed_master_data
from tests.fix_api import bearer

STAFF_WRITES = [
    ("/api/v1/products", {"code": "X", "name_zh": "x", "name_en": "x", "category": "x"}),
    ("/api/v1/producers", {"code": "X", "name": "x"}),
    ("/api/v1/locations", {"code": "X", "name": "x", "kind": "warehouse"}),
    ("/api/v1/devices", {"device_id": "x", "kind": "probe"}),
    ("/api/v1/batches/merge", {"parents": ["A1", "B2"]}),
]


@pytest.mark.parametrize(("path", "body"), STAFF_WRITES)
def test_staff_only_routes_refuse_an_inspector_and_an_anonymous_caller(
    client: TestClient, inspector_token: str, path: str, body: dict
) -> None:
    assert client.post(path, json=body).status_code == 401
    assert client.post(path, json=body, headers=bearer(inspector_token)).status_code == 403


def test_batch_writes_refuse_an_inspector_who_may_still_read(
    client: TestClient, staff_token: str, inspector_token: str
) -> None:
    seed_master_data(client, staff_token)
    lot = receive(client, staff_token)["lot_code"]
    writes = [
        (f"/api/v1/batches/{lot}/events", {"type": "cleaning", "time": "2026-05-06T09:00:00Z"}),
        (f"/api/v1/batches/{lot}/moves", {"location": "PC-COLD"}),
        (f"/api/v1/batches/{lot}/split", {"children": [{"quantity": 1}]}),
    ]
    for path, body in writes:
        assert client.post(path, json=body).status_code == 401
        assert client.post(path, json=body, headers=bearer(inspector_token)).status_code == 403
    assert client.get(f"/api/v1/batches/{lot}").status_code == 401
    read = client.get(f"/api/v1/batches/{lot}", headers=bearer(inspector_token))
    assert read.status_code == 200 and len(read.json()["events"]) == 1


def test_a_console_cookie_cannot_write_through_the_api(staff_client: TestClient) -> None:
    answer = staff_client.post("/api/v1/producers", json={"code": "X", "name": "x"})
    assert answer.status_code == 401
    assert "bearer" in answer.json()["error"]["message"]
