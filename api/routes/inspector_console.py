"""The inspector console: batch search, a batch's cold chain and record, alarms, the event log
and the audit trail (both paginated and searchable, in words rather than JSON).

Pages read; acknowledging an alarm with a comment is open to inspectors, staff and admins
(who and when is recorded); a recall is for staff and admins. Both forms carry a CSRF token.
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.csrf import check_csrf
from api.deps import Connection, ReaderUser, StaffUser
from api.errors import BadRequest
from api.i18n import choose_language
from api.inspector_chart import temperature_chart
from api.pages import render
from api.record_words import (
    PAGE_SIZE,
    action_words,
    detail_lines,
    event_type_words,
    object_words,
)
from api.routes.batches import Lot
from schemas.recalls import RecallCreate
from store.alarms import acknowledge_alarm, list_alarms
from store.batch_detail import batch_detail
from store.console_overview import location_names
from store.findings import batch_findings, batch_verdict, sets_limits, verdict
from store.history import temperature_history
from store.inspection import audit_trail, event_log, search_batches
from store.recalls import recall_batches, recall_reason

router = APIRouter(prefix="/inspect", tags=["consoles"], include_in_schema=False)
VERDICTS = ("held", "excursions", "gaps", "no_data", "no_profile")
# Points on the batch page's chart: about one per pixel column pair of the SVG.
CHART_POINTS = 480
WRITER_ROLES = ("staff", "admin")
# Pages of the audit trail and event log are numbered from 1; this bounds the offset.
MAX_PAGE = 10_000
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE)]
SearchText = Annotated[str | None, Query(max_length=200)]


@router.get("", response_class=HTMLResponse)
def search(
    request: Request,
    conn: Connection,
    user: ReaderUser,
    lot: str | None = None,
    product: str | None = None,
    producer: str | None = None,
    since_text: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    until_text: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    wanted: Annotated[str | None, Query(alias="verdict")] = None,
) -> HTMLResponse:
    since, until = _form_date(since_text), _form_date(until_text)
    found = search_batches(conn, lot or None, product or None, producer or None, since, until)
    for batch in found:
        batch["verdict"] = batch_verdict(conn, batch["lot_code"])
    if wanted in VERDICTS:
        found = [batch for batch in found if batch["verdict"] == wanted]
    criteria = {"lot": lot, "product": product, "producer": producer, "from": since,
                "to": until, "verdict": wanted}  # fmt: skip
    return render(
        request, "inspect/search.html",
        {"batches": found, "criteria": criteria, "verdicts": VERDICTS},
    )  # fmt: skip


def _form_date(text: str | None) -> date | None:
    """A date field as a browser submits it: empty when left blank."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise BadRequest(f"not a date: {text!r} (use YYYY-MM-DD)") from error


@router.get("/batches/{lot}", response_class=HTMLResponse)
def batch_page(request: Request, lot: Lot, conn: Connection, user: ReaderUser) -> HTMLResponse:
    detail = batch_detail(conn, lot)
    history = temperature_history(conn, lot, points=CHART_POINTS)
    findings, any_data = batch_findings(conn, lot)
    devices = {
        (s.device_id, s.location): s for s in history.series if s.metric == "temp"
    }  # fmt: skip
    return render(
        request,
        "inspect/batch.html",
        {
            "batch": detail,
            "history": history,
            "chart": temperature_chart(history, findings),
            "findings": findings,
            "verdict": verdict(findings, any_data, sets_limits(history.storage_profile)),
            "devices": list(devices.values()),
            "recall_reason": recall_reason(conn, detail.lot_code),
            "can_recall": user.role in WRITER_ROLES,
            **_word_helpers(request, conn),
        },
    )


def _word_helpers(request: Request, conn: Connection | None = None) -> dict[str, object]:
    """Words for the record's codes in the reader's language (places need the database)."""
    language = choose_language(request)
    names = location_names(conn) if conn is not None else {}
    places = {
        code: (name_en if language == "en" and name_en else name)
        for code, (name, name_en) in names.items()
    }
    return {
        "places": places,
        "event_words": lambda kind: event_type_words(kind, language),
        "detail_lines": lambda details: detail_lines(details or {}, language, places),
        "action_words": lambda action: action_words(action, language),
        "object_words": lambda reference: object_words(reference, language),
    }


@router.post("/batches/{lot}/recall", dependencies=[Depends(check_csrf)])
def recall_form(
    lot: Lot,
    conn: Connection,
    user: StaffUser,
    reason: Annotated[str, Form(min_length=1, max_length=2000)],
) -> RedirectResponse:
    """Recall the batch and everything derived from it (staff and admins)."""
    recall_batches(conn, RecallCreate(batch=lot, reason=reason), user.id)
    return RedirectResponse(f"/inspect/batches/{lot}", status_code=303)


@router.get("/alarms", response_class=HTMLResponse)
def alarms_page(request: Request, conn: Connection, user: ReaderUser) -> HTMLResponse:
    return render(request, "inspect/alarms.html", {"alarms": list_alarms(conn)})


@router.post("/alarms/{alarm_id}/acknowledge", dependencies=[Depends(check_csrf)])
def acknowledge_form(
    alarm_id: Annotated[int, Path(ge=1, le=2**62)],
    conn: Connection,
    user: ReaderUser,
    comment: Annotated[str, Form(min_length=1, max_length=2000)],
) -> RedirectResponse:
    acknowledge_alarm(conn, alarm_id, user.id, comment)
    return RedirectResponse("/inspect/alarms", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    conn: Connection,
    user: ReaderUser,
    about: SearchText = None,
    page: PageNumber = 1,
) -> HTMLResponse:
    entries = audit_trail(conn, about, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    return render(
        request,
        "inspect/audit.html",
        {"entries": entries[:PAGE_SIZE], "about": about, "page": page,
         "more": len(entries) > PAGE_SIZE, **_word_helpers(request, conn)},
    )  # fmt: skip


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request,
    conn: Connection,
    user: ReaderUser,
    q: SearchText = None,
    page: PageNumber = 1,
) -> HTMLResponse:
    found = event_log(conn, q, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    return render(
        request,
        "inspect/events.html",
        {"events": found[:PAGE_SIZE], "q": q, "page": page, "more": len(found) > PAGE_SIZE,
         **_word_helpers(request, conn)},
    )  # fmt: skip
