"""Certifications (地理标志, 绿色食品, 有机 …): staff record them, every role reads them."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.deps import Connection, ReaderUser, StaffUser
from api.errors import ERROR_RESPONSES
from schemas.certifications import CertificationCreate, CertificationPublic
from schemas.codes import CODE_PATTERN
from store.certifications import create_certification, list_certifications

router = APIRouter(prefix="/api/v1", tags=["certifications"], responses=ERROR_RESPONSES)
CodeQuery = Annotated[str | None, Query(pattern=CODE_PATTERN)]


@router.post("/certifications", status_code=status.HTTP_201_CREATED)
def record_certification(
    body: CertificationCreate, conn: Connection, user: StaffUser
) -> CertificationPublic:
    """A certificate for a product, a producer, or a producer's product; the pages of the
    batches it covers show it, marked expired once its validity has passed."""
    return create_certification(conn, body, user.id)


@router.get("/certifications")
def certifications(
    conn: Connection, user: ReaderUser, product: CodeQuery = None, producer: CodeQuery = None
) -> list[CertificationPublic]:
    return list_certifications(conn, product, producer)
