"""One ranked search over several querysets (one per registered content type), whatever the
engine: :func:`ranked` expands synonyms and hands the search to the engine's own ``ranked``
method (the Whoosh engine: :mod:`search.whoosh.ranked`; the PostgreSQL engine:
:mod:`search.postgres.ranked`), or searches per source where the engine has none
(:func:`search.engine.per_source`). :func:`suggest` asks the engine for "Meinten Sie".
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from functools import partial

from .engine import Ranked, Source, per_source

logger = logging.getLogger(__name__)

__all__ = ["Ranked", "SearchUnavailable", "Source", "engine_guard", "ranked", "suggest"]


# --- an engine that cannot answer ---------------------------------------------------------------


class SearchUnavailable(Exception):
    """The search engine cannot answer: a damaged Whoosh index, or a failing search query in the
    database. The search page, suggestions and API answer 503 "search unavailable" instead of
    crashing (500) or finding nothing; ``reason`` is for the log, not for users."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@contextmanager
def engine_guard(backend):
    """Runs the engine calls of one search. A Whoosh index already known to be damaged answers
    at once; an error while searching is handed to the index, which decides (by reading itself
    afresh) whether it is damaged and records it for every process; then SearchUnavailable.
    Other errors are bugs and propagate. Database backends: a database error in the search
    query becomes SearchUnavailable, rolled back to a savepoint so the page around it renders."""
    store = getattr(backend, "store", None)
    if store is not None and hasattr(store, "record_failure"):
        damage = store.damage()
        if damage is not None:
            raise SearchUnavailable(damage)
        try:
            yield
        except SearchUnavailable:
            raise
        except Exception as exc:
            cause = store.record_failure(exc)
            if cause is None:
                raise
            raise SearchUnavailable(cause) from exc
        return
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic():
            yield
    except DatabaseError as exc:
        logger.error("search: the search query failed in the database (%s); search answers 'unavailable'", exc)
        raise SearchUnavailable(f"{exc.__class__.__name__}: {exc}") from exc


def ranked(
    backend,
    q: str,
    sources: list[Source],
    *,
    operator: str | None = None,
    sort: str = "relevance",
    offset: int = 0,
    limit: int = 20,
    facets: bool = True,
    coord: list[str] | None = None,
) -> Ranked:
    """Matches of ``q`` in ``sources``. Index backends return the requested page only
    (``Ranked.paged``) with counts and facets over all matches; database backends return a window
    of hits the caller sorts and slices. Terms of "Synonyme und Abkürzungen" in ``q`` also find
    their equivalents (search/synonyms.py), on every engine. ``coord`` (with ``operator="or"``): the
    query's words; by relevance, the matches with more of them rank first, then by score."""
    from .synonyms import expand

    default = (operator or backend.query_compiler_class.DEFAULT_OPERATOR).lower()
    query = expand(q, operator=default)
    implementation = getattr(backend, "ranked", None) or partial(per_source, backend)
    return implementation(
        query, sources, operator=operator, sort=sort, offset=offset, limit=limit, facets=facets, coord=coord
    )


def suggest(backend, q: str, sources: list[Source]) -> str | None:
    """A corrected query that finds something the user may see, or None. Only backends with a
    spelling dictionary (Whoosh) suggest; the database backends have none.

    The dictionary holds the words of everything indexed, so each candidate word, and then the
    corrected query with every word required (``operator="and"``), is checked through the same
    permission-filtered search as the results: a word is only offered if the user could find it.
    (With ``operator="or"`` one visible word approved a query that carried a restricted one.)"""
    if not hasattr(backend, "suggest"):
        return None

    def finds(text: str) -> bool:
        found = ranked(backend, text, sources, operator="and", limit=0, facets=False)
        return sum(found.counts.values()) > 0

    suggestion = backend.suggest(q, finds=finds)
    if not suggestion or suggestion.strip().lower() == q.strip().lower():
        return None
    return suggestion
