"""One ranked search over several querysets (pages, posts, people), per backend class.

``ranked(backend, q, sources, ...)`` is the only place that knows how a backend answers a search
across models. The implementation is chosen by the backend's class (see ``_IMPLEMENTATIONS``),
never by settings checks elsewhere.

What each implementation does today (honest state): modelsearch's API is per model, so both the
Whoosh implementation and the database implementation (SQLite FTS / PostgreSQL, Wagtail's
``database`` backend) run one backend query per source *inside this module*; every source's
queryset already carries the permission filters (visible pages, visible posts, active people),
so the backend filters before it ranks, slices or counts — nothing is removed afterwards. The
hits of all sources are merged by score (Whoosh: BM25F on one shared index, so scores of
different models are comparable; database backends: their own rank per model).

A match window of ``MATCH_WINDOW`` hits per source bounds the work; counts come from the
backend's own count when a source has more matches than the window.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from modelsearch.backends.base import BaseSearchBackend

#: Matches loaded per source for merging and facets. Counts stay exact beyond it.
MATCH_WINDOW = 300


@dataclass
class Source:
    """One content type to search: its name in results and the queryset of what the user may see."""

    type: str
    queryset: object
    #: callable(obj, score) -> score, e.g. a small freshness factor for reviewed pages
    adjust: object = None
    #: optional queryset of pks (``.values("pk")``) for a filter the index cannot answer; the
    #: backend's matches are narrowed to it in the database before ranking, counting, slicing
    narrow: object = None


@dataclass
class Ranked:
    hits: list = field(default_factory=list)  # [(type, obj, score)], best first
    counts: dict = field(default_factory=dict)  # type -> number of matches the user may see


def _search_sources(
    backend: BaseSearchBackend,
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


def _whoosh(backend, q, sources, *, operator=None):
    return _search_sources(backend, q, sources, operator=operator)


def _database(backend, q, sources, *, operator=None):
    # SQLite FTS5's bm25() is lower-is-better (negative); PostgreSQL's ts_rank higher-is-better.
    return _search_sources(backend, q, sources, operator=operator, sign=-1.0 if _is_sqlite(backend) else 1.0)


def _is_sqlite(backend) -> bool:
    # By the class's module, not by importing it: importing the SQLite flavour on PostgreSQL
    # looks up models that only exist on SQLite.
    return any(cls.__module__.startswith("modelsearch.backends.database.sqlite") for cls in type(backend).__mro__)


def _implementation(backend):
    from .backend import WhooshSearchBackend

    if isinstance(backend, WhooshSearchBackend):
        return _whoosh
    return _database


def ranked(backend, q: str, sources: list[Source], *, operator: str | None = None) -> Ranked:
    return _implementation(backend)(backend, q, sources, operator=operator)


def suggest(backend, q: str, sources: list[Source]) -> str | None:
    """A corrected query that finds something the user may see, or None. Only backends with a
    spelling dictionary (Whoosh) suggest; the database backends have none."""
    if not hasattr(backend, "suggest"):
        return None
    suggestion = backend.suggest(q)
    if not suggestion or suggestion.strip().lower() == q.strip().lower():
        return None
    # Checked here by loading a hit, not by the backend's count: only a suggestion that finds
    # something this user may see is offered (words from restricted pages stay secret).
    for source in sources:
        if _search_sources(backend, suggestion, [source], operator="or", window=1).hits:
            return suggestion
    return None
