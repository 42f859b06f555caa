"""Notifications: the actions that write the inbox (notify, bundle, mark read) and the daily
e-mail digest. Any app (microblog, wiki) calls `notify` / `notify_many`.

Bundling: events with the same `bundle_key` for the same recipient update one item (count +1,
newest actor, newest text) while that item is unread and not yet e-mailed. Once an item was read
or sent in a digest, the next event starts a new item — so nothing appears twice and nothing
is swallowed.

The stored text (`verb`) is written in the site's language (German) when the event happens."""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from intranet.shared.html import excerpt

from .models import Notification, User

Verb = str | Callable[[int], str]


def _text(verb: Verb, count: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        text = verb(count) if callable(verb) else str(verb)
    return excerpt(text, 300)  # the stored text's length, cut at a word boundary


def notify(*, recipient, kind: str, verb: Verb, url: str = "", actor=None, bundle_key: str = "") -> Notification | None:
    """One event for one person. `verb` may be a function of the bundled count. Nobody is
    notified about their own doing. Returns the created or updated item."""
    items = notify_many(recipients=[recipient], kind=kind, verb=verb, url=url, actor=actor, bundle_key=bundle_key)
    return items[0] if items else None


def notify_many(
    *, recipients: Iterable, kind: str, verb: Verb, url: str = "", actor=None, bundle_key: str = ""
) -> list[Notification]:
    """The same event for many people, in a fixed number of queries (one lookup of open
    bundles, one bulk update, one bulk insert)."""
    recipient_ids = {getattr(r, "pk", r) for r in recipients}
    recipient_ids.discard(getattr(actor, "pk", None))
    recipient_ids.discard(None)
    if not recipient_ids:
        return []
    now = timezone.now()
    updated: list[Notification] = []
    if bundle_key:
        open_items = Notification.objects.filter(
            recipient_id__in=recipient_ids, bundle_key=bundle_key, read_at=None, emailed_at=None
        ).order_by("recipient_id", "-updated_at")
        seen = set()
        for item in open_items:
            if item.recipient_id in seen:
                continue
            seen.add(item.recipient_id)
            item.count += 1
            item.verb = _text(verb, item.count)
            item.actor = actor
            item.url = url or item.url
            item.updated_at = now
            updated.append(item)
        if updated:
            Notification.objects.bulk_update(updated, ["count", "verb", "actor", "url", "updated_at"])
        recipient_ids -= seen
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=recipient_id,
                kind=kind,
                actor=actor,
                verb=_text(verb, 1),
                url=url,
                bundle_key=bundle_key,
                created_at=now,
                updated_at=now,
            )
            for recipient_id in sorted(recipient_ids)
        ]
    )
    return updated + created


def notify_with_stand_ins(
    *, recipients: Iterable, kind: str, verb: Verb, url: str = "", actor=None, bundle_key: str = ""
) -> list[Notification]:
    """`notify_many` for a notification that needs an action (a review due, a report to the
    moderators): it also goes to the stand-in of each recipient who is absent today
    (`people.absences`), marked "On behalf of <name>". Nobody gets it twice: a stand-in who is a
    recipient anyway (or the actor) gets only their own; a stand-in for several gets one, naming
    them all. Plain mentions and reactions do not use this."""
    from .absences import stand_ins

    recipient_ids = {getattr(r, "pk", r) for r in recipients} - {None}
    items = notify_many(recipients=recipient_ids, kind=kind, verb=verb, url=url, actor=actor, bundle_key=bundle_key)
    taken = recipient_ids | {getattr(actor, "pk", None)}
    covered: dict[int, list] = defaultdict(list)
    deputies: dict[int, User] = {}
    for absent, stand_in in stand_ins(recipient_ids).values():
        if stand_in.pk not in taken:
            covered[stand_in.pk].append(absent)
            deputies[stand_in.pk] = stand_in
    for deputy_id, absent_people in covered.items():
        names = ", ".join(sorted(str(person) for person in absent_people))
        items += notify_many(
            recipients=[deputy_id],
            kind=kind,
            verb=lambda n, names=names: on_behalf_of(names, _text(verb, n)),
            url=url,
            actor=actor,
            bundle_key=f"{bundle_key}:deputy" if bundle_key else "",
        )
    return items


def on_behalf_of(names: str, text: str) -> str:
    """The mark of what a stand-in receives for someone absent."""
    return _("On behalf of %(names)s: %(text)s") % {"names": names, "text": text}


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()


def mark_read(*, user, notification_id: int) -> Notification | None:
    """Marks one of the user's own items read; returns it (None if it is not theirs)."""
    item = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if item is not None and item.read_at is None:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    return item


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


def send_digests(*, now=None) -> int:
    """One e-mail per person with unread items not yet e-mailed, for everyone who has not
    switched the digest off. Marks those items as e-mailed. Returns the number of mails."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            read_at=None,
            emailed_at=None,
            recipient__is_active=True,
            recipient__profile__email_digest=True,
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "-updated_at")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    users: dict[int, User] = {}
    for item in pending:
        by_user[item.recipient_id].append(item)
        users[item.recipient_id] = item.recipient
    if not by_user:
        return 0
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user_id, items in by_user.items():
            user = users[user_id]
            subject = _("%(count)s new notifications in the Wissensnetz") % {"count": len(items)}
            body = render_to_string(
                "people/notifications_digest_email.txt", {"user": user, "items": items, "base_url": base_url}
            )
            messages.append(mail.EmailMessage(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, to=[user.email]))
    with transaction.atomic():
        ids = [item.pk for items in by_user.values() for item in items]
        Notification.objects.filter(pk__in=ids, emailed_at=None).update(emailed_at=now)
        connection = mail.get_connection()
        connection.send_messages(messages)
    return len(messages)
