"""Demo batches: a few days at the processing centre, told through the store's own writes.

Times count from an anchor (by default three days ago, at midnight in Jinkouhe), so the last
custody intervals stay open in the cold store, the warehouse and on a truck, where a running
simulator's readings then belong to them.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta

import psycopg

from farmtrace.demo.deliveries import deliver
from schemas.batches import (
    BatchCreate,
    EventCreate,
    MergeCreate,
    MoveCreate,
    SplitChild,
    SplitCreate,
)
from schemas.district_time import DISTRICT_TIME
from store.batches import LotCodeFactory, receive_batch
from store.custody import move_batch
from store.events import record_event
from store.genealogy import merge_batches, split_batch

# The district's testing station is real in kind but its name here is invented.
DEMO_LAB = "金口河区农产品质量检测站（示例）"
# The national grading standard for walnuts, which sets their moisture limit.
WALNUT_STANDARD = "GB/T 20398-2021"


def default_anchor(now: datetime | None = None) -> datetime:
    now = (now or datetime.now(DISTRICT_TIME)).astimezone(DISTRICT_TIME)
    return (now - timedelta(days=3)).replace(hour=0, minute=0, second=0, microsecond=0)


class _Story:
    """Shortcuts for telling one day's work as store writes, as the system user."""

    def __init__(
        self, conn: psycopg.Connection, anchor: datetime, make_lot_code: LotCodeFactory
    ) -> None:
        self.conn = conn
        self.anchor = anchor
        self.make_lot_code = make_lot_code

    def at(self, day: int, hours: float) -> datetime:
        return self.anchor + timedelta(days=day, hours=hours)

    def day(self, day: int) -> date:
        return self.at(day, 0).date()

    def receive(
        self,
        product: str,
        harvests: list[tuple[str, str, int, float]],
        time: datetime,
        grade: str | None = None,
    ) -> str:
        """Receive at the receiving bay what village points delivered; harvests are
        (producer, village, day, kg), each recorded as a delivery at its village point."""
        deliveries = deliver(
            self.conn,
            product,
            [(producer, village, self.day(day), kg) for producer, village, day, kg in harvests],
            time,
        )
        batch = BatchCreate(
            product=product,
            deliveries=deliveries,
            quantity=sum(kg for *_, kg in harvests),
            unit="kg",
            location="PC-RECEIVING",
            received_at=time,
            grade=grade,
        )
        return receive_batch(self.conn, batch, None, self.make_lot_code).lot_code

    def move(self, lot: str, location: str, time: datetime) -> None:
        move_batch(self.conn, lot, MoveCreate(location=location, time=time), None)

    def step(
        self, lot: str, kind: str, time: datetime, corrects: str | None = None, **data: object
    ) -> str:
        event = EventCreate.model_validate(
            {"type": kind, "time": time, "data": data, "corrects": corrects}
        )
        return str(record_event(self.conn, lot, event, None).event_id)


def _gastrodia(story: _Story) -> list[str]:
    lot = story.receive(
        "TIANMA-FRESH",
        [("COOP-XINMIN-TIANMA", "VP-XINMIN", -1, 150), ("F-WANG-GUIYING", "VP-XINLE", -1, 30)],
        story.at(0, 8.5),
        grade="一级",
    )
    story.move(lot, "PC-WASHING", story.at(0, 9))
    story.step(lot, "cleaning", story.at(0, 9.25), operator="刘师傅", notes="清水冲洗去泥")
    story.step(lot, "trimming", story.at(0, 10), operator="刘师傅", weight_after=172.5)
    story.step(
        lot, "testing", story.at(0, 11), passed=True, lab=DEMO_LAB, instrument="农残速测仪",
        standard="GB 2763-2021",
        pesticide_residue=[{"substance": "毒死蜱", "value_mg_kg": 0.005, "limit_mg_kg": 0.02}],
    )  # fmt: skip
    story.move(lot, "PC-PACKING", story.at(0, 13))
    story.step(lot, "sorting", story.at(0, 13.5), operator="王桂英", notes="按特级/一级分拣")
    # Split into the shares that are sold, then each share packed into its own coded packs:
    # the codes consumers scan are those of the batches they get, never of the consumed lot.
    children = split_batch(
        story.conn,
        lot,
        SplitCreate(children=[SplitChild(quantity=60)] * 3, time=story.at(0, 14)),
        None,
        story.make_lot_code,
    )
    for child in children:
        story.step(
            child.lot_code, "packing", story.at(0, 14.5), operator="王桂英",
            notes="500 g 真空袋", packs=120,
        )  # fmt: skip
        story.move(child.lot_code, "PC-COLD", story.at(0, 15.5))
    # One share leaves for Chengdu on the truck whose compressor fails; the others stay in
    # the cold store (fresh gastrodia wants 2–5 °C, which no warehouse here keeps).
    story.move(children[0].lot_code, "TRUCK-02", story.at(1, 7))
    return [lot, *(child.lot_code for child in children)]


