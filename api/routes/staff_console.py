"""The processing-centre staff console: server-rendered pages for a tablet at the packing line.

Forms post back here (with the session's CSRF token) and go through the same store functions
and models as the JSON API; a refused form comes back with its message, not a bare error page.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from api.csrf import check_csrf
from api.deps import Connection, StaffUser
from api.i18n import choose_language, translate
from api.pages import render
from labels.lot_codes import lot_code_for
from schemas.batches import BatchCreate, EventCreate, MoveCreate, SplitCreate
from schemas.cbv import EVENT_MEANINGS, RECORDED_TYPES
from schemas.district_time import DISTRICT_TIME
from store import batches, custody, events, genealogy, master_data, media
from store.batch_detail import batch_detail
from store.errors import NotFoundError, StoreError

router = APIRouter(prefix="/staff", tags=["consoles"], include_in_schema=False)
LABEL_FORMATS = ("pdf", "png", "svg", "zpl", "tspl")


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form as plain strings (the media form, the one with a file, reads its own)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


Form = Annotated[dict[str, str], Depends(form_fields)]
Checked = [Depends(check_csrf)]


def _local_time(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text).replace(tzinfo=DISTRICT_TIME)


def _now_local() -> str:
    return datetime.now(DISTRICT_TIME).strftime("%Y-%m-%dT%H:%M")


def _describe(request: Request, error: ValidationError | StoreError | ValueError) -> str:
    """The refusal in the reader's language where the store gave one; field-level checks
    keep the validator's English detail after a translated opening."""
    language = choose_language(request)
    if isinstance(error, StoreError):
        return error.message_zh if language == "zh" and error.message_zh else str(error)
    if isinstance(error, ValidationError):
        detail = "; ".join(
            f"{'.'.join(str(step) for step in item['loc'])}: {item['msg']}"
            for item in error.errors()[:5]
        )
    else:
        detail = str(error)
    return f"{translate('form_refused', language)} {detail}"


def _choices(conn: Any) -> dict[str, Any]:
    locations = master_data.list_locations(conn)
    return {
        "products": master_data.list_products(conn),
        "producers": master_data.list_producers(conn),
        "villages": [place for place in locations if place.kind == "village_point"],
        "sites": [place for place in locations if place.kind != "village_point"],
        "now_local": _now_local(),
    }


@router.get("", response_class=HTMLResponse, response_model=None)
def home(request: Request, conn: Connection, user: StaffUser, lot: str | None = None) -> Response:
    if lot:
        return RedirectResponse(
            f"/staff/batches/{batches.normalize_lot_code(lot)}", status_code=303
        )
    return render(request, "staff/home.html", {"batches": batches.list_batches(conn, 30)})


@router.get("/receive", response_class=HTMLResponse)
def receive_page(request: Request, conn: Connection, user: StaffUser) -> HTMLResponse:
    return render(request, "staff/receive.html", {**_choices(conn), "form": {}})


def _harvest_lots(form: dict[str, str]) -> list[dict[str, str]]:
    lots = []
    for index in ("1", "2"):
        if index == "2" and not form.get(f"producer_{index}"):
            continue
        lots.append(
            {
                "producer": form.get(f"producer_{index}", ""),
                "village": form.get(f"village_{index}", ""),
                "harvest_date": form.get(f"harvest_date_{index}", ""),
                "quantity": form.get(f"harvest_quantity_{index}", ""),
                "unit": form.get("unit", ""),
            }
        )
    return lots


@router.post("/receive", dependencies=Checked, response_model=None)
def receive(request: Request, conn: Connection, user: StaffUser, form: Form) -> Response:
    try:
        body = BatchCreate.model_validate(
            {
                "product": form.get("product", ""),
                "harvest_lots": _harvest_lots(form),
                "quantity": form.get("quantity", ""),
                "unit": form.get("unit", ""),
                "location": form.get("location", ""),
                "received_at": _local_time(form.get("received_at")) or datetime.now(DISTRICT_TIME),
                "grade": form.get("grade") or None,
            }
        )
        batch = batches.receive_batch(conn, body, user.id, lot_code_for)
    except (ValidationError, StoreError, ValueError) as error:
        return render(
            request,
            "staff/receive.html",
            {**_choices(conn), "form": form, "problem": _describe(request, error)},
            status_code=422,
        )
    return RedirectResponse(f"/staff/batches/{batch.lot_code}?saved=1", status_code=303)


