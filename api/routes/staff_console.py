"""The processing-centre staff console: server-rendered pages for a tablet at the packing line.

Forms post back here (with the session's CSRF token) and go through the same store functions
and models as the JSON API; a refused form comes back with its message, not a bare error page.
Quantities are checked for mass balance (``api.mass_balance``) and a batch shows only the
forms its state allows (``api.staff_forms``); every time is shown and entered in Beijing time.
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
from api.mass_balance import (
    Balance,
    gains_weight,
    receiving_balance,
    split_balance,
    step_yield,
)
from api.pages import render
from api.staff_forms import (
    MOVE,
    RECALL,
    SPLIT,
    STEP,
    TEST,
    FormProblem,
    allowed_forms,
    number,
    require_form,
    step_data,
    test_data,
    validation_words,
    why_no_forms,
)
from labels.lot_codes import lot_code_for
from schemas.batches import BatchCreate, BatchDetail, EventCreate, MoveCreate, SplitCreate
from schemas.cbv import EVENT_MEANINGS, RECORDED_TYPES
from schemas.district_time import DISTRICT_TIME
from schemas.recalls import RecallCreate
from store import audit, batches, custody, events, farm_deliveries, genealogy, master_data, media
from store.alarms import list_alarms
from store.batch_detail import batch_detail
from store.console_overview import location_names, stored_verdicts
from store.errors import NotFoundError, StoreError
from store.recalls import recall_batches

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
    """The refusal in the reader's words: the console's own checks and the store's refusals
    in the reader's language, field checks with each field named and what is wrong."""
    language = choose_language(request)
    if isinstance(error, FormProblem):
        return error.words(language)
    if isinstance(error, StoreError):
        return error.message_zh if language == "zh" and error.message_zh else str(error)
    words = validation_words(error, language) if isinstance(error, ValidationError) else None
    return f"{translate('form_refused', language)} {words or str(error)}"


def _choices(conn: Any) -> dict[str, Any]:
    locations = master_data.list_locations(conn)
    return {
        "products": master_data.list_products(conn),
        "producers": master_data.list_producers(conn),
        "villages": [place for place in locations if place.kind == "village_point"],
        "sites": [place for place in locations if place.kind != "village_point"],
        "now_local": _now_local(),
        "places": location_names(conn),
        "deliveries": farm_deliveries.list_deliveries(conn, waiting=True, limit=200),
    }


def _mismatch(key: str, balance: Balance) -> FormProblem:
    return FormProblem(
        key, expected=balance.expected, actual=balance.actual, difference=balance.difference
    )


def _note_accepted(conn: Any, user_id: int, lot: str, what: str, balance: Balance) -> None:
    """An accepted mismatch stays on record: who accepted which figures, in the audit trail."""
    audit.record(
        conn, user_id, "accept_mass_balance", f"batch {lot}",
        {"check": what, "expected": balance.expected, "entered": balance.actual},
    )  # fmt: skip


@router.get("", response_class=HTMLResponse, response_model=None)
def home(request: Request, conn: Connection, user: StaffUser, lot: str | None = None) -> Response:
    if lot:
        return RedirectResponse(
            f"/staff/batches/{batches.normalize_lot_code(lot)}", status_code=303
        )
    recent = batches.list_batches(conn, 30)
    return render(
        request,
        "staff/home.html",
        {
            "batches": recent,
            "verdicts": stored_verdicts(conn, [batch.lot_code for batch in recent]),
            "places": location_names(conn),
            "alarms": list_alarms(conn, limit=20),
        },
    )


@router.get("/receive", response_class=HTMLResponse)
def receive_page(request: Request, conn: Connection, user: StaffUser) -> HTMLResponse:
    return render(request, "staff/receive.html", {**_choices(conn), "form": {}})