def _green_tea(story: _Story) -> list[str]:
    lot = story.receive(
        "TEA-EMEI-GREEN", [("COOP-PUTI-TEA", "VP-PUTI", 1, 45)], story.at(1, 8), grade="特级"
    )
    story.move(lot, "PC-DRYING", story.at(1, 9))
    story.step(
        lot, "drying", story.at(1, 9.5), operator="沙马阿果", temperature_c=80,
        duration_minutes=240, weight_after=11.2, notes="杀青后烘干",
    )  # fmt: skip
    story.move(lot, "PC-PACKING", story.at(1, 14))
    story.step(lot, "sorting", story.at(1, 14.5), operator="沙马阿果")
    story.step(
        lot, "testing", story.at(1, 15), passed=True, moisture_percent=6.2, lab=DEMO_LAB,
        instrument="快速水分测定仪", standard="GB/T 14456.2-2018",
    )  # fmt: skip
    story.step(lot, "packing", story.at(1, 16), notes="250 g 铝箔袋", packs=40)
    story.move(lot, "PC-COLD", story.at(1, 17))
    return [lot]


def _walnuts(story: _Story) -> list[str]:
    first = story.receive("WALNUT", [("F-ABU-RE", "VP-YINGCHUN", 0, 200)], story.at(2, 8))
    second = story.receive(
        "WALNUT", [("COOP-JIXING-WALNUT", "VP-JIXING-TAIPING", 1, 300)], story.at(2, 9)
    )
    merged = merge_batches(
        story.conn,
        MergeCreate(parents=[first, second], time=story.at(2, 11), grade="一级"),
        None,
        story.make_lot_code,
    ).lot_code
    story.move(merged, "PC-PACKING", story.at(2, 11.5))
    mistaken = story.step(
        merged, "testing", story.at(2, 12), passed=True, moisture_percent=18.0, lab=DEMO_LAB,
        standard=WALNUT_STANDARD,
    )  # fmt: skip
    story.step(
        merged, "testing", story.at(2, 12), corrects=mistaken, passed=True,
        moisture_percent=8.0, lab=DEMO_LAB, standard=WALNUT_STANDARD,
        notes="含水率录入错误，更正为 8.0%",
    )  # fmt: skip
    story.step(merged, "packing", story.at(2, 14), notes="1 kg 网袋", packs=120)
    story.move(merged, "WH-DISTRICT", story.at(2, 16))
    return [first, second, merged]


def _cured_pork(story: _Story) -> list[str]:
    lot = story.receive(
        "LAROU-YONGSHENG", [("COOP-YONGSHENG-LAROU", "VP-YONGSHENG-HONGQI", -20, 80)],
        story.at(2, 10),
    )  # fmt: skip
    story.step(lot, "packing", story.at(2, 13), notes="500 g 真空包装", packs=60)
    story.move(lot, "WH-DISTRICT", story.at(2, 15))
    return [lot]


STORIES: list[Callable[[_Story], list[str]]] = [_gastrodia, _green_tea, _walnuts, _cured_pork]


def seed_demo_batches(
    conn: psycopg.Connection, make_lot_code: LotCodeFactory, anchor: datetime | None = None
) -> list[str]:
    """Write the demo batches; returns their lot codes."""
    story = _Story(conn, anchor or default_anchor(), make_lot_code)
    return [lot for tell in STORIES for lot in tell(story)]
