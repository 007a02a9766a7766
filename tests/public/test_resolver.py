"""The Digital Link resolver: paths, link types, content negotiation and error codes."""

import json

from fastapi.testclient import TestClient
from pyld import jsonld

from tests.api.builders import receive
from tests.api.test_error_shape import assert_error_shape
from tests.public.stories import GTIN, packed_batch

JSONLD = "application/ld+json"


def test_digital_link_and_short_form_resolve_to_the_page(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    for path in (f"/01/{GTIN}/10/{lot}", f"/01/{GTIN}/10/{lot}/21/SN0001", f"/l/{lot}",
                 f"/01/{GTIN}/10/{lot}?17=260520", f"/01/{GTIN[1:]}/10/{lot}"):  # fmt: skip
        answer = client.get(path, headers={"Accept": "text/html"})
        assert answer.status_code == 200, path
        assert answer.headers["content-type"].startswith("text/html")
        assert "金口河乌天麻（鲜）" in answer.text
        assert lot in answer.text


def test_a_wrong_check_digit_or_malformed_path_is_a_bad_request(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    wrong_check = GTIN[:-1] + "3"
    for path in (
        f"/01/{wrong_check}/10/{lot}",
        f"/01/12345/10/{lot}",
        f"/01/{GTIN}/10",
        f"/01/{GTIN}/99/{lot}",
        f"/01/{GTIN}/10/{lot}?17=261340",
        f"/01/{GTIN}/10/{'A' * 21}",
    ):
        answer = client.get(path, headers={"Accept": "application/json"})
        assert answer.status_code == 400, path
        assert_error_shape(answer.json(), 400)
    page = client.get(f"/01/{wrong_check}/10/{lot}", headers={"Accept": "text/html"})
    assert page.status_code == 400
    assert "二维码链接无效" in page.text


def test_an_unknown_lot_is_not_found_with_a_page_in_the_visitors_language(
    client: TestClient, staff_token: str
) -> None:
    packed_batch(client, staff_token)
    chinese = client.get("/l/NOSUCHLOT1", headers={"Accept": "text/html"})
    assert chinese.status_code == 404
    assert '<html lang="zh-CN">' in chinese.text and "未找到该批次" in chinese.text
    english = client.get(
        "/l/NOSUCHLOT1", headers={"Accept": "text/html", "Accept-Language": "en-GB,en;q=0.9"}
    )
    assert english.status_code == 404
    assert '<html lang="en">' in english.text and "could not find this batch" in english.text
    as_json = client.get(f"/01/{GTIN}/10/NOSUCHLOT1", headers={"Accept": JSONLD})
    assert as_json.status_code == 404
    assert_error_shape(as_json.json(), 404)


def test_a_lot_under_another_products_gtin_is_not_found(
    client: TestClient, staff_token: str
) -> None:
    packed_batch(client, staff_token)
    walnuts = receive(client, staff_token, product="WALNUT")["lot_code"]
    answer = client.get(f"/01/{GTIN}/10/{walnuts}", headers={"Accept": "application/json"})
    assert answer.status_code == 404
    assert client.get(f"/l/{walnuts}").status_code == 200


def test_json_ld_is_offered_on_accept_and_names_the_product(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    for accept in (JSONLD, "application/json"):
        answer = client.get(f"/01/{GTIN}/10/{lot}", headers={"Accept": accept})
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith(JSONLD)
        document = json.loads(answer.content)
        assert "@context" in document
        assert document["gs1:gtin"] == GTIN
        assert document["gs1:hasBatchLotNumber"] == lot


def test_linkset_is_offered_by_link_type_and_by_accept(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    by_type = client.get(f"/01/{GTIN}/10/{lot}?linkType=linkset")
    by_accept = client.get(f"/01/{GTIN}/10/{lot}", headers={"Accept": "application/linkset+json"})
    for answer in (by_type, by_accept):
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/linkset+json")
        context = answer.json()["linkset"][0]
        assert context["anchor"] == f"https://trace.example.cn/01/{GTIN}/10/{lot}"
        pip = context["https://gs1.org/voc/pip"]
        assert {link["type"] for link in pip} == {"text/html", JSONLD}
        assert "https://gs1.org/voc/traceability" in context


def test_every_answer_names_its_links_in_the_link_header(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    header = client.get(f"/01/{GTIN}/10/{lot}").headers["link"]
    assert 'rel="https://gs1.org/voc/pip"' in header
    assert 'rel="https://gs1.org/voc/traceability"' in header
    assert 'rel="linkset"' in header


def test_pip_link_type_gives_the_page(client: TestClient, staff_token: str) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    for link_type in ("gs1:pip", "https://gs1.org/voc/pip"):
        answer = client.get(f"/01/{GTIN}/10/{lot}", params={"linkType": link_type})
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/html")


def test_an_unsupported_link_type_is_not_found_listing_those_that_exist(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    answer = client.get(
        f"/01/{GTIN}/10/{lot}?linkType=gs1:recipeInfo", headers={"Accept": "application/json"}
    )
    assert answer.status_code == 404
    assert_error_shape(answer.json(), 404)
    message = answer.json()["error"]["message"]
    assert "gs1:pip" in message and "linkset" in message


def test_the_resolver_describes_itself(client: TestClient) -> None:
    answer = client.get("/.well-known/gs1resolver")
    assert answer.status_code == 200
    description = answer.json()
    assert description["resolverRoot"] == "https://trace.example.cn"
    assert description["supportedPrimaryKeys"] == ["01"]
    assert description["supportedLinkType"][0]["prefix"] == "gs1:"


def test_traceability_link_type_gives_the_batchs_epcis_document(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    answer = client.get(f"/01/{GTIN}/10/{lot}?linkType=gs1:traceability")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(JSONLD)
    document = answer.json()
    assert document["type"] == "EPCISDocument"
    events = document["epcisBody"]["eventList"]
    assert any(event.get("bizStep", "").endswith("packing") for event in events)
    assert lot in json.dumps(document)


def test_head_and_options_are_answered_as_a_resolver_must(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    head = client.head(f"/01/{GTIN}/10/{lot}")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] and head.headers["link"]
    options = client.options(f"/01/{GTIN}/10/{lot}")
    assert options.status_code == 204
    assert "GET" in options.headers["allow"]
    assert options.headers["access-control-allow-origin"] == "*"


def test_json_ld_expands_offline_to_a_schema_org_and_gs1_product_with_its_name(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    document = client.get(f"/01/{GTIN}/10/{lot}", headers={"Accept": JSONLD}).json()

    def no_remote_contexts(url: str, options: dict) -> dict:
        raise AssertionError(f"the context must be inline, yet {url} was fetched")

    expanded = jsonld.expand(document, {"documentLoader": no_remote_contexts})
    assert len(expanded) == 1
    product = expanded[0]
    assert set(product["@type"]) == {"https://schema.org/Product", "https://gs1.org/voc/Product"}
    # Language tags are case-insensitive; processors may lower-case them.
    names = {(n["@value"], n["@language"].lower()) for n in product["https://schema.org/name"]}
    assert ("金口河乌天麻（鲜）", "zh-cn") in names
    assert ("Jinkouhe gastrodia, fresh", "en") in names
    gs1_names = product["https://gs1.org/voc/productName"]
    assert {n["@value"] for n in gs1_names} == {"金口河乌天麻（鲜）", "Jinkouhe gastrodia, fresh"}
    assert product["https://gs1.org/voc/gtin"] == [{"@value": GTIN}]
    assert product["https://gs1.org/voc/hasBatchLotNumber"] == [{"@value": lot}]
