"""The errors a request may end in, and the shape every error leaves the application in.

``{"error": {"status", "code", "message"}}`` in JSON; ``api.error_handlers`` renders the same
as the ``error.html`` page when the caller prefers HTML.
"""

from http import HTTPStatus
from typing import Any


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
