import pytest

from labels.digital_link import DigitalLink, InvalidLink, build_digital_link, parse_digital_link
from schemas.gs1 import InvalidGtin, gtin_check_digit, is_valid_gtin, normalize_gtin


@pytest.mark.parametrize(
    ("gtin", "gtin14"),
    [
        ("96385074", "00000096385074"),  # GTIN-8 (EAN-8)
        ("036000291452", "00036000291452"),  # GTIN-12 (UPC-A)
        ("4006381333931", "04006381333931"),  # GTIN-13 (EAN-13)
        ("6901234567892", "06901234567892"),  # GTIN-13 with a Chinese 690 prefix
        ("09506000134352", "09506000134352"),  # GTIN-14 from GS1's Digital Link examples
    ],
)
def test_valid_gtins_are_padded_to_14_digits(gtin: str, gtin14: str) -> None:
    assert normalize_gtin(gtin) == gtin14
    assert is_valid_gtin(gtin)
    assert gtin_check_digit(gtin[:-1]) == gtin[-1]


@pytest.mark.parametrize(
    "gtin",
    [
        "4006381333932",
        "09506000134353",
        "96385075",
        "1234567",
        "12345678901",
        "123456789012345",
        "400638133393X",
        "",
    ],
)
def test_gtin_with_wrong_check_digit_or_length_is_refused(gtin: str) -> None:
    assert not is_valid_gtin(gtin)
    with pytest.raises(InvalidGtin):
        normalize_gtin(gtin)


def test_uri_with_gtin_is_a_gs1_digital_link() -> None:
    uri = build_digital_link("https://trace.example.cn/", "TM2611284KQ8ZP1XD6", "6901234567892")
    assert uri == "https://trace.example.cn/01/06901234567892/10/TM2611284KQ8ZP1XD6"


def test_uri_without_gtin_uses_the_short_form() -> None:
    uri = build_digital_link("https://trace.example.cn", "TM2611284KQ8ZP1XD6")
    assert uri == "https://trace.example.cn/l/TM2611284KQ8ZP1XD6"


def test_serial_follows_the_lot() -> None:
    uri = build_digital_link("https://t.example.cn", "LOT1", "09506000134352", serial="0042")
    assert uri.endswith("/01/09506000134352/10/LOT1/21/0042")
    with pytest.raises(InvalidLink):
        build_digital_link("https://t.example.cn", "LOT1", serial="0042")


def test_lot_characters_outside_unreserved_set_are_percent_encoded() -> None:
    uri = build_digital_link("https://t.example.cn", "AB/12%3&x", "09506000134352")
    assert uri.endswith("/10/AB%2F12%253%26x")
    assert parse_digital_link(uri).lot_code == "AB/12%3&x"


def test_lot_outside_the_gs1_character_set_is_refused() -> None:
    with pytest.raises(InvalidLink):
        build_digital_link("https://t.example.cn", "天麻01")
    with pytest.raises(InvalidLink):
        build_digital_link("https://t.example.cn", "A" * 21)


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        (
            "https://trace.example.cn/01/06901234567892/10/TM2611284KQ8ZP1XD6",
            DigitalLink("TM2611284KQ8ZP1XD6", "06901234567892"),
        ),
        (
            "HTTPS://TRACE.EXAMPLE.CN/01/06901234567892/10/TM2611284KQ8ZP1XD6",
            DigitalLink("TM2611284KQ8ZP1XD6", "06901234567892"),
        ),
        (
            "https://example.cn/trace/01/6901234567892/10/LOT7/21/S1?linkType=gs1:pip",
            DigitalLink("LOT7", "06901234567892", "S1", canonical=False),
        ),
        ("https://example.cn/01/09506000134352", DigitalLink(None, "09506000134352")),
        ("/l/TM2611284KQ8ZP1XD6", DigitalLink("TM2611284KQ8ZP1XD6")),
        ("HTTPS://TRACE.EXAMPLE.CN/L/TM2611284KQ8ZP1XD6", DigitalLink("TM2611284KQ8ZP1XD6")),
    ],
)
def test_uri_parses_back_to_its_keys(uri: str, expected: DigitalLink) -> None:
    assert parse_digital_link(uri) == expected


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/batches/LOT1",
        "/01/06901234567893/10/LOT1",
        "/01/06901234567892/10",
        "/01/06901234567892/17/261231",
    ],
)
def test_paths_that_are_not_our_links_are_refused(path: str) -> None:
    with pytest.raises(InvalidLink):
        parse_digital_link(path)


def test_built_uri_round_trips_through_the_parser() -> None:
    uri = build_digital_link("https://t.example.cn/trace", "CY2611289RT3MX0QB1", "96385074", "9")
    assert parse_digital_link(uri) == DigitalLink("CY2611289RT3MX0QB1", "00000096385074", "9")


def test_qualifiers_in_the_syntaxs_order_are_canonical_and_rebuild_the_same_path() -> None:
    path = "/01/06901234567892/22/V1/10/LOT7/21/S1"
    link = parse_digital_link(path)
    assert link == DigitalLink("LOT7", "06901234567892", "S1", variant="V1")
    assert link.canonical and link.path() == path


@pytest.mark.parametrize(
    "path",
    ["/01/06901234567892/21/S1/10/LOT7", "/01/06901234567892/10/LOT7/22/V1",
     "/01/6901234567892/10/LOT7", "/01/96385074/10/LOT7"],
)  # fmt: skip
def test_reordered_qualifiers_and_short_gtins_are_recognised_as_non_canonical(path: str) -> None:
    """Redirected by the resolver to the canonical URI, not refused (see labels.digital_link)."""
    link = parse_digital_link(path)
    assert not link.canonical
    assert parse_digital_link(link.path()).canonical


@pytest.mark.parametrize(
    "path",
    ["/01/06901234567892/10/X/10/LOT7", "/01/06901234567892/21/A/10/L/21/B",
     "/01/06901234567892/11/260101", "/01/0690123456789%32/10/LOT7"],
)  # fmt: skip
def test_a_repeated_or_foreign_qualifier_or_an_encoded_gtin_is_refused(path: str) -> None:
    with pytest.raises(InvalidLink):
        parse_digital_link(path)


def test_a_third_party_serial_qualifies_the_gtin_alone() -> None:
    link = parse_digital_link("/01/06901234567892/235/TPX0000000000000000000000001")
    assert link == DigitalLink(None, "06901234567892", tpx="TPX0000000000000000000000001")
    assert link.path() == "/01/06901234567892/235/TPX0000000000000000000000001"
    with pytest.raises(InvalidLink):
        parse_digital_link("/01/06901234567892/10/LOT7/235/TPX1")


def test_ai_values_keep_their_case() -> None:
    assert parse_digital_link("/01/06901234567892/10/lot7a").lot_code == "lot7a"
    assert parse_digital_link("/01/06901234567892/10/LOT7A").lot_code == "LOT7A"
