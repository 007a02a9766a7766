"""Deliveries at a village point: stored once per phone id, only for the agent's own point."""

import hashlib
import io
import uuid
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from PIL import Image

from farmtrace.cli import main
from labels.harvest_lot_codes import harvest_lot_code
from labels.lot_codes import is_valid_lot_code
from schemas.settings import Settings
from store.media_storage import DiskMediaStorage
from tests.api.village import delivery, make_agent, seed_village
from tests.fix_api import bearer, login


@pytest.fixture
def agent_token(client: TestClient, staff_token: str, clean_database: str) -> str:
    seed_village(client, staff_token)
    return make_agent(clean_database).token


def _count(database_url: str, table: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(f"SELECT count(*) FROM {table}".encode()).fetchone()
    assert row is not None
    return int(row[0])


def test_a_resend_under_the_same_id_stores_nothing_new(
    client: TestClient, agent_token: str, clean_database: str
) -> None:
    body = delivery()
    first = client.post("/api/v1/deliveries", json=body, headers=bearer(agent_token))
    again = client.post("/api/v1/deliveries", json=body, headers=bearer(agent_token))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert _count(clean_database, "farm_deliveries") == 1
    assert _count(clean_database, "harvest_lots") == 1
    stored = first.json()
    assert stored["village_point"] == "VP-PUTI" and stored["plot_name"] == "桥坡地"
    assert stored["harvest_lot_code"] == harvest_lot_code(uuid.UUID(body["id"]))
    assert is_valid_lot_code(stored["harvest_lot_code"])
    assert stored["certificate"]["issuer"] == "沙马拉格"
    assert stored["certificate_missing"] is False


def test_a_different_body_under_a_used_id_is_refused_in_words(
    client: TestClient, agent_token: str, clean_database: str
) -> None:
    body = delivery()
    client.post("/api/v1/deliveries", json=body, headers=bearer(agent_token))
    changed = client.post(
        "/api/v1/deliveries", json={**body, "quantity": 50}, headers=bearer(agent_token)
    )
    assert changed.status_code == 409
    assert "recorded already with other details" in changed.json()["error"]["message"]
    assert _count(clean_database, "farm_deliveries") == 1


def test_an_agent_records_only_for_its_own_point(
    client: TestClient, agent_token: str, staff_token: str
) -> None:
    elsewhere = client.post(
        "/api/v1/deliveries",
        json=delivery(village_point="VP-XINMIN"),
        headers=bearer(agent_token),
    )
    assert elsewhere.status_code == 403
    # COOP-XINMIN is registered at 新民村: not this agent's farmer.
    foreign = client.post(
        "/api/v1/deliveries",
        json=delivery(farmer="COOP-XINMIN", plot=None),
        headers=bearer(agent_token),
    )
    assert foreign.status_code == 422
    assert "registered at another village point" in foreign.json()["error"]["message"]


def test_staff_name_the_point_and_inspectors_cannot_record(
    client: TestClient, agent_token: str, staff_token: str, inspector_token: str
) -> None:
    unnamed = client.post("/api/v1/deliveries", json=delivery(), headers=bearer(staff_token))
    assert unnamed.status_code == 422
    named = client.post(
        "/api/v1/deliveries", json=delivery(village_point="VP-PUTI"), headers=bearer(staff_token)
    )
    assert named.status_code == 201
    refused = client.post("/api/v1/deliveries", json=delivery(), headers=bearer(inspector_token))
    assert refused.status_code == 403


def test_a_delivery_without_a_certificate_is_flagged_for_a_covered_product(
    client: TestClient, agent_token: str
) -> None:
    cabbage = client.post(
        "/api/v1/deliveries", json=delivery(certificate=None), headers=bearer(agent_token)
    ).json()
    walnuts = client.post(
        "/api/v1/deliveries",
        json=delivery(product="WALNUT", certificate=None),
        headers=bearer(agent_token),
    ).json()
    assert cabbage["certificate_missing"] is True
    assert walnuts["certificate_missing"] is False


def test_an_unknown_plot_and_a_harvest_after_the_delivery_are_refused(
    client: TestClient, agent_token: str
) -> None:
    plot = client.post(
        "/api/v1/deliveries", json=delivery(plot="NOPE"), headers=bearer(agent_token)
    )
    assert plot.status_code == 422 and "has no plot 'NOPE'" in plot.json()["error"]["message"]
    late = client.post(
        "/api/v1/deliveries", json=delivery(harvest_date="2026-05-07"), headers=bearer(agent_token)
    )
    assert late.status_code == 422
    assert "after the day the delivery was recorded" in late.json()["error"]["message"]


def test_the_days_list_holds_the_points_deliveries(
    client: TestClient, agent_token: str, staff_token: str, clean_database: str
) -> None:
    client.post("/api/v1/deliveries", json=delivery(), headers=bearer(agent_token))
    client.post(
        "/api/v1/deliveries",
        json=delivery(recorded_at="2026-05-07T08:00:00+08:00", harvest_date="2026-05-07"),
        headers=bearer(agent_token),
    )
    day = client.get("/api/v1/deliveries?day=2026-05-06", headers=bearer(agent_token)).json()
    assert [row["harvest_date"] for row in day] == ["2026-05-05"]
    other_agent = make_agent(clean_database, "xinmin-agent", "VP-XINMIN").token
    assert client.get("/api/v1/deliveries", headers=bearer(other_agent)).json() == []
    one = day[0]["id"]
    assert client.get(f"/api/v1/deliveries/{one}", headers=bearer(other_agent)).status_code == 404
    receipt = client.get(f"/api/v1/deliveries/{one}", headers=bearer(agent_token)).json()
    assert receipt["harvest_lot_code"] == day[0]["harvest_lot_code"]


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (2400, 1800), (200, 220, 180))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (30, 0, 0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_certificate_photo_is_checked_shrunk_and_stripped(
    client: TestClient, agent_token: str, staff_token: str
) -> None:
    body = delivery()
    client.post("/api/v1/deliveries", json=body, headers=bearer(agent_token))
    path = f"/api/v1/deliveries/{body['id']}/photo"
    headers = {**bearer(agent_token), "Content-Type": "image/jpeg"}
    fake = client.put(path, content=b"<svg onload=alert(1)>", headers=headers)
    assert fake.status_code == 422 and "not a readable image" in fake.json()["error"]["message"]
    stored = client.put(path, content=_jpeg_with_exif(), headers=headers)
    assert stored.status_code == 200, stored.text
    again = client.put(path, content=_jpeg_with_exif(), headers=headers)
    assert again.json() == stored.json()
    photo_url = stored.json()["certificate"]["photo"]
    photo = client.get(photo_url, headers=bearer(staff_token))
    assert photo.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(photo.content)) as kept:
        assert max(kept.size) == 1600
        assert dict(kept.getexif()) == {}
    other = io.BytesIO()
    Image.new("RGB", (10, 10)).save(other, "PNG")
    replaced = client.put(path, content=other.getvalue(), headers=headers)
    assert replaced.status_code == 409