def _harvest_lots(form: dict[str, str]) -> list[dict[str, str]]:
    lots = []
    for index in ("1", "2"):
        if not form.get(f"producer_{index}"):
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
                # Checked village deliveries: their harvest lots, as recorded at the point.
                "deliveries": [
                    key.removeprefix("delivery_") for key in form if key.startswith("delivery_")
                ],
                "quantity": form.get("quantity", ""),
                "unit": form.get("unit", ""),
                "location": form.get("location", ""),
                "received_at": _local_time(form.get("received_at")) or datetime.now(DISTRICT_TIME),
                "grade": form.get("grade") or None,
            }
        )
        delivered = farm_deliveries.list_deliveries_by_id(conn, body.deliveries)
        balance = receiving_balance(
            float(body.quantity),
            [float(lot.quantity) for lot in body.harvest_lots if lot.unit == body.unit]
            + [delivery.quantity for delivery in delivered if delivery.unit == body.unit],
        )
        accepted = form.get("accept_mismatch") == "yes"
        if balance.mismatch and not accepted:
            raise _mismatch("receiving_mismatch", balance)
        batch = batches.receive_batch(conn, body, user.id, lot_code_for)
        if balance.mismatch:
            _note_accepted(conn, user.id, batch.lot_code, "receiving", balance)
    except (ValidationError, StoreError, ValueError) as error:
        mismatch = isinstance(error, FormProblem) and error.key == "receiving_mismatch"
        return render(
            request,
            "staff/receive.html",
            {**_choices(conn), "form": form, "problem": _describe(request, error),
             "mismatch": mismatch},
            status_code=422,
        )  # fmt: skip
    return RedirectResponse(f"/staff/batches/{batch.lot_code}?saved=1", status_code=303)


def _batch_page(
    request: Request,
    conn: Any,
    lot: str,
    problem: str | None = None,
    status_code: int = 200,
    mismatch_in: str | None = None,
) -> HTMLResponse:
    detail = batch_detail(conn, lot)
    recalled = detail.recalled_at is not None
    children = detail.genealogy.children
    harvests = [h for h in detail.genealogy.harvest_lots if h.unit == detail.unit]
    return render(
        request,
        "staff/batch.html",
        {
            **_choices(conn),
            "batch": detail,
            "meanings": EVENT_MEANINGS,
            "step_types": [kind for kind in RECORDED_TYPES if kind != "testing"],
            "label_formats": LABEL_FORMATS,
            "problem": problem,
            "tz": DISTRICT_TIME,
            "saved": request.query_params.get("saved") == "1" and problem is None,
            "forms": allowed_forms(detail.status, recalled),
            "forms_closed": why_no_forms(detail.status, recalled),
            "verdict": stored_verdicts(conn, [detail.lot_code]).get(detail.lot_code),
            "alarms": [a for a in list_alarms(conn) if detail.lot_code in a.batches],
            "received": None if detail.genealogy.parents else receiving_balance(
                detail.quantity, [float(h.quantity) for h in harvests]
            ),
            "split": split_balance(detail.quantity, [c.quantity or 0 for c in children])
            if children else None,
            "step_yield": lambda weight: step_yield(detail.quantity, float(weight)),
            "mismatch_in": mismatch_in,
        },
        status_code=status_code,
    )  # fmt: skip


@router.get("/batches/{lot}", response_class=HTMLResponse)
def batch_page(request: Request, lot: str, conn: Connection, user: StaffUser) -> HTMLResponse:
    return _batch_page(request, conn, lot)


def _after_write(request: Request, conn: Any, lot: str, write: Any) -> Response:
    """Run a write; back to the batch page with a notice, or with the refusal's message."""
    try:
        write()
    except NotFoundError:
        raise
    except (ValidationError, StoreError, ValueError) as error:
        mismatch_in = error.figures.get("form") if isinstance(error, FormProblem) else None
        return _batch_page(
            request, conn, lot, _describe(request, error), 422, mismatch_in=str(mismatch_in or "")
        )
    return RedirectResponse(f"/staff/batches/{batches.normalize_lot_code(lot)}?saved=1", 303)


