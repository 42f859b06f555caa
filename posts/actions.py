"""Every state change of the microblog. Views and the API call these; they check permissions
and inputs and raise `PermissionDenied` or `ValidationError` (with a message a reader
understands, keyed by form field where there is one).

Each action runs in one transaction; search-index updates and notifications happen in
`transaction.on_commit`, so a rolled-back write leaves no trace in either."""

import datetime
import math
import unicodedata
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from taggit.models import Tag
from wagtail.log_actions import log
from wagtail.search import index

from home.actions import end_reading, set_reading
from intranet.shared.tasks import enqueue_on_commit
from intranet.shared.validators import check_storable
from people.models import Notification
from people.notifications import notify
from search.tasks import index_on_commit

from . import fanout, markup, permissions, tasks
from .models import (
    DOCUMENT_SUFFIXES,
    IMAGE_SUFFIXES,
    MAX_LENGTH,
    Acknowledgement,
    Channel,
    Follow,
    Post,
    PostRevision,
    Reaction,
    Report,
)

# At most this many posts and replies per person within the window (seconds).
RATE_LIMIT = getattr(settings, "POSTS_RATE_LIMIT", (5, 60))
MAX_ATTACHMENT_BYTES = getattr(settings, "POSTS_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024)
URGENT_DEFAULT_DAYS = 3


# Characters that show nothing although Unicode does not call them white space (fillers, the
# blank Braille pattern); with white space and the invisible categories below, a text of only
# these shows as an empty post.
_BLANK_CHARACTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
# Cc control, Cf format (zero-width space, joiners, BOM, word joiner, bidi marks), Z* separators,
# Mn/Me combining marks with nothing to combine with.
_BLANK_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"})


def is_blank(text: str) -> bool:
    """True if ``text`` shows nothing: only white space, zero-width and other invisible characters."""
    return all(ch.isspace() or ch in _BLANK_CHARACTERS or unicodedata.category(ch) in _BLANK_CATEGORIES for ch in text)


def clean_text(text: str) -> str:
    """The text as stored, or ValidationError with the reason (empty or invisible, characters no
    database stores, too long). The one check of a post's text: the forms, the API, the demo
    data and imports all reach it through ``create_post``, ``edit_post`` and ``publish_urgent``."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    check_storable(text, field="text")
    if is_blank(text):
        raise ValidationError({"text": _("Please write something: an empty post cannot be published.")})
    text = text.strip("\n").rstrip()
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("A post can be at most %(max)s characters long; yours has %(count)s.")
                % {"max": f"{MAX_LENGTH:,}".replace(",", "."), "count": f"{len(text):,}".replace(",", ".")}
            }
        )
    return text


def check_attachment(upload) -> None:
    if upload is None:
        return
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    if suffix not in IMAGE_SUFFIXES | DOCUMENT_SUFFIXES:
        raise ValidationError(
            {
                "attachment": _("Files of this type cannot be attached. Allowed: %(types)s.")
                % {"types": ", ".join(sorted(s.lstrip(".") for s in IMAGE_SUFFIXES | DOCUMENT_SUFFIXES))}
            }
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {
                "attachment": _("The file is too large (%(size)s MB); at most %(max)s MB are allowed.")
                % {
                    "size": number_format(math.ceil(upload.size / 1024 / 1024 * 10) / 10, 1),
                    "max": MAX_ATTACHMENT_BYTES // 1024 // 1024,
                }
            }
        )
    if suffix in IMAGE_SUFFIXES:
        from PIL import Image

        try:
            upload.seek(0)
            with Image.open(upload) as image:
                image.verify()
        except Exception as exc:
            raise ValidationError({"attachment": _("This file is not a valid image.")}) from exc
        finally:
            upload.seek(0)


def check_rate_limit(author) -> None:
    count, seconds = RATE_LIMIT
    since = timezone.now() - timedelta(seconds=seconds)
    if Post.objects.filter(author=author, created_at__gte=since).count() >= count:
        raise ValidationError(
            ngettext(
                "You have posted %(count)s times within the last minute. Please wait a moment and send your text again — it is still in the form.",
                "You have posted %(count)s times within the last %(minutes)s minutes. Please wait a moment and send your text again — it is still in the form.",
                max(1, seconds // 60),
            )
            % {"count": count, "minutes": max(1, seconds // 60)},
            code="rate_limited",
        )


def _tags_for(names: list[str]) -> list:
    """Existing tags are reused whatever their case (#bürgerbüro = #Bürgerbüro)."""
    if not names:
        return []
    query = Q()
    for name in names:
        query |= Q(name__iexact=name)
    existing = {tag.name.lower(): tag for tag in Tag.objects.filter(query)}
    return [existing.get(name.lower(), name) for name in names]


def _apply_markup(post: Post, rendered: markup.Rendered) -> None:
    post.tags.set(_tags_for(rendered.tags))
    post.mentions.set(rendered.mentions)
    post.linked_pages.set(rendered.pages)


def _save(post: Post, **kwargs) -> None:
    """Saves a post whose search index entry this module writes after the commit (``_reindex`` /
    ``_unindex``, once the tags are stored): the save signal then leaves the index alone
    (``posts.signals``), so the index is written once, outside the database transaction."""
    post._index_after_commit = True
    post.save(**kwargs)


def _reindex(post: Post) -> None:
    index_on_commit(post)


def _unindex(post: Post) -> None:
    transaction.on_commit(lambda: index.remove_object(post))


_name = fanout.name_of


def _absolute(post: Post) -> str:
    return post.get_absolute_url()


@transaction.atomic
def create_post(
    *,
    author,
    channel: Channel,
    text: str,
    parent: Post | None = None,
    attachment=None,
    created_at: datetime.datetime | None = None,
    check_limits: bool = True,
    send_notifications: bool = True,
) -> Post:
    """A new post in `channel`, or a reply to `parent` (then in the parent's channel).
    `created_at`, `check_limits` and `send_notifications` exist for demo data and imports."""
    if parent is not None:
        if not permissions.can_reply(author, parent):
            raise PermissionDenied(_("You cannot reply to this post."))
        channel = parent.channel
    elif not permissions.can_start_post(author, channel):
        raise PermissionDenied(_("Only editors or members of the department may start posts in this channel."))
    text = clean_text(text)
    check_attachment(attachment)
    if check_limits:
        check_rate_limit(author)
    rendered = markup.render(text)
    post = Post(author=author, channel=channel, parent=parent, text=text, html=rendered.html)
    if created_at:
        post.created_at = created_at
    if attachment is not None:
        post.attachment_name = PurePosixPath(attachment.name).name[:255]
        post.attachment = attachment
    _save(post)
    _apply_markup(post, rendered)
    _reindex(post)
    if send_notifications:
        enqueue_on_commit(tasks.notify_new_post, post.pk, [user.pk for user in rendered.mentions])
    return post


@transaction.atomic
def edit_post(*, post: Post, user, text: str) -> Post:
    """The author changes the text; the previous version goes into the edit history and the post
    shows "edited". Newly mentioned people are notified."""
    if not permissions.can_edit(user, post):
        raise PermissionDenied(_("Only the author can edit this post."))
    text = clean_text(text)
    if text == post.text:
        return post
    before = set(post.mentions.values_list("pk", flat=True))
    PostRevision.objects.create(post=post, text=post.text, html=post.html, created_at=post.edited_at or post.created_at)
    rendered = markup.render(text)
    post.text, post.html, post.edited_at = text, rendered.html, timezone.now()
    _save(post, update_fields=["text", "html", "edited_at"])
    _apply_markup(post, rendered)
    _reindex(post)
    new_mentions = [u for u in rendered.mentions if u.pk not in before]
    if new_mentions:
        enqueue_on_commit(tasks.notify_mentions, post.pk, [u.pk for u in new_mentions], user.pk)
    return post


@transaction.atomic
def delete_post(*, post: Post, user) -> None:
    """The author deletes their post: text, tags and attachment are gone, replies stay under a
    "deleted" marker."""
    if not permissions.can_delete(user, post):
        raise PermissionDenied(_("Only the author can delete this post."))
    _erase_content(post)
    _unindex(post)


def _erase_content(post: Post) -> None:
    if post.attachment:
        post.attachment.delete(save=False)
    post.is_deleted = True
    post.text = post.html = post.attachment_name = ""
    post.is_urgent = post.is_official = False
    end_reading(target=post)
    _save(
        post, update_fields=["is_deleted", "text", "html", "attachment", "attachment_name", "is_urgent", "is_official"]
    )
    post.tags.clear()
    post.mentions.clear()
    post.linked_pages.clear()
    post.revisions.all().delete()


@transaction.atomic
def hide_post(*, post: Post, moderator, reason: str) -> Post:
    if not permissions.can_moderate(moderator, post):
        raise PermissionDenied(_("Only the channel's editors can hide posts."))
    reason = (reason or "").strip()
    check_storable(reason, field="reason")
    if not reason:
        raise ValidationError({"reason": _("Please give a reason; the author will see it.")})
    post.is_hidden, post.hidden_reason, post.hidden_by = True, reason[:300], moderator
    _save(post, update_fields=["is_hidden", "hidden_reason", "hidden_by"])
    post.reports.filter(resolved_at=None).update(resolved_at=timezone.now())
    log(instance=post, action="posts.hide", user=moderator, data={"reason": post.hidden_reason})
    _unindex(post)
    _set_thread_hidden(post, True)
    return post


def _set_thread_hidden(post: Post, hidden: bool) -> None:
    """Hides (or shows again) the replies with the post they answer: out of (back into) feeds,
    threads, counts and the search index. A reply hidden on its own stays hidden."""
    replies = list(post.replies.filter(is_deleted=False).only("pk", "is_hidden"))
    if not replies:
        return
    Post.objects.filter(pk__in=[reply.pk for reply in replies]).update(parent_hidden=hidden)
    for reply in replies:
        if hidden:
            _unindex(reply)
        elif not reply.is_hidden:
            # the index entry is built from the database after the commit, with tags and author
            transaction.on_commit(lambda pk=reply.pk: _index_by_pk(pk))


def _index_by_pk(pk: int) -> None:
    reply = Post.objects.visible().select_related("author").filter(pk=pk).first()
    if reply is not None:
        index.insert_or_update_object(reply)


@transaction.atomic
def unhide_post(*, post: Post, moderator) -> Post:
    if not permissions.can_moderate(moderator, post):
        raise PermissionDenied(_("Only the channel's editors can show hidden posts again."))
    post.is_hidden, post.hidden_reason, post.hidden_by = False, "", None
    _save(post, update_fields=["is_hidden", "hidden_reason", "hidden_by"])
    log(instance=post, action="posts.unhide", user=moderator)
    _reindex(post)
    _set_thread_hidden(post, False)
    return post


@transaction.atomic
def report_post(*, post: Post, reporter, reason: str) -> Report:
    if not post.is_visible:
        raise PermissionDenied(_("This post cannot be reported."))
    reason = (reason or "").strip()
    check_storable(reason, field="reason")
    if not reason:
        raise ValidationError({"reason": _("Please tell the moderators what is wrong with this post.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Please keep the reason under 500 characters.")})
    report = Report.objects.create(post=post, reporter=reporter, reason=reason)
    transaction.on_commit(lambda: fanout.notify_report(report))
    return report


@transaction.atomic
def toggle_reaction(*, post: Post, user, kind: str) -> bool:
    """Adds the reaction, or takes it back if the user had given it. Returns True if added.
    The author is notified once per post (bundled) while unread."""
    if kind not in Reaction.Kind.values:
        raise ValidationError(_("Unknown reaction."))
    if not post.is_visible:
        raise PermissionDenied(_("You cannot react to this post."))
    deleted, _unused = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=user, kind=kind)
    except IntegrityError:
        return True  # a double click: the reaction is there
    if post.author_id and post.author_id != user.pk:
        name = _name(user)
        transaction.on_commit(
            lambda: notify(
                recipient=post.author,
                kind=Notification.Kind.REACTION,
                actor=user,
                url=_absolute(post),
                bundle_key=f"reactions:post:{post.pk}",
                verb=lambda n: (
                    ngettext(
                        "%(name)s reacted to your post",
                        "%(name)s and %(others)s others reacted to your post",
                        n,
                    )
                    % {"name": name, "others": n - 1}
                ),
            )
        )
    return True


@transaction.atomic
def set_official(*, post: Post, user, official: bool, pinned_until: datetime.date | None = None) -> Post:
    """Marks a post as an official announcement (or not) and pins it until a date (or unpins)."""
    if not permissions.can_make_official(user, post):
        raise PermissionDenied(_("Only the Redaktion and the channel's editors can mark official announcements."))
    if pinned_until and pinned_until < timezone.localdate():
        raise ValidationError({"pinned_until": _("The date must not be in the past.")})
    post.is_official, post.pinned_until = official, pinned_until
    _save(post, update_fields=["is_official", "pinned_until"])
    if not official:
        set_reading(target=post, user=user, required=False)
    log(
        instance=post,
        action="posts.official" if official else "posts.unofficial",
        user=user,
        data={"pinned_until": pinned_until.isoformat() if pinned_until else None},
    )
    _reindex(post)
    return post


@transaction.atomic
def publish_urgent(*, author, text: str, until: datetime.datetime | None = None) -> Post:
    """An urgent notice (Krisenstab): a post in the general channel, shown as a banner on every
    page to everyone until they acknowledge it or `until` passes, and an inbox item for all."""
    if not permissions.can_publish_urgent(author):
        raise PermissionDenied(_("Only the Krisenstab can publish urgent notices."))
    until = until or timezone.now() + timedelta(days=URGENT_DEFAULT_DAYS)
    if until <= timezone.now():
        raise ValidationError({"until": _("The end of the notice must be in the future.")})
    channel = general_channel()
    text = clean_text(text)
    rendered = markup.render(text)
    post = Post(
        author=author,
        channel=channel,
        text=text,
        html=rendered.html,
        is_urgent=True,
        is_official=True,
        urgent_until=until,
    )
    _save(post, force_insert=True)
    _apply_markup(post, rendered)
    log(instance=post, action="posts.urgent", user=author, data={"until": until.isoformat()})
    _reindex(post)
    enqueue_on_commit(tasks.notify_urgent, post.pk)
    return post


@transaction.atomic
def end_urgent(*, post: Post, user) -> Post:
    if not (permissions.can_publish_urgent(user) and post.is_urgent):
        raise PermissionDenied(_("Only the Krisenstab can end urgent notices."))
    post.urgent_until = timezone.now()
    post.save(update_fields=["urgent_until"])
    log(instance=post, action="posts.urgent_end", user=user)
    return post


def acknowledge(*, post: Post, user) -> None:
    """ "Zur Kenntnis genommen": the banner disappears for this user. Idempotent."""
    if not post.is_urgent:
        raise ValidationError(_("Only urgent notices are acknowledged."))
    Acknowledgement.objects.get_or_create(post=post, user=user)


def general_channel() -> Channel:
    channel, _created = Channel.objects.get_or_create(
        department=None,
        slug="allgemein",
        defaults={"name": "Allgemein", "posting_policy": Channel.Policy.ALL_STAFF},
    )
    return channel


def channel_for_department(department) -> Channel:
    channel, _created = Channel.objects.get_or_create(
        department=department, defaults={"name": department.name, "slug": department.slug}
    )
    return channel


@transaction.atomic
def follow(*, user, person=None, channel: Channel | None = None, tag: Tag | None = None) -> Follow:
    if sum(x is not None for x in (person, channel, tag)) != 1:
        raise ValidationError(_("Follow exactly one person, channel or tag."))
    if person is not None and person.pk == user.pk:
        raise ValidationError(_("You cannot follow yourself."))
    item, _created = Follow.objects.get_or_create(follower=user, person=person, channel=channel, tag=tag)
    return item


def unfollow(*, user, person=None, channel: Channel | None = None, tag: Tag | None = None) -> None:
    if sum(x is not None for x in (person, channel, tag)) != 1:
        raise ValidationError(_("Follow exactly one person, channel or tag."))
    Follow.objects.filter(follower=user, person=person, channel=channel, tag=tag).delete()


# --- mandatory reading (Pflichtlektüre) of official announcements ------------------------------
@transaction.atomic
def set_post_reading(
    *,
    post: Post,
    user,
    required: bool,
    all_staff: bool = False,
    departments=(),
    groups=(),
    due_date: datetime.date | None = None,
    new_version: bool = False,
):
    """Makes an official announcement mandatory reading for the whole administration, units (with
    their sub-units) or groups, or ends it; `new_version`: a "wesentliche Änderung", everyone
    confirms again. The Redaktion and the channel's editors may; logged on the post (Wagtail log
    entries, home.actions.set_reading). Raises ValidationError naming the field."""
    from home.reading_selectors import requirement_for

    if not permissions.can_make_official(user, post):
        raise PermissionDenied(_("Only the Redaktion and the channel's editors can mark official announcements."))
    if not post.is_visible:
        raise ValidationError(_("This post cannot be mandatory reading."))
    if required:
        if not post.is_official:
            raise ValidationError({"required": _("Only official announcements can be mandatory reading.")})
        departments, groups = list(departments), list(groups)
        if not (all_staff or departments or groups):
            raise ValidationError(
                {"required": _("Choose who must read it: the whole administration, departments or groups.")}
            )
        if due_date and due_date < timezone.localdate():
            raise ValidationError({"due_date": _("The date to read by cannot lie in the past.")})
    current = requirement_for(post)
    version = None
    if new_version and current is not None and current.is_active:
        version = current.version + 1
    return set_reading(
        target=post,
        user=user,
        required=required,
        title=_post_title(post),
        url=post.get_absolute_url(),
        all_staff=all_staff,
        departments=departments,
        groups=groups,
        due_date=due_date,
        version=version,
        owner=post.author,
        section_department=post.channel.department,
    )


def _post_title(post: Post) -> str:
    return markup.plain_excerpt(post.html, 120)