def test_a_certificate_photo_is_kept_on_the_media_storage_without_exif_or_gps(
    client: TestClient,
    agent_token: str,
    inspector_token: str,
    clean_database: str,
    api_settings: Settings,
) -> None:
    body = delivery()
    client.post("/api/v1/deliveries", json=body, headers=bearer(agent_token))
    stored = client.put(
        f"/api/v1/deliveries/{body['id']}/photo",
        content=_jpeg_with_exif(),
        headers={**bearer(agent_token), "Content-Type": "image/jpeg"},
    )
    assert stored.status_code == 200, stored.text
    digest = stored.json()["certificate"]["photo"].rsplit("/", 1)[1]
    kept = DiskMediaStorage(Path(api_settings.media_dir)).get(digest)
    assert kept is not None and hashlib.sha256(kept).hexdigest() == digest
    assert b"Exif" not in kept and b"PhoneMaker" not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert dict(image.getexif()) == {} and "exif" not in image.info
    # Not a page's media: no public address serves it, and staff and inspectors only read it.
    assert client.get(f"/media/{digest}").status_code == 404
    path = f"/api/v1/delivery-photos/{digest}"
    assert client.get(path).status_code == 401
    assert client.get(path, headers=bearer(agent_token)).status_code == 403
    assert client.get(path, headers=bearer(inspector_token)).content == kept
    assert _count(clean_database, "media") == 0


def test_users_add_ties_a_village_agent_to_its_point(
    client: TestClient, agent_token: str, clean_database: str
) -> None:
    runner = CliRunner()
    added = runner.invoke(
        main,
        ["users", "add", "xinmin", "--role", "village", "--location", "VP-XINMIN",
         "--database-url", clean_database],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "(village at VP-XINMIN)" in added.output and "token: " in added.output
    listed = runner.invoke(main, ["users", "list", "--database-url", clean_database])
    assert "xinmin\tvillage at VP-XINMIN\tactive" in listed.output
    missing = runner.invoke(
        main, ["users", "add", "lost", "--role", "village", "--database-url", clean_database]
    )
    assert missing.exit_code != 0 and "needs --location" in missing.output
    room = runner.invoke(
        main,
        ["users", "add", "cold", "--role", "village", "--location", "PC-COLD",
         "--database-url", clean_database],
    )  # fmt: skip
    assert room.exit_code != 0 and "not a village point or township station" in room.output


def test_the_consoles_cookie_writes_only_with_its_csrf_token(
    client: TestClient, agent_token: str, clean_database: str
) -> None:
    agent = make_agent(clean_database, "cookie-agent")
    login(client, agent.user.username, agent.password)
    page = client.get("/village", headers={"Accept": "text/html"})
    token = page.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    wrong = client.post("/api/v1/deliveries", json=delivery(), headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 401
    right = client.post("/api/v1/deliveries", json=delivery(), headers={"X-CSRF-Token": token})
    assert right.status_code == 201, right.text
    assert right.json()["recorded_by"] == "cookie-agent"


@pytest.mark.parametrize("kind", ["truncated", "gif", "bomb", "empty"])
def test_a_photo_that_is_no_usable_image_is_refused_in_words(
    client: TestClient, agent_token: str, kind: str
) -> None:
    body = delivery()
    client.post("/api/v1/deliveries", json=body, headers=bearer(agent_token))
    out = io.BytesIO()
    if kind == "gif":
        Image.new("RGB", (20, 20)).save(out, "GIF")
    elif kind == "bomb":
        # 10,000 × 10,000 of one colour: a few kB of PNG, 100 million pixels once decoded.
        Image.new("1", (10_000, 10_000)).save(out, "PNG")
    elif kind == "truncated":
        out.write(_jpeg_with_exif()[:2000])
    answer = client.put(
        f"/api/v1/deliveries/{body['id']}/photo",
        content=out.getvalue(),
        headers={**bearer(agent_token), "Content-Type": "image/jpeg"},
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["message"].startswith("photo: ")
