"""The public front page: products, consenting producers, batches on sale, a lot search."""

import re

import psycopg
from fastapi.testclient import TestClient

from api.public_texts import page_text
from store.summaries import load_summary, summary_head
from tests.api.builders import post, seed_master_data
from tests.api.front_page_stories import batch_on_sale

HTML = {"Accept": "text/html"}


def _verdict_words(db: psycopg.Connection, lot: str) -> str:
    """The verdict the provenance page states for the lot, in Chinese."""
    head = summary_head(db, lot)
    assert head is not None
    _, summary = load_summary(db, head.batch_id)
    db.commit()
    assert summary.cold_chain is not None
    return page_text(f"verdict_{summary.cold_chain.verdict}", "zh")


def test_front_page_lists_products_consenting_producers_and_batches_on_sale(
    client: TestClient, staff_token: str, db: psycopg.Connection
) -> None:
    seed_master_data(client, staff_token)
    on_sale = batch_on_sale(client, staff_token, db, "P-ABU", "VP-PUTI")
    unpacked = batch_on_sale(client, staff_token, db, "COOP-XINMIN", "VP-XINMIN", pack=False)
    recalled = batch_on_sale(client, staff_token, db, "P-ABU", "VP-PUTI")
    post(client, staff_token, "/api/v1/recalls",
         {"batch": recalled, "reason": "检出农残超标"})  # fmt: skip
    page = client.get("/", headers=HTML)
    assert page.status_code == 200
    assert page.headers["content-language"] == "zh-CN"
    html = page.text
    assert "金口河乌天麻（鲜）" in html and "核桃" in html
    assert "阿布惹（蒲梯村服务点）" in html
    # The cooperative did not consent to be named.
    assert "新民村天麻合作社" not in html
    assert on_sale in html
    assert unpacked not in html and recalled not in html
    assert f'href="/01/06901234567892/10/{on_sale}"' in html
    section = html.split(f">{on_sale}</a>", 1)[1].split("</li>", 1)[0]
    assert _verdict_words(db, on_sale) in section


def test_front_page_in_english_keeps_product_names_in_english(client: TestClient) -> None:
    page = client.get("/?lang=en", headers=HTML)
    assert page.status_code == 200
    assert page.headers["content-language"] == "en"
    assert '<html lang="en">' in page.text
    assert "Look up a lot code" in page.text


def test_lot_search_leads_to_the_lots_page_whatever_its_typed_case_and_spaces(
    client: TestClient, staff_token: str, db: psycopg.Connection
) -> None:
    seed_master_data(client, staff_token)
    lot = batch_on_sale(client, staff_token, db, "P-ABU", "VP-PUTI")
    typed = f" {lot[:4].lower()} {lot[4:]} "
    answer = client.get("/", params={"lot": typed}, headers=HTML, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/l/{lot}"
    found = client.get(answer.headers["location"], headers=HTML)
    assert found.status_code == 200 and lot in found.text
    english = client.get("/", params={"lot": lot, "lang": "en"}, follow_redirects=False)
    assert english.headers["location"] == f"/l/{lot}?lang=en"


def test_lot_search_refuses_empty_and_malformed_codes_in_words(client: TestClient) -> None:
    empty = client.get("/?lot=+", headers=HTML)
    assert empty.status_code == 400
    assert "请输入批号" in empty.text
    hostile = client.get("/", params={"lot": '<script>"x"' + "Я" * 60}, headers=HTML)
    assert hostile.status_code == 400
    assert "批号只能包含字母、数字和少数符号" in hostile.text
    assert "<script>" not in hostile.text
    assert re.search(r'value="&lt;SCRIPT&gt;&#34;X&#34;Я+"', hostile.text)


def test_front_page_forbids_every_script(client: TestClient) -> None:
    page = client.get("/", headers=HTML)
    policy = dict(
        d.strip().partition(" ")[::2] for d in page.headers["content-security-policy"].split(";")
    )
    assert policy["script-src"] == "'none'"
    assert "<script" not in page.text
