"""The shape of stable codes (products, producers, locations) that appear in URLs and CSVs."""

from typing import Annotated

from pydantic import StringConstraints

# Letters, digits and a few separators: safe in paths, file names and spreadsheet cells.
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"

Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Unit = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=16)]
