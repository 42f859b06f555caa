"""Actions and reads for personal API tokens and service accounts — used by the token page,
the admin, the management command and the API's authentication alike."""

import datetime

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .models import TOKEN_PREFIX, ApiToken, ServiceAccount, hash_token

MAX_TOKENS_PER_USER = 20
MAX_EXPIRY_DAYS = 3650
# Writing last use at most once a minute per token keeps reads free of writes.
LAST_USED_GRANULARITY = datetime.timedelta(minutes=1)


@transaction.atomic
def create_token(
    *, user, name: str, scope: str, expires_in_days: int | None = None, by_operator: bool = False
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with the plain text, which is never stored or shown again.
    The audit log names the user as actor, or nobody when an operator ran `create_api_token`."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Please give the token a name, e.g. the system that uses it.")
    elif len(name) > 100:
        errors["name"] = _("The name can be at most 100 characters long.")
    if scope not in ApiToken.Scope.values:
        errors["scope"] = _("Choose read or read and write.")
    if expires_in_days is not None and not (1 <= expires_in_days <= MAX_EXPIRY_DAYS):
        errors["expires_in_days"] = _("A token can be valid for 1 to %(max)s days.") % {"max": MAX_EXPIRY_DAYS}
    if errors:
        raise ValidationError(errors)
    if not user.is_active:
        raise PermissionDenied(_("Inactive accounts cannot have API tokens."))
    if ApiToken.objects.active().filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(
            {"name": _("You already have %(max)s active tokens. Revoke one first.") % {"max": MAX_TOKENS_PER_USER}}
        )
    plain = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        prefix=plain[: len(TOKEN_PREFIX) + 6],
        key_hash=hash_token(plain),
        expires_at=timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None,
    )
    log(instance=token, action="wagtail.apitoken.create", user=None if by_operator else user)
    return token, plain


@transaction.atomic
def revoke_token(*, token: ApiToken, by) -> ApiToken:
    """Revokes a token (its owner or an administrator). Revoked tokens stay listed for the record."""
    if by.pk != token.user_id and not by.is_superuser:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log(instance=token, action="wagtail.apitoken.revoke", user=by)
    return token


def tokens_of(*, user):
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def authenticate_token(plain: str) -> ApiToken | None:
    """The active token of an active user for this plain text, or None. One query; a second,
    cheap update at most once a minute to record last use."""
    if not plain or not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    token = ApiToken.objects.active().select_related("user").filter(key_hash=hash_token(plain)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def create_service_account(*, username: str, email: str, description: str = ""):
    """A user for a machine: no usable password (no sign-in to the site), no profile (not in the
    directory), only API tokens. Returns the existing one if the username is taken by a service account."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        if not ServiceAccount.objects.filter(user=user).exists():
            raise ValidationError({"username": _("This username belongs to a person, not a service account.")})
        return user
    user = User(username=username, email=email, first_name=username, password=make_password(None))
    user.full_clean(exclude=["password"])
    user.save()
    ServiceAccount.objects.create(user=user, description=description)
    return user
