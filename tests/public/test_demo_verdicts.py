"""Every demo batch's page: its verdict, range and chart come from the same cold-chain spans.

This pins the contradiction consumers noticed: a verdict of 符合要求 beside a range and a
chart that included the processing rooms (a drying room at 80 °C), or a batch never cooled.
"""

from datetime import datetime, timedelta
from itertools import pairwise

import psycopg
import pytest

from api.provenance_page import render_page
from farmtrace.demo.seed import seed_demo
from farmtrace.demo.showcase import demo_labels, find_showcase
from schemas.provenance import ChainSpan, ColdChain, ProvenanceSummary
from store.batches import batch_row
from store.db import database_now
from store.provenance import compute_summary
from tests.public.demo_fleet import seed_demo_with_readings

HELD = "储运温度符合要求"


@pytest.fixture
def demo_pages(db: psycopg.Connection) -> list[tuple[ProvenanceSummary, str]]:
    lots = seed_demo_with_readings(db)
    summaries = [compute_summary(db, batch_row(db, lot)["id"]) for lot in lots]
    return [(summary, render_page(summary, "zh").decode()) for summary in summaries]


def _within(moment: datetime, spans: list[ChainSpan], slack: timedelta, now: datetime) -> bool:
    return any(span.start - slack <= moment < (span.end or now) + slack for span in spans)


def _bucket_width(cold_chain: ColdChain) -> timedelta:
    times = [point.time for point in cold_chain.chart]
    return min((b - a for a, b in pairwise(times)), default=timedelta(0))


def test_every_demo_batch_is_judged_ranged_and_charted_on_the_same_spans(
    db: psycopg.Connection, demo_pages: list[tuple[ProvenanceSummary, str]]
) -> None:
    now = database_now(db)
    for summary, page in demo_pages:
        cc = summary.cold_chain
        assert cc is not None, summary.lot_code
        values = [v for point in cc.chart for v in (point.low, point.high) if v is not None]
        assert (cc.temp_min, cc.temp_max) == (
            (min(values), max(values)) if values else (None, None)
        ), summary.lot_code
        width = _bucket_width(cc)
        for point in cc.chart:
            if point.mean is not None:
                assert _within(point.time, cc.spans, width, now), (summary.lot_code, point)
        for finding in cc.findings:
            assert _within(finding.start, cc.spans, timedelta(0), now), (summary.lot_code, finding)
        excursions = [f for f in cc.findings if f.kind == "excursion"]
        assert (cc.verdict == "excursions") == bool(excursions), summary.lot_code
        if cc.verdict == "held":
            assert cc.spans and not cc.findings and values, summary.lot_code
            band_low = cc.band_min if cc.band_min is not None else float("-inf")
            band_high = cc.band_max if cc.band_max is not None else float("inf")
            if not band_low <= cc.temp_min <= cc.temp_max <= band_high:  # type: ignore[operator]
                assert "温度曾短暂超出要求范围" in page, summary.lot_code
        assert (HELD in page) == (cc.verdict == "held"), summary.lot_code
        if not cc.spans:
            assert cc.verdict == "not_cooled" and "尚未进入冷链" in page, summary.lot_code


def test_the_demo_shows_a_held_batch_the_compressor_failure_and_a_batch_never_cooled(
    demo_pages: list[tuple[ProvenanceSummary, str]],
) -> None:
    verdicts = {summary.cold_chain.verdict for summary, _ in demo_pages if summary.cold_chain}
    assert {"held", "excursions", "not_cooled"} <= verdicts, verdicts
    [tea] = [summary for summary, _ in demo_pages if summary.product_name_zh == "峨眉山茶（绿茶）"]
    assert tea.cold_chain is not None
    drying = [stay for stay in tea.cold_chain.processing if stay.location_name == "烘干房"]
    assert drying and drying[0].temp_max is not None and drying[0].temp_max > 40
    assert tea.cold_chain.temp_max is not None and tea.cold_chain.temp_max < 40, (
        "the drying room's heat is the step, never folded into the cold chain's range"
    )


def test_an_excursion_page_says_what_happened_what_to_do_and_whom_to_call(
    demo_pages: list[tuple[ProvenanceSummary, str]],
) -> None:
    [(summary, page)] = [
        (summary, page) for summary, page in demo_pages
        if summary.cold_chain and any(
            f.location_name and "J0202" in f.location_name for f in summary.cold_chain.findings
        )
    ]  # fmt: skip
    assert summary.cold_chain is not None
    for text in ("发生了什么", "温度超出要求，持续", "您可以怎么做", "请勿食用", "12315"):
        assert text in page, text
    ongoing = any(f.ongoing for f in summary.cold_chain.findings if f.kind == "excursion")
    assert ("目前仍未恢复" in page) == ongoing
    assert page.index("发生了什么") < page.index("<h2>产地</h2>")


def test_the_demo_label_sheet_has_case_labels_for_batches_in_hand_and_pack_labels(
    db: psycopg.Connection,
) -> None:
    seed_demo(db, batches=True, anchor=None)
    db.commit()
    labels = demo_labels(db)
    consumed = {
        row[0] for row in db.execute("SELECT lot_code FROM batches WHERE status = 'consumed'")
    }
    assert consumed and not consumed & {label.lot_code for label in labels}
    packs = [label for label in labels if label.serial]
    assert packs and all(label.gtin for label in packs)
    tea = [label for label in packs if label.product_name_zh == "峨眉山茶（绿茶）"]
    assert tea and all((label.net_quantity, label.net_unit) == (250, "g") for label in tea)
    assert len({label.serial for label in packs}) == len(packs)


def test_the_demo_showcases_batches_in_hand_with_the_verdicts_their_pages_give(
    db: psycopg.Connection, demo_pages: list[tuple[ProvenanceSummary, str]]
) -> None:
    showcase = find_showcase(db)
    held, excursion = showcase.held.lot_code, showcase.excursion.lot_code
    assert held and excursion, (showcase.held.why_not, showcase.excursion.why_not)
    verdicts = {s.lot_code: s.cold_chain.verdict for s, _ in demo_pages if s.cold_chain}
    assert verdicts[held] == "held"
    assert verdicts[excursion] == "excursions"
    statuses = db.execute(
        "SELECT status FROM batches WHERE lot_code = ANY(%s)", ([held, excursion],)
    ).fetchall()
    assert len(statuses) == 2 and ("consumed",) not in statuses, "a pack carries their codes"
