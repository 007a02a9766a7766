"""One error hierarchy for the application and one handler that answers in HTML or JSON.

Every error leaves the application in the shape ``{"error": {"status", "code", "message"}}``
(JSON) or as the ``error.html`` page (when the caller's ``Accept`` prefers HTML).
"""

import logging
from http import HTTPStatus
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.i18n import choose_language
from store.errors import ConflictError, InvalidReferenceError, NotFoundError, StoreError

log = logging.getLogger(__name__)


class FarmtraceError(Exception):
    """Base of the errors a request may end in; subclasses fix the status and code."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(FarmtraceError):
    status = 400
    code = "bad_request"


class Unauthorized(FarmtraceError):
    status = 401
    code = "unauthorized"


class Forbidden(FarmtraceError):
    status = 403
    code = "forbidden"


class NotFound(FarmtraceError):
    status = 404
    code = "not_found"


class Conflict(FarmtraceError):
    status = 409
    code = "conflict"


class Invalid(FarmtraceError):
    status = 422
    code = "invalid"


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message}}


# The same shape, for the OpenAPI document of every route.
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
            },
        }
    },
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": HTTPStatus(status).phrase,
        "content": {"application/json": {"schema": ERROR_SCHEMA}},
    }
    for status in (400, 401, 403, 404, 409, 422)
}


# The store's refusals, as the statuses the API answers them with.
STORE_ERRORS: dict[type[StoreError], type[FarmtraceError]] = {
    NotFoundError: NotFound,
    InvalidReferenceError: Invalid,
    ConflictError: Conflict,
}


def wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and not request.url.path.startswith("/api/")


def _describe_validation(error: RequestValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(step) for step in item.get("loc", ()))
        parts.append(f"{where}: {item.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def _answer(request: Request, status: int, code: str, message: str) -> Response:
    if wants_html(request):
        if status == 401:
            # A browser without a session is sent to sign in and brought back afterwards.
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        # Imported here: the pages module raises errors defined in this one.
        from api.pages import render

        return render(
            request,
            "error.html",
            {"status": status, "code": code, "message": message},
            status_code=status,
        )
    return JSONResponse(error_body(status, code, message), status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    async def on_farmtrace_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, FarmtraceError)
        return _answer(request, error.status, error.code, error.message)

    async def on_store_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StoreError)
        kind = next(
            (answer for refusal, answer in STORE_ERRORS.items() if isinstance(error, refusal)),
            Conflict,
        )
        message = str(error)
        if error.message_zh and wants_html(request) and choose_language(request) == "zh":
            message = error.message_zh
        return _answer(request, kind.status, kind.code, message)

    async def on_data_error(request: Request, error: Exception) -> Response:
        # Input the models let through but PostgreSQL refuses (a value out of numeric range).
        log.warning("database refused a value", extra={"path": request.url.path})
        return _answer(request, 422, "invalid", "a value is out of the range the database keeps")

    async def on_validation_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        return _answer(request, 422, "invalid", _describe_validation(error))

    async def on_http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        code = HTTPStatus(error.status_code).phrase.lower().replace(" ", "_")
        return _answer(request, error.status_code, code, str(error.detail))

    async def on_unexpected(request: Request, error: Exception) -> Response:
        log.exception("unhandled error", extra={"path": request.url.path})
        return _answer(request, 500, "internal_error", "internal server error")

    app.add_exception_handler(FarmtraceError, on_farmtrace_error)
    app.add_exception_handler(StoreError, on_store_error)
    app.add_exception_handler(psycopg.errors.DataError, on_data_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
