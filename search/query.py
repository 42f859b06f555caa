"""The one search: the search page, the header suggestions and ``GET /api/v1/search`` all call
:func:`search` (and :func:`suggestions`).

What a user may see is decided by the apps' own permission code and passed to the backend as
querysets, so the backend never ranks, counts, suggests or snippets anything else:

* pages: ``home.permissions.visible_pages(user)`` (live, no failed view restriction), content pages;
* posts: ``Post.objects.visible()`` (neither hidden by a moderator nor deleted);
* people: profiles of active accounts;
* documents: ``documents.permissions.visible_documents(user)`` (Wagtail's collection view
  restrictions); title and the text extracted from the file (``documents/``: model, extraction,
  the queryset and the hit are built there, this module only routes the "document" type).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from modelsearch.backends import get_search_backend

from . import unified
from .analysis import content_query, content_words
from .hits import Hit, highlight
from .unified import SearchUnavailable  # noqa: F401 - raised by search() and suggestions()

TYPES = ("page", "post", "person", "document")
SORTS = ("relevance", "date")
MAX_QUERY_LENGTH = 200
#: A reviewed page whose review is not due ranks a little above a stale one of equal relevance.
FRESH_FACTOR = 1.05
STALE_FACTOR = 0.95
#: Tags listed in the tag facet.
TAG_FACETS = 20
#: A query of several content words that finds fewer than this many items with all of them is
#: asked again with any of them (the best partial matches first; ``Result.partial``).
PARTIAL_BELOW = 1


@dataclass
class Filters:
    types: list[str] = field(default_factory=list)  # empty: all
    department: int | None = None  # Department pk
    tag: str = ""  # tag slug
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


@dataclass
class Result:
    q: str
    count: int
    hits: list[Hit]
    facets: dict
    suggestion: str | None = None
    offset: int = 0
    limit: int = 20
    #: True: not every item contains all content words of the query (the "or" fallback)
    partial: bool = False


# --- sources: what the user may see ----------------------------------------------------------


def _fresh(page, score):
    today = timezone.localdate()
    if page.last_reviewed and page.review_due and page.review_due >= today:
        return score * FRESH_FACTOR
    if page.review_due and page.review_due < today:
        return score * STALE_FACTOR
    return score


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _sources(user, filters: Filters) -> list[unified.Source]:
    """One source per type the user asked for, each a queryset of what the user may see with the
    filters on fields the index holds (``search_fields`` FilterFields), so the Whoosh backend
    answers permissions and filters in the index. A new type (e.g. documents) is one more branch."""
    from home.models import ContentPage
    from home.permissions import visible_pages
    from people.models import Profile
    from posts.models import Channel, Post

    wanted = set(filters.types or TYPES)
    sources = []
    if "page" in wanted:
        pages = visible_pages(user, ContentPage.objects).select_related("section_department")
        if filters.department:
            pages = pages.filter(section_department=filters.department)
        if filters.date_from:
            pages = pages.filter(last_published_at__gte=_start_of(filters.date_from))
        if filters.date_to:
            pages = pages.filter(last_published_at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
        today = timezone.localdate()
        sources.append(
            unified.Source(
                "page",
                pages,
                _fresh,
                narrow=ContentPage.objects.filter(tagged_items__tag__slug=filters.tag).values("pk")
                if filters.tag
                else None,
                index_terms={"tags__slug": filters.tag} if filters.tag else {},
                # the same rule as _fresh, as index filters
                boosts=[
                    ({"last_reviewed__isnull": False, "review_due__gte": today}, FRESH_FACTOR),
                    ({"review_due__lt": today}, STALE_FACTOR),
                ],
                date_fields=("last_published_at",),
                facet_fields={"department": "section_department_id", "tag": "tags__slug"},
            )
        )
    if "post" in wanted:
        posts = Post.objects.visible().select_related("channel__department", "author")
        if filters.department:
            posts = posts.filter(
                channel__in=list(Channel.objects.filter(department_id=filters.department).values_list("pk", flat=True))
            )
        if filters.date_from:
            posts = posts.filter(created_at__gte=_start_of(filters.date_from))
        if filters.date_to:
            posts = posts.filter(created_at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
        sources.append(
            unified.Source(
                "post",
                posts,
                narrow=Post.objects.filter(tags__slug=filters.tag).values("pk") if filters.tag else None,
                index_terms={"tags__slug": filters.tag} if filters.tag else {},
                date_fields=("edited_at", "created_at"),
                # posts belong to a department through their channel (see _index_facets)
                facet_fields={"channel": "channel_id", "tag": "tags__slug"},
            )
        )
    if "person" in wanted and not (filters.date_from or filters.date_to):
        people = Profile.objects.filter(user__is_active=True).select_related("user", "department")
        if filters.department:
            people = people.filter(department_id=filters.department)
        sources.append(
            unified.Source(
                "person",
                people,
                narrow=Profile.objects.filter(expertise__slug=filters.tag).values("pk") if filters.tag else None,
                index_terms={"expertise__slug": filters.tag} if filters.tag else {},
                facet_fields={"department": "department_id"},
            )
        )
    if "document" in wanted and not filters.department:  # documents belong to no department
        from documents import search as document_search

        documents = document_search.queryset(
            user, tag=filters.tag, date_from=filters.date_from, date_to=filters.date_to
        )
        sources.append(unified.Source("document", documents, date_fields=("file_updated_at", "created_at")))
    return sources


# --- snippets ----------------------------------------------------------------------------------


def _page_text(page) -> str:
    """The page's search description and body text as the index holds it (the blocks'
    searchable content: no block templates rendered for a snippet)."""
    parts = [page.search_description or ""]
    body = getattr(page, "body", None)
    if body is not None:
        parts.extend(str(part) for part in body.stream_block.get_searchable_content(body))
    return " ".join(part for part in parts if part)


# --- hits --------------------------------------------------------------------------------------


def _tags_by_object(window: list) -> dict:
    """Tag names of the pages and posts in the window: one query per type."""
    from home.models import PageTag
    from people.models import Profile
    from posts.models import Post

    tags: dict = {}
    page_ids = [obj.pk for type_, obj, _ in window if type_ == "page"]
    post_ids = [obj.pk for type_, obj, _ in window if type_ == "post"]
    person_ids = [obj.pk for type_, obj, _ in window if type_ == "person"]
    if page_ids:
        for object_id, name in PageTag.objects.filter(content_object_id__in=page_ids).values_list(
            "content_object_id", "tag__name"
        ):
            tags.setdefault(("page", object_id), []).append(name)
    if post_ids:
        through = Post.tags.through
        for object_id, name in through.objects.filter(
            object_id__in=post_ids, content_type__model="post", content_type__app_label="posts"
        ).values_list("object_id", "tag__name"):
            tags.setdefault(("post", object_id), []).append(name)
    if person_ids:
        through = Profile.expertise.through
        for object_id, name in through.objects.filter(content_object_id__in=person_ids).values_list(
            "content_object_id", "tag__name"
        ):
            tags.setdefault(("person", object_id), []).append(name)
    from documents.search import tags_by_document

    tags.update(tags_by_document([obj.pk for type_, obj, _ in window if type_ == "document"]))
    return tags


def _hit(type_, obj, score, q, tags, request=None) -> Hit:
    if type_ == "document":
        from documents.search import hit

        return hit(obj, score, q, tags)
    if type_ == "page":
        department = obj.section_department.name if obj.section_department_id else ""
        return Hit(
            "page", obj.pk, obj.title, obj.get_url(request) or "", highlight(_page_text(obj) or obj.title, q),
            department, sorted(tags.get(("page", obj.pk), [])), obj.last_published_at, score,
        )  # fmt: skip
    if type_ == "post":
        channel_department = obj.channel.department
        title = obj.text.strip().splitlines()[0][:90] if obj.text.strip() else str(obj.author)
        return Hit(
            "post", obj.pk, title, obj.get_absolute_url(), highlight(obj.text, q),
            channel_department.name if channel_department else "", sorted(tags.get(("post", obj.pk), [])),
            obj.edited_at or obj.created_at, score,
        )  # fmt: skip
    person_text = " · ".join(part for part in (obj.job_title, obj.responsibilities) if part)
    return Hit(
        "person", obj.pk, str(obj.user), obj.get_absolute_url(), highlight(person_text, q),
        obj.department.name if obj.department_id else "", sorted(tags.get(("person", obj.pk), [])), None, score,
    )  # fmt: skip


def _updated_key(type_, obj):
    if type_ == "page":
        return obj.last_published_at or timezone.now().replace(year=1970)
    if type_ == "post":
        return obj.edited_at or obj.created_at
    if type_ == "document":
        from documents.search import updated

        return updated(obj)
    return timezone.now().replace(year=1970)


# --- facets ------------------------------------------------------------------------------------


def _facets(ranked: unified.Ranked) -> dict:
    """Counts by type (exact), department and tag (over the matches in the window), all over
    what the user may see only."""
    from taggit.models import Tag

    from people.models import Department

    by_department: dict = {}
    for type_, obj, _ in ranked.hits:
        if type_ == "page":
            pk = obj.section_department_id
        elif type_ == "post":
            pk = obj.channel.department_id
        elif type_ == "person":
            pk = obj.department_id
        else:
            pk = None  # documents belong to no department
        if pk:
            by_department[pk] = by_department.get(pk, 0) + 1
    departments = []
    if by_department:
        names = dict(Department.objects.filter(pk__in=by_department).values_list("pk", "name"))
        departments = sorted(
            ({"id": pk, "name": names.get(pk, ""), "count": n} for pk, n in by_department.items()),
            key=lambda row: (-row["count"], row["name"]),
        )
    # Tags of the pages and posts in the window: one small query per type, counted here. (One
    # query joining the tags to both page and post tags multiplied each tag's page rows by its
    # post rows before filtering: seconds per search at 100k posts on PostgreSQL.)
    from home.models import PageTag
    from posts.models import Post

    page_ids = [obj.pk for type_, obj, _ in ranked.hits if type_ == "page"]
    post_ids = [obj.pk for type_, obj, _ in ranked.hits if type_ == "post"]
    by_tag: Counter = Counter()
    if page_ids:
        by_tag.update(PageTag.objects.filter(content_object_id__in=page_ids).values_list("tag_id", flat=True))
    if post_ids:
        by_tag.update(
            Post.tags.through.objects.filter(
                object_id__in=post_ids, content_type__app_label="posts", content_type__model="post"
            ).values_list("tag_id", flat=True)
        )
    tags = []
    if by_tag:
        rows = Tag.objects.filter(pk__in=list(by_tag)).values_list("pk", "slug", "name")
        tags = sorted(
            ({"slug": slug, "name": name, "count": by_tag[pk]} for pk, slug, name in rows),
            key=lambda row: (-row["count"], row["name"]),
        )[:TAG_FACETS]
    return {
        "type": {type_: count for type_, count in ranked.counts.items()},
        "department": departments,
        "tag": tags,
    }


def _index_facets(ranked: unified.Ranked) -> dict:
    """Facets the index counted over all matches (``{facet: {type: {value: count}}}``): two or
    three small queries for names, however many matches."""
    from taggit.models import Tag

    from people.models import Department
    from posts.models import Channel

    facets = ranked.facets or {}
    by_department: dict = {}
    for counts in facets.get("department", {}).values():
        for pk, n in counts.items():
            if pk is not None:
                by_department[pk] = by_department.get(pk, 0) + n
    channel_counts = {pk: n for counts in facets.get("channel", {}).values() for pk, n in counts.items()}
    if channel_counts:
        for channel, department in Channel.objects.filter(pk__in=list(channel_counts)).values_list("pk", "department"):
            if department:
                by_department[department] = by_department.get(department, 0) + channel_counts[channel]
    departments = []
    if by_department:
        names = dict(Department.objects.filter(pk__in=list(by_department)).values_list("pk", "name"))
        departments = sorted(
            ({"id": pk, "name": names[pk], "count": n} for pk, n in by_department.items() if pk in names),
            key=lambda row: (-row["count"], row["name"]),
        )
    by_slug: dict = {}
    for counts in facets.get("tag", {}).values():
        for slug, n in counts.items():
            if slug:
                by_slug[slug] = by_slug.get(slug, 0) + n
    tags = []
    if by_slug:
        # the 20 most frequent (ties by name): names of the candidates that can make the cut
        cut = sorted(by_slug.values(), reverse=True)[:TAG_FACETS][-1]
        candidates = [slug for slug, n in by_slug.items() if n >= cut]
        rows = Tag.objects.filter(slug__in=candidates).values_list("slug", "name")
        tags = sorted(
            ({"slug": slug, "name": name, "count": by_slug[slug]} for slug, name in rows),
            key=lambda row: (-row["count"], row["name"]),
        )[:TAG_FACETS]
    return {"type": dict(ranked.counts), "department": departments, "tag": tags}


# --- the search --------------------------------------------------------------------------------


def normalise(q: str) -> str:
    return " ".join((q or "").split())[:MAX_QUERY_LENGTH]


def search(
    *, user, q: str, filters: Filters | None = None, sort: str = "relevance", offset: int = 0, limit: int = 20,
    request=None,
):  # fmt: skip
    """Everything ``user`` may see that matches ``q``: one ranked list of pages, posts and
    people with counts, facets and, when nothing matches, a "Meinten Sie" suggestion.
    Raises :class:`SearchUnavailable` if the search engine cannot answer (a damaged index).
    ``request`` (optional) lets Wagtail look up the site's root paths once for all page URLs.

    Question fillers and stop words ("wer", "wie komme ich an", "muss") are never required
    (:func:`search.analysis.content_query`). Every content word is required first; if that finds
    nothing and the query has two or more content words, any of them will do, the items with
    more of them ranked first, and the result says so (``partial``)."""
    filters = filters or Filters()
    q = normalise(q)
    if not q:
        return Result(
            q=q, count=0, hits=[], facets={"type": {}, "department": [], "tag": []}, offset=offset, limit=limit
        )
    backend = get_search_backend()
    sources = _sources(user, filters)
    text = content_query(q)
    with unified.engine_guard(backend):
        ranked = unified.ranked(backend, text, sources, sort=sort, offset=offset, limit=limit)
    strict_count = sum(ranked.counts.values())
    words = content_words(q)
    partial = False
    if strict_count < PARTIAL_BELOW and len(words) >= 2:
        coord = words if sort == "relevance" else None
        with unified.engine_guard(backend):
            fallback = unified.ranked(
                backend, text, sources, operator="or", sort=sort, offset=offset, limit=limit, coord=coord
            )
        if sum(fallback.counts.values()) > strict_count:
            ranked, partial = fallback, True
    if ranked.paged:
        window = ranked.hits
        facets = _index_facets(ranked)
    else:
        if sort == "date":
            ranked.hits.sort(key=lambda hit: _updated_key(hit[0], hit[1]), reverse=True)
        window = ranked.hits[offset : offset + limit]
        facets = _facets(ranked)
    tags = _tags_by_object(window)
    hits = [_hit(type_, obj, score, text, tags, request) for type_, obj, score in window]
    count = sum(ranked.counts.values())
    suggestion = None
    if strict_count == 0:
        with unified.engine_guard(backend):
            suggestion = unified.suggest(backend, q, sources)
    return Result(
        q=q, count=count, hits=hits, facets=facets, suggestion=suggestion, offset=offset, limit=limit, partial=partial
    )


def suggestions(*, user, q: str, limit: int = 8) -> list[dict]:
    """As-you-type suggestions for the header box: pages, people and tags the user may see."""
    from taggit.models import Tag

    q = normalise(q)
    if len(q) < 2:
        return []
    backend = get_search_backend()
    out = []
    for source in _sources(user, Filters(types=["page", "person"])):
        with unified.engine_guard(backend):
            found = list(backend.autocomplete(q, source.queryset)[:4])
        for obj in found:
            if source.type == "page":
                out.append({"type": "page", "label": obj.title, "url": obj.get_url() or ""})
            else:
                out.append({"type": "person", "label": str(obj.user), "url": obj.get_absolute_url()})
    from django.urls import reverse

    tag_rows = (
        Tag.objects.filter(name__istartswith=q)
        .filter(pk__in=_visible_tag_ids(user))
        .order_by("name")
        .values_list("name", "slug")[:3]
    )
    for name, slug in tag_rows:
        out.append({"type": "tag", "label": name, "url": reverse("search:search") + f"?q={name}&tag={slug}"})
    return out[:limit]


def _visible_tag_ids(user):
    """Tags used on a page, post or document the user may see (a subquery)."""
    from home.page_selectors import visible_tags

    return visible_tags(user=user).values("pk")
