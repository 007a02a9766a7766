"""承诺达标合格证: a batch's certificates received and issued, the label PDF, the search."""

import csv
import io
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from api.deps import AppSettings, Connection, ReaderUser
from api.errors import ERROR_RESPONSES, NotFound
from api.kde_files import inert
from api.routes.labels import PrinterDpi
from labels import MEDIA_TYPES
from labels.certificates import render_certificate
from schemas.certificates import BASIS_WORDS, BatchCertificates, IssuedCertificate
from schemas.district_time import DISTRICT_TIME
from store import certificates

router = APIRouter(prefix="/api/v1", tags=["certificates"], responses=ERROR_RESPONSES)
Lot = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,20}$", description="the batch's lot code")]
SearchText = Annotated[
    str | None, Query(max_length=100, description="number, lot, product, origin")
]
CSV_COLUMNS = (
    "number", "lot_code", "product_name", "quantity", "unit", "issuer_name", "issuer_contact",
    "origin", "basis", "received", "issued_at", "kept_until",
)  # fmt: skip


@router.get("/batches/{lot}/certificates")
def batch_certificates(lot: Lot, conn: Connection, user: ReaderUser) -> BatchCertificates:
    """The farmers' certificates received with the batch's harvest lots (a lot without one
    flagged where the product needs one) and the centre's certificate issued at packing."""
    return certificates.batch_certificates(conn, lot)


@router.get(
    "/batches/{lot}/certificate.{fmt}",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "text/plain": {}}}},
)
def certificate_label(
    lot: Lot,
    fmt: Literal["pdf", "zpl", "tspl"],
    conn: Connection,
    settings: AppSettings,
    user: ReaderUser,
    dpi: PrinterDpi,
) -> Response:
    """The centre's 承诺达标合格证 for the batch: a 100 × 70 mm label with the batch's QR
    code, as PDF or as ZPL/TSPL for the thermal printers."""
    issued = certificates.issued_for(conn, lot)
    if issued is None:
        raise NotFound(f"batch {lot!r} has no certificate issued (it is issued at packing)")
    body = render_certificate(
        issued, fmt, settings.public_base_url, dpi=dpi, font=settings.label_font
    )
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{issued.number}.{fmt}"'},
    )


@router.get("/certificates")
def search_certificates(
    conn: Connection,
    user: ReaderUser,
    q: SearchText = None,
    since: Annotated[date | None, Query(alias="from")] = None,
    until: Annotated[date | None, Query(alias="to")] = None,
) -> list[IssuedCertificate]:
    """Certificates the centre issued, newest first, by text and district day of issue."""
    return certificates.search_issued(conn, q, since, until)


@router.get(
    "/certificates.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}}
)
def export_certificates(
    conn: Connection,
    user: ReaderUser,
    q: SearchText = None,
    since: Annotated[date | None, Query(alias="from")] = None,
    until: Annotated[date | None, Query(alias="to")] = None,
) -> Response:
    """The same list as a spreadsheet, every cell inert to formula evaluation."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for issued in certificates.search_issued(conn, q, since, until, limit=100_000):
        values = issued.model_dump()
        values["basis"] = BASIS_WORDS[issued.basis][0]
        values["received"] = " ".join(issued.received)
        values["issued_at"] = issued.issued_at.astimezone(DISTRICT_TIME).isoformat()
        writer.writerow([inert(values[column]) for column in CSV_COLUMNS])
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="certificates.csv"'},
    )
