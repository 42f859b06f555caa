"""What each app's /api/v1 router needs from the API: the one error shape, ``ApiError`` to answer
with it, ``with_errors`` to declare it, ``error_response`` to build it outside an endpoint, and
``require_write`` (the scope of a token). ``intranet.api`` turns every exception into this shape
(docs/api.md):

    {"error": {"code": "not_found", "message": "…", "fields": [{"field": "limit", "reason": "…"}]}}

Shared with the apps (``intranet.shared``): imports nothing of the project or of an app."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError


# --- The error shape ---------------------------------------------------------------------------
class FieldError(Schema):
    field: str
    reason: str


class ErrorDetail(Schema):
    code: str
    message: str
    fields: list[FieldError] = []


class ErrorOut(Schema):
    error: ErrorDetail


# The error answers every operation may give; views add what they return on success.
COMMON_ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


def with_errors(success: dict) -> dict:
    return {**success, **COMMON_ERRORS}


class ApiError(HttpError):
    """Raise in an endpoint for an error with its own code: `raise ApiError(403, "insufficient_scope", "…")`."""

    def __init__(self, status_code: int, code: str, message: str, fields: list[dict] | None = None, retry_after=None):
        super().__init__(status_code, message)
        self.code = code
        self.fields = fields or []
        self.retry_after = retry_after


_DEFAULT_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid_input",
    413: "payload_too_large",
    429: "rate_limited",
    500: "server_error",
}


def error_response(status: int, message: str, *, code: str | None = None, fields=None, headers=None) -> JsonResponse:
    body = {"error": {"code": code or _DEFAULT_CODES.get(status, "error"), "message": message, "fields": fields or []}}
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


# --- Scope -------------------------------------------------------------------------------------
def require_write(request) -> None:
    """Refuses writes with a read-only token (403). Sessions and read+write tokens pass."""
    token = getattr(request, "api_token", None)
    if token is not None and not token.can_write:
        raise ApiError(403, "insufficient_scope", _("This token may only read. Create a token with read and write."))
