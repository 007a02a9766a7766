"""Trips from a township station (or a village point) to the centre, with their deliveries."""

from fastapi import APIRouter, Response, status

from api.deps import Connection, DeliveryReader, RecorderUser
from api.errors import ERROR_RESPONSES, Forbidden, Invalid
from labels.lot_codes import generate_lot_code
from schemas.district_time import DISTRICT_TIME
from schemas.trips import TripCreate, TripPublic
from store import trips

router = APIRouter(prefix="/api/v1", tags=["village points"], responses=ERROR_RESPONSES)


@router.post(
    "/trips",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "a resend: nothing new was stored", "model": TripPublic}},
)
def record_trip(
    body: TripCreate, conn: Connection, user: RecorderUser, response: Response
) -> TripPublic:
    """Deliveries gathered and sent to the centre; an agent sends from its own station. The
    trip's id, made on the phone, makes a resend store nothing."""
    if user.role == "village":
        if body.origin not in (None, user.location):
            raise Forbidden("a village agent sends trips only from its own point or station")
        origin = user.location
    else:
        origin = body.origin
    if origin is None:
        raise Invalid("body.origin: staff name the station or point the trip leaves")
    code = generate_lot_code("TR", body.departed_at.astimezone(DISTRICT_TIME).date())
    trip, stored = trips.record_trip(conn, body, origin, code, user.id)
    if not stored:
        response.status_code = status.HTTP_200_OK
    return trip


@router.get("/trips")
def list_trips(conn: Connection, user: DeliveryReader) -> list[TripPublic]:
    """Trips with deliveries not yet received into a batch, latest first."""
    origins = {user.location} if user.role == "village" and user.location else None
    return trips.list_trips(conn, origins)


@router.get("/trips/{code}")
def get_trip(code: str, conn: Connection, user: DeliveryReader) -> TripPublic:
    trip = trips.get_trip(conn, code.upper())
    if user.role == "village" and trip.origin != user.location:
        raise Forbidden("a village agent reads only its own trips")
    return trip
