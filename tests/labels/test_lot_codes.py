import math
import re
from datetime import date

import pytest

from labels.lot_codes import (
    ALPHABET,
    MAX_LENGTH,
    RANDOM_LENGTH,
    generate_lot_code,
    is_valid_lot_code,
    normalize_lot_code,
)


def _draws(count: int) -> list[str]:
    return [generate_lot_code("TM", date(2026, 11, 28)) for _ in range(count)]


def test_lot_code_is_at_most_20_uppercase_alphanumerics() -> None:
    for code in [
        *_draws(200),
        generate_lot_code(),
        generate_lot_code("gastrodia-tea", date.today()),
    ]:
        assert len(code) <= MAX_LENGTH
        assert re.fullmatch(r"[0-9A-Z]+", code), code
        assert is_valid_lot_code(code)


def test_lot_code_starts_with_readable_prefix_and_date() -> None:
    code = generate_lot_code("tm", date(2026, 11, 28))
    assert code.startswith("TM261128")
    assert len(code) == len("TM261128") + RANDOM_LENGTH + 1


def test_long_prefix_is_cleaned_and_cut_to_keep_20_characters() -> None:
    code = generate_lot_code("high-land veg 高山", date(2026, 1, 2))
    assert code.startswith("HIGH260102")
    assert len(code) == MAX_LENGTH


def test_random_part_carries_at_least_40_bits() -> None:
    assert RANDOM_LENGTH * math.log2(len(ALPHABET)) >= 40
    random_parts = {code[len("TM261128") : -1] for code in _draws(2000)}
    # Every one of the 36 characters turns up in every random position.
    for position in range(RANDOM_LENGTH):
        assert {part[position] for part in random_parts} == set(ALPHABET)


def test_lot_codes_do_not_repeat_over_many_draws() -> None:
    codes = _draws(100_000)
    assert len(set(codes)) == len(codes)


@pytest.mark.parametrize("code", ["TM2611284KQ8ZP1XD6", "CY2611289RT3MX0QB1"])
def test_check_character_catches_every_single_character_substitution(code: str) -> None:
    assert is_valid_lot_code(code)
    for position, original in enumerate(code):
        for replacement in ALPHABET.replace(original, ""):
            typo = code[:position] + replacement + code[position + 1 :]
            assert not is_valid_lot_code(typo), typo


def test_check_character_catches_every_adjacent_transposition() -> None:
    for code in _draws(500):
        for position in range(len(code) - 1):
            first, second = code[position], code[position + 1]
            if first == second:
                continue
            swapped = code[:position] + second + first + code[position + 2 :]
            assert not is_valid_lot_code(swapped), (code, swapped)


@pytest.mark.parametrize(
    "text",
    ["", "A", "tm2611284kq8zp1xd6", "TM2611284KQ8ZP1XD6TM2", "TM-2611284KQ8ZP1XD6", "TM 261128"],
)
def test_malformed_lot_codes_are_refused(text: str) -> None:
    assert not is_valid_lot_code(text)


def test_typed_lot_code_is_normalised_to_its_printed_form() -> None:
    assert normalize_lot_code(" tm2611284kq8 zp1xd6\n") == "TM2611284KQ8ZP1XD6"
    assert is_valid_lot_code(normalize_lot_code("tm2611284kq8zp1xd6"))
