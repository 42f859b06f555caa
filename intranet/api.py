"""The root of `/api/v1/`: authentication (browser session or personal bearer token), the one
error shape every failure has (defined in `intranet.shared.api`, which the apps' routers use),
rate limiting, and the routers each app brings in its `api.py`.

Every error, whatever raised it, is JSON of this shape (docs/api.md):

    {"error": {"code": "not_found", "message": "…", "fields": [{"field": "limit", "reason": "…"}]}}

`fields` is filled for 400 and 422 (which input, and why). No HTML page and no stack trace ever
reaches an API client: unknown URLs below /api/v1/ answer 404 JSON, wrong methods 405 JSON,
crashes 500 JSON (the traceback goes to the log)."""

import json
import logging
import math
import threading
from functools import update_wrapper

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.urls import URLPattern, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import SimpleRateThrottle
from ninja.utils import check_csrf

from . import idempotency
from .api_docs import SiteDocs
from .shared.api import ApiError, error_response
from .shared.validators import is_storable, unstorable_message

logger = logging.getLogger(__name__)

API_TITLE = "Wissensnetz API"
API_VERSION = "1"


# --- Errors (their shape: intranet.shared.api) -------------------------------------------------
def _field_name(loc) -> str:
    """('query', 'limit') -> 'limit'; ('body', 'payload', 'text') -> 'text'."""
    parts = [str(part) for part in loc if part not in ("query", "path", "body", "header", "cookie", "form", "payload")]
    return ".".join(parts) or "body"


def _django_validation_fields(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": field, "reason": str(message)} for field, errors in exc.message_dict.items() for message in errors
        ]
    return [{"field": "__all__", "reason": str(message)} for message in exc.messages]


# --- Authentication ----------------------------------------------------------------------------
class TokenAuth(HttpBearer):
    """`Authorization: Bearer wn_…` — a personal API token. A wrong, revoked or expired token is
    refused outright (401), never silently replaced by a browser session."""

    def authenticate(self, request, token):
        from .tokens import authenticate_token

        api_token = authenticate_token(token)
        if api_token is None:
            raise ApiError(401, "invalid_token", _("The API token is invalid, expired or revoked."))
        request.api_token = api_token
        request.user = api_token.user
        return api_token.user

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header and not header.lower().startswith("bearer "):
            raise ApiError(401, "invalid_token", _("Use the header 'Authorization: Bearer <token>'."))
        return super().__call__(request)


