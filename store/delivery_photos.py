"""Photos by content hash: checked by their bytes, stripped of metadata, sized for a page.

A photo is decoded (so a file that only claims to be an image is refused), turned upright by
its EXIF orientation, shrunk to fit ``PAGE_SIDE_PX`` and saved again as JPEG without EXIF,
GPS or maker notes; it is stored once under the sha256 of the bytes kept.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

import psycopg
from PIL import Image, ImageOps, UnidentifiedImageError

from store.db import rows
from store.errors import InvalidReferenceError

# The phone shrinks photos to about 1280 px before sending (a few hundred kB); the bound is
# for a phone that did not, and stays under the API's body limit.
PHOTO_MAX_BYTES = 1024 * 1024
# A 12-megapixel camera is common; anything far larger is a decompression bomb, not a photo.
PHOTO_MAX_PIXELS = 50_000_000
# Large enough to read a certificate's number on a console, small enough for a rural link.
PAGE_SIDE_PX = 1600
JPEG_QUALITY = 85
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class CleanPhoto:
    sha256: str
    content_type: str
    width: int
    height: int
    data: bytes


def _refuse(english: str, chinese: str) -> InvalidReferenceError:
    return InvalidReferenceError(f"photo: {english}", f"照片：{chinese}")


def clean_photo(data: bytes) -> CleanPhoto:
    """The photo as it will be kept, or a refusal in words."""
    if not data:
        raise _refuse("the upload is empty", "没有收到照片")
    if len(data) > PHOTO_MAX_BYTES:
        raise _refuse(
            f"larger than {PHOTO_MAX_BYTES // 1024} KiB", f"超过 {PHOTO_MAX_BYTES // 1024} KiB"
        )
    try:
        with warnings.catch_warnings():
            # Pillow only warns of a bomb below twice its own limit: refuse it here instead.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
        with opened:
            if opened.format not in ACCEPTED_FORMATS:
                raise _refuse("only JPEG, PNG or WebP images", "只接受 JPEG、PNG 或 WebP 图片")
            if opened.width * opened.height > PHOTO_MAX_PIXELS:
                raise _refuse("too many pixels for a photo", "图片像素过多")
            opened.load()
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise _refuse("not a readable image", "无法识别的图片") from None
    image.thumbnail((PAGE_SIDE_PX, PAGE_SIDE_PX))
    kept = io.BytesIO()
    image.save(kept, "JPEG", quality=JPEG_QUALITY, optimize=True)
    cleaned = kept.getvalue()
    return CleanPhoto(
        hashlib.sha256(cleaned).hexdigest(), "image/jpeg", image.width, image.height, cleaned
    )


def store_photo(conn: psycopg.Connection, photo: CleanPhoto) -> str:
    """Keep the photo (once, whoever sends it again) and return its hash."""
    conn.execute(
        "INSERT INTO delivery_photos (sha256, content_type, width, height, bytes)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (sha256) DO NOTHING",
        (photo.sha256, photo.content_type, photo.width, photo.height, photo.data),
    )
    return photo.sha256


def load_photo(conn: psycopg.Connection, sha256: str) -> tuple[str, bytes] | None:
    found = rows(
        conn, "SELECT content_type, bytes FROM delivery_photos WHERE sha256 = %s", (sha256,)
    )
    return (found[0]["content_type"], bytes(found[0]["bytes"])) if found else None
