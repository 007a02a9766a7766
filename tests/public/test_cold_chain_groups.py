"""Cold chains read as a group (as the summary workers rebuild pages) are each the one the
batch gets alone: a split child shows its parent's stay, a merge both parents', whether or
not those parents are in the group too."""

from datetime import timedelta

import psycopg
import pytest

from labels.lot_codes import lot_code_for
from schemas.batches import MergeCreate, SplitChild, SplitCreate
from store.cold_chain_summary import cold_chain_of, cold_chains_of
from store.errors import NotFoundError
from store.genealogy import merge_batches, split_batch
from tests.inspect.cold_chain import (
    COLD_DEVICE,
    T0,
    TRUCK_DEVICE,
    add_readings,
    every_minute,
    minutes,
    move,
    new_batch,
    seed_district,
)

NOW = T0 + timedelta(hours=8)


def _district(db: psycopg.Connection) -> dict[str, str]:
    """A batch held throughout, a parent split into two cases (one sent on by truck), and a
    merge of the other case with a second batch; readings with an excursion in the truck."""
    seed_district(db)
    held = new_batch(db)
    parent = new_batch(db, at=T0 + minutes(5))
    other = new_batch(db, at=T0 + minutes(10))
    cases = split_batch(
        db, parent, SplitCreate(children=[SplitChild(quantity=40), SplitChild(quantity=40)],
                                time=T0 + timedelta(hours=2)),
        None, lot_code_for,
    )  # fmt: skip
    db.commit()
    move(db, cases[0].lot_code, "TRUCK-01", T0 + timedelta(hours=3))
    merged = merge_batches(
        db, MergeCreate(parents=[cases[1].lot_code, other], time=T0 + timedelta(hours=4)),
        None, lot_code_for,
    )  # fmt: skip
    db.commit()
    add_readings(db, COLD_DEVICE, every_minute(T0, 8 * 60, lambda i: 3.0 + (i % 7) / 10))
    add_readings(db, TRUCK_DEVICE, every_minute(T0, 8 * 60, lambda i: 9.0 if i > 200 else 4.0))
    return {"held": held, "parent": parent, "sent": cases[0].lot_code,
            "kept": cases[1].lot_code, "merged": merged.lot_code, "other": other}  # fmt: skip


def test_a_group_gives_each_batch_its_own_cold_chain(db: psycopg.Connection) -> None:
    lots = _district(db)
    alone = {lot: cold_chain_of(db, lot, NOW) for lot in lots.values()}
    assert alone[lots["sent"]].verdict == "excursions"
    assert alone[lots["sent"]].spans[0].start == T0 + minutes(5)  # the parent's stay
    # Both parents' stays side by side in the cold store, the first since the split's parent.
    assert alone[lots["merged"]].spans[0].start == T0 + minutes(5)
    everything = cold_chains_of(db, list(lots.values()), NOW)
    assert everything == alone
    # Children without their parents in the group, and a lot code as typed.
    children = cold_chains_of(db, [lots["sent"], lots["merged"].lower()], NOW)
    assert children == {lots["sent"]: alone[lots["sent"]], lots["merged"]: alone[lots["merged"]]}


def test_a_group_with_an_unknown_lot_is_refused(db: psycopg.Connection) -> None:
    lots = _district(db)
    with pytest.raises(NotFoundError):
        cold_chains_of(db, [lots["held"], "NO-SUCH-LOT"], NOW)
