"""Certificates and producer profiles on the page: validity judged on the day, consent kept."""

from datetime import date, timedelta

from fastapi.testclient import TestClient

from tests.api.builders import post, receive, seed_master_data
from tests.fix_api import bearer
from tests.public.stories import fresh_get

HTML = {"Accept": "text/html"}
TODAY = date.today()


def _certificate(client: TestClient, token: str, **fields: object) -> None:
    post(client, token, "/api/v1/certifications", {
        "kind": "geographical_indication", "name": "金口河乌天麻", "number": "AGI01234",
        "issuer": "农业农村部", "valid_from": "2020-01-01",
        "valid_until": (TODAY + timedelta(days=365)).isoformat(), **fields,
    })  # fmt: skip


def test_valid_and_expired_certificates_are_told_apart(
    client: TestClient, staff_token: str
) -> None:
    seed_master_data(client, staff_token)
    post(client, staff_token, "/api/v1/producers", {
        "code": "COOP-GREEN", "name": "新民天麻合作社", "kind": "cooperative",
        "village": "VP-XINMIN",
    })  # fmt: skip
    lot = receive(client, staff_token, producer="COOP-GREEN", village="VP-XINMIN")["lot_code"]
    _certificate(client, staff_token, product="TIANMA-FRESH")
    _certificate(
        client, staff_token, kind="organic", name="有机产品认证", number="ORG-2019-77",
        issuer="中绿华夏有机产品认证中心", valid_from="2019-01-01",
        valid_until=(TODAY - timedelta(days=1)).isoformat(), producer="COOP-GREEN",
    )  # fmt: skip
    page = fresh_get(client, f"/l/{lot}", HTML, lambda a: "ORG-2019-77" in a.text).text
    section = page.split("<h2>认证证书</h2>")[1].split("</section>")[0]
    gi, organic = section.split("<li>")[1:]
    assert "金口河乌天麻" in gi and "AGI01234" in gi and "农业农村部" in gi and "有效" in gi
    assert "ORG-2019-77" in organic and "已过期" in organic and ">有效<" not in organic
    english = client.get(f"/l/{lot}?lang=en", headers=HTML).text
    assert "Geographical indication" in english and "expired" in english
    listed = client.get("/api/v1/certifications?producer=COOP-GREEN", headers=bearer(staff_token))
    assert [c["number"] for c in listed.json()] == ["ORG-2019-77"]


def test_a_certificate_needs_what_it_covers_and_ordered_dates(
    client: TestClient, staff_token: str
) -> None:
    bad = client.post("/api/v1/certifications", headers=bearer(staff_token), json={
        "kind": "organic", "name": "x", "number": "1", "issuer": "y",
        "valid_from": "2025-01-01", "valid_until": "2024-01-01", "product": "NOPE",
    })  # fmt: skip
    assert bad.status_code == 422 and "valid_from is after valid_until" in bad.text
    unknown = client.post("/api/v1/certifications", headers=bearer(staff_token), json={
        "kind": "organic", "name": "x", "number": "1", "issuer": "y",
        "valid_from": "2024-01-01", "valid_until": "2025-01-01", "product": "NOPE",
    })  # fmt: skip
    assert unknown.status_code == 422 and "NOPE" in unknown.text


def test_a_producers_profile_appears_only_with_their_consent(
    client: TestClient, staff_token: str
) -> None:
    seed_master_data(client, staff_token)
    for code, consent in (("COOP-OPEN", True), ("COOP-SHY", False)):
        post(client, staff_token, "/api/v1/producers", {
            "code": code, "name": f"{code} 合作社", "kind": "cooperative", "village": "VP-PUTI",
            "profile": f"{code} 成立于 2012 年，社员 86 户。", "public_profile_consent": consent,
        })  # fmt: skip
    open_lot = receive(client, staff_token, producer="COOP-OPEN")["lot_code"]
    shy_lot = receive(client, staff_token, producer="COOP-SHY")["lot_code"]
    assert "COOP-OPEN 成立于 2012 年" in client.get(f"/l/{open_lot}", headers=HTML).text
    assert "成立于" not in client.get(f"/l/{shy_lot}", headers=HTML).text
