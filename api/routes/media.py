"""Photos and PDFs: staff upload them (a phone camera's photo works), everyone may fetch them.

A stored file is named by its content hash and never changes, so it is served to be cached
for a year without revalidation.
"""

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, Response, UploadFile, status

from api.deps import Connection, StaffUser
from api.errors import ERROR_RESPONSES, Invalid, NotFound
from schemas.codes import Text
from schemas.media import AttachmentPublic, SubjectKind
from store.media import attach, media_type_of
from store.media_storage import MediaStorage

router = APIRouter(tags=["media"], responses=ERROR_RESPONSES)
Digest = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="sha256 of the file")]
# A year, and immutable: a digest names one content forever.
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"


@router.post("/api/v1/media", status_code=status.HTTP_201_CREATED)
def upload_media(
    request: Request,
    conn: Connection,
    user: StaffUser,
    file: Annotated[UploadFile, File(description="a photo (JPEG, PNG, WebP) or a PDF")],
    subject_kind: Annotated[SubjectKind, Form()],
    subject: Annotated[
        str, Form(description="harvest lot id, event_id, producer or location code")
    ],
    caption: Annotated[Text | None, Form()] = None,
) -> AttachmentPublic:
    """Attach a photo or PDF to a harvest lot, an event, a producer or a location. Photos are
    checked by their content, stripped of metadata (GPS included) and resized."""
    data = file.file.read()
    if not data:
        raise Invalid("file: the upload is empty")
    storage: MediaStorage = request.app.state.media_storage
    return attach(conn, storage, data, subject_kind, subject[:200], caption, user.id)


@router.get("/media/{digest}", response_class=Response, include_in_schema=False)
def media_file(digest: Digest, request: Request, conn: Connection) -> Response:
    if request.headers.get("if-none-match") == f'"{digest}"':
        return Response(status_code=304, headers={"Cache-Control": MEDIA_CACHE_CONTROL})
    content_type = media_type_of(conn, digest)
    storage: MediaStorage = request.app.state.media_storage
    data = storage.get(digest) if content_type else None
    if data is None or content_type is None:
        raise NotFound(f"no media {digest}")
    return Response(
        data,
        media_type=content_type,
        headers={"Cache-Control": MEDIA_CACHE_CONTROL, "ETag": f'"{digest}"'},
    )
