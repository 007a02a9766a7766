import json

import pytest

from schemas.senml import PackRefused, base_name, resolve_pack

NOW = 1_780_000_000.0


def resolve(pack: object) -> tuple[list, list]:
    return resolve_pack(pack, "truck-01", NOW, max_records=1000)


def test_base_time_and_unit_apply_to_the_records_after_them() -> None:
    readings, refused = resolve(
        [
            {"bn": base_name("truck-01"), "bt": NOW - 60, "bu": "Cel", "n": "temp", "v": 3.5},
            {"n": "temp", "t": 30, "v": 3.7},
            {"n": "door", "t": 30, "vb": True},
            {"n": "hum", "u": "%RH", "t": 30, "v": 88},
        ]
    )
    assert refused == []
    assert [(r.metric, r.time.timestamp(), r.value) for r in readings] == [
        ("temp", NOW - 60, 3.5),
        ("temp", NOW - 30, 3.7),
        ("door", NOW - 30, 1.0),
        ("hum", NOW - 30, 88.0),
    ]


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"n": "temp", "u": "Cel", "v": 400, "t": NOW}, "outside physical bounds"),
        ({"n": "temp", "u": "Cel", "v": float("nan"), "t": NOW}, "NaN"),
        ({"n": "temp", "u": "Far", "v": 40, "t": NOW}, "unit"),
        ({"n": "temp", "u": "Cel", "v": 4, "t": NOW + 86400}, "future"),
        ({"n": "temp", "u": "Cel", "v": 4, "t": 1_000_000_000}, "before 2015"),
        ({"n": "smell", "u": "Cel", "v": 4, "t": NOW}, "unknown metric"),
    ],
)
def test_a_bad_record_is_refused_with_its_reason(record: dict, reason: str) -> None:
    pack = json.loads(json.dumps([record, {"n": "temp", "u": "Cel", "v": 4, "t": NOW}]))
    readings, refused = resolve(pack)
    assert len(readings) == 1
    assert len(refused) == 1 and reason in refused[0].reason


def test_a_base_name_of_another_device_refuses_the_message() -> None:
    with pytest.raises(PackRefused, match="does not name device"):
        resolve([{"bn": base_name("truck-02"), "n": "temp", "u": "Cel", "v": 1, "t": NOW}])


# RFC 8428 §5.1's examples, adapted only in what our registry names: the device (ow:… →
# farmtrace:truck-01), the metrics and registered units (voltage/V → temp/Cel, current/A →
# hum/%RH, temperature → temp, humidity → hum, open → door); 120.1 V becomes 12.1 °C, within
# a sensor's bounds; absolute times before 2015 are moved by SHIFT, a whole number of seconds.
DEVICE = "truck-01"
BN = base_name(DEVICE)
SHIFT = 500_000_000


def readings_of(pack: object) -> list[tuple[str, float, float]]:
    readings, refused = resolve(pack)
    assert refused == []
    return [(r.metric, r.time.timestamp(), r.value) for r in readings]


def test_rfc_5_1_1_single_datapoint_without_time_is_now() -> None:
    assert readings_of([{"n": BN + "temp", "u": "Cel", "v": 23.1}]) == [("temp", NOW, 23.1)]


def test_rfc_5_1_2_multiple_datapoints_name_their_metric_after_the_base_name() -> None:
    pack = [{"bn": BN, "n": "temp", "u": "Cel", "v": 12.1}, {"n": "hum", "u": "%RH", "v": 1.2}]
    assert readings_of(pack) == [("temp", NOW, 12.1), ("hum", NOW, 1.2)]


def test_rfc_5_1_3_multiple_measurements_with_base_time_unit_and_version() -> None:
    bt = 1.276020076001e09 + SHIFT
    pack = [
        {"bn": BN, "bt": bt, "bu": "%RH", "bver": 5, "n": "temp", "u": "Cel", "v": 12.1},
        {"n": "hum", "t": -5, "v": 1.2},
        {"n": "hum", "t": -4, "v": 1.3},
        {"n": "hum", "t": -3, "v": 1.4},
        {"n": "hum", "t": -2, "v": 1.5},
        {"n": "hum", "t": -1, "v": 1.6},
        {"n": "hum", "v": 1.7},
    ]
    readings, refused = resolve_pack(pack, DEVICE, bt + 60, 100)
    assert refused == []
    assert [(r.metric, r.time.timestamp() - bt, r.value) for r in readings] == [
        ("temp", 0.0, 12.1),
        ("hum", pytest.approx(-5), 1.2),
        ("hum", pytest.approx(-4), 1.3),
        ("hum", pytest.approx(-3), 1.4),
        ("hum", pytest.approx(-2), 1.5),
        ("hum", pytest.approx(-1), 1.6),
        ("hum", 0.0, 1.7),
    ]


