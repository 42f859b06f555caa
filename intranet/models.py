"""Personal API tokens and service accounts for `/api/v1/` (see docs/api.md).

Why not `wagtail.models.APIToken`? It has no scope and no expiry, both required here, and its
hash is an HMAC with SECRET_KEY (rotating the key would silently void every integration's token).
Ours keeps Wagtail's good ideas — only a SHA-256 digest is stored, a short prefix identifies the
token in lists, revoking keeps the row for the record, last use is recorded — and adds scope and
expiry. Tokens are 256-bit random values, so a plain (fast) SHA-256 lookup is safe."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "wn_"  # noqa: S105 — a public marker, not a secret


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(revoked_at=None).filter(models.Q(expires_at=None) | models.Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A personal bearer token. It acts as its user and never grants more than the user may do;
    the `read` scope additionally refuses every write."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="personal_api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_('What the token is for, e.g. "Monitoring".'))
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE


class ServiceAccount(models.Model):
    """Marks a user as a machine (Fachverfahren, monitoring): it has no password and no profile,
    cannot sign in to the site and only acts through its API tokens."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="service_account"
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("service account")
        verbose_name_plural = _("service accounts")

    def __str__(self):
        return self.user.username


class RateLimitCounter(models.Model):
    """Requests of one user in one window of the API rate limit, for caches whose ``incr`` is not
    atomic (Django's DatabaseCache reads and writes the value: parallel requests overwrote each
    other's counts and 8 threads got 726 answers for a limit of 600). One upsert counts
    atomically on SQLite and PostgreSQL; see ``intranet.api.count_request``."""

    name = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.name}: {self.count}"


class IdempotencyKey(models.Model):
    """An API write sent with an ``Idempotency-Key`` header (docs/api.md): the first request
    with a key claims this row (the unique constraint decides between parallel duplicates, on
    every app server and both databases) and stores its answer; a retry with the same key gets
    that answer again instead of writing twice. Kept for ``IDEMPOTENCY_TTL``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of method, path and body: the same key with another request is refused
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # null while the first request still runs
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, default=b"")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key_per_user")]

    def __str__(self):
        return f"{self.user_id}: {self.key}"


class WorkerHeartbeat(models.Model):
    """A running background worker (``manage.py db_worker``, intranet/worker.py): it writes
    ``seen_at`` every TASKS_HEARTBEAT_INTERVAL seconds and deletes its row when it stops. A task
    still RUNNING under a worker whose row is older than TASKS_WORKER_LOST_AFTER (or gone) was
    lost with its worker and is queued again."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("background worker")
        verbose_name_plural = _("background workers")

    def __str__(self) -> str:
        return self.worker_id
