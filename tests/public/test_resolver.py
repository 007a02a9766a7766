"""The Digital Link resolver: redirects, link types, walk-up, content negotiation, errors."""

import json

from fastapi.testclient import TestClient
from pyld import jsonld
from starlette.datastructures import Headers

from api.link_types import Link, best_links
from tests.api.builders import receive
from tests.api.test_error_shape import assert_error_shape
from tests.labels.digital_link_js import compressed_forms, needs_digital_link_js
from tests.public.stories import GTIN, packed_batch

JSONLD = "application/ld+json"
BASE = "https://trace.example.cn"
PINNED = {"follow_redirects": False}


def test_a_lots_digital_link_redirects_to_its_page_which_names_the_product(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    page_of = {f"/01/{GTIN}/10/{lot}": f"{BASE}/batch/{lot}",
               f"/01/{GTIN}/10/{lot}/21/SN0001": f"{BASE}/batch/{lot}/pack/SN0001",
               f"/l/{lot}": f"{BASE}/batch/{lot}", f"/01/{GTIN}/10/{lot}/": f"{BASE}/batch/{lot}"}
    for path, target in page_of.items():
        redirect = client.get(path, headers={"Accept": "text/html"}, **PINNED)
        assert redirect.status_code == 307, path
        assert redirect.headers["location"] == target
        assert redirect.headers["cache-control"] == "no-store"
        page = client.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "金口河乌天麻（鲜）" in page.text and lot in page.text


def test_the_query_string_is_passed_on_but_the_link_type_is_not(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    answer = client.get(f"/01/{GTIN}/10/{lot}?17=260520&foo=bar&linkType=gs1:pip", **PINNED)
    assert answer.status_code == 307
    assert answer.headers["location"] == f"{BASE}/batch/{lot}?17=260520&foo=bar"


def test_non_canonical_spellings_are_redirected_permanently_to_the_canonical_uri(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    canonical = f"{BASE}/01/{GTIN}/10/{lot}/21/S1"
    for path in (f"/01/{GTIN[1:]}/10/{lot}/21/S1", f"/01/{GTIN}/21/S1/10/{lot}"):
        answer = client.get(path + "?lang=en", **PINNED)
        assert answer.status_code == 301, path
        assert answer.headers["location"] == canonical + "?lang=en"


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
        f"/01/{GTIN}/10/{lot}/foo",
        f"/01/{GTIN}/10/X/10/{lot}",
        f"/01/{GTIN}/10/{lot}/21/A/21/B",
        f"/01/{GTIN}/10/{lot}?17=261340",
        f"/01/{GTIN}/10/{'A' * 21}",
        f"/01/{GTIN[:6]}%41{GTIN[7:]}/10/{lot}",
    ):
        answer = client.get(path, headers={"Accept": "application/json"}, **PINNED)
        assert answer.status_code == 400, path
        assert_error_shape(answer.json(), 400)
    page = client.get(f"/01/{wrong_check}/10/{lot}", headers={"Accept": "text/html"})
    assert page.status_code == 400
    assert "二维码链接无效" in page.text


def test_variant_and_third_party_serial_qualifiers_are_valid_and_walk_up_to_the_product(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    for path in (f"/01/{GTIN}/22/A/10/{lot}", f"/01/{GTIN}/235/TPX1"):
        answer = client.get(path, **PINNED)
        assert answer.status_code == 307, path
        assert answer.headers["location"].startswith(f"{BASE}/product/{GTIN}")


def test_a_percent_encoded_slash_stays_inside_its_ai_value(
    client: TestClient, staff_token: str
) -> None:
    """AI (10) and (21) allow "/", which a Digital Link writes %2F: read from the path as sent,
    not from the decoded path, where it would split the value into two segments."""
    packed_batch(client, staff_token)
    answer = client.get(f"/01/{GTIN}/10/A%2FB/21/C%2FD", **PINNED)
    assert answer.status_code == 307
    assert answer.headers["location"] == f"{BASE}/product/{GTIN}?unknown_lot=A%2FB"
    options = client.options(f"/01/{GTIN}/10/A%2FB/21/C%2FD")
    assert options.headers["link"].startswith(f"<{BASE}/01/{GTIN}/10/A%2FB/21/C%2FD?linkType=")


def test_an_unknown_lot_walks_up_to_the_product_page_which_says_so(
    client: TestClient, staff_token: str
) -> None:
    packed_batch(client, staff_token)
    answer = client.get(f"/01/{GTIN}/10/KL8G", **PINNED)
    assert answer.status_code == 307
    assert answer.headers["location"] == f"{BASE}/product/{GTIN}?unknown_lot=KL8G"
    page = client.get(f"/01/{GTIN}/10/KL8G", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "金口河乌天麻（鲜）" in page.text and "未找到该批次的记录" in page.text
    assert "KL8G" in page.text and "<script" not in page.text
    product = client.get(f"/01/{GTIN}", headers={"Accept": "text/html"})
    assert product.status_code == 200 and "未找到该批次的记录" not in product.text
    assert GTIN in product.text
    english = client.get(f"/product/{GTIN}?lang=en", headers={"Accept": "text/html"})
    assert "Jinkouhe gastrodia, fresh" in english.text
    as_json = client.get(f"/01/{GTIN}", headers={"Accept": JSONLD}).json()
    assert as_json["gs1:gtin"] == GTIN


def test_a_lower_case_lot_is_another_lot_and_does_not_reach_the_batch(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    answer = client.get(f"/01/{GTIN}/10/{lot.lower()}", **PINNED)
    assert answer.status_code == 307
    assert answer.headers["location"].startswith(f"{BASE}/product/{GTIN}")
    assert client.get(f"/batch/{lot.lower()}", headers={"Accept": "text/html"}).status_code == 404


def test_nothing_known_is_not_found_with_a_page_in_the_visitors_language(
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
    unknown_gtin = "09506000134352"
    as_json = client.get(f"/01/{unknown_gtin}/10/LOT1", headers={"Accept": JSONLD})
    assert as_json.status_code == 404
    assert_error_shape(as_json.json(), 404)


def test_a_lot_under_another_products_gtin_walks_up_to_that_product(
    client: TestClient, staff_token: str
) -> None:
    packed_batch(client, staff_token)
    walnuts = receive(client, staff_token, product="WALNUT")["lot_code"]
    answer = client.get(f"/01/{GTIN}/10/{walnuts}", **PINNED)
    assert answer.headers["location"] == f"{BASE}/product/{GTIN}?unknown_lot={walnuts}"
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


def test_linkset_is_offered_by_link_type_and_by_accept_without_redirecting(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    linkset = {"Accept": "application/linkset+json"}
    for path, headers in ((f"/01/{GTIN}/10/{lot}?linkType=linkset", {}),
                          (f"/01/{GTIN}/10/{lot}?linkType=all", linkset),
                          (f"/01/{GTIN}/10/{lot}", linkset)):  # fmt: skip
        answer = client.get(path, headers=headers, **PINNED)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"].startswith("application/linkset+json")
        context = answer.json()["linkset"][0]
        assert context["anchor"] == f"{BASE}/01/{GTIN}/10/{lot}"
        pip = context["https://gs1.org/voc/pip"]
        assert {link["type"] for link in pip} == {"text/html", JSONLD}
        assert "https://gs1.org/voc/traceability" in context
        assert (
            "<https://ref.gs1.org/standards/resolver/linkset-context>; "
            'rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
        ) in answer.headers["link"]


def test_the_link_header_names_the_linkset_and_no_other_link(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    header = client.get(f"/01/{GTIN}/10/{lot}", **PINNED).headers["link"]
    assert header == (
        f'<{BASE}/01/{GTIN}/10/{lot}?linkType=linkset>; rel="linkset";'
        ' type="application/linkset+json"'
    )


def test_pip_link_type_redirects_to_the_page_by_media_type(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    for link_type in ("gs1:pip", "https://gs1.org/voc/pip", "https://ref.gs1.org/voc/pip"):
        answer = client.get(f"/01/{GTIN}/10/{lot}", params={"linkType": link_type}, **PINNED)
        assert answer.status_code == 307
        assert answer.headers["location"] == f"{BASE}/batch/{lot}"
    page = client.get(f"/01/{GTIN}/10/{lot}?linkType=gs1:pip", headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")


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


def test_links_the_request_cannot_tell_apart_are_offered_as_multiple_choices() -> None:
    twins = [Link("pip", "https://a.example/1", "One", "text/html", ("zh-CN",)),
             Link("pip", "https://a.example/2", "Two", "text/html", ("zh-CN",)),
             Link("pip", "https://a.example/3", "Three", "text/html", ("en",))]  # fmt: skip
    chinese = Headers({"accept": "text/html", "accept-language": "zh-CN,zh;q=0.9"})
    assert [link.title for link in best_links(twins, chinese)] == ["One", "Two"]
    english = Headers({"accept": "text/html", "accept-language": "en"})
    assert [link.title for link in best_links(twins, english)] == ["Three"]
    pdf_only = Headers({"accept": "application/pdf"})
    assert len(best_links(twins, pdf_only)) == 3


def test_the_resolver_describes_itself_to_any_origin(client: TestClient) -> None:
    answer = client.get("/.well-known/gs1resolver", headers={"Origin": "https://ref.gs1.org"})
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "*"
    description = answer.json()
    assert description["resolverRoot"] == BASE
    assert description["supportedPrimaryKeys"] == ["01"]
    assert description["supportedLinkType"][0]["prefix"] == "gs1:"


def test_traceability_link_type_redirects_to_the_batchs_epcis_document(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    path = f"/01/{GTIN}/10/{lot}?linkType=gs1:traceability"
    assert client.get(path, **PINNED).headers["location"] == f"{BASE}/batch/{lot}/epcis"
    answer = client.get(path)
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
    head = client.head(f"/01/{GTIN}/10/{lot}", **PINNED)
    assert head.status_code == 307 and head.content == b""
    assert head.headers["location"] and head.headers["link"]
    page_head = client.head(f"/batch/{lot}")
    assert page_head.status_code == 200 and page_head.headers["etag"]
    options = client.options(f"/01/{GTIN}/10/{lot}")
    assert options.status_code == 204
    for method in ("GET", "HEAD", "OPTIONS"):
        assert method in options.headers["allow"]
        assert method in options.headers["access-control-allow-methods"]
    assert options.headers["access-control-allow-origin"] == "*"
    assert 'rel="linkset"' in options.headers["link"]


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


@needs_digital_link_js
def test_compressed_links_redirect_permanently_to_the_uncompressed_uri_and_answer_as_it_does(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    uncompressed = f"{BASE}/01/{GTIN}/10/{lot}/21/SN0001?17=261231"
    (forms,) = compressed_forms([uncompressed])
    for compressed in (forms["compressed"], forms["partial"]):
        path = compressed.removeprefix(BASE)
        answer = client.get(path, headers={"Accept": "text/html"}, **PINNED)
        assert answer.status_code == 301, path
        assert answer.headers["location"] == uncompressed
        followed = client.get(path, headers={"Accept": "text/html"})
        direct = client.get(uncompressed.removeprefix(BASE), headers={"Accept": "text/html"})
        assert followed.status_code == direct.status_code == 200
        assert str(followed.url) == str(direct.url) == f"{BASE}/batch/{lot}/pack/SN0001?17=261231"


def test_a_single_segment_that_is_no_compressed_link_is_not_found_and_routes_still_answer(
    client: TestClient,
) -> None:
    for path in ("/robots", "/CwyNo0UVqOSZm3Wuu3nBSHjJ-q4", "/QUio1cU4jQ"):
        answer = client.get(path, **PINNED)
        assert answer.status_code == 404, path
        assert_error_shape(answer.json(), 404)
    assert client.get(f"/01/{GTIN}/QUio1cU4jQ", **PINNED).status_code == 400
    assert client.get("/.well-known/gs1resolver").status_code == 200
