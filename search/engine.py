"""The interface between the search and its engines: what a ranked search is asked
(:class:`Source`: a content type and the queryset of what the user may see, with its filters,
boosts, dates and facets) and what it answers (:class:`Ranked`). Each engine implements
``ranked(q, sources, operator=, sort=, offset=, limit=, facets=, coord=)`` (the Whoosh engine
through :mod:`search.unified`, the PostgreSQL engine in :mod:`search.postgres.ranked`)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    #: index path: {facet: {type: {value: count}}} over all matches; None: compute from ``hits``
    facets: dict | None = None
    #: True: ``hits`` is already the requested page (sorted and sliced)
    paged: bool = False
    #: True: ``facets`` holds plain values (ids, slugs); False: the Whoosh index's encoded terms
    facet_values: bool = False
