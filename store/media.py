"""Photos and documents: checked by their content, stripped of metadata (photos also resized),
stored by content hash (``store.media_storage``), attached to what they show.

A photo from a phone carries EXIF (GPS position, camera serial, time); re-encoding the pixels
alone leaves all of it behind. A scanned report carries its author, the scanner's software and
an XMP packet; only its pages are kept. The upload itself is not kept, only what is made of it.
"""

import io
import warnings
from dataclasses import dataclass

import psycopg
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import DictionaryObject

from schemas.media import (
    AttachmentKind,
    AttachmentPublic,
    DocumentShown,
    MediaVariant,
    PhotoShown,
    SubjectKind,
)
from store import audit
from store.db import rows
from store.errors import InvalidReferenceError
from store.media_storage import MediaStorage

# Widths the page needs: a 360 px phone at 1× and 2×, and a larger view.
PHOTO_WIDTHS = (360, 720, 1280)
JPEG_QUALITY = 80
# Decompression bombs: no real photo has more pixels than this (about 50 megapixels).
MAX_PIXELS = 50_000_000
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
PDF_MAGIC = b"%PDF-"
# What a malformed PDF makes pypdf raise besides its own errors.
_PDF_BROKEN = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
               AssertionError, OSError, RecursionError)  # fmt: skip
# Metadata a page or an image on it may carry by itself (XMP packets, an editor's private data).
_PAGE_METADATA = ("/Metadata", "/PieceInfo")
# A certificate photographed at a village point: the phone shrinks it to about 1280 px (a few
# hundred kB) before sending; the bound is for a phone that did not, under the body limit.
CERTIFICATE_PHOTO_MAX_BYTES = 1024 * 1024
# Large enough to read a certificate's number on a console, small enough for a rural link.
CERTIFICATE_PHOTO_SIDE_PX = 1600

_SUBJECT_EXISTS = {
    "harvest_lot": "SELECT 1 FROM harvest_lots WHERE id::text = %s",
    "event": "SELECT 1 FROM events WHERE event_id::text = %s",
    "producer": "SELECT 1 FROM producers WHERE code = %s",
    "location": "SELECT 1 FROM locations WHERE code = %s",
}


class MediaRefused(InvalidReferenceError):
    """An upload that is not what it claims (checked by content), or too large to decode."""


@dataclass(frozen=True)
class Prepared:
    data: bytes
    content_type: str
    width: int | None
    height: int | None


def _refused_unreadable() -> MediaRefused:
    return MediaRefused("the file is not a readable image", "文件不是可读取的图片")


def _decode_upright(data: bytes) -> Image.Image:
    """The upload's pixels, turned upright by its EXIF orientation: refused in words when the
    bytes are no photo of an accepted format, or would decode to too many pixels."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns of a bomb below twice its own limit: refuse it here instead.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
        with probe:
            if probe.format not in IMAGE_FORMATS:
                raise MediaRefused(
                    f"a photo must be JPEG, PNG or WebP, not {probe.format}",
                    "照片须为 JPEG、PNG 或 WebP 格式",
                )
            if probe.width * probe.height > MAX_PIXELS:
                raise MediaRefused("the photo has too many pixels", "照片像素过多")
            probe.load()
            return ImageOps.exif_transpose(probe).convert("RGB")
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise _refused_unreadable() from error


def _clean_jpeg(upright: Image.Image, box: tuple[int, int]) -> Prepared:
    """The pixels shrunk to fit ``box`` (never enlarged), as a JPEG carrying nothing else."""
    scaled = upright.copy()
    scaled.thumbnail(box, Image.Resampling.LANCZOS)
    # A fresh image of the pixels alone: no EXIF, ICC, XMP or comment travels with it.
    clean = Image.new("RGB", scaled.size)
    clean.paste(scaled)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return Prepared(out.getvalue(), "image/jpeg", clean.width, clean.height)


def prepare_photo(data: bytes) -> list[Prepared]:
    """The photo as metadata-free JPEGs at the page's widths (never enlarged), smallest first."""
    upright = _decode_upright(data)
    variants: list[Prepared] = []
    for width in PHOTO_WIDTHS:
        if variants and upright.width <= (variants[-1].width or 0):
            break
        variants.append(_clean_jpeg(upright, (width, width * 4)))
    return variants


def prepare_certificate_photo(data: bytes) -> Prepared:
    """A farmer's 合格证 as one metadata-free JPEG, large enough to read its number."""
    if not data:
        raise MediaRefused("the upload is empty", "没有收到照片")
    if len(data) > CERTIFICATE_PHOTO_MAX_BYTES:
        kib = CERTIFICATE_PHOTO_MAX_BYTES // 1024
        raise MediaRefused(f"larger than {kib} KiB", f"超过 {kib} KiB")
    upright = _decode_upright(data)
    return _clean_jpeg(upright, (CERTIFICATE_PHOTO_SIDE_PX, CERTIFICATE_PHOTO_SIDE_PX))