def _batch_page(
    request: Request, conn: Any, lot: str, problem: str | None = None, status_code: int = 200
) -> HTMLResponse:
    detail = batch_detail(conn, lot)
    return render(
        request,
        "staff/batch.html",
        {
            **_choices(conn),
            "batch": detail,
            "meanings": EVENT_MEANINGS,
            "recorded_types": RECORDED_TYPES,
            "label_formats": LABEL_FORMATS,
            "problem": problem,
            "tz": DISTRICT_TIME,
            "saved": request.query_params.get("saved") == "1" and problem is None,
        },
        status_code=status_code,
    )


@router.get("/batches/{lot}", response_class=HTMLResponse)
def batch_page(request: Request, lot: str, conn: Connection, user: StaffUser) -> HTMLResponse:
    return _batch_page(request, conn, lot)


def _step_data(form: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        key: form[key] for key in ("operator", "notes") if form.get(key, "").strip()
    }
    if form.get("media", "").strip():
        data["media"] = [form["media"].strip()]
    if form.get("weight_after", "").strip():
        data["weight_after"] = form["weight_after"]
    if form.get("type") == "testing":
        data["passed"] = form.get("passed") == "yes"
        for key in ("lab", "instrument"):
            if form.get(key, "").strip():
                data[key] = form[key]
        if form.get("moisture_percent", "").strip():
            data["moisture_percent"] = form["moisture_percent"]
        if form.get("residue_substance", "").strip():
            data["pesticide_residue"] = [
                {
                    "substance": form["residue_substance"],
                    "value_mg_kg": form.get("residue_value") or "0",
                    "limit_mg_kg": form.get("residue_limit") or None,
                }
            ]
    return data


def _after_write(request: Request, conn: Any, lot: str, write: Any) -> Response:
    """Run a write; back to the batch page with a notice, or with the refusal's message."""
    try:
        write()
    except NotFoundError:
        raise
    except (ValidationError, StoreError, ValueError) as error:
        return _batch_page(request, conn, lot, _describe(request, error), status_code=422)
    return RedirectResponse(f"/staff/batches/{batches.normalize_lot_code(lot)}?saved=1", 303)


@router.post("/batches/{lot}/events", dependencies=Checked, response_model=None)
def record_step(
    request: Request, lot: str, conn: Connection, user: StaffUser, form: Form
) -> Response:
    def write() -> None:
        body = EventCreate.model_validate(
            {
                "type": form.get("type", ""),
                "time": _local_time(form.get("time")) or datetime.now(DISTRICT_TIME),
                "location": form.get("location") or None,
                "data": _step_data(form),
                "corrects": form.get("corrects") or None,
            }
        )
        events.record_event(conn, lot, body, user.id)

    return _after_write(request, conn, lot, write)


@router.post("/batches/{lot}/moves", dependencies=Checked, response_model=None)
def move(request: Request, lot: str, conn: Connection, user: StaffUser, form: Form) -> Response:
    def write() -> None:
        body = MoveCreate(location=form.get("location", ""), time=_local_time(form.get("time")))
        custody.move_batch(conn, lot, body, user.id)

    return _after_write(request, conn, lot, write)


@router.post("/media/{lot}", dependencies=Checked, response_model=None)
async def attach_media(request: Request, lot: str, conn: Connection, user: StaffUser) -> Response:
    """A photo (a phone's camera is offered by the file input) or PDF for something this
    batch's page tells of; the subject is ``kind:reference`` from the form's list."""
    form = await request.form()
    upload, subject = form.get("file"), str(form.get("subject", ""))
    kind, _, reference = subject.partition(":")
    caption = str(form.get("caption", "")).strip() or None
    data = await upload.read() if isinstance(upload, UploadFile) else b""

    def write() -> None:
        if kind not in _SUBJECT_KINDS or not data:
            raise ValueError("choose what the file shows and a file to upload")
        media.attach(
            conn, request.app.state.media_storage, data, kind,  # type: ignore[arg-type]
            reference, caption, user.id,
        )  # fmt: skip

    return await run_in_threadpool(_after_write, request, conn, lot, write)


_SUBJECT_KINDS = {"event", "harvest_lot", "producer", "location"}


@router.post("/batches/{lot}/split", dependencies=Checked, response_model=None)
def split(request: Request, lot: str, conn: Connection, user: StaffUser, form: Form) -> Response:
    def write() -> None:
        quantities = [part for part in form.get("quantities", "").replace("，", ",").split(",")]
        body = SplitCreate.model_validate(
            {
                "children": [{"quantity": part.strip()} for part in quantities if part.strip()],
                "time": _local_time(form.get("time")),
            }
        )
        genealogy.split_batch(conn, lot, body, user.id, lot_code_for)

    return _after_write(request, conn, lot, write)
