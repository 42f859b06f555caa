"""Who hears of a post: the notification fan-out of a new post, of new mentions and of an urgent
notice (``posts.tasks`` runs these in the background worker, after the commit)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from people.models import Notification, User
from people.notifications import notify, notify_many, notify_with_stand_ins

from . import markup, permissions
from .models import Follow, Post, Report


def name_of(user) -> str:
    return str(user) if user else _("Former member of staff")


def notify_new_post(post: Post, mentioned: list) -> None:
    author = post.author
    url = post.get_absolute_url()
    name = name_of(author)
    notified = {author.pk} if author else set()
    if mentioned:
        notify_many(
            recipients=[u for u in mentioned if u.pk not in notified],
            kind=Notification.Kind.MENTION,
            actor=author,
            url=url,
            verb=_("%(name)s mentioned you in a post") % {"name": name},
        )
        notified |= {u.pk for u in mentioned}
    if post.parent_id:
        parent = post.parent
        if parent.author_id and parent.author_id not in notified:
            notify(
                recipient=parent.author,
                kind=Notification.Kind.REPLY,
                actor=author,
                url=url,
                bundle_key=f"replies:post:{parent.pk}",
                verb=lambda n: (
                    ngettext(
                        "%(name)s replied to your post",
                        "%(name)s and %(others)s others replied to your post",
                        n,
                    )
                    % {"name": name, "others": n - 1}
                ),
            )
        return
    tag_ids = list(post.tags.values_list("id", flat=True))
    followers = set(
        Follow.objects.filter(Q(person=post.author_id) | Q(channel=post.channel_id) | Q(tag__in=tag_ids))
        .exclude(follower__in=notified)
        .filter(follower__is_active=True)
        .values_list("follower_id", flat=True)
    )
    if followers:
        notify_many(
            recipients=followers,
            kind=Notification.Kind.FOLLOWED,
            actor=author,
            url=reverse("posts:following"),
            bundle_key="followed:posts",
            verb=lambda n: (
                ngettext(
                    "A new post in what you follow",
                    "%(count)s new posts in what you follow",
                    n,
                )
                % {"count": n}
            ),
        )


def notify_mentions(post: Post, mentioned: list, actor) -> None:
    """People newly mentioned in an edited post."""
    notify_many(
        recipients=mentioned,
        kind=Notification.Kind.MENTION,
        actor=actor,
        url=post.get_absolute_url(),
        verb=_("%(name)s mentioned you in a post") % {"name": name_of(actor)},
    )


def notify_urgent(post: Post) -> None:
    """Everyone active but the author: an urgent notice in their inbox."""
    author = post.author
    recipients = User.objects.filter(is_active=True).exclude(pk=post.author_id).values_list("pk", flat=True)
    notify_many(
        recipients=list(recipients),
        kind=Notification.Kind.URGENT,
        actor=author,
        url=post.get_absolute_url(),
        verb=_("Urgent notice: %(text)s") % {"text": markup.plain_excerpt(post.html, 200)},
    )


def notify_report(report: Report) -> None:
    """The channel's moderators (and the stand-ins of those absent today, marked "On behalf of"):
    a post was reported. One item per post while unread, however many reports it gets."""
    post = report.post
    notify_with_stand_ins(
        recipients=list(permissions.moderators_of(post.channel).values_list("pk", flat=True)),
        kind=Notification.Kind.REPORT,
        actor=report.reporter,
        url=reverse("posts:reports"),
        bundle_key=f"report:post:{post.pk}",
        verb=lambda n: (
            ngettext(
                "A post in %(channel)s was reported to the moderators",
                "A post in %(channel)s was reported %(count)s times to the moderators",
                n,
            )
            % {"channel": post.channel.name, "count": n}
        ),
    )
