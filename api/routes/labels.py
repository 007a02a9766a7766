"""Labels of a batch in every layout, for office and thermal printers."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from api.deps import AppSettings, Connection, ReaderUser
from api.errors import ERROR_RESPONSES, Invalid, NotFound
from labels import MEDIA_TYPES, render_label
from schemas.codes import normalize_lot_code
from store.labels import load_label_data

router = APIRouter(prefix="/api/v1", tags=["labels"], responses=ERROR_RESPONSES)
Lot = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,20}$", description="the batch's lot code")]
LabelFormat = Literal["svg", "png", "pdf", "zpl", "tspl"]
# The resolutions of the thermal printers the centre uses.
DPIS = (203, 300)


def printer_dpi(
    # A query string is text, and a Literal of ints never matched "203": an int, checked here.
    dpi: Annotated[
        int, Query(description="thermal printer resolution", json_schema_extra={"enum": DPIS})
    ] = 300,
) -> int:
    """The ``?dpi=`` of every label route, refused in words unless the centre prints at it."""
    if dpi not in DPIS:
        raise Invalid(f"query.dpi: the printer resolution is one of {DPIS[0]} or {DPIS[1]}")
    return dpi


PrinterDpi = Annotated[int, Depends(printer_dpi)]


@router.get(
    "/batches/{lot}/label.{fmt}",
    response_class=Response,
    responses={200: {"content": {media: {} for media in set(MEDIA_TYPES.values())}}},
)
def batch_label(
    lot: Lot,
    fmt: LabelFormat,
    conn: Connection,
    settings: AppSettings,
    user: ReaderUser,
    dpi: PrinterDpi,
) -> Response:
    """The batch's label: a single label (SVG, PNG), an A4 sheet (PDF) or printer code."""
    label = load_label_data(conn, normalize_lot_code(lot))
    if label is None:
        raise NotFound(f"no batch with lot code {lot!r}")
    body = render_label(label, fmt, settings.public_base_url, dpi=dpi, font=settings.label_font)
    disposition = "inline" if fmt in {"svg", "png"} else "attachment"
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'{disposition}; filename="{lot}.{fmt}"'},
    )
