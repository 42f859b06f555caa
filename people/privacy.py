"""GDPR rights: a person downloads everything stored about them; an administrator erases a person.

Each app that stores personal data has a module `<app>.privacy` with

    export_user_data(user) -> dict          # JSON-serialisable
    erase_user(user, *, keep_posts: bool)   # removes (or anonymises) what it stores

`collect_export` and `erase_person` call every such module listed in the setting
`PRIVACY_APPS` (default: home, posts, feedback, search, intranet, people; missing modules are skipped, so
an app can join later just by adding one). This module is the people app's own part: account,
profile, notifications, and the metadata of personal API tokens (`user.personal_api_tokens`, the
API's model in the `intranet` app; exported here while `intranet` has no privacy module).

Deactivating instead of erasing: `is_active=False` is what HR does when someone leaves; the erase
here is the GDPR request on top of that."""

import importlib
import importlib.util
import logging
from collections.abc import Iterator
from types import ModuleType

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Notification, Profile, User

logger = logging.getLogger(__name__)

DEFAULT_PRIVACY_APPS = ["home", "posts", "feedback", "search", "intranet", "people"]
# Posts that stay after an erase are shown under this name.
FORMER_STAFF_FIRST_NAME = "ehemalige/r"
FORMER_STAFF_LAST_NAME = "Mitarbeiter/in"


def privacy_modules() -> Iterator[tuple[str, ModuleType]]:
    for app in getattr(settings, "PRIVACY_APPS", DEFAULT_PRIVACY_APPS):
        name = f"{app}.privacy"
        try:
            if importlib.util.find_spec(name) is None:
                continue
        except ModuleNotFoundError:  # the app itself is not installed
            continue
        yield app, importlib.import_module(name)


def _iso(value):
    return value.isoformat() if value else None


# --- this app's part --------------------------------------------------------------------------


def export_user_data(user: User) -> dict:
    profile = Profile.objects.filter(user=user).select_related("department", "deputy").first()
    data = {
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "is_active": user.is_active,
            "groups": sorted(user.groups.values_list("name", flat=True)),
            "single_sign_on": [
                {"provider": account.provider, "uid": account.uid, "last_login": _iso(account.last_login)}
                for account in user.socialaccount_set.all()
            ],
            "second_factors": [
                {"type": authenticator.type, "created_at": _iso(authenticator.created_at)}
                for authenticator in user.authenticator_set.all()
            ],
        },
        "profile": None,
        "notifications": [
            {
                "kind": item.kind,
                "text": item.verb,
                "url": item.url,
                "count": item.count,
                "created_at": _iso(item.created_at),
                "read_at": _iso(item.read_at),
                "emailed_at": _iso(item.emailed_at),
            }
            for item in Notification.objects.filter(recipient=user).order_by("created_at", "id")
        ],
    }
    data["api_tokens"] = _token_metadata(user)
    if profile is not None:
        data["profile"] = {
            "department": profile.department.name if profile.department else None,
            "job_title": profile.job_title,
            "responsibilities": profile.responsibilities,
            "expertise": sorted(profile.expertise.names()),
            "languages": profile.languages,
            "phone": profile.phone,
            "room": profile.room,
            "photo": profile.photo.name or None,
            "deputy": profile.deputy.email if profile.deputy else None,
            "absences": [
                {
                    "starts_on": absence.starts_on.isoformat(),
                    "ends_on": absence.ends_on.isoformat(),
                    "note": absence.note,
                    "deputy": absence.deputy.email if absence.deputy else None,
                }
                for absence in user.absences.select_related("deputy").order_by("starts_on")
            ],
            "email_digest": profile.email_digest,
            "fields_managed_by_single_sign_on_or_hr": profile.managed_fields,
        }
    return data


def _token_metadata(user: User) -> list[dict]:
    """Personal API tokens (the API's `personal_api_tokens`): what they are for and when they were
    used — never the key or its hash. Empty where the API app is not installed."""
    tokens = getattr(user, "personal_api_tokens", None)
    if tokens is None:
        return []
    fields = ["name", "scope", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    return [
        {name: (_iso(value) if hasattr(value, "isoformat") else value) for name, value in row.items()}
        for row in tokens.order_by("created_at").values(*fields)
    ]


def erase_user(user: User, *, keep_posts: bool) -> None:
    """Removes the profile (with its photo), notifications and sign-in data. With `keep_posts` the
    account row stays, anonymised, so that posts kept by the microblog show "ehemalige/r
    Mitarbeiter/in"; otherwise the account is deleted."""
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        if profile.photo:
            profile.photo.delete(save=False)
        profile.delete()
    Profile.objects.filter(deputy=user).update(deputy=None)
    Notification.objects.filter(recipient=user).delete()
    if not keep_posts:
        user.delete()
        return
    user.socialaccount_set.all().delete()
    user.authenticator_set.all().delete()
    if hasattr(user, "personal_api_tokens"):
        user.personal_api_tokens.all().delete()
    user.emailaddress_set.all().delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.username = f"ehemalig-{user.pk}"
    user.email = f"geloescht-{user.pk}@invalid.invalid"
    user.first_name = FORMER_STAFF_FIRST_NAME
    user.last_name = FORMER_STAFF_LAST_NAME
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    _end_sessions(user)


def _end_sessions(user: User) -> None:
    from django.contrib.sessions.models import Session

    if "db" not in settings.SESSION_ENGINE:
        return
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


# --- all apps together ------------------------------------------------------------------------


def collect_export(user: User) -> dict:
    """Everything stored about `user`, one section per app, ready for `json.dumps`."""
    data = {"exported_at": timezone.now().isoformat(), "format": "wissensnetz-export/1"}
    for app, module in privacy_modules():
        data[app] = module.export_user_data(user)
    return data


def keep_posts_setting() -> bool:
    return getattr(settings, "ERASED_USER_POSTS", "keep") != "delete"


@transaction.atomic
def erase_person(*, user: User, by: User, keep_posts: bool | None = None) -> None:
    """Erases a person across all apps (other apps first, then the account here). Called by an
    administrator; leaves an audit entry without personal data."""
    if keep_posts is None:
        keep_posts = keep_posts_setting()
    from wagtail.log_actions import log

    user_id = user.pk
    # The audit entry names only the account number: the person's name is what is being erased.
    log(
        instance=user,
        action="people.erase",
        user=by,
        title=f"#{user_id}",
        data={"posts": "kept" if keep_posts else "deleted"},
    )
    for app, module in privacy_modules():
        if app != "people":
            module.erase_user(user, keep_posts=keep_posts)
    erase_user(user, keep_posts=keep_posts)
    logger.info(
        "GDPR erase: user #%s erased by user #%s (posts %s)", user_id, by.pk, "kept" if keep_posts else "deleted"
    )


def can_erase_people(user) -> bool:
    """Only administrators (superusers, or whoever may delete accounts) erase people."""
    return bool(user.is_authenticated and (user.is_superuser or user.has_perm("people.delete_user")))
