"""EPCIS 2.0 exports validate against GS1's JSON schema and say what happened."""

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft7Validator, FormatChecker
from pyld import jsonld

from labels.lot_codes import lot_code_for
from schemas.batches import EventCreate, MergeCreate, SplitChild, SplitCreate
from store.epcis import epcis_document_for_batch, epcis_document_for_query
from store.events import record_event
from store.genealogy import merge_batches, split_batch
from tests.fix_api import bearer
from tests.inspect.cold_chain import (
    COLD_DEVICE,
    T0,
    add_readings,
    every_minute,
    new_batch,
    seed_district,
)

SCHEMA = json.loads((Path(__file__).parent.parent / "data" / "EPCIS-JSON-Schema.json").read_text())
BASE = "https://trace.example.cn"
NOW = T0 + timedelta(hours=8)


def assert_valid(document: dict[str, Any]) -> None:
    validator = Draft7Validator(SCHEMA, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert errors == [], "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.fixture
def story(db: psycopg.Connection) -> dict[str, str]:
    """A received batch, cleaned (then corrected), tested, split in two, one child merged with
    another batch; the cold store ran warm for 40 minutes."""
    seed_district(db)
    lot = new_batch(db)
    other = new_batch(db, quantity=20)
    cleaning = record_event(
        db, lot, EventCreate(type="cleaning", time=T0 + timedelta(hours=1)), None
    )
    record_event(
        db, lot,
        EventCreate(type="cleaning", time=T0 + timedelta(hours=1), corrects=cleaning.event_id,
                    data={"notes": "washed twice"}),
        None,
    )  # fmt: skip
    record_event(
        db, lot,
        EventCreate(type="testing", time=T0 + timedelta(hours=2),
                    data={"passed": True, "standard": "GB 2763-2021",
                          "lab": "金口河区农检站", "moisture_percent": 80.5}),
        None,
    )  # fmt: skip
    children = split_batch(
        db, lot,
        SplitCreate(children=[SplitChild(quantity=60), SplitChild(quantity=40)],
                    time=T0 + timedelta(hours=3)),
        None, lot_code_for,
    )  # fmt: skip
    merged = merge_batches(
        db,
        MergeCreate(parents=[children[1].lot_code, other], time=T0 + timedelta(hours=4)),
        None, lot_code_for,
    )  # fmt: skip
    db.commit()
    add_readings(
        db, COLD_DEVICE,
        every_minute(T0, 300, lambda i: 8.0 if 60 <= i < 100 else 3.0),
    )  # fmt: skip
    return {"lot": lot, "child": children[0].lot_code, "merged": merged.lot_code}


def events_of(document: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e for e in document["epcisBody"]["eventList"] if e["type"] == kind]


def test_a_batch_document_validates_and_tells_its_steps_and_cold_chain(
    db: psycopg.Connection, story: dict[str, str]
) -> None:
    document = epcis_document_for_batch(db, story["lot"], BASE, now=NOW)
    assert_valid(document)
    objects = events_of(document, "ObjectEvent")
    steps = [e.get("farmtrace:step") for e in objects]
    assert steps.count("cleaning") == 2 and "testing" in steps
    original = next(e for e in objects if e.get("farmtrace:step") == "cleaning"
                    and "errorDeclaration" in e)  # fmt: skip
    correction = next(e for e in objects if e.get("farmtrace:corrects") == original["eventID"])
    assert original["errorDeclaration"]["correctiveEventIDs"] == [correction["eventID"]]
    testing = next(e for e in objects if e.get("farmtrace:step") == "testing")
    assert (testing["bizStep"], testing["disposition"]) == ("inspecting", "conformant")
    [split] = [e for e in events_of(document, "TransformationEvent")
               if e["farmtrace:step"] == "splitting"]  # fmt: skip
    assert len(split["inputQuantityList"]) == 1 and len(split["outputQuantityList"]) == 2
    assert split["inputQuantityList"][0]["epcClass"].startswith(
        "https://id.gs1.org/01/06901234567892/10/"
    )
    [sensed] = [e for e in objects if e.get("bizStep") == "sensor_reporting"]
    [element] = sensed["sensorElementList"]
    [report] = element["sensorReport"]
    assert (report["type"], report["minValue"], report["maxValue"]) == ("Temperature", 3.0, 8.0)
    assert report["exception"] == "ALARM_CONDITION"
    assert element["sensorMetadata"]["startTime"] == "2026-05-06T00:00:00Z"
    harvests = [e for e in objects if e.get("bizStep") == "commissioning"]
    assert len(harvests) == 1 and harvests[0]["action"] == "ADD"


def test_a_split_is_the_same_event_in_parent_and_child_documents(
    db: psycopg.Connection, story: dict[str, str]
) -> None:
    parent = epcis_document_for_batch(db, story["lot"], BASE, now=NOW)
    child = epcis_document_for_batch(db, story["child"], BASE, now=NOW)
    merged = epcis_document_for_batch(db, story["merged"], BASE, now=NOW)
    for document in (child, merged):
        assert_valid(document)

    def transformation_ids(document: dict[str, Any], step: str) -> set[str]:
        return {e["eventID"] for e in events_of(document, "TransformationEvent")
                if e["farmtrace:step"] == step}  # fmt: skip

    assert transformation_ids(parent, "splitting") == transformation_ids(child, "splitting")
    [merge] = [e for e in events_of(merged, "TransformationEvent")
               if e["farmtrace:step"] == "merging"]  # fmt: skip
    assert len(merge["inputQuantityList"]) == 2 and len(merge["outputQuantityList"]) == 1


def test_a_query_document_covers_every_batch_in_the_period(
    db: psycopg.Connection, story: dict[str, str]
) -> None:
    document = epcis_document_for_query(
        db, BASE, since=T0 - timedelta(days=1), until=T0 + timedelta(days=1), now=NOW
    )
    assert_valid(document)
    ids = [e["eventID"] for e in document["epcisBody"]["eventList"]]
    assert len(ids) == len(set(ids))
    lots = {
        q["epcClass"].rsplit("/", 1)[-1]
        for e in document["epcisBody"]["eventList"]
        for key in ("quantityList", "inputQuantityList", "outputQuantityList")
        for q in e.get(key, [])
    }
    assert {story["lot"], story["child"], story["merged"]} <= lots


def test_the_api_serves_epcis_as_json_ld_to_readers(
    client: TestClient, story: dict[str, str], inspector_token: str
) -> None:
    assert client.get(f"/api/v1/batches/{story['lot']}/epcis").status_code == 401
    answer = client.get(f"/api/v1/batches/{story['lot']}/epcis", headers=bearer(inspector_token))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/ld+json")
    assert_valid(answer.json())
    query = client.get(
        f"/api/v1/epcis/events?lot={story['child']}&lot={story['merged']}",
        headers=bearer(inspector_token),
    )
    assert query.status_code == 200
    assert_valid(query.json())
    assert client.get("/api/v1/epcis/events", headers=bearer(inspector_token)).status_code == 400


EPCIS_CONTEXT_FILE = Path(__file__).parent.parent / "data" / "epcis-context.jsonld"
EXTENSION = f"{BASE}/ns/epcis#"


def _offline_loader(url: str, options: dict[str, Any]) -> dict[str, Any]:
    """GS1's published EPCIS context from tests/data; anything else is a test failure."""
    assert url == "https://ref.gs1.org/standards/epcis/epcis-context.jsonld", url
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": json.loads(EPCIS_CONTEXT_FILE.read_text())}  # fmt: skip


def _plain(expanded: Any) -> Any:
    """Expanded extension data read back: IRIs of our namespace to keys, @value to values,
    one-element arrays to their element (expansion makes every property an array)."""
    if isinstance(expanded, list):
        items = [_plain(item) for item in expanded]
        return items[0] if len(items) == 1 else items
    if isinstance(expanded, dict) and "@value" in expanded:
        return expanded["@value"]
    if isinstance(expanded, dict):
        return {key.removeprefix(EXTENSION): _plain(value) for key, value in expanded.items()
                if key.startswith(EXTENSION)}  # fmt: skip
    return expanded


def _single_items_unwrapped(value: Any) -> Any:
    if isinstance(value, list):
        items = [_single_items_unwrapped(item) for item in value]
        return items[0] if len(items) == 1 else items
    if isinstance(value, dict):
        return {key: _single_items_unwrapped(inner) for key, inner in value.items()}
    return value


def test_extension_data_survives_json_ld_expansion_with_the_official_context(
    db: psycopg.Connection, story: dict[str, str]
) -> None:
    data = {
        "lab": "金口河区农产品质量检测站",
        "standard": "GB 2763-2021",
        "passed": True,
        "operator": "王芳",
        "media": ["https://trace.example.cn/media/ab12.jpg"],
        "pesticide_residue": [
            {"substance": "毒死蜱", "value_mg_kg": 0.005, "limit_mg_kg": 0.02},
            {"substance": "多菌灵", "value_mg_kg": 0.1, "limit_mg_kg": 0.5},
        ],
    }
    record_event(db, story["child"], EventCreate(type="testing", time=NOW, data=data), None)
    db.commit()
    document = epcis_document_for_batch(db, story["child"], BASE)
    expanded = jsonld.expand(document, {"documentLoader": _offline_loader})
    recorded = [_plain(event[EXTENSION + "data"]) for event in _expanded_events(expanded)
                if EXTENSION + "data" in event]  # fmt: skip
    expected = _single_items_unwrapped(data)
    assert any(
        all(found.get(key) == value for key, value in expected.items()) for found in recorded
    ), recorded
    # Every value the export holds under farmtrace:data is still there after expansion.
    exported = [event["farmtrace:data"] for event in document["epcisBody"]["eventList"]
                if "farmtrace:data" in event]  # fmt: skip
    assert _leaf_values(exported) == _leaf_values(recorded) != []


def _leaf_values(value: Any) -> list[str]:
    if isinstance(value, dict):
        return sorted(leaf for inner in value.values() for leaf in _leaf_values(inner))
    if isinstance(value, list):
        return sorted(leaf for inner in value for leaf in _leaf_values(inner))
    return [] if value is None else [json.dumps(value, ensure_ascii=False)]


def _expanded_events(expanded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    body = expanded[0]["https://ref.gs1.org/epcis/epcisBody"][0]
    # The context makes eventList a set: the events are the property's values.
    return list(body["https://ref.gs1.org/epcis/eventList"])


def test_locations_with_a_gln_are_gs1_digital_link_uris_and_their_rooms_use_ai_254(
    db: psycopg.Connection,
) -> None:
    seed_district(db)
    db.execute("INSERT INTO locations (code, name, kind, gln) VALUES"
               " ('PC', '加工中心', 'warehouse', '6901234000016')")  # fmt: skip
    db.execute("UPDATE locations SET parent = 'PC' WHERE code = 'PC-COLD'")
    db.commit()
    lot = new_batch(db, location="PC")
    record_event(db, lot, EventCreate(type="cleaning", time=NOW, location="PC-COLD"), None)
    db.commit()
    document = epcis_document_for_batch(db, lot, BASE)
    assert_valid(document)
    places = {event["bizLocation"]["id"] for event in document["epcisBody"]["eventList"]
              if "bizLocation" in event}  # fmt: skip
    assert "https://id.gs1.org/414/6901234000016" in places
    assert "https://id.gs1.org/414/6901234000016/254/PC-COLD" in places
    assert "urn:farmtrace:location:VP-PUTI" in places
