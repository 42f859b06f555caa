"""/api/v1/posts — the microblog through the same selectors, permissions and actions as the
site: reading uses `queries`, writing `actions.create_post` / `actions.toggle_reaction`
(validation, sanitising, rate limits and notifications included)."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from home import reading_api
from intranet.shared.api import ApiError, require_write, with_errors
from people.models import Department

from . import actions, permissions, queries
from .models import Channel, Post, Reaction

TAG = "posts"
router = Router()

MAX_LIMIT = 100
MAX_ID = 2**53  # larger ids cannot exist (and would overflow the database driver)


class ChannelRef(Schema):
    slug: str
    name: str


class PersonRef(Schema):
    username: str
    name: str


class PostOut(Schema):
    id: int
    url: str
    channel: ChannelRef
    author: PersonRef | None
    text: str
    html: str = Field(description="The text rendered to sanitised HTML, as the site shows it.")
    tags: list[str]
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    reply_to: int | None
    reply_count: int
    reactions: dict[str, int]
    my_reactions: list[str]
    is_official: bool
    is_pinned: bool


class PostDetailOut(PostOut):
    replies: list[PostOut]


class PostsOut(Schema):
    results: list[PostOut]
    next_before: int | None = Field(description="Pass as `before` for the next (older) page; null on the last page.")


class PostFilters(Schema):
    channel: str = ""  # channel slug
    department: str = Field("", description="Slug of a unit: the posts in its channel.")
    include_subunits: bool = Field(False, description="With `department`: also the channels of the units beneath it.")
    tag: str = ""  # hashtag without #
    author: str = ""  # username
    since: datetime.datetime | None = None
    before: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(20, ge=1, le=MAX_LIMIT)


class PostIn(Schema):
    text: str = Field(description="Markdown subset as on the site: #hashtags, @mentions, links.")
    channel: str | None = Field(None, description="Channel slug; the general channel when omitted.")
    reply_to: int | None = Field(None, description="Id of the post this replies to (then the channel is the post's).")


class ReactionIn(Schema):
    kind: str = Field(description="One of: " + ", ".join(Reaction.Kind.values))


class ReactionOut(Schema):
    kind: str
    added: bool = Field(description="True if the reaction was added, false if you had given it and it was taken back.")
    reactions: dict[str, int]


def _person(user) -> dict | None:
    return {"username": user.username, "name": str(user)} if user else None


def _post(post: Post) -> dict:
    return {
        "id": post.pk,
        "url": post.get_absolute_url(),
        "channel": {"slug": post.channel.slug, "name": post.channel.name},
        "author": _person(post.author),
        "text": post.text,
        "html": post.html,
        "tags": sorted(tag.name for tag in post.tags.all()),
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "reply_to": post.parent_id,
        "reply_count": getattr(post, "reply_count", 0),
        "reactions": {kind: count for kind, _label, count, _mine in post.reaction_list},
        "my_reactions": [kind for kind, _label, _count, mine in post.reaction_list if mine],
        "is_official": post.is_official,
        "is_pinned": post.is_pinned,
    }


def _invalid(field: str, reason: str):
    return ApiError(422, "invalid_input", reason, fields=[{"field": field, "reason": reason}])


def _aware(moment: datetime.datetime) -> datetime.datetime:
    """Without a time zone, the city's local time is meant; out-of-range moments are refused."""
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # in UTC: PostgreSQL refuses unusual offsets such as -16:56
        return moment.astimezone(datetime.UTC)
    except (OverflowError, ValueError) as exc:
        raise _invalid("since", "This date and time is out of range.") from exc


def _visible_post(user, post_id: int) -> Post:
    if not 1 <= post_id <= MAX_ID:
        raise Http404
    post = get_object_or_404(Post.objects.select_related("channel__department", "author", "parent"), pk=post_id)
    if not permissions.can_view(user, post):
        raise Http404
    return post


