"""The provenance page: what it shows, in which language, and what it never lets through."""

import psycopg
from fastapi.testclient import TestClient

from tests.api.builders import post, receive, seed_master_data
from tests.fix_api import bearer
from tests.public.stories import GTIN, fresh_get, packed_batch, process_and_pack

HTML = {"Accept": "text/html"}


def test_the_page_tells_origin_steps_tests_and_dates_in_chinese_by_default(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    answer = client.get(f"/01/{GTIN}/10/{lot}", headers=HTML)
    page = answer.text
    assert '<html lang="zh-CN">' in page
    assert answer.headers["content-language"] == "zh-CN"
    for text in ("蒲梯村服务点", "阿布惹", "2026-05-05", "清洗", "清水冲洗去泥", "包装", "合格",
                 "毒死蜱", "GB 2763-2021", "保质期至", "2026-05-20", "冷链记录"):  # fmt: skip
        assert text in page, text
    assert "<script" not in page
    assert len(answer.content) < 60_000


def test_english_is_chosen_by_accept_language_or_by_the_switch(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    by_header = client.get(f"/l/{lot}", headers={**HTML, "Accept-Language": "en-US,en;q=0.8"})
    by_switch = client.get(f"/l/{lot}?lang=en", headers=HTML)
    for answer in (by_header, by_switch):
        assert '<html lang="en">' in answer.text
        assert "Jinkouhe gastrodia, fresh" in answer.text and "Test results" in answer.text
        assert "set-cookie" not in answer.headers
    assert 'href="?lang=zh"' in by_switch.text


def test_a_farmers_name_appears_only_with_consent(client: TestClient, staff_token: str) -> None:
    seed_master_data(client, staff_token)
    post(client, staff_token, "/api/v1/producers",
         {"code": "P-SHY", "name": "李不愿", "village": "VP-PUTI"})  # fmt: skip
    post(client, staff_token, "/api/v1/producers",
         {"code": "COOP-MAO", "name": "新民村天麻合作社", "kind": "cooperative",
          "village": "VP-XINMIN"})  # fmt: skip
    shy = receive(client, staff_token, producer="P-SHY")["lot_code"]
    coop = receive(client, staff_token, producer="COOP-MAO", village="VP-XINMIN")["lot_code"]
    shy_page = client.get(f"/l/{shy}", headers=HTML).text
    assert "李不愿" not in shy_page and "农户（未公开姓名）" in shy_page
    assert "新民村天麻合作社" in client.get(f"/l/{coop}", headers=HTML).text


def test_a_batch_in_processing_says_so(client: TestClient, staff_token: str) -> None:
    seed_master_data(client, staff_token)
    lot = receive(client, staff_token)["lot_code"]
    assert "本批次仍在加工中" in client.get(f"/l/{lot}", headers=HTML).text
    process_and_pack(client, staff_token, lot)
    packed = fresh_get(client, f"/l/{lot}", HTML, lambda a: "本批次仍在加工中" not in a.text)
    assert "本批次仍在加工中" not in packed.text


def test_a_recalled_batch_shows_the_recall_notice_first(
    client: TestClient, staff_token: str, database_url: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    before = client.get(f"/l/{lot}", headers=HTML)
    assert "本批次已召回" not in before.text
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "UPDATE batches SET recalled_at = '2026-05-10T09:00:00+08:00',"
            " recall_reason = '农残复检超标' WHERE lot_code = %s",
            (lot,),
        )
    after = fresh_get(client, f"/l/{lot}", HTML, lambda a: "本批次已召回" in a.text)
    page = after.text
    assert after.headers["etag"] != before.headers["etag"]
    assert "本批次已召回" in page and "农残复检超标" in page
    assert page.index("本批次已召回") < page.index("金口河乌天麻（鲜）</h1>")


def test_staff_typed_text_is_escaped(client: TestClient, staff_token: str) -> None:
    hostile = "<script>alert(1)</script>"
    post(client, staff_token, "/api/v1/locations",
         {"code": "PC-RECEIVING", "name": "收货区", "kind": "processing_room"})  # fmt: skip
    post(client, staff_token, "/api/v1/locations",
         {"code": "VP-PUTI", "name": hostile, "kind": "village_point"})  # fmt: skip
    post(
        client,
        staff_token,
        "/api/v1/producers",
        {"code": "P-X", "name": hostile, "village": "VP-PUTI", "public_name_consent": True},
    )
    post(
        client,
        staff_token,
        "/api/v1/products",
        {"code": "EVIL", "name_zh": hostile, "name_en": hostile, "category": hostile},
    )
    lot = receive(client, staff_token, producer="P-X", product="EVIL")["lot_code"]
    post(client, staff_token, f"/api/v1/batches/{lot}/events",
         {"type": "cleaning", "time": "2026-05-06T09:00:00+08:00",
          "data": {"notes": hostile}})  # fmt: skip
    for query in ("", "?lang=en"):
        page = client.get(f"/l/{lot}{query}", headers=HTML).text
        assert hostile not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    as_json = client.get(f"/l/{lot}", headers={"Accept": "application/ld+json"}).json()
    assert as_json["name"][0]["@value"] == hostile


def test_a_matching_etag_gets_304_without_a_body(client: TestClient, staff_token: str) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    first = client.get(f"/01/{GTIN}/10/{lot}", headers=HTML)
    etag = first.headers["etag"]
    assert "public" in first.headers["cache-control"]
    assert "max-age=" in first.headers["cache-control"]
    assert "stale-while-revalidate=" in first.headers["cache-control"]
    again = client.get(f"/01/{GTIN}/10/{lot}", headers={**HTML, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other_language = client.get(
        f"/01/{GTIN}/10/{lot}?lang=en", headers={**HTML, "If-None-Match": etag}
    )
    assert other_language.status_code == 200
    json_ld = client.get(f"/l/{lot}", headers={"Accept": "application/ld+json"})
    assert json_ld.headers["etag"] != etag
    assert (
        client.get(
            f"/l/{lot}",
            headers={"Accept": "application/ld+json", "If-None-Match": json_ld.headers["etag"]},
        ).status_code
        == 304
    )


def test_a_new_event_updates_the_page(client: TestClient, staff_token: str) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    before = client.get(f"/l/{lot}", headers=HTML)
    assert "发运" not in before.text
    post(client, staff_token, f"/api/v1/batches/{lot}/events",
         {"type": "shipping", "time": "2026-05-07T06:00:00+08:00",
          "data": {"notes": "发往成都"}})  # fmt: skip
    after = fresh_get(
        client, f"/l/{lot}", {**HTML, "If-None-Match": before.headers["etag"]},
        lambda a: a.status_code == 200,
    )  # fmt: skip
    assert after.status_code == 200
    assert "发运" in after.text and "发往成都" in after.text
    assert after.headers["etag"] != before.headers["etag"]
    assert client.get(f"/api/v1/batches/{lot}", headers=bearer(staff_token)).status_code == 200
