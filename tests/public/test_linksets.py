"""Linksets as GS1's linkset schema (tests/data/gs1-linkset-schema.json, GS1-Conformant
resolver 1.x) and its text ask: titles everywhere, a bare default link, an item description,
and canonical anchors whatever spelling the request used."""

import json
from pathlib import Path
from typing import Any

import jsonschema
from fastapi.testclient import TestClient

from tests.api.builders import receive
from tests.public.stories import GTIN, packed_batch

SCHEMA = json.loads((Path(__file__).parent.parent / "data" / "gs1-linkset-schema.json").read_text())
BASE = "https://trace.example.cn"
LINKSET = {"Accept": "application/linkset+json"}
DEFAULT = "https://gs1.org/voc/defaultLink"


def _linkset(client: TestClient, path: str) -> dict[str, Any]:
    answer = client.get(path, headers=LINKSET)
    assert answer.status_code == 200, path
    document = answer.json()
    jsonschema.Draft7Validator(SCHEMA).validate(document)
    return document


def _links(context: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {key: value for key, value in context.items()
            if key not in {"anchor", "itemDescription"}}  # fmt: skip


def test_every_linkset_validates_with_titles_and_a_bare_default_link(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    walnuts = receive(client, staff_token, product="WALNUT")["lot_code"]
    for path in (f"/01/{GTIN}/10/{lot}", f"/01/{GTIN}/10/{lot}/21/SN1", f"/01/{GTIN}",
                 f"/01/{GTIN}/10/NOSUCH", f"/l/{walnuts}", f"/l/{lot}"):  # fmt: skip
        for context in _linkset(client, path)["linkset"]:
            assert context["itemDescription"].strip(), path
            links = _links(context)
            assert len(links[DEFAULT]) == 1
            assert set(links[DEFAULT][0]) == {"href", "title"}
            for targets in links.values():
                assert all(target["title"].strip() for target in targets)


def test_a_lots_linkset_describes_the_lot_and_the_product_it_walks_up_to(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    lot_context, product = _linkset(client, f"/01/{GTIN}/10/{lot}")["linkset"]
    assert "金口河乌天麻（鲜）" in lot_context["itemDescription"]
    assert lot in lot_context["itemDescription"]
    assert lot_context[DEFAULT][0]["href"] == f"{BASE}/batch/{lot}"
    assert product["anchor"] == f"{BASE}/01/{GTIN}"
    assert product[DEFAULT][0]["href"] == f"{BASE}/product/{GTIN}"


def test_anchors_are_canonical_whatever_the_spelling(client: TestClient, staff_token: str) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    canonical = f"{BASE}/01/{GTIN}/10/{lot}"
    for path in (f"/01/{GTIN}/10/{lot}/", f"/01/{GTIN[1:]}/10/{lot}",
                 f"/01/{GTIN}/10/{lot}?17=260520&lang=en"):  # fmt: skip
        assert _linkset(client, path)["linkset"][0]["anchor"] == canonical, path
    # A pack's URI names the pack: its anchor keeps the serial, in canonical order.
    for path in (f"/01/{GTIN}/21/S9/10/{lot}", f"/01/{GTIN}/10/{lot}/21/S9"):
        pack = _linkset(client, path)["linkset"][0]
        assert pack["anchor"] == f"{canonical}/21/S9", path
        assert pack[DEFAULT][0]["href"] == f"{BASE}/batch/{lot}/pack/S9", path
    # AI values are case-sensitive: a lower-case lot is not this lot, so only the product
    # answers, under its own anchor.
    (product,) = _linkset(client, f"/01/{GTIN}/10/{lot.lower()}")["linkset"]
    assert product["anchor"] == f"{BASE}/01/{GTIN}"


def test_the_schema_refuses_what_the_old_linkset_carried() -> None:
    """The schema is strict where it matters: a link without a title is refused."""
    untitled = {"linkset": [{"anchor": f"{BASE}/01/{GTIN}", "itemDescription": "x",
                             DEFAULT: [{"href": f"{BASE}/product/{GTIN}"}]}]}  # fmt: skip
    errors = list(jsonschema.Draft7Validator(SCHEMA).iter_errors(untitled))
    assert errors and "title" in errors[0].message
