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
