"""Farmers' deliveries at village points: recorded by the point's agent, read by the centre.

An agent records only for its own point and reads only its own point's deliveries; staff
name the point. A resend under the same id answers 200 with what the first send stored.
"""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response, status

from api.deps import Connection, DeliveryReader, ReaderUser, RecorderUser
from api.errors import ERROR_RESPONSES, Forbidden, Invalid, NotFound
from labels.harvest_lot_codes import harvest_lot_code
from schemas.deliveries import DeliveryCreate, DeliveryPublic
from store import farm_deliveries
from store.media import MediaRefused, prepare_certificate_photo
from store.media_storage import DIGEST, MediaStorage
from store.users import User

router = APIRouter(prefix="/api/v1", tags=["village points"], responses=ERROR_RESPONSES)


async def _request_body(request: Request) -> bytes:
    """The raw body, read before the (synchronous, thread-pooled) handler runs."""
    return await request.body()


PhotoBytes = Annotated[bytes, Depends(_request_body)]


def _point_for(user: User, asked: str | None) -> str:
    """The point a write or a read is for: an agent's own, or the one staff name."""
    if user.role == "village":
        if asked is not None and asked != user.location:
            raise Forbidden("a village agent records and reads only its own point's deliveries")
        assert user.location is not None  # the database requires it for the role
        return user.location
    if asked is None:
        raise Invalid("body.village_point: staff name the village point of the delivery")
    return asked


def _readable(user: User, delivery: DeliveryPublic, conn: Connection) -> DeliveryPublic:
    if user.role == "village" and user.location not in (
        delivery.village_point, farm_deliveries.station_of(conn, delivery.village_point)
    ):
        raise NotFound(f"no delivery {delivery.id}")
    return delivery


@router.post(
    "/deliveries",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "a resend: nothing new was stored", "model": DeliveryPublic}},
)
def record_delivery(
    body: DeliveryCreate, conn: Connection, user: RecorderUser, response: Response
) -> DeliveryPublic:
    """Record a farmer's delivery; its id, made on the phone, makes a resend store nothing."""
    point = _point_for(user, body.village_point)
    delivery, stored = farm_deliveries.record_delivery(
        conn, body, point, harvest_lot_code(body.id), user.id
    )
    if not stored:
        response.status_code = status.HTTP_200_OK
    return delivery


@router.get("/deliveries")
def list_deliveries(
    conn: Connection,
    user: DeliveryReader,
    day: Annotated[date | None, Query(description="a district calendar day")] = None,
    village_point: str | None = None,
    waiting: Annotated[bool, Query(description="only those not yet in a batch")] = False,
    on_trip: Annotated[bool | None, Query(description="only those on a trip, or not")] = None,
) -> list[DeliveryPublic]:
    """Deliveries, newest first: an agent sees its point's (a station's agent also those of
    the points under it), staff and inspectors any."""
    if user.role == "village":
        if village_point is not None and village_point != user.location:
            raise Forbidden("a village agent reads only its own point's deliveries")
        return farm_deliveries.list_deliveries(
            conn, None, day, waiting, served_by=user.location, on_trip=on_trip
        )
    return farm_deliveries.list_deliveries(conn, village_point, day, waiting, on_trip=on_trip)


@router.get("/deliveries/{delivery_id}")
def get_delivery(delivery_id: UUID, conn: Connection, user: DeliveryReader) -> DeliveryPublic:
    """One delivery: the farmer's receipt, with the harvest lot's code."""
    return _readable(user, farm_deliveries.get_delivery(conn, delivery_id), conn)


@router.put(
    "/deliveries/{delivery_id}/photo",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {kind: {"schema": {"type": "string", "format": "binary"}}
                        for kind in ("image/jpeg", "image/png", "image/webp")},
        }
    },
)  # fmt: skip
def put_certificate_photo(
    delivery_id: UUID, body: PhotoBytes, request: Request, conn: Connection, user: RecorderUser
) -> DeliveryPublic:
    """The photo of the farmer's 合格证, as the image's bytes; checked by its content."""
    _readable(user, farm_deliveries.get_delivery(conn, delivery_id), conn)
    try:
        photo = prepare_certificate_photo(body)
    except MediaRefused as refused:
        raise MediaRefused(f"photo: {refused}", f"照片：{refused.message_zh}") from None
    storage: MediaStorage = request.app.state.media_storage
    farm_deliveries.attach_photo(conn, storage, delivery_id, photo)
    return farm_deliveries.get_delivery(conn, delivery_id)


@router.get(
    "/delivery-photos/{sha256}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}},
)
def get_delivery_photo(
    sha256: str, request: Request, conn: Connection, user: ReaderUser
) -> Response:
    """A farmer's 合格证 photo by its content hash (staff and inspectors, never the public:
    it shows a farmer's name and hand)."""
    digest = sha256.lower()
    storage: MediaStorage = request.app.state.media_storage
    known = DIGEST.fullmatch(digest) and farm_deliveries.is_certificate_photo(conn, digest)
    data = storage.get(digest) if known else None
    if data is None:
        raise NotFound(f"no media {sha256!r}")
    # Content-addressed: the bytes under a hash never change.
    return Response(
        data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=31536000"}
    )
