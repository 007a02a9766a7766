import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from pypdf import PdfReader

from labels import LabelData, LabelSize, render_label
from labels.digital_link import build_digital_link
from labels.fonts import FontNotFound, find_cjk_font
from labels.layout import mm_to_dots
from labels.qr import make_qr, qr_text
from labels.render import UnsupportedFormat, render_label_sheet
from schemas.settings import get_settings
from tests.labels.conftest import BASE_URL
from tests.labels.decoding import decode_png, decode_qr_codes
from tests.labels.pdf_raster import rasterise_rectangles

SVG = "{http://www.w3.org/2000/svg}"


def _uri(label: LabelData) -> str:
    return build_digital_link(BASE_URL, label.lot_code, label.gtin)


def test_svg_label_holds_the_chinese_texts_and_is_sized_in_mm(tianma_label: LabelData) -> None:
    # Our own output, not untrusted input.
    root = ET.fromstring(render_label(tianma_label, "svg", BASE_URL))  # noqa: S314
    assert (root.get("width"), root.get("height")) == ("60mm", "40mm")
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "金口河天麻 特级" in texts
    assert "新民村" in texts
    assert "批号 Lot TM2611284KQ8ZP1XD6" in texts
    assert root.find(f"{SVG}title").text == _uri(tianma_label)  # type: ignore[union-attr]
    assert root.find(f"{SVG}path") is not None


@pytest.mark.parametrize("dpi", [203, 300])
def test_png_label_has_printer_size_and_a_qr_that_decodes_to_the_uri(
    tianma_label: LabelData, dpi: int
) -> None:
    png = render_label(tianma_label, "png", BASE_URL, dpi=dpi)
    image = Image.open(io.BytesIO(png))
    assert image.size == (mm_to_dots(60, dpi), mm_to_dots(40, dpi))
    assert round(image.info["dpi"][0]) == dpi
    assert decode_png(png) == [qr_text(_uri(tianma_label))]


def test_png_short_form_label_decodes_to_the_l_uri(tea_label_without_gtin: LabelData) -> None:
    png = render_label(tea_label_without_gtin, "png", BASE_URL)
    [decoded] = decode_png(png)
    assert decoded == qr_text(f"{BASE_URL}/l/CY2611289RT3MX0QB1")


def test_pdf_sheet_text_layer_holds_the_chinese_product_name(tianma_label: LabelData) -> None:
    reader = PdfReader(io.BytesIO(render_label(tianma_label, "pdf", BASE_URL)))
    [page] = reader.pages
    text = page.extract_text()
    assert text.count("金口河天麻") == 21
    assert "新民村" in text
    assert "TM2611284KQ8ZP1XD6" in text
    assert round(float(page.mediabox.width) * 25.4 / 72) == 210


def test_pdf_embeds_the_cjk_font(tianma_label: LabelData) -> None:
    reader = PdfReader(io.BytesIO(render_label(tianma_label, "pdf", BASE_URL, copies=1)))
    fonts = reader.pages[0]["/Resources"]["/Font"]  # type: ignore[index]
    [font] = [fonts[name].get_object() for name in fonts]
    descendant = font["/DescendantFonts"][0].get_object()
    assert "/FontFile2" in descendant["/FontDescriptor"]
    # The subset is named after the font file found, and maps glyphs back to text.
    assert "WenQuanYi" in str(font["/BaseFont"])
    assert "/ToUnicode" in font


def test_pdf_qr_codes_decode_to_the_uri(tianma_label: LabelData) -> None:
    reader = PdfReader(io.BytesIO(render_label(tianma_label, "pdf", BASE_URL)))
    decoded = decode_qr_codes(rasterise_rectangles(reader.pages[0]))
    assert decoded
    assert set(decoded) == {qr_text(_uri(tianma_label))}


def test_pdf_sheet_of_many_batches_runs_onto_a_second_page(
    tianma_label: LabelData, tea_label_without_gtin: LabelData
) -> None:
    labels = [tianma_label] * 20 + [tea_label_without_gtin] * 3
    reader = PdfReader(io.BytesIO(render_label_sheet(labels, BASE_URL)))
    assert len(reader.pages) == 2
    assert reader.pages[1].extract_text().count("黑竹沟高山绿茶") == 2


@pytest.mark.parametrize(("dpi", "width", "height"), [(203, 480, 320), (300, 709, 472)])
def test_zpl_label_is_sized_in_dots_with_utf8_text_and_a_qr(
    tianma_label: LabelData, dpi: int, width: int, height: int
) -> None:
    zpl = render_label(tianma_label, "zpl", BASE_URL, dpi=dpi).decode()
    assert zpl.startswith("^XA") and zpl.rstrip().endswith("^XZ")
    assert f"^PW{width}\n" in zpl and f"^LL{height}\n" in zpl
    assert "^CI28" in zpl
    assert "^A@N," in zpl and "E:SIMSUN.TTF^FH^FD金口河天麻 特级^FS" in zpl
    # Model 2 and error correction M named in ^BQ, and again in the field data.
    [qr] = re.findall(r"\^FO(\d+),(\d+)\^BQN,2,(\d+),M,7\^FH\^FDMA,([^^]+)\^FS", zpl)
    assert qr[3] == qr_text(_uri(tianma_label))
    left, top, module = (int(value) for value in qr[:3])
    side = len(make_qr(_uri(tianma_label)).matrix) * module
    # The symbol and its 4-module quiet zone stay on the label.
    assert left - 4 * module >= 0 and left + side + 4 * module <= width
    assert top - 4 * module >= 0 and top + side + 4 * module <= height
    for x, y in re.findall(r"\^FT(\d+),(\d+)", zpl):
        assert 0 <= int(x) < width and 0 < int(y) <= height


