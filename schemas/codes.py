"""Shared field types: stable codes that appear in URLs and CSVs, and printable free text."""

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

# Letters, digits and a few separators: safe in paths, file names and spreadsheet cells.
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


def normalize_lot_code(text: str) -> str:
    """A lot code as typed (spaces, lower case) in its printed form."""
    return "".join(text.split()).upper()


def printable(text: str) -> str:
    """Refuse control characters and lone surrogates: PostgreSQL cannot store NUL or
    unpaired surrogates, and neither belongs on a label or a page."""
    for char in text:
        category = unicodedata.category(char)
        if category == "Cs" or (category == "Cc" and char not in "\t\n\r"):
            raise ValueError(f"text holds a control character U+{ord(char):04X}")
    return text


Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(printable)
]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(printable),
]
Unit = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=16),
    AfterValidator(printable),
]
