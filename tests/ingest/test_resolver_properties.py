"""Whatever a device sends, the resolver answers with readings and dead letters, never an error.

Hypothesis feeds it arbitrary bytes, arbitrary JSON and SenML-shaped packs of arbitrary
values; every dead letter it returns is then written to PostgreSQL, as the writer would.
"""

import json
import math

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.messages import COPY_SIGNATURE, COPY_TRAILER, Limits, resolve_message
from schemas.senml import base_name, telemetry_topic
from store.dead_letters import write_dead_letters

DEVICE = "truck-01"
TOPIC = telemetry_topic(DEVICE)
NOW = 1_780_000_000.0
LIMITS = Limits(max_payload_bytes=1 << 20, max_records=500, dead_letter_payload_cap=2048)
PROPERTY_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Numbers as a hostile device writes them: huge integers, NaN, infinities, negative zero.
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=10**300, max_value=10**1000),
    st.floats(allow_nan=True, allow_infinity=True),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=40))
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=30,
)
senml_fields = st.sampled_from(
    ["bn", "bt", "bu", "bv", "bver", "n", "u", "v", "vb", "vs", "t", "s", "ut", "x_", ""]
)
senml_records = st.dictionaries(
    senml_fields,
    st.one_of(
        json_values,
        st.sampled_from(["temp", "hum", "door", "Cel", "%RH", base_name(DEVICE), ""]),
        st.floats(min_value=-100, max_value=NOW + 1000),
    ),
    max_size=8,
)
senml_packs = st.lists(senml_records, max_size=20)


def check(payload: bytes, db: psycopg.Connection) -> None:
    resolution = resolve_message(TOPIC, payload, {DEVICE}, NOW, LIMITS)
    for letter in resolution.dead_letters:
        assert not letter.reason.startswith("could not be read"), letter.reason
        assert len(letter.payload) <= LIMITS.dead_letter_payload_cap
        assert letter.reason.encode() and "\0" not in letter.reason
    if resolution.newest is not None:
        assert math.isfinite(resolution.newest)
    with db.transaction(force_rollback=True), db.cursor() as cur:
        write_dead_letters(cur, resolution.dead_letters)
        # The readings are rows PostgreSQL takes: finite, within bounds, in SenML's era.
        cur.execute("CREATE TEMP TABLE copied (LIKE readings) ON COMMIT DROP")
        with cur.copy(
            "COPY copied (time, device_id, metric, value) FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.write(COPY_SIGNATURE + resolution.copy_rows + COPY_TRAILER)
        row = cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE value = 'NaN' OR abs(value) > 180"
            " OR time < '2015-01-01' OR device_id <> %s) FROM copied",
            (DEVICE,),
        ).fetchone()
        assert row == (resolution.rows, 0)


@PROPERTY_SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(db: psycopg.Connection, payload: bytes) -> None:
    check(payload, db)


@PROPERTY_SETTINGS
@given(json_values)
def test_arbitrary_json_never_raises(db: psycopg.Connection, value: object) -> None:
    check(json.dumps(value).encode(), db)


@PROPERTY_SETTINGS
@given(senml_packs)
def test_senml_shaped_packs_never_raise_and_store_only_sound_readings(
    db: psycopg.Connection, pack: list[dict[str, object]]
) -> None:
    payload = json.dumps(pack).encode()
    check(payload, db)
    resolution = resolve_message(TOPIC, payload, {DEVICE}, NOW, LIMITS)
    if resolution.arrival is not None:
        assert resolution.arrival.row_count == resolution.rows
        assert resolution.arrival.first_time.timestamp() >= 1_420_070_400.0


def test_deep_nesting_and_long_integers_are_refused_with_a_reason() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    digits = b'[{"n": "temp", "u": "Cel", "v": ' + b"9" * 5000 + b"}]"
    reasons = [
        resolve_message(TOPIC, payload, {DEVICE}, NOW, LIMITS).dead_letters[0].reason
        for payload in (deep, digits)
    ]
    assert reasons[0] == "not JSON this collector reads: nested too deeply"
    assert reasons[1].startswith("not JSON: Exceeds the limit")