@router.get("", response=with_errors({200: PostsOut}), summary="List posts")
def list_posts(request, filters: Query[PostFilters]):
    """Top-level posts, newest first, as in the feed (hidden and deleted posts are never listed).
    Page with `before`: pass the `next_before` of the previous answer."""
    user = request.auth
    posts = Post.objects.visible().filter(parent=None)
    if filters.channel:
        posts = posts.filter(channel__slug=filters.channel)
    if filters.department:
        department = Department.objects.filter(slug=filters.department).values_list("pk", flat=True).first()
        if department is None:
            raise ApiError(
                422, "invalid_input", "Unknown department.", fields=[{"field": "department", "reason": "unknown slug"}]
            )
        if filters.include_subunits:
            posts = posts.filter(channel__department_id__in=Department.in_subtree(department))
        else:
            posts = posts.filter(channel__department_id=department)
    if filters.tag:
        posts = posts.filter(tags__name__iexact=filters.tag.lstrip("#"))
    if filters.author:
        posts = posts.filter(author__username=filters.author)
    if filters.since:
        posts = posts.filter(created_at__gte=_aware(filters.since))
    if filters.before:
        posts = posts.filter(pk__lt=filters.before)
    rows = list(queries.annotate_for_display(posts.order_by("-id"), user=user)[: filters.limit + 1])
    next_before = rows[filters.limit - 1].pk if len(rows) > filters.limit else None
    return {"results": [_post(post) for post in queries.decorate(rows[: filters.limit])], "next_before": next_before}


@router.get("/{int:post_id}", response=with_errors({200: PostDetailOut}), summary="One post with its replies")
def get_post(request, post_id: int):
    user = request.auth
    post = _visible_post(user, post_id)
    shown = queries.single_post(user=user, pk=post.pk)
    replies = (
        queries.thread(user=user, post=post, include_hidden=permissions.can_moderate(user, post))
        if post.parent_id is None
        else []
    )
    return {**_post(shown), "replies": [_post(reply) for reply in replies]}


@router.post("", response=with_errors({201: PostOut}), summary="Write a post or a reply")
def create_post(request, payload: PostIn):
    """Needs a read+write token (or a session with CSRF token). The same rules as the site:
    who may post in which channel, text length, rate limit (429 with Retry-After), mentions
    and notifications."""
    require_write(request)
    user = request.auth
    parent = None
    channel = None
    if payload.reply_to is not None:
        parent = (
            Post.objects.select_related("channel__department").filter(pk=payload.reply_to).first()
            if 1 <= payload.reply_to <= MAX_ID
            else None
        )
        if parent is None or not permissions.can_view(user, parent):
            raise _invalid("reply_to", "There is no post with this id that you can see.")
    elif payload.channel:
        channel = Channel.objects.select_related("department").filter(slug=payload.channel).first()
        if channel is None:
            raise _invalid("channel", "There is no channel with this slug.")
    else:
        channel = actions.general_channel()
    post = actions.create_post(author=user, channel=channel, text=payload.text, parent=parent)
    return Status(201, _post(queries.single_post(user=user, pk=post.pk)))


@router.post("/{int:post_id}/reactions", response=with_errors({200: ReactionOut}), summary="React to a post")
def react(request, post_id: int, payload: ReactionIn):
    """Adds your reaction, or takes it back if you had given it (as the button on the site)."""
    require_write(request)
    user = request.auth
    post = _visible_post(user, post_id)
    if payload.kind not in Reaction.Kind.values:
        raise _invalid("kind", "Unknown reaction; use one of: " + ", ".join(Reaction.Kind.values) + ".")
    added = actions.toggle_reaction(post=post, user=user, kind=payload.kind)
    shown = queries.single_post(user=user, pk=post.pk)
    return {"kind": payload.kind, "added": added, "reactions": _post(shown)["reactions"]}


@router.post(
    "/{int:post_id}/acknowledge",
    response=with_errors({200: reading_api.AcknowledgementOut}),
    summary="Confirm an official post of mandatory reading",
)
def acknowledge_post(request, post_id: int, payload: reading_api.AcknowledgeIn | None = None):
    """ "Gelesen und verstanden" for an official announcement you are asked to read. Confirming
    twice changes nothing (`created: false`); a post that does not ask you answers 404."""
    return reading_api.acknowledge(request, _visible_post(request.auth, post_id), payload)
