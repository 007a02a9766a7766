"""GTINs numbered from a GS1 Company Prefix."""

from itertools import islice

import pytest

from schemas.gs1 import InvalidGtin, company_gtins, is_valid_gtin


def test_a_prefix_numbers_valid_gtin_13s_from_its_highest_item_reference_down() -> None:
    gtins = list(company_gtins("6901234567"))
    assert len(gtins) == 100 and len(set(gtins)) == 100
    assert gtins[0] == "06901234567991" and gtins[-1].startswith("0690123456700")
    assert all(is_valid_gtin(gtin) and len(gtin) == 14 for gtin in gtins)
    assert list(islice(company_gtins("690123456789"), 5)) == ["06901234567892"]


@pytest.mark.parametrize("prefix", ["", "690", "69012345678901", "69O123"])
def test_a_prefix_that_is_not_4_to_12_digits_is_refused(prefix: str) -> None:
    with pytest.raises(InvalidGtin):
        next(company_gtins(prefix))
