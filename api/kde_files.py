"""The KDE spreadsheet as files: CSV (UTF-8 with a BOM, so spreadsheet programs read the
Chinese names) and XLSX (a header row that stays in view, filters on every column).

Cells hold names staff typed, and regulators open these files in spreadsheet programs that
run a cell beginning with ``=`` (or ``+ - @``, a tab or CR) as a formula: such text gets a
leading apostrophe (OWASP's CSV injection rule), and XLSX cells are typed as strings.
"""

import csv
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from store.kde import DATE_COLUMNS, KDE_COLUMNS, KdeRow

# What a spreadsheet program may take as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Column widths in characters: wide enough for lot codes and place names.
XLSX_COLUMN_WIDTH = 24


def inert(cell: object) -> object:
    """The cell as no spreadsheet program will evaluate it; numbers and dates unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def kde_csv(found: list[KdeRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(KDE_COLUMNS)
    for row in found:
        writer.writerow(
            [inert(cell.isoformat() if isinstance(cell, date) else cell) for cell in row.cells()]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def kde_xlsx(found: list[KdeRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "KDE"
    sheet.append(list(KDE_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in found:
        sheet.append([inert(cell) for cell in row.cells()])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for index in range(1, len(KDE_COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = XLSX_COLUMN_WIDTH
    for column in DATE_COLUMNS:
        for cell in sheet[get_column_letter(KDE_COLUMNS.index(column) + 1)][1:]:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
