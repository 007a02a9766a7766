"""Printer jobs escape every field: nothing typed into a name can become a printer command."""

import re

from labels import LabelData, render_label
from tests.labels.conftest import BASE_URL

INJECTED = 'Gastrodia"\r\nPRINT 1,999\r\n^XZ^XA^FDx~JR_'


def _poisoned(label: LabelData) -> LabelData:
    return label.model_copy(update={"product_name_en": INJECTED, "grade": "特级\nPRINT 1,999"})


def test_tspl_keeps_line_ends_and_quotes_inside_one_string(tianma_label: LabelData) -> None:
    lines = render_label(_poisoned(tianma_label), "tspl", BASE_URL).decode().split("\r\n")
    assert [line for line in lines if line.startswith("PRINT")] == ["PRINT 1,1"]
    assert not [line for line in lines if "\n" in line or "\r" in line]
    for line in lines:
        if line.startswith("TEXT "):
            # One string literal per TEXT after the font: quotes inside are \["].
            assert re.fullmatch(r'TEXT [^"]*"[^"]+",[^"]*"(?:[^"]|\\\["\])*"', line), line


def test_zpl_fields_hex_escape_carets_tildes_and_control_characters(
    tianma_label: LabelData,
) -> None:
    zpl = render_label(_poisoned(tianma_label), "zpl", BASE_URL).decode()
    assert zpl.count("^XA") == 1 and zpl.count("^XZ") == 1
    assert "~JR" not in zpl
    fields = re.findall(r"\^FD(.*?)\^FS", zpl)
    poisoned = [field for field in fields if "Gastrodia" in field]
    assert poisoned
    for field in poisoned:
        assert "^" not in field and "~" not in field
        assert not re.search(r"[\x00-\x1f]", field)
        assert "_0D_0A" in field and "_5E" in field and "_7E" in field
