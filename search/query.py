"""The one search: the search page, the header suggestions and ``GET /api/v1/search`` all call
:func:`search` (and :func:`suggestions`).

What a user may see is decided by each content type's app, registered in ``search.registry``
(``home/search.py``, ``posts/search.py``, ``people/search.py``, ``documents/search.py``): each type
gives the queryset of what the user may see with the filters applied, and the backend never
ranks, counts, suggests or snippets anything else. This module names no content type.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from modelsearch.backends import get_search_backend

from intranet.shared.permissions import remembered_while

from . import registry, unified
from .analysis import content_query, content_words
from .hits import Hit
from .registry import Filters
from .unified import SearchUnavailable

__all__ = ["Filters", "Result", "SearchUnavailable", "normalise", "search", "suggestions"]

SORTS = ("relevance", "date")
MAX_QUERY_LENGTH = 200
#: Tags listed in the tag facet.
TAG_FACETS = 20
#: A query of several content words that finds fewer than this many items with all of them is
#: asked again with any of them (the best partial matches first; ``Result.partial``).
PARTIAL_BELOW = 1


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
    #: False: more than ``count`` items match (``SEARCH_EXACT_COUNT_LIMIT``); the hits are the best
    #: of the best-ranked candidates and the facets count those candidates (PostgreSQL engine)
    count_exact: bool = True


def _sources(user, filters: Filters) -> list[unified.Source]:
    """One source per registered type the user asked for (all when none), each a queryset of
    what the user may see with the filters on fields the index holds (``search_fields``
    FilterFields), so the Whoosh engine answers permissions and filters in the index. A type the
    filters exclude altogether (people by date, documents by department) gives none."""
    wanted = set(filters.types)
    sources = []
    for search_type in registry.types():
        if wanted and search_type.name not in wanted:
            continue
        source = search_type.source(user, filters)
        if source is not None:
            sources.append(source)
    return sources


# --- hits --------------------------------------------------------------------------------------


def _ids_by_type(hits) -> dict:
    ids: dict = {}
    for type_, obj, _ in hits:
        ids.setdefault(type_, []).append(obj.pk)
    return ids


def _tags_by_object(window: list) -> dict:
    """``{(type, pk): [tag names]}`` of the items in the window: one query per type."""
    tags: dict = {}
    for type_, ids in _ids_by_type(window).items():
        for pk, names in registry.get(type_).tags(ids).items():
            tags[(type_, pk)] = names
    return tags


def _hit(type_, obj, score, q, tags, request=None) -> Hit:
    return registry.get(type_).hit(obj, score, q, tags.get((type_, obj.pk), []), request)


def _updated_key(type_, obj):
    return registry.get(type_).updated(obj) or timezone.now().replace(year=1970)


# --- facets ------------------------------------------------------------------------------------


def _department_rows(by_department: dict, *, known_only: bool) -> list:
    if not by_department:
        return []
    names = registry.departments().names(by_department)
    return sorted(
        (
            {"id": pk, "name": names.get(pk, ""), "count": n}
            for pk, n in by_department.items()
            if pk in names or not known_only
        ),
        key=lambda row: (-row["count"], row["name"]),
    )


def _facets(ranked: unified.Ranked) -> dict:
    """Counts by type (exact), department and tag (over the matches in the window), all over
    what the user may see only."""
    from taggit.models import Tag

    by_department: dict = {}
    for type_, obj, _ in ranked.hits:
        pk = registry.get(type_).department_of(obj)
        if pk:
            by_department[pk] = by_department.get(pk, 0) + 1
    departments = _department_rows(by_department, known_only=False)
    # Tags of the items in the window: one small query per type, counted here. (One query
    # joining the tags to both page and post tags multiplied each tag's page rows by its post
    # rows before filtering: seconds per search at 100k posts on PostgreSQL.)
    by_tag: Counter = Counter()
    for type_, ids in _ids_by_type(ranked.hits).items():
        by_tag.update(registry.get(type_).tag_ids(ids))
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
    """Facets the index counted over all matches (``{facet: {type: {value: count}}}``): a few
    small queries for names, however many matches."""
    from taggit.models import Tag

    facets = ranked.facets or {}
    by_type: dict = {}
    for facet, counts in facets.items():
        for type_, values in counts.items():
            by_type.setdefault(type_, {})[facet] = values
    by_department: dict = {}
    for type_, type_facets in by_type.items():
        for pk, n in registry.get(type_).department_counts(type_facets).items():
            if pk is not None:
                by_department[pk] = by_department.get(pk, 0) + n
    departments = _department_rows(by_department, known_only=True)
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
    """Everything ``user`` may see that matches ``q``: one ranked list over the registered types
    with counts, facets and, when nothing matches, a "Meinten Sie" suggestion.
    Raises :class:`SearchUnavailable` if the search engine cannot answer (a damaged index).
    ``request`` (optional) lets Wagtail look up the site's root paths once for all page URLs.

    Question fillers and stop words ("wer", "wie komme ich an", "muss") are never required
    (:func:`search.analysis.content_query`). Every content word is required first; if that finds
    nothing and the query has two or more content words, any of them will do, the items with
    more of them ranked first, and the result says so (``partial``)."""
    with remembered_while(user):  # each type's "what the user may see" shares the view restrictions
        return _search(user=user, q=q, filters=filters, sort=sort, offset=offset, limit=limit, request=request)


def _search(*, user, q, filters, sort, offset, limit, request) -> Result:
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
    if filters.types:
        facets["type"] = {**_other_type_counts(backend, user, filters, text, sort, partial), **facets["type"]}
    tags = _tags_by_object(window)
    hits = [_hit(type_, obj, score, text, tags, request) for type_, obj, score in window]
    count = sum(ranked.counts.values()) if ranked.exact else settings.SEARCH_EXACT_COUNT_LIMIT
    suggestion = None
    if strict_count == 0:
        with unified.engine_guard(backend):
            suggestion = unified.suggest(backend, q, sources)
    return Result(
        q=q, count=count, hits=hits, facets=facets, suggestion=suggestion, offset=offset, limit=limit, partial=partial,
        count_exact=ranked.exact,
    )  # fmt: skip


def _other_type_counts(backend, user, filters: Filters, text: str, sort: str, partial: bool) -> dict:
    """With some types ticked, the matches of the others for the same words and filters, so the
    type filter says what ticking one more would add (counts only: no page, no facets). Left out
    where they are not exact (a frequent word beyond ``SEARCH_EXACT_COUNT_LIMIT``)."""
    wanted = set(filters.types)
    others = [search_type.name for search_type in registry.types() if search_type.name not in wanted]
    sources = _sources(user, dataclasses.replace(filters, types=others)) if others else []
    if not sources:
        return {}
    with unified.engine_guard(backend):
        ranked = unified.ranked(
            backend, text, sources, operator="or" if partial else None, sort=sort, offset=0, limit=1, facets=False
        )
    return dict(ranked.counts) if ranked.exact else {}


def suggestions(*, user, q: str, limit: int = 8) -> list[dict]:
    """As-you-type suggestions for the header box: items of the types that offer them
    (``SearchType.autocomplete``: pages, people) and tags the user may see."""
    from taggit.models import Tag

    q = normalise(q)
    if len(q) < 2:
        return []
    backend = get_search_backend()
    out = []
    offered = [search_type.name for search_type in registry.types() if search_type.autocomplete]
    for source in _sources(user, Filters(types=offered)) if offered else ():
        search_type = registry.get(source.type)
        with unified.engine_guard(backend):
            found = list(backend.autocomplete(q, source.queryset)[:4])
        for obj in found:
            out.append({"type": search_type.name, **search_type.suggestion(obj)})
    from django.urls import reverse

    tag_rows = (
        Tag.objects.filter(name__istartswith=q)
        .filter(pk__in=registry.topic_tags(user).values("pk"))
        .order_by("name")
        .values_list("name", "slug")[:3]
    )
    for name, slug in tag_rows:
        out.append({"type": "tag", "label": name, "url": reverse("search:search") + f"?q={name}&tag={slug}"})
    return out[:limit]
