import itertools

import pytest

from labels import LabelData, LabelSize
from labels.layout import ASCENT, DESCENT, fit_title, layout_label
from tests.labels.conftest import BASE_URL

SIZES = [LabelSize(60, 40), LabelSize(63.5, 38.1), LabelSize(50, 30), LabelSize(100, 70)]


def _crowded(label: LabelData) -> LabelData:
    return label.model_copy(
        update={
            "product_name_zh": "金口河高山有机富硒绿茶精品礼盒装",
            "product_name_en": "Jinkouhe highland organic selenium-rich green tea gift box",
            "origin_village": "新民村、新乐村、新华村、新光村、胜利村",
        }
    )


@pytest.mark.parametrize("size", SIZES)
def test_column_lines_stack_without_overlap_above_the_lot_line(
    tianma_label: LabelData, size: LabelSize
) -> None:
    for label in (tianma_label, _crowded(tianma_label)):
        layout = layout_label(label, BASE_URL, size)
        *column, lot_line = layout.texts
        for upper, lower in itertools.pairwise(column):
            assert (
                upper.baseline + DESCENT * upper.size <= lower.baseline - ASCENT * lower.size + 0.01
            )
        assert (
            column[-1].baseline + DESCENT * column[-1].size
            < lot_line.baseline - ASCENT * lot_line.size
        )
        assert column[0].baseline - ASCENT * column[0].size >= 0
        assert lot_line.baseline <= size.height_mm
        # The column stays left of the QR code, which stays on the label.
        assert all(box.x + box.max_width <= layout.qr.x for box in column)
        assert layout.qr.x + layout.qr.size <= size.width_mm
        assert layout.qr.y + layout.qr.size <= lot_line.baseline - ASCENT * lot_line.size


def test_title_breaks_before_the_grade_when_the_name_fits_a_line(tianma_label: LabelData) -> None:
    tea = tianma_label.model_copy(update={"product_name_zh": "黑竹沟高山绿茶", "grade": "一级"})
    lines, _ = fit_title(tea, 5.2, 25)
    assert lines == ["黑竹沟高山绿茶", "一级"]
    short, size = fit_title(tianma_label, 5.2, 40)
    assert short == ["金口河天麻 特级"] and size == 5.2
