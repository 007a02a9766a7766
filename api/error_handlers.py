"""The handlers that turn every error into JSON or into the ``error.html`` page."""

import logging
from http import HTTPStatus

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.allowed_methods import allowed_methods
from api.errors import Conflict, FarmtraceError, Invalid, NotFound, error_body
from api.i18n import choose_language
from api.pages import render
from store.errors import ConflictError, InvalidReferenceError, NotFoundError, StoreError

log = logging.getLogger(__name__)


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
        response = _answer(request, error.status_code, code, str(error.detail))
        response.headers.update(error.headers or {})
        if error.status_code == 405:
            response.headers["Allow"] = ", ".join(allowed_methods(request))
        return response

    async def on_unexpected(request: Request, error: Exception) -> Response:
        log.exception("unhandled error", extra={"path": request.url.path})
        return _answer(request, 500, "internal_error", "internal server error")

    app.add_exception_handler(FarmtraceError, on_farmtrace_error)
    app.add_exception_handler(StoreError, on_store_error)
    app.add_exception_handler(psycopg.errors.DataError, on_data_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
