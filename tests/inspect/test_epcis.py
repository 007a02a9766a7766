"""EPCIS 2.0 exports validate against GS1's JSON schema and say what happened."""

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft7Validator, FormatChecker

from api.lot_codes import new_lot_code
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
                    data={"passed": True, "standard": "GB 2763-2021"}),
        None,
    )  # fmt: skip
    children = split_batch(
        db, lot,
        SplitCreate(children=[SplitChild(quantity=60), SplitChild(quantity=40)],
                    time=T0 + timedelta(hours=3)),
        None, new_lot_code,
    )  # fmt: skip
    merged = merge_batches(
        db,
        MergeCreate(parents=[children[1].lot_code, other], time=T0 + timedelta(hours=4)),
        None, new_lot_code,
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