@pytest.mark.parametrize("dpi", [203, 300])
def test_tspl_label_is_sized_in_mm_with_utf8_text_and_a_qr(
    tianma_label: LabelData, dpi: int
) -> None:
    tspl = render_label(tianma_label, "tspl", BASE_URL, dpi=dpi, size=LabelSize(50, 30))
    lines = tspl.decode().split("\r\n")
    assert lines[0] == "SIZE 50 mm, 30 mm"
    assert "CODEPAGE UTF-8" in lines and "CLS" in lines and "PRINT 1,1" in lines
    assert any(line.endswith('"金口河天麻 特级"') and '"SIMSUN.TTF"' in line for line in lines)
    [qr] = [line for line in lines if line.startswith("QRCODE ")]
    left, top, level, module, mode, rotation, model, mask = qr.removeprefix("QRCODE ").split(",")[
        :8
    ]
    assert (level, mode, rotation, model, mask) == ("M", "A", "0", "M2", "S7")
    assert qr.endswith(f'"{qr_text(_uri(tianma_label))}"')
    width, height = mm_to_dots(50, dpi), mm_to_dots(30, dpi)
    side = len(make_qr(_uri(tianma_label)).matrix) * int(module)
    assert int(left) + side <= width and int(top) + side <= height
    # The printed QR code keeps about the same size in millimetres at either resolution.
    assert 0.4 <= 25.4 * int(module) / dpi <= 0.8


def test_printer_formats_scale_with_resolution(tianma_label: LabelData) -> None:
    low = render_label(tianma_label, "zpl", BASE_URL, dpi=203).decode()
    high = render_label(tianma_label, "zpl", BASE_URL, dpi=300).decode()
    low_x = [int(x) for x in re.findall(r"\^FT(\d+),", low)]
    high_x = [int(x) for x in re.findall(r"\^FT(\d+),", high)]
    assert [round(x * 300 / 203) for x in low_x] == pytest.approx(high_x, abs=1)


def test_unknown_format_is_refused(tianma_label: LabelData) -> None:
    with pytest.raises(UnsupportedFormat):
        render_label(tianma_label, "jpeg", BASE_URL)


def test_label_font_can_be_named_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    system_font = find_cjk_font()
    monkeypatch.setenv("FARMTRACE_LABEL_FONT", str(system_font))
    get_settings.cache_clear()
    try:
        assert find_cjk_font() == system_font
        monkeypatch.setenv("FARMTRACE_LABEL_FONT", "/nonexistent/font.ttf")
        get_settings.cache_clear()
        with pytest.raises(FontNotFound):
            find_cjk_font()
    finally:
        monkeypatch.delenv("FARMTRACE_LABEL_FONT")
        get_settings.cache_clear()


def test_long_names_shrink_to_their_column_and_the_qr_still_scans(
    tianma_label: LabelData,
) -> None:
    crowded = tianma_label.model_copy(
        update={
            "product_name_zh": "金口河高山有机富硒绿茶精品礼盒装",
            "origin_village": "新民村、新乐村、新华村、新光村、胜利村",
            "pack_date": None,
            "best_before": None,
        }
    )
    for dpi in (203, 300):
        png = render_label(crowded, "png", BASE_URL, dpi=dpi)
        assert decode_png(png) == [qr_text(_uri(crowded))]
    root = ET.fromstring(render_label(crowded, "svg", BASE_URL))  # noqa: S314
    texts = [text.text for text in root.iter(f"{SVG}text")]
    # The long name breaks over two lines; the village list is squeezed into its column.
    assert "".join(texts[:2]) == "金口河高山有机富硒绿茶精品礼盒装 特级"
    squeezed = [text.text for text in root.iter(f"{SVG}text") if text.get("textLength")]
    assert "新民村、新乐村、新华村、新光村、胜利村" in squeezed
    assert "—" in texts


def test_printer_control_characters_in_names_are_escaped(tianma_label: LabelData) -> None:
    odd = tianma_label.model_copy(update={"product_name_zh": '天^XZ~_"片"'})
    zpl = render_label(odd, "zpl", BASE_URL).decode()
    assert '^FD天_5EXZ_7E_5F"片"^FS' in zpl
    assert zpl.count("^XZ") == 1
    tspl = render_label(odd, "tspl", BASE_URL, printer_font="KAIU.TTF").decode()
    assert '"KAIU.TTF"' in tspl
    assert '"天^XZ~_\\["]片\\["]"' in tspl
