"""Certificates (地理标志, 绿色食品, 有机 …): staff record them, every role reads them."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.deps import Connection, ReaderUser, StaffUser
from api.errors import ERROR_RESPONSES
from schemas.certificates import CertificateCreate, CertificatePublic
from schemas.codes import CODE_PATTERN
from store.certificates import create_certificate, list_certificates

router = APIRouter(prefix="/api/v1", tags=["certificates"], responses=ERROR_RESPONSES)
CodeQuery = Annotated[str | None, Query(pattern=CODE_PATTERN)]


@router.post("/certificates", status_code=status.HTTP_201_CREATED)
def record_certificate(
    body: CertificateCreate, conn: Connection, user: StaffUser
) -> CertificatePublic:
    """A certificate for a product, a producer, or a producer's product; the pages of the
    batches it covers show it, marked expired once its validity has passed."""
    return create_certificate(conn, body, user.id)


@router.get("/certificates")
def certificates(
    conn: Connection, user: ReaderUser, product: CodeQuery = None, producer: CodeQuery = None
) -> list[CertificatePublic]:
    return list_certificates(conn, product, producer)
