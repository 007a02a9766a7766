"""Master data: products, producers, locations (stable codes; staff write, all roles read)."""

from fastapi import APIRouter, Path, status

from api.deps import AppSettings, Connection, ReaderUser, StaffUser
from api.errors import ERROR_RESPONSES
from schemas.codes import CODE_PATTERN
from schemas.master_data import (
    LocationCreate,
    LocationKind,
    LocationPublic,
    ProducerCreate,
    ProducerPublic,
    ProductCreate,
    ProductPublic,
)
from store import master_data

router = APIRouter(prefix="/api/v1", tags=["master data"], responses=ERROR_RESPONSES)
CodePath = Path(pattern=CODE_PATTERN)


@router.post("/products", status_code=status.HTTP_201_CREATED)
def create_product(
    body: ProductCreate, conn: Connection, user: StaffUser, settings: AppSettings
) -> ProductPublic:
    """A product without a GTIN is numbered from the centre's GS1 Company Prefix, if set."""
    product = master_data.create_product(conn, body, user.id)
    if product.gtin is None and settings.gs1_company_prefix:
        master_data.allocate_gtins(conn, settings.gs1_company_prefix, user.id)
        product = master_data.get_product(conn, product.code)
    return product


@router.get("/products")
def list_products(conn: Connection, user: ReaderUser) -> list[ProductPublic]:
    return master_data.list_products(conn)


@router.get("/products/{code}")
def get_product(conn: Connection, user: ReaderUser, code: str = CodePath) -> ProductPublic:
    return master_data.get_product(conn, code)


@router.post("/producers", status_code=status.HTTP_201_CREATED)
def create_producer(body: ProducerCreate, conn: Connection, user: StaffUser) -> ProducerPublic:
    return master_data.create_producer(conn, body, user.id)


@router.get("/producers")
def list_producers(conn: Connection, user: ReaderUser) -> list[ProducerPublic]:
    return master_data.list_producers(conn)


@router.get("/producers/{code}")
def get_producer(conn: Connection, user: ReaderUser, code: str = CodePath) -> ProducerPublic:
    return master_data.get_producer(conn, code)


@router.post("/locations", status_code=status.HTTP_201_CREATED)
def create_location(body: LocationCreate, conn: Connection, user: StaffUser) -> LocationPublic:
    return master_data.create_location(conn, body, user.id)


@router.get("/locations")
def list_locations(
    conn: Connection, user: ReaderUser, kind: LocationKind | None = None
) -> list[LocationPublic]:
    return master_data.list_locations(conn, kind)


@router.get("/locations/{code}")
def get_location(conn: Connection, user: ReaderUser, code: str = CodePath) -> LocationPublic:
    return master_data.get_location(conn, code)
