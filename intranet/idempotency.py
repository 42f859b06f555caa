"""``Idempotency-Key`` for API writes (POST, PUT, PATCH, DELETE below /api/v1; docs/api.md).

A client that lost the connection after sending a write cannot know whether it was carried out.
It sends each write with a key of its own choosing and, when it retries, the same key: the API
then answers what it answered the first time (status and body) without doing the write again.

* The key belongs to the user (whichever of their tokens or their session sends it) and is kept
  for ``IDEMPOTENCY_TTL`` (24 hours).
* The first request claims the key by inserting ``IdempotencyKey`` (unique per user and key):
  the database decides between parallel duplicates, on every app server and both databases.
  A duplicate that arrives while the first still runs answers 409 and may retry a moment later.
* The same key with another request (method, path or body) answers 422: a client bug, never a
  silent replay of something else.
* Only answers of a write that was carried out (2xx) are kept. An error (invalid input, refused,
  rate limited, crashed) releases the key: nothing was written, and a retry runs again.

``idempotent`` runs around each operation after authentication, rate limit and validation
(ninja's "operation" decorator); ``finish`` runs on the final response in ``intranet.api``."""

import datetime
import hashlib
import re
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _

from .shared.api import ApiError

HEADER = "Idempotency-Key"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
IDEMPOTENCY_TTL = datetime.timedelta(hours=24)
MAX_KEY_LENGTH = 255
_VALID_KEY = re.compile(rf"^[\x21-\x7e]{{1,{MAX_KEY_LENGTH}}}$")  # visible ASCII, e.g. a UUID


def _fingerprint(request) -> str:
    try:
        body = request.body
    except RawPostDataException:  # a multipart body already parsed: its fields and file names
        body = repr(sorted(request.POST.lists())).encode() + repr(sorted(request.FILES)).encode()
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _key_error(reason: str):
    return ApiError(400, "invalid_idempotency_key", reason, [{"field": HEADER, "reason": reason}])


def idempotent(func):
    @wraps(func)
    def wrapper(request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or request.method not in WRITE_METHODS:
            return func(request, *args, **kwargs)
        if not _VALID_KEY.match(key):
            raise _key_error(
                _("The Idempotency-Key must be 1 to %(max)s visible ASCII characters, e.g. a UUID.")
                % {"max": MAX_KEY_LENGTH}
            )
        replay = _claim(request, key)
        if replay is not None:
            return replay
        return func(request, *args, **kwargs)

    return wrapper


def _claim(request, key: str):
    """Claims ``key`` for this request (None: go ahead), or the answer for a repeated request."""
    from .models import IdempotencyKey

    user = request.auth
    fingerprint = _fingerprint(request)
    IdempotencyKey.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_TTL).delete()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                request._idempotency_claim = IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint)
            return None
        except IntegrityError:
            first = IdempotencyKey.objects.filter(user=user, key=key).first()
        if first is None:  # expired and removed in between: claim again
            continue
        if first.fingerprint != fingerprint:
            raise ApiError(
                422,
                "idempotency_key_reused",
                _("This Idempotency-Key was already used for a different request."),
                [{"field": HEADER, "reason": _("Use a new key for every new request.")}],
            )
        if first.status is None:
            raise ApiError(
                409,
                "idempotency_key_in_progress",
                _("A request with this Idempotency-Key is still being processed. Please retry in a moment."),
                retry_after=1,
            )
        response = HttpResponse(bytes(first.body), status=first.status, content_type=first.content_type)
        response["Idempotent-Replayed"] = "true"
        return response
    raise ApiError(409, "idempotency_key_in_progress", _("Please retry in a moment."), retry_after=1)


def finish(request, response) -> None:
    """Keeps the answer of a carried-out write for its key; any other answer releases the key."""
    from .models import IdempotencyKey

    claim = getattr(request, "_idempotency_claim", None)
    if claim is None:
        return
    request._idempotency_claim = None
    if 200 <= response.status_code < 300 and not getattr(response, "streaming", False):
        IdempotencyKey.objects.filter(pk=claim.pk).update(
            status=response.status_code, content_type=response.get("Content-Type", ""), body=response.content
        )
    else:
        IdempotencyKey.objects.filter(pk=claim.pk).delete()