def test_rfc_5_1_4_resolved_data_names_the_device_in_each_record() -> None:
    t = 1.320067464e09 + SHIFT
    pack = [
        {"n": BN + "temp", "t": t, "u": "Cel", "v": 12.1},
        {"n": BN + "hum", "t": t, "u": "%RH", "v": 1.2},
    ]
    readings, refused = resolve_pack(pack, DEVICE, t + 60, 100)
    assert refused == []
    assert [(r.metric, r.time.timestamp(), r.value) for r in readings] == [
        ("temp", t, 12.1),
        ("hum", t, 1.2),
    ]


def test_rfc_5_1_5_multiple_data_types_keep_what_the_registry_knows() -> None:
    pack = [
        {"bn": BN, "n": "temp", "u": "Cel", "v": 23.1},
        {"n": "label", "vs": "Machine Room"},
        {"n": "door", "vb": False},
        {"n": "nfc-reader", "vd": "aGkgCg"},
    ]
    readings, refused = resolve(pack)
    assert [(r.metric, r.value) for r in readings] == [("temp", 23.1), ("door", 0.0)]
    assert [(r.index, r.reason) for r in refused] == [
        (1, "unknown metric 'label'"),
        (3, "unknown metric 'nfc-reader'"),
    ]


def test_rfc_5_1_6_collection_of_resources_refuses_another_devices_base_name() -> None:
    t = 1.320078429e09 + SHIFT
    own = [
        {"bn": BN, "bt": t, "n": "temp", "u": "Cel", "v": 27.2},
        {"n": "hum", "u": "%RH", "v": 80},
    ]
    readings, refused = resolve_pack(own, DEVICE, t + 60, 100)
    assert refused == []
    assert [(r.metric, r.time.timestamp(), r.value) for r in readings] == [
        ("temp", t, 27.2),
        ("hum", t, 80.0),
    ]
    # One device's topic carries that device's readings only.
    with pytest.raises(PackRefused, match="does not name device"):
        other = {"bn": base_name("truck-02"), "n": "temp", "u": "Cel", "v": 12.3}
        resolve_pack([*own, other], DEVICE, t + 60, 100)


def test_base_value_is_added_to_each_value() -> None:
    pack = [
        {"bv": 20, "n": "temp", "u": "Cel", "v": -16},
        {"n": "temp", "u": "Cel", "v": 0.5, "t": -1},
    ]
    assert readings_of(pack) == [
        ("temp", NOW, 4.0),
        ("temp", NOW - 1, 20.5),
    ]


def test_a_name_built_of_base_name_and_name_may_split_anywhere() -> None:
    pack = [{"bn": "urn:dev:farmtrace:", "n": "truck-01:temp", "u": "Cel", "v": 3.0}]
    assert readings_of(pack) == [("temp", NOW, 3.0)]
    readings, refused = resolve([{"n": base_name("truck-02") + "temp", "u": "Cel", "v": 3.0}])
    assert readings == [] and "is not of this device" in refused[0].reason


@pytest.mark.parametrize(("t", "expected"), [(0, NOW), (-90, NOW - 90), (5, NOW + 5)])
def test_a_small_time_counts_from_now(t: float, expected: float) -> None:
    assert readings_of([{"n": "temp", "u": "Cel", "v": 3.0, "t": t}]) == [("temp", expected, 3.0)]


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"bver": 11}, "SenML version 11 is newer than 10"),
        ({"bver": "10"}, "base version is not a positive integer"),
        ({"colour_": "red"}, "must-understand field 'colour_'"),
        ({"bt": 10**400}, "base time is not a finite number"),
        ({"bv": 10**400}, "base value is not a finite number"),
    ],
)
def test_a_pack_that_must_not_be_used_is_refused_whole(record: dict, reason: str) -> None:
    pack = [{"n": "temp", "u": "Cel", "v": 3.0}, {"n": "temp", "u": "Cel", "v": 3.0, **record}]
    with pytest.raises(PackRefused, match=reason):
        resolve(pack)


def test_a_boolean_record_takes_no_base_unit() -> None:
    pack = [{"bu": "Cel", "n": "temp", "v": 3.0}, {"n": "door", "vb": True}]
    assert readings_of(pack) == [("temp", NOW, 3.0), ("door", NOW, 1.0)]


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"n": "temp", "u": "Cel", "v": 10**400}, "needs a numeric value"),
        ({"n": "temp", "u": "Cel", "v": 3, "t": 10**400}, "time is not a number"),
        ({"n": "\ud800", "u": "Cel", "v": 3}, "unknown metric '\\\\ud800'"),
        ({"n": "x" * 3_000_000, "u": "Cel", "v": 3}, "unknown metric 'xxx"),
    ],
)
def test_a_hostile_record_is_refused_with_a_short_ascii_reason(record: dict, reason: str) -> None:
    readings, refused = resolve([record])
    assert readings == []
    assert reason.replace("\\\\", "\\") in refused[0].reason
    assert refused[0].reason.isascii() and len(refused[0].reason) < 200
