"""The interface between the search and its engines: what a ranked search is asked
(:class:`Source`: a content type and the queryset of what the user may see, with its filters,
boosts, dates and facets) and what it answers (:class:`Ranked`). Each engine implements
``ranked(q, sources, operator=, sort=, offset=, limit=, facets=, coord=)`` as a method (the
Whoosh engine in :mod:`search.whoosh.ranked`, the PostgreSQL engine in
:mod:`search.postgres.ranked`); a backend without one is searched per source
(:func:`per_source`)."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Engines without a ranked search of their own: matches loaded per source for merging and
#: facets. Counts stay exact.
MATCH_WINDOW = 300


@dataclass
class Source:
    """One content type to search: its name in results and the queryset of what the user may see."""

    type: str
    queryset: object
    #: callable(obj, score) -> score, e.g. a small freshness factor for reviewed pages (database
    #: path; the index path uses ``boosts``)
    adjust: object = None
    #: database path: optional queryset of pks (``.values("pk")``) for a filter the backend cannot
    #: answer; the backend's matches are narrowed to it before ranking, counting, slicing
    narrow: object = None
    #: index path: the same restriction as ``narrow``, as ``{filter field: value}`` terms
    #: (``{"tags__slug": "bauen"}``) the index answers
    index_terms: dict = field(default_factory=dict)
    #: index path: ``[(filter kwargs, factor)]``, a score factor for the documents matching them
    boosts: list = field(default_factory=list)
    #: index path: filter fields whose value is the item's date for ``sort="date"``, first found wins
    date_fields: tuple = ()
    #: index path: facet name -> filter field (``{"department": "section_department_id"}``)
    facet_fields: dict = field(default_factory=dict)


@dataclass
class Ranked:
    hits: list = field(default_factory=list)  # [(type, obj, score)], best first
    counts: dict = field(default_factory=dict)  # type -> number of matches the user may see
    #: index path: {facet: {type: {value: count}}} over all matches, plain values (ids, slugs;
    #: no None); None: compute from ``hits``
    facets: dict | None = None
    #: True: ``hits`` is already the requested page (sorted and sliced)
    paged: bool = False
    #: False: more matches than ``SEARCH_EXACT_COUNT_LIMIT``; ``counts`` and ``facets`` are those
    #: of the best ``SEARCH_RANK_CANDIDATES`` matches only, and the hits are the best of those
    exact: bool = True


# --- engines without a ranked search of their own ----------------------------------------------


def _search_sources(
    backend,
    q: str,
    sources: list[Source],
    *,
    operator: str | None,
    window: int = 0,
    sign: float = 1.0,
) -> Ranked:
    window = window or MATCH_WINDOW
    ranked = Ranked()
    for source in sources:
        results = backend.search(q, source.queryset, operator=operator).annotate_score("_score")
        objects = list(results[:window])
        if source.narrow is not None and objects:
            keep = set(source.narrow.filter(pk__in=[obj.pk for obj in objects]).values_list("pk", flat=True))
            objects = [obj for obj in objects if obj.pk in keep]
            count = len(objects)
        elif source.narrow is not None:
            count = 0
        else:
            count = len(objects) if len(objects) < window else results.count()
        ranked.counts[source.type] = count
        for obj in objects:
            score = sign * float(getattr(obj, "_score", 0) or 0)
            if source.adjust is not None:
                score = source.adjust(obj, score)
            ranked.hits.append((source.type, obj, score))
    ranked.hits.sort(key=lambda hit: -hit[2])
    return ranked


def per_source(backend, q, sources, *, operator=None, coord=None, **_):
    """The ranked search of an engine without one of its own (Wagtail's database, OpenSearch and
    Elasticsearch backends), and the Whoosh engine's fallback for filters its index cannot answer:
    one backend query per source with its permission queryset, the hits merged by score. A match
    window of ``MATCH_WINDOW`` hits per source bounds the work; counts come from the backend's
    own count when a source has more matches than the window. Facets over departments and tags
    are computed by the caller over that window."""
    # SQLite FTS5's bm25() is lower-is-better (negative); PostgreSQL's ts_rank higher-is-better.
    ranked = _search_sources(backend, q, sources, operator=operator, sign=-1.0 if _is_sqlite(backend) else 1.0)
    if coord and ranked.hits:
        _order_by_coord(backend, ranked, sources, coord)
    return ranked


def _order_by_coord(backend, ranked, sources, words):
    """Reorders the hits of an "or" search: more of ``words`` first, then by score. Each word is
    asked once per source on the source's queryset (its permission filter), the first
    ``MATCH_WINDOW`` matches by that word's rank, primary keys only. (The search querysets cannot
    be narrowed to the hits' keys: ``id`` is no filter field of the indexed models.) A hit beyond
    a very common word's window counts as not having it: an approximation, like the window."""
    wanted: dict = {}
    for type_, obj, _ in ranked.hits:
        wanted.setdefault(type_, set()).add(obj.pk)
    found: dict = {}
    for source in sources:
        pks = wanted.get(source.type)
        if not pks:
            continue
        light = source.queryset.select_related(None).only("pk")
        for word in words:
            for obj in backend.search(word, light, operator="and")[:MATCH_WINDOW]:
                if obj.pk in pks:
                    found[(source.type, obj.pk)] = found.get((source.type, obj.pk), 0) + 1
    ranked.hits.sort(key=lambda hit: (-found.get((hit[0], hit[1].pk), 0), -hit[2]))


def _is_sqlite(backend) -> bool:
    # By the class's module, not by importing it: importing the SQLite flavour on PostgreSQL
    # looks up models that only exist on SQLite.
    return any(cls.__module__.startswith("modelsearch.backends.database.sqlite") for cls in type(backend).__mro__)