class SessionAuth(APIKeyCookie):
    """The browser session. Writes need the CSRF token (header X-CSRFToken), as forms do."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self):
        # csrf=True marks the scheme as needing the CSRF token; the check itself runs in
        # `authenticate`, only once we know a signed-in user is asking (otherwise: 401, not 403)
        super().__init__(csrf=True)

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise ApiError(403, "csrf_failed", _("CSRF check failed: send the X-CSRFToken header with session writes."))
        request.api_token = None
        return user


# --- Rate limiting -----------------------------------------------------------------------------
# Caches whose ``incr`` is atomic (one command on the server, or under a lock). Django's
# DatabaseCache and FileBasedCache implement ``incr`` as ``get`` + ``set``: parallel requests
# overwrite each other's counts, so with them the count is kept in ``RateLimitCounter``.
ATOMIC_INCR_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    "django_redis.cache.RedisCache",
}


def _cache_counts_atomically(cache) -> bool:
    cls = type(cache)
    return f"{cls.__module__}.{cls.__qualname__}" in ATOMIC_INCR_CACHES


def count_request(key: str, timeout: int) -> int:
    """Adds one to the counter ``key`` (created for ``timeout`` seconds) and returns the new count,
    atomically: of N parallel calls each gets a different number. With a cache whose ``incr`` is
    atomic (local memory, Redis, memcached) ``cache.add`` + ``cache.incr``; otherwise one upsert
    on ``RateLimitCounter`` (``INSERT … ON CONFLICT DO UPDATE … RETURNING``, SQLite 3.35+ and
    PostgreSQL), which the database runs as one atomic statement."""
    from django.core.cache import caches

    cache = caches["default"]  # the backend itself (django.core.cache.cache is a proxy)
    if _cache_counts_atomically(cache):
        for _attempt in range(3):
            cache.add(key, 0, timeout)
            try:
                return cache.incr(key)
            except ValueError:  # expired between add and incr: add again
                continue
        raise RuntimeError(f"rate limit counter {key} could not be counted")
    return _count_in_database(key, timeout)


def _count_in_database(key: str, timeout: int) -> int:
    import datetime

    from django.db import connections, router
    from django.utils import timezone

    from .models import RateLimitCounter

    now = timezone.now()
    connection = connections[router.db_for_write(RateLimitCounter)]
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    name, count, expires = (connection.ops.quote_name(c) for c in ("name", "count", "expires_at"))
    expires_at = now + datetime.timedelta(seconds=timeout)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({name}, {count}, {expires}) VALUES (%s, 1, %s) "  # noqa: S608 — quoted names
            f"ON CONFLICT ({name}) DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {count}",
            [key, connection.ops.adapt_datetimefield_value(expires_at)],
        )
        value = cursor.fetchone()[0]
    if value == 1:  # the first request of a new window clears the finished ones
        RateLimitCounter.objects.using(connection.alias).filter(expires_at__lt=now).delete()
    return value


class UserRateThrottle(SimpleRateThrottle):
    """Requests per user (whichever token or session) and window; `API_RATE_LIMIT` in settings,
    e.g. "600/m" (read on every request, so it can change without a restart in tests).

    A fixed window (this minute) counted atomically by ``count_request``: of N parallel requests
    exactly the limit pass. (ninja's own throttle keeps a list of times that each request reads
    and writes back whole, and keeps its state on the one throttle object all threads share:
    parallel requests lost each other's entries.) At a window's edge a client may send up to the
    limit at its end and again at the next one's start."""

    scope = "api"

    def __init__(self):
        super().__init__(rate="600/m")
        self._state = threading.local()

    def allow_request(self, request):
        num_requests, duration = self.parse_rate(getattr(settings, "API_RATE_LIMIT", "600/m"))
        key = self.get_cache_key(request)
        if key is None or num_requests is None:
            return True
        now = self.timer()
        window = int(now // duration)
        count = count_request(f"{key}_{duration}_{window}", duration + 1)
        self._state.wait = (window + 1) * duration - now
        return count <= num_requests

    def wait(self):
        return getattr(self._state, "wait", None)

    def get_cache_key(self, request):
        user = getattr(request, "auth", None)
        ident = f"user-{user.pk}" if user is not None else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


# --- Request bodies ----------------------------------------------------------------------------
class StorableJSONParser(Parser):
    """JSON bodies whose every string (keys too) can be stored: a NUL or a lone surrogate
    (``"\\ud800"``) anywhere answers 400 naming the field, before any endpoint sees it (they
    crashed the database driver: 500). A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` answers 413."""

    def parse_body(self, request):
        data = json.loads(request.body)
        bad = sorted(set(_unstorable_paths(data)))
        if bad:
            reason = unstorable_message()
            raise ApiError(
                400, "bad_request", _("Some input is not valid."), [{"field": f, "reason": reason} for f in bad]
            )
        return data


def _unstorable_paths(value, path: str = ""):
    if isinstance(value, str):
        if not is_storable(value):
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if not is_storable(str(key)):
                yield path or "body"
            else:
                yield from _unstorable_paths(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unstorable_paths(item, f"{path}.{index}" if path else str(index))


# --- The API -----------------------------------------------------------------------------------
class IntranetAPI(NinjaAPI):
    def _get_urls(self):
        patterns = []
        for pattern in super()._get_urls():
            if pattern.name == "api-root":
                continue
            if pattern.name == "openapi-view":
                patterns.append(pattern)  # the docs (intranet/api_docs.py): an HTML page for signed-in staff
                continue
            patterns.append(
                URLPattern(pattern.pattern, _json_only(pattern.callback), pattern.default_args, pattern.name)
            )
        patterns.append(re_path(r"^$", _json_only(api_root), name="api-root"))
        patterns.append(re_path(r"^.*$", _json_only(not_found), name="not-found"))
        return patterns


def _json_only(view):
    """Every API URL: no sign-in redirect (the API answers 401 itself), no CSRF middleware (the
    session auth checks it), and no non-JSON answer: 405 and crashes become JSON errors."""

    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Exception:
            logger.exception("API request failed: %s %s", request.method, request.path)
            response = error_response(500, _("Something went wrong on our side. Please try again later."))
        idempotency.finish(request, response)  # keeps or releases an Idempotency-Key
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            return error_response(
                405,
                _("This URL does not accept %(method)s.") % {"method": request.method},
                headers={"Allow": response.get("Allow", "")},
            )
        return response

    if hasattr(view, "__name__"):
        update_wrapper(wrapper, view)
    wrapper.csrf_exempt = True
    wrapper.login_required = False
    return wrapper


def api_root(request):
    if request.method not in ("GET", "HEAD"):
        return error_response(
            405, _("This URL does not accept %(method)s.") % {"method": request.method}, headers={"Allow": "GET, HEAD"}
        )
    base = request.path
    return JsonResponse(
        {"title": API_TITLE, "version": API_VERSION, "openapi": base + "openapi.json", "docs": base + "docs"}
    )


def not_found(request):
    return error_response(404, _("There is no API endpoint at this address."))


api = IntranetAPI(
    title=API_TITLE,
    version=API_VERSION,
    description=(
        "Read and, where allowed, write the Wissensnetz: people, wiki pages, posts. Authenticate with a "
        "personal API token (`Authorization: Bearer wn_…`, created on the page /api-zugang/) or a browser "
        'session. Every error is JSON: `{"error": {"code", "message", "fields"}}`.'
    ),
    urls_namespace="api",
    docs=SiteDocs(),
    auth=[TokenAuth(), SessionAuth()],
    throttle=[UserRateThrottle()],
    parser=StorableJSONParser(),
)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    headers = {"Retry-After": str(math.ceil(exc.retry_after))} if exc.retry_after else None
    return error_response(exc.status_code, exc.message, code=exc.code, fields=exc.fields, headers=headers)


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    # ninja sets Retry-After itself after this handler; default to the whole window if unknown
    return error_response(
        429,
        _("Too many requests. Please wait before trying again."),
        headers={"Retry-After": str(math.ceil(exc.wait or 60))},
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error_response(401, _("Sign in or send a personal API token (Authorization: Bearer …)."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, ApiError):  # ninja wraps what the body parser raises
        return _api_error(request, exc.__cause__)
    return error_response(exc.status_code, exc.message)


@api.exception_handler(NinjaValidationError)
def _invalid_input(request, exc: NinjaValidationError):
    fields = [{"field": _field_name(error.get("loc", ())), "reason": error.get("msg", "")} for error in exc.errors]
    return error_response(422, _("Some input is not valid."), fields=fields)


@api.exception_handler(DjangoValidationError)
def _rejected(request, exc: DjangoValidationError):
    if getattr(exc, "code", None) == "rate_limited":
        from posts.actions import RATE_LIMIT

        return error_response(429, " ".join(exc.messages), headers={"Retry-After": str(RATE_LIMIT[1])})
    return error_response(400, _("The request was not accepted."), fields=_django_validation_fields(exc))


@api.exception_handler(SuspiciousOperation)
def _suspicious(request, exc: SuspiciousOperation):
    if isinstance(exc, RequestDataTooBig):
        from django.template.defaultfilters import filesizeformat

        return error_response(
            413,
            _("The request body is too large: at most %(max)s are accepted.")
            % {"max": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)},
            code="payload_too_large",
        )
    return error_response(400, _("The request was not accepted."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return error_response(403, str(exc) or _("You do not have permission to do this."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(404, _("Not found, or not visible to you."))


@api.exception_handler(Exception)
def _crash(request, exc):
    logger.exception("API request failed: %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, _("Something went wrong on our side. Please try again later."))


# Idempotency-Key on writes: after authentication, rate limit and validation (intranet/idempotency.py)
api.add_decorator(idempotency.idempotent, mode="operation")


def _register_routers():
    """Each app brings its own router; an app that is not ready yet simply brings none."""
    import importlib

    for name, prefix in (
        ("people.api", "/people"),
        ("home.api", "/pages"),
        ("home.reading_api", "/me"),
        ("posts.api", "/posts"),
        ("search.api", "/search"),
    ):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        api.add_router(prefix, module.router, tags=[getattr(module, "TAG", name.split(".")[0])])


_register_routers()
