from datetime import date
from decimal import Decimal

import psycopg
import pytest

from labels.lot_codes import is_valid_lot_code
from store.labels import load_label_data
from tests.labels.batch_rows import CHILD_LOT, PARENT_LOT, insert_gastrodia_batches


@pytest.fixture
def batches(db: psycopg.Connection) -> psycopg.Connection:
    insert_gastrodia_batches(db)
    return db


def test_label_reads_product_batch_and_origin_villages(batches: psycopg.Connection) -> None:
    label = load_label_data(batches, PARENT_LOT)
    assert label is not None
    assert is_valid_lot_code(label.lot_code)
    assert (label.product_name_zh, label.grade, label.gtin) == (
        "金口河天麻",
        "特级",
        "06901234567892",
    )
    assert (label.net_quantity, label.net_unit) == (Decimal("120"), "kg")
    assert label.origin_village is not None
    assert sorted(label.origin_village.split("、")) == sorted(["新民村", "蒲梯村"])


def test_pack_date_is_the_local_date_and_best_before_follows_shelf_life(
    batches: psycopg.Connection,
) -> None:
    label = load_label_data(batches, PARENT_LOT)
    assert label is not None
    # Packed 20:30 UTC on the 27th is 04:30 on the 28th in Sichuan.
    assert label.pack_date == date(2026, 11, 28)
    assert label.best_before == date(2027, 11, 27)


def test_split_pack_inherits_origin_and_keeps_its_own_best_before(
    batches: psycopg.Connection,
) -> None:
    label = load_label_data(batches, CHILD_LOT)
    assert label is not None
    assert set(label.origin_village.split("、")) == {"新民村", "蒲梯村"}  # type: ignore[union-attr]
    assert label.best_before == date(2027, 6, 30)
    assert (label.net_quantity, label.net_unit) == (Decimal("250"), "g")


def test_unknown_lot_has_no_label(batches: psycopg.Connection) -> None:
    assert load_label_data(batches, "NOSUCHLOT1") is None
