"""Photos and documents attached to harvest lots, events, producers and locations."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

SubjectKind = Literal["harvest_lot", "event", "producer", "location"]
AttachmentKind = Literal["photo", "document"]


class MediaVariant(BaseModel):
    """One stored file: a photo at one width, or a document."""

    digest: str = Field(description="sha256 of the stored bytes; its URL is /media/{digest}")
    content_type: str
    width: int | None = None
    height: int | None = None


class AttachmentPublic(BaseModel):
    id: int
    subject_kind: SubjectKind
    subject: str
    kind: AttachmentKind
    caption: str | None
    variants: list[MediaVariant] = Field(description="a photo's sizes, smallest first")
    created_at: datetime


class PhotoShown(BaseModel):
    """A photo on a batch's page: what it shows and its sizes (for srcset, width and height)."""

    subject_kind: SubjectKind
    caption: str | None
    variants: list[MediaVariant]


class DocumentShown(BaseModel):
    subject_kind: SubjectKind
    caption: str | None
    digest: str
