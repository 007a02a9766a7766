"""Products without a GTIN are numbered from the centre's GS1 Company Prefix, so their lots
answer as Digital Links, while the short form ``/l/{lot}`` printed before keeps answering."""

from collections.abc import Iterator
from itertools import islice

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from schemas.gs1 import company_gtins
from schemas.settings import Settings
from tests.api.builders import receive
from tests.fix_api import bearer
from tests.public.stories import GTIN, packed_batch

PREFIX = "690123456"
BASE = "https://trace.example.cn"
PINNED = {"follow_redirects": False}


def _client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings), base_url="https://testserver")


@pytest.fixture
def prefixed(api_settings: Settings) -> Iterator[TestClient]:
    with _client(api_settings.model_copy(update={"gs1_company_prefix": PREFIX})) as client:
        yield client


def _gtin_of(client: TestClient, token: str, code: str) -> str | None:
    answer = client.get(f"/api/v1/products/{code}", headers=bearer(token))
    assert answer.status_code == 200
    return answer.json()["gtin"]


def test_a_product_without_gtin_gets_the_prefixs_highest_free_gtin_and_its_lots_resolve(
    prefixed: TestClient, staff_token: str
) -> None:
    packed_batch(prefixed, staff_token)
    walnut_gtin = _gtin_of(prefixed, staff_token, "WALNUT")
    assert walnut_gtin == next(company_gtins(PREFIX)) == "06901234569995"
    assert _gtin_of(prefixed, staff_token, "TIANMA-FRESH") == GTIN  # its own GTIN is kept
    lot = receive(prefixed, staff_token, product="WALNUT")["lot_code"]
    for path in (f"/01/{walnut_gtin}/10/{lot}", f"/l/{lot}"):
        answer = prefixed.get(path, headers={"Accept": "text/html"}, **PINNED)
        assert answer.status_code == 307, path
        assert answer.headers["location"] == f"{BASE}/batch/{lot}"
    linkset = prefixed.get(f"/l/{lot}?linkType=linkset").json()
    assert linkset["linkset"][0]["anchor"] == f"{BASE}/01/{walnut_gtin}/10/{lot}"


def test_products_made_before_the_prefix_was_set_are_numbered_at_start_skipping_taken_gtins(
    api_settings: Settings, staff_token: str
) -> None:
    with _client(api_settings) as plain:
        packed_batch(plain, staff_token)
        first_free = list(islice(company_gtins(PREFIX), 2))
        plain.post("/api/v1/products", headers=bearer(staff_token), json={
            "code": "TEA-GREEN", "name_zh": "绿茶", "name_en": "Green tea", "category": "tea",
            "gtin": first_free[0], "storage_profile": {"temp_max": 25}})  # fmt: skip
        assert _gtin_of(plain, staff_token, "WALNUT") is None
    with _client(api_settings.model_copy(update={"gs1_company_prefix": PREFIX})) as prefixed:
        assert _gtin_of(prefixed, staff_token, "WALNUT") == first_free[1]
        assert _gtin_of(prefixed, staff_token, "TEA-GREEN") == first_free[0]
