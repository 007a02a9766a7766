"""A batch's serialised packs (一物一码): the list with each pack's URI, and their labels."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Response

from api.deps import AppSettings, Connection, ReaderUser
from api.errors import ERROR_RESPONSES, NotFound
from labels import MEDIA_TYPES, build_digital_link, render_label, render_label_sheet
from schemas.batches import PackPublic
from schemas.codes import normalize_lot_code
from store.batches import batch_row, product_gtin
from store.labels import load_pack_labels
from store.packs import packs_of

router = APIRouter(prefix="/api/v1", tags=["packs"], responses=ERROR_RESPONSES)
Lot = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,20}$", description="the batch's lot code")]
Serial = Annotated[str, Path(pattern=r"^[0-9A-Z]{1,20}$", description="the pack's serial")]
PackLabelFormat = Literal["svg", "png", "pdf", "zpl", "tspl"]


@router.get("/batches/{lot}/packs")
def batch_packs(
    lot: Lot, conn: Connection, settings: AppSettings, user: ReaderUser
) -> list[PackPublic]:
    """The batch's packs in packing order, each with its serial and its own Digital Link."""
    lot_code = normalize_lot_code(lot)
    batch = batch_row(conn, lot_code)
    gtin = product_gtin(conn, lot_code)
    return [
        PackPublic(
            serial=pack.serial, quantity=pack.quantity, unit=pack.unit, packed_at=pack.packed_at,
            uri=build_digital_link(settings.public_base_url, lot_code, gtin, pack.serial),
        )
        for pack in packs_of(conn, batch["id"])
    ]  # fmt: skip


@router.get(
    "/batches/{lot}/packs/labels.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def batch_pack_labels(
    lot: Lot, conn: Connection, settings: AppSettings, user: ReaderUser
) -> Response:
    """Every pack's label on A4 sheets: each its own serial's QR code and the pack's content."""
    labels = load_pack_labels(conn, normalize_lot_code(lot))
    if not labels:
        raise NotFound(f"batch {lot!r} has no serialised packs")
    body = render_label_sheet(labels, settings.public_base_url, font=settings.label_font)
    return Response(
        body,
        media_type=MEDIA_TYPES["pdf"],
        headers={"Content-Disposition": f'attachment; filename="{lot}-packs.pdf"'},
    )


@router.get(
    "/batches/{lot}/packs/{serial}/label.{fmt}",
    response_class=Response,
    responses={200: {"content": {media: {} for media in set(MEDIA_TYPES.values())}}},
)
def pack_label(
    lot: Lot,
    serial: Serial,
    fmt: PackLabelFormat,
    conn: Connection,
    settings: AppSettings,
    user: ReaderUser,
) -> Response:
    """One pack's label, for reprinting a damaged one."""
    labels = load_pack_labels(conn, normalize_lot_code(lot), serial)
    if not labels:
        raise NotFound(f"batch {lot!r} has no pack {serial!r}")
    body = render_label(
        labels[0], fmt, settings.public_base_url, copies=1, font=settings.label_font
    )
    disposition = "inline" if fmt in {"svg", "png"} else "attachment"
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'{disposition}; filename="{lot}-{serial}.{fmt}"'},
    )
