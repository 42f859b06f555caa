"""Every read the microblog's views, includes and the API share.

Feeds are keyset-paginated by id (newest first) and cost a fixed number of queries however many
posts, authors and tags they show:
  1. the posts, with author, profile, department and channel joined and the reply and reaction
     counts as subqueries,
  2. their tags (prefetch),
  3. the reader's own reactions on them (prefetch)."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.models import Tag

from people.models import Department

from .models import Acknowledgement, Channel, Follow, Post, Reaction, Report

PAGE_SIZE = 20


def _count_subquery(queryset, field="post"):
    return Coalesce(
        Subquery(
            queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def annotate_for_display(queryset, *, user):
    """Joins and counts a post list shows, for `user` as the reader."""
    annotations = {
        # replies of a hidden post are hidden with it (parent_hidden), but whoever may see that
        # post (its author, the moderators) sees its thread and so its true count
        "reply_count": _count_subquery(Post.objects.filter(is_deleted=False, is_hidden=False), field="parent"),
        **{f"reactions_{kind}": _count_subquery(Reaction.objects.filter(kind=kind)) for kind in Reaction.Kind.values},
    }
    return (
        queryset.select_related("author__profile__department", "channel__department", "hidden_by")
        .annotate(**annotations)
        .prefetch_related(
            "tags",
            Prefetch(
                "reactions",
                queryset=Reaction.objects.filter(user_id=user.pk).only("post_id", "kind"),
                to_attr="my_reactions",
            ),
        )
    )


def decorate(posts):
    """Adds `reaction_list` [(kind, label, count, mine)] to each post of an annotated list."""
    labels = dict(Reaction.Kind.choices)
    for post in posts:
        mine = {reaction.kind for reaction in getattr(post, "my_reactions", [])}
        post.reaction_list = [
            (kind, labels[kind], getattr(post, f"reactions_{kind}", 0), kind in mine) for kind in Reaction.Kind.values
        ]
    return posts


def feed_posts(
    *,
    user,
    scope: str = "all",
    channel=None,
    tag=None,
    person=None,
    before: int | None = None,
    limit=PAGE_SIZE,
    subunits: bool = False,
):
    """A page of top-level posts, newest first, older than the post id `before`.
    scope: "all", "following", "channel" (with channel), "tag" (with tag), "person" (with person).
    Returns (posts, next_before): next_before is the id for "Ältere laden", or None."""
    queryset = filter_scope(
        Post.objects.visible().filter(parent=None),
        user=user,
        scope=scope,
        channel=channel,
        tag=tag,
        person=person,
        subunits=subunits,
    )
    if before:
        queryset = queryset.filter(pk__lt=before)
    posts = list(annotate_for_display(queryset.order_by("-id"), user=user)[: limit + 1])
    next_before = posts[limit - 1].pk if len(posts) > limit else None
    return decorate(posts[:limit]), next_before


def filter_scope(queryset, *, user, scope, channel=None, tag=None, person=None, subunits: bool = False):
    """`subunits` with a unit's channel: also the posts in the channels of the units beneath it
    (one subquery: people.models.Department.in_subtree)."""
    if scope == "channel" and subunits and channel.department_id:
        return queryset.filter(channel__department_id__in=Department.in_subtree(channel.department_id))
    if scope == "channel":
        return queryset.filter(channel=channel)
    if scope == "tag":
        return queryset.filter(tags=tag)
    if scope == "person":
        return queryset.filter(author=person)
    if scope == "following":
        follows = Follow.objects.filter(follower_id=user.pk)
        return queryset.filter(
            Q(author__in=follows.exclude(person=None).values("person"))
            | Q(channel__in=follows.exclude(channel=None).values("channel"))
            | Q(tags__in=follows.exclude(tag=None).values("tag"))
        ).distinct()
    return queryset


def count_newer(*, user, scope="all", channel=None, tag=None, person=None, after: int, subunits: bool = False) -> int:
    """How many posts appeared after the post id `after` (the "N neue Beiträge" hint)."""
    queryset = Post.objects.visible().filter(parent=None, pk__gt=after)
    return filter_scope(
        queryset, user=user, scope=scope, channel=channel, tag=tag, person=person, subunits=subunits
    ).count()


def thread(*, user, post: Post, include_hidden: bool = False) -> list[Post]:
    """The replies under a post, oldest first, with the same joins as a feed. Hidden replies
    only for moderators (`include_hidden`) and their own authors."""
    replies = post.replies.filter(is_deleted=False)
    if not include_hidden:
        replies = replies.filter(Q(is_hidden=False) | Q(author_id=user.pk))
    return decorate(list(annotate_for_display(replies.order_by("id"), user=user)))


def single_post(*, user, pk: int) -> Post | None:
    return next(iter(decorate(list(annotate_for_display(Post.objects.filter(pk=pk), user=user)))), None)


def reactors(*, post: Post) -> dict[str, list]:
    """Who reacted how, for the thread page: kind -> users; empty when nobody reacted (the page
    then shows no "Who reacted")."""
    result: dict[str, list] = {kind: [] for kind in Reaction.Kind.values}
    for reaction in Reaction.objects.filter(post=post).select_related("user").order_by("created_at"):
        result[reaction.kind].append(reaction.user)
    return result if any(result.values()) else {}


def pinned_posts(*, user, channel=None, limit=5) -> list[Post]:
    """Official announcements pinned to the start page (channel None) or a channel."""
    queryset = Post.objects.visible().filter(parent=None, pinned_until__gte=timezone.localdate())
    if channel is not None:
        queryset = queryset.filter(channel=channel)
    return decorate(list(annotate_for_display(queryset.order_by("-id"), user=user)[:limit]))


def active_urgent_notices(*, user) -> list[Post]:
    """Urgent notices the user has not acknowledged yet: one query."""
    if not user.is_authenticated:
        return []
    return list(
        Post.objects.visible()
        .filter(is_urgent=True, urgent_until__gt=timezone.now())
        .exclude(acknowledgements__user=user)
        .order_by("-id")
        .only("id", "html", "created_at", "urgent_until")[:3]
    )


def acknowledgement_stats(*, post: Post) -> list[dict]:
    """How many acknowledged, by department (for the author and administrators)."""
    return list(
        Acknowledgement.objects.filter(post=post)
        .values("user__profile__department__name")
        .annotate(n=Count("pk"))
        .order_by("user__profile__department__name")
    )


def acknowledgements(*, post: Post):
    return Acknowledgement.objects.filter(post=post).select_related("user__profile__department").order_by("created_at")


def channels_with_counts() -> list[Channel]:
    """Every channel with ``post_count``, its visible top-level posts: the channels, then the counts
    of all channels in one grouped query that reads only the index ``post_channel_count_idx``.
    (Counting through a join of the channels to their posts, grouped by every channel column, took
    160 ms at 100k posts; this takes 4-9 ms.)"""
    counts = dict(
        Post.objects.visible().filter(parent=None).order_by().values_list("channel_id").annotate(n=Count("*"))
    )
    channels = list(Channel.objects.select_related("department"))
    for channel in channels:
        channel.post_count = counts.get(channel.pk, 0)
    return channels


def tag_by_name(name: str) -> Tag | None:
    return Tag.objects.filter(name__iexact=name).order_by("id").first()


def follows_of(*, user) -> dict[str, set]:
    result = {"person": set(), "channel": set(), "tag": set()}
    for person, channel, tag in Follow.objects.filter(follower_id=user.pk).values_list("person", "channel", "tag"):
        for key, value in (("person", person), ("channel", channel), ("tag", tag)):
            if value is not None:
                result[key].add(value)
    return result


def open_reports(*, channel_ids: list[int] | None):
    queryset = Report.objects.filter(resolved_at=None, post__is_deleted=False, post__is_hidden=False).select_related(
        "post__channel", "post__author", "reporter"
    )
    if channel_ids is not None:
        queryset = queryset.filter(post__channel_id__in=channel_ids)
    return queryset
