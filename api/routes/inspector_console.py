"""The inspector console: batch search, a batch's cold chain and record, alarms, audit trail.

Every page reads; the only form, acknowledging an alarm, is for staff and admins (the page
shows it to them alone, and the handler checks the role and the CSRF token).
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.csrf import check_csrf
from api.deps import Connection, ReaderUser, StaffUser
from api.errors import BadRequest
from api.inspector_chart import temperature_chart
from api.pages import render
from api.routes.batches import Lot
from schemas.recalls import RecallCreate
from store.alarms import acknowledge_alarm, list_alarms
from store.batch_detail import batch_detail
from store.findings import batch_findings, batch_verdict, sets_limits, verdict
from store.history import temperature_history
from store.inspection import audit_trail, search_batches
from store.recalls import recall_batches, recall_reason

router = APIRouter(prefix="/inspect", tags=["consoles"], include_in_schema=False)
VERDICTS = ("held", "excursions", "gaps", "no_data", "no_profile")
# Points on the batch page's chart: about one per pixel column pair of the SVG.
CHART_POINTS = 480
WRITER_ROLES = ("staff", "admin")


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
        },
    )


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
    return render(
        request, "inspect/alarms.html",
        {"alarms": list_alarms(conn), "can_acknowledge": user.role in WRITER_ROLES},
    )  # fmt: skip


@router.post("/alarms/{alarm_id}/acknowledge", dependencies=[Depends(check_csrf)])
def acknowledge_form(
    alarm_id: Annotated[int, Path(ge=1, le=2**62)],
    conn: Connection,
    user: StaffUser,
    comment: Annotated[str, Form(min_length=1, max_length=2000)],
) -> RedirectResponse:
    acknowledge_alarm(conn, alarm_id, user.id, comment)
    return RedirectResponse("/inspect/alarms", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request, conn: Connection, user: ReaderUser, about: str | None = None
) -> HTMLResponse:
    return render(
        request, "inspect/audit.html", {"entries": audit_trail(conn, about), "about": about}
    )