def prepare_document(data: bytes) -> Prepared:
    """The PDF's pages alone, rewritten: no document information, XMP, outline or scripts."""
    if not data.startswith(PDF_MAGIC):
        raise MediaRefused("a document must be a PDF", "文件须为 PDF 格式")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise MediaRefused(
                "the PDF is encrypted; upload it without a password",
                "PDF 已加密，请上传未加密的文件",
            )
        writer = PdfWriter()
        for page in reader.pages:
            added = writer.add_page(page)
            _drop_metadata(added)
        if not writer.pages:
            raise MediaRefused("the PDF has no pages", "PDF 没有页面")
        writer.metadata = None  # pypdf would otherwise name itself as the producer
        out = io.BytesIO()
        writer.write(out)
    except _PDF_BROKEN as error:
        raise MediaRefused("the file is not a readable PDF", "文件不是可读取的 PDF") from error
    return Prepared(out.getvalue(), "application/pdf", None, None)


def _drop_metadata(page: DictionaryObject) -> None:
    """Remove the page's own metadata and that of the images and forms drawn on it."""
    for key in _PAGE_METADATA:
        page.pop(key, None)
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is None:
        return
    for ref in xobjects.get_object().values():
        xobject = ref.get_object()
        for key in _PAGE_METADATA:
            xobject.pop(key, None)


def attach(
    conn: psycopg.Connection,
    storage: MediaStorage,
    data: bytes,
    subject_kind: SubjectKind,
    subject: str,
    caption: str | None,
    user_id: int | None,
) -> AttachmentPublic:
    """Check, prepare, store and attach one upload (a PDF is a document, else a photo)."""
    if not rows(conn, _SUBJECT_EXISTS[subject_kind], (subject,)):
        raise InvalidReferenceError(
            f"subject: no {subject_kind} {subject!r}", f"找不到要附加照片的对象 {subject}"
        )
    kind: AttachmentKind = "document" if data.startswith(PDF_MAGIC) else "photo"
    prepared = [prepare_document(data)] if kind == "document" else prepare_photo(data)
    variants = []
    with conn.transaction():
        for item in prepared:
            digest = storage.put(item.data)
            conn.execute(
                "INSERT INTO media (digest, content_type, bytes, width, height)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (digest) DO NOTHING",
                (digest, item.content_type, len(item.data), item.width, item.height),
            )
            variants.append(MediaVariant(
                digest=digest, content_type=item.content_type, width=item.width,
                height=item.height,
            ))  # fmt: skip
        found = rows(
            conn,
            "INSERT INTO attachments (subject_kind, subject, kind, digests, caption, created_by)"
            " VALUES (%s, %s, %s, %s, %s, %s) RETURNING id, created_at",
            (subject_kind, subject, kind, [v.digest for v in variants], caption, user_id),
        )[0]
        audit.record(
            conn, user_id, "attach", f"{subject_kind} {subject}",
            {"kind": kind, "digests": [v.digest for v in variants], "caption": caption},
        )  # fmt: skip
    return AttachmentPublic(
        id=found["id"], subject_kind=subject_kind, subject=subject, kind=kind, caption=caption,
        variants=variants, created_at=found["created_at"],
    )  # fmt: skip


def media_type_of(conn: psycopg.Connection, digest: str) -> str | None:
    found = rows(conn, "SELECT content_type FROM media WHERE digest = %s", (digest,))
    return found[0]["content_type"] if found else None


# A batch's attachments: its (and its ancestors') harvest lots, events, producers, villages.
_FOR_BATCH = """
WITH subjects (subject_kind, subject) AS (
    SELECT 'harvest_lot', h.id::text FROM batch_harvest_lots l
    JOIN harvest_lots h ON h.id = l.harvest_lot_id WHERE l.batch_id = ANY(%(ids)s)
    UNION SELECT 'producer', h.producer FROM batch_harvest_lots l
    JOIN harvest_lots h ON h.id = l.harvest_lot_id WHERE l.batch_id = ANY(%(ids)s)
    UNION SELECT 'location', h.village FROM batch_harvest_lots l
    JOIN harvest_lots h ON h.id = l.harvest_lot_id WHERE l.batch_id = ANY(%(ids)s)
    UNION SELECT 'event', e.event_id::text FROM events e WHERE e.batch_id = ANY(%(ids)s)
)
SELECT a.subject_kind, a.kind, a.caption, m.digest, m.content_type, m.width, m.height,
       d.ordinality
FROM attachments a JOIN subjects s USING (subject_kind, subject)
CROSS JOIN LATERAL unnest(a.digests) WITH ORDINALITY AS d(digest, ordinality)
JOIN media m ON m.digest = d.digest
ORDER BY a.id, d.ordinality
"""


def media_for_batch(
    conn: psycopg.Connection, batch_ids: list[int]
) -> tuple[list[PhotoShown], list[DocumentShown]]:
    photos: list[PhotoShown] = []
    documents: list[DocumentShown] = []
    for row in rows(conn, _FOR_BATCH, {"ids": batch_ids}):
        if row["kind"] == "document":
            documents.append(DocumentShown(
                subject_kind=row["subject_kind"], caption=row["caption"], digest=row["digest"],
            ))  # fmt: skip
            continue
        variant = MediaVariant(
            digest=row["digest"], content_type=row["content_type"], width=row["width"],
            height=row["height"],
        )  # fmt: skip
        if row["ordinality"] == 1:
            photos.append(PhotoShown(
                subject_kind=row["subject_kind"], caption=row["caption"], variants=[variant],
            ))  # fmt: skip
        else:
            photos[-1].variants.append(variant)
    return photos, documents
