"""Excursion and gap rules on constructed histories: boundaries and short runs."""

from datetime import UTC, datetime, timedelta

from store.detection import Limits, excursions, out_of_band_runs, silences

T = datetime(2026, 5, 6, 8, 0, tzinfo=UTC)
BAND = Limits(2.0, 5.0)
ALLOWED = timedelta(minutes=30)
GAP = timedelta(minutes=10)


def series(values: list[float], step_min: int = 1) -> list[tuple[datetime, float]]:
    return [(T + timedelta(minutes=i * step_min), v) for i, v in enumerate(values)]


def test_a_value_on_the_limit_is_inside_the_band() -> None:
    assert out_of_band_runs(series([5.0, 2.0, 5.0, 2.0]), BAND, GAP) == []


def test_an_excursion_shorter_than_allowed_is_not_reported() -> None:
    values = [4.0] + [7.0] * 29 + [4.0]  # out from minute 1, back at minute 30: 29 minutes
    assert len(out_of_band_runs(series(values), BAND, GAP)) == 1
    assert excursions(series(values), BAND, ALLOWED, GAP) == []


def test_an_excursion_of_exactly_the_allowance_is_not_reported_but_one_minute_more_is() -> None:
    exactly = [4.0] + [7.0] * 30 + [4.0]
    assert excursions(series(exactly), BAND, ALLOWED, GAP) == []
    longer = [4.0] + [7.0] * 31 + [4.0]
    [run] = excursions(series(longer), BAND, ALLOWED, GAP)
    assert run.start == T + timedelta(minutes=1)
    assert run.end == T + timedelta(minutes=32)
    assert run.duration == timedelta(minutes=31)


def test_the_peak_is_the_worst_deviation_on_either_side() -> None:
    values = [4.0] + [6.0, 9.5, 1.0, -3.0, 6.0] * 8 + [4.0]
    [run] = excursions(series(values), BAND, ALLOWED, GAP)
    assert run.peak == -3.0 and run.deviation == 5.0


def test_an_excursion_still_going_ends_at_the_last_reading() -> None:
    values = [3.0] + [8.0] * 40
    [run] = excursions(series(values), BAND, ALLOWED, GAP)
    assert run.ongoing and run.end == T + timedelta(minutes=40)


def test_a_silence_breaks_an_excursion_into_runs() -> None:
    before = series([8.0] * 20)
    after = [(t + timedelta(minutes=60), v) for t, v in series([8.0] * 20)]
    runs = out_of_band_runs(before + after, BAND, GAP)
    assert [run.duration for run in runs] == [timedelta(minutes=19)] * 2
    assert excursions(before + after, BAND, ALLOWED, GAP) == []


def test_a_humidity_ceiling_has_no_floor() -> None:
    ceiling = Limits(None, 70.0)
    assert out_of_band_runs(series([0.0, 70.0]), ceiling, GAP) == []
    assert len(out_of_band_runs(series([71.0]), ceiling, GAP)) == 1


def test_silences_longer_than_allowed_are_gaps_including_the_ends() -> None:
    times = [T + timedelta(minutes=m) for m in (5, 15, 26, 30)]
    found = silences(times, T, T + timedelta(minutes=45), GAP)
    # 0→5 and 5→15 are within ten minutes; 15→26 is eleven; 30→45 is fifteen.
    assert [(s.start, s.end) for s in found] == [
        (T + timedelta(minutes=15), T + timedelta(minutes=26)),
        (T + timedelta(minutes=30), T + timedelta(minutes=45)),
    ]


def test_no_readings_at_all_is_one_gap_over_the_whole_interval() -> None:
    [gap] = silences([], T, T + timedelta(hours=2), GAP)
    assert gap.duration == timedelta(hours=2)
