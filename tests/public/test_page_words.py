"""The page's words: origin in Chinese order, punctuation, English in English, chart, advice."""

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from schemas.settings import Settings
from tests.api.builders import post, receive, seed_master_data
from tests.public.stories import process_and_pack

HTML = {"Accept": "text/html"}
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture
def client(api_settings: Settings) -> Iterator[TestClient]:
    """The application with the centre's consumer line configured."""
    app: FastAPI = create_app(api_settings.model_copy(update={"centre_phone": "0833-2600 315"}))
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


def _batch_from_yaxi(client: TestClient, token: str) -> str:
    seed_master_data(client, token)
    post(client, token, "/api/v1/locations", {
        "code": "VP-YAXI", "name": "桠溪村服务点", "name_en": "Yaxi village point",
        "kind": "village_point", "township": "和平彝族乡",
        "admin_area": "四川省乐山市金口河区和平彝族乡桠溪村",
        "admin_area_en": "Yaxi Village, Heping Yi Ethnic Township, Jinkouhe District, Leshan,"
                         " Sichuan",
    })  # fmt: skip
    post(client, token, "/api/v1/producers",
         {"code": "COOP-YAXI", "name": "桠溪村天麻合作社", "kind": "cooperative",
          "village": "VP-YAXI"})  # fmt: skip
    lot = str(receive(client, token, producer="COOP-YAXI", village="VP-YAXI")["lot_code"])
    process_and_pack(client, token, lot)
    post(client, token, f"/api/v1/batches/{lot}/events", {
        "type": "testing", "time": "2026-05-06T16:00:00+08:00",
        "data": {"passed": True, "lab": "乐山市农产品质量检测中心", "report_number": "LS-2026-0815",
                 "standard": "GB 2763-2021", "moisture_percent": 80.5,
                 "lab_cma": "212312340567", "report_url": "https://lab.example.cn/r/0815.pdf"},
    })  # fmt: skip
    return lot


def test_the_origin_is_the_village_in_chinese_order_with_full_width_punctuation(
    client: TestClient, staff_token: str
) -> None:
    lot = _batch_from_yaxi(client, staff_token)
    page = client.get(f"/l/{lot}", headers=HTML).text
    assert "四川省乐山市金口河区和平彝族乡桠溪村" in page
    assert "桠溪村服务点" not in page.split("<h2>产地</h2>")[1].split("</section>")[0]
    assert not re.search(r"[\u4e00-\u9fff][:;,(]", page), "half-width punctuation after Chinese"
    assert "合作社：桠溪村天麻合作社" in page
    assert '<meta name="description" content="金口河乌天麻（鲜）：' in page
    assert "请在 2~5 °C 冷藏保存。" in page
    assert 'href="tel:08332600315"' in page and 'href="tel:12315"' in page
    assert "报告编号 LS-2026-0815 · CMA 212312340567" in page
    assert 'href="https://lab.example.cn/r/0815.pdf"' in page


def test_the_english_page_says_its_own_words_in_english(
    client: TestClient, staff_token: str
) -> None:
    lot = _batch_from_yaxi(client, staff_token)
    page = client.get(f"/l/{lot}?lang=en", headers=HTML).text
    assert "Yaxi Village, Heping Yi Ethnic Township, Jinkouhe District" in page
    assert "Keep it refrigerated at 2–5 °C." in page
    # Names staff typed only in Chinese appear in pinyin, their generic words in English.
    for english in ("Yaxi Village Gastrodia Cooperative", "chlorpyrifos",
                    "Jinkouhe District Agricultural Product Quality Testing Station",
                    "Processing Centre Receiving Bay"):  # fmt: skip
        assert english in page, english
    rest = page.replace('hreflang="zh-CN">中文</a>', "")  # the switch names its own language
    assert not CJK.search(rest), CJK.findall(rest)[:20]


def test_pages_travel_compressed(client: TestClient, staff_token: str) -> None:
    lot = _batch_from_yaxi(client, staff_token)
    answer = client.get(f"/l/{lot}", headers={**HTML, "Accept-Encoding": "gzip"})
    assert answer.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in answer.headers["vary"]