@router.post("/batches/{lot}/events", dependencies=Checked, response_model=None)
def record_step(
    request: Request, lot: str, conn: Connection, user: StaffUser, form: Form
) -> Response:
    def write() -> None:
        batch = batch_detail(conn, lot)
        testing = form.get("type") == "testing"
        require_form(TEST if testing else STEP, batch.status, batch.recalled_at is not None)
        data = test_data(form) if testing else step_data(form)
        weight: float | None = data.get("weight_after")
        gain = weight is not None and gains_weight(batch.quantity, weight)
        accepted = form.get("accept_mismatch") == "yes"
        if gain and not accepted:
            raise FormProblem("weight_gain", form=STEP, expected=batch.quantity, actual=weight)
        body = EventCreate.model_validate(
            {
                "type": form.get("type", ""),
                "time": _local_time(form.get("time")) or datetime.now(DISTRICT_TIME),
                "location": form.get("location") or None,
                "data": data,
                "corrects": form.get("corrects") or None,
            }
        )
        events.record_event(conn, lot, body, user.id)
        if gain and weight is not None:
            _note_accepted(
                conn, user.id, batch.lot_code, body.type, Balance(batch.quantity, weight)
            )

    return _after_write(request, conn, lot, write)


@router.post("/batches/{lot}/moves", dependencies=Checked, response_model=None)
def move(request: Request, lot: str, conn: Connection, user: StaffUser, form: Form) -> Response:
    def write() -> None:
        batch = batch_detail(conn, lot)
        require_form(MOVE, batch.status, batch.recalled_at is not None)
        body = MoveCreate(location=form.get("location", ""), time=_local_time(form.get("time")))
        _check_after_custody(request, conn, batch, body.time or datetime.now(DISTRICT_TIME))
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
        batch = batch_detail(conn, lot)
        require_form(SPLIT, batch.status, batch.recalled_at is not None)
        parts = [part for part in form.get("quantities", "").replace("，", ",").split(",")]
        quantities = [value for part in parts if (value := number(part)) is not None]
        body = SplitCreate.model_validate(
            {
                "children": [{"quantity": quantity} for quantity in quantities],
                "time": _local_time(form.get("time")),
            }
        )
        balance = split_balance(batch.quantity, quantities)
        accepted = form.get("accept_mismatch") == "yes"
        if balance.mismatch and not accepted:
            raise FormProblem(
                "split_mismatch", form=SPLIT, expected=balance.expected, actual=balance.actual,
                difference=balance.difference,
            )  # fmt: skip
        genealogy.split_batch(conn, lot, body, user.id, lot_code_for)
        if balance.mismatch:
            _note_accepted(conn, user.id, batch.lot_code, "splitting", balance)

    return _after_write(request, conn, lot, write)


@router.post("/batches/{lot}/recall", dependencies=Checked, response_model=None)
def recall(request: Request, lot: str, conn: Connection, user: StaffUser, form: Form) -> Response:
    """Recall the batch and everything made from it, with the reason (staff and admins)."""

    def write() -> None:
        batch = batch_detail(conn, lot)
        require_form(RECALL, batch.status, batch.recalled_at is not None)
        reason = form.get("reason", "").strip()
        if not reason:
            raise FormProblem("recall_needs_reason")
        recall_batches(conn, RecallCreate(batch=batch.lot_code, reason=reason), user.id)

    return _after_write(request, conn, lot, write)


def _check_after_custody(request: Request, conn: Any, batch: BatchDetail, time: datetime) -> None:
    """A move before the batch reached where it is now is refused in words, in Beijing time
    (the store's own refusal names the overlapping interval in UTC)."""
    current = next((c for c in batch.custody if c.end is None), None)
    if current is None or time > current.start:
        return
    language = choose_language(request)
    name_zh, name_en = location_names(conn).get(current.location, (current.location, None))
    raise FormProblem(
        "move_before_custody",
        time=time.astimezone(DISTRICT_TIME).strftime("%Y-%m-%d %H:%M"),
        since=current.start.astimezone(DISTRICT_TIME).strftime("%Y-%m-%d %H:%M"),
        place=name_en if language == "en" and name_en else name_zh,
    )
