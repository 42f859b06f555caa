"""The content types the search knows, each registered by its own app.

An app describes its searchable type in its ``search.py`` (``home/search.py``, ``posts/search.py``
...) as a :class:`SearchType` and registers it with :func:`register`; :func:`load` imports every
installed app's ``search`` module once (``search.apps.SearchConfig.ready``). ``search.query``, the
views, the API and the engines name no content type: they ask the registry. Adding a type touches
only its app.

Departments are the one dimension across types (a filter and a facet of the search page and the
API): the app that owns them registers a :class:`Departments` with :func:`register_departments`.

This module imports nothing of the content apps and nothing of ``search.query``, so an app's
``search.py`` can use it (with ``search.engine``, ``search.hits`` and ``search.analysis``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from .engine import Source
from .hits import Hit

__all__ = [
    "Departments",
    "Filters",
    "SearchType",
    "Source",
    "department_ids",
    "register",
    "register_departments",
    "start_of",
]


@dataclass
class Filters:
    """What the user narrowed the search to (the search page's and the API's filters)."""

    types: list[str] = field(default_factory=list)  # empty: all
    department: int | None = None  # Department pk
    subunits: tuple[int, ...] = ()  # with `department`: the pks of the units beneath it, also searched
    tag: str = ""  # tag slug
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def department_ids(filters: Filters) -> list[int]:
    """The department filter as a list of pks: the department and the sub-units asked for."""
    return [filters.department, *filters.subunits] if filters.department else []


def start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day`` in the site's time zone (``date_to`` filters take the next day's)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def tag_names(through, ids) -> dict:
    """``{object id: [tag name, ...]}`` of the objects ``ids`` from a taggit through model with a
    ``content_object`` foreign key (a page's tags, a person's expertise): one query."""
    tags: dict = {}
    for object_id, name in through.objects.filter(content_object_id__in=ids).values_list(
        "content_object_id", "tag__name"
    ):
        tags.setdefault(object_id, []).append(name)
    return tags


class SearchType:
    """One searchable content type. Subclass it in the app's ``search.py``, set the attributes,
    implement :meth:`source` and :meth:`hit`, and :func:`register` an instance. The defaults are
    those of a type without departments, tags or dates."""

    #: the type's name in results, counts, the ``type`` filter and the API ("page")
    name: str = ""
    #: the type in the list of types (plural, translatable: ``gettext_lazy("Pages")``)
    label = ""
    #: one hit's badge and an autocomplete suggestion's type (singular: ``gettext_lazy("Page")``)
    hit_label = ""
    #: place in the list of types (facets, checkboxes), lowest first
    order: int = 100
    #: True: the header's as-you-type suggestions offer items of this type (:meth:`suggestion`)
    autocomplete: bool = False

    # --- before ranking --------------------------------------------------------------------

    def source(self, user, filters: Filters) -> Source | None:
        """What ``user`` may see of this type with ``filters`` applied (a :class:`Source`: the
        queryset, with index terms, boosts, date and facet fields), or None when the filters
        exclude the type altogether (people have no date; documents no department)."""
        raise NotImplementedError

    # --- a hit -------------------------------------------------------------------------------

    def hit(self, obj, score: float, q: str, tags: list[str], request=None) -> Hit:
        """The hit of ``obj``: title, URL, snippet (``search.hits.highlight``), department, tags
        (``tags``: the names :meth:`tags` found for it), date, score."""
        raise NotImplementedError

    def tags(self, ids: list) -> dict:
        """``{pk: [tag names]}`` of the items ``ids`` in a result window: one query."""
        return {}

    def updated(self, obj) -> datetime.datetime | None:
        """The date a sort by date uses (engines without a ranked search); None: oldest."""
        return None

    # --- facets ------------------------------------------------------------------------------

    def department_of(self, obj) -> int | None:
        """The department (pk) of a hit, for the department facet over a window of hits."""
        return None

    def department_counts(self, facets: dict) -> dict:
        """``{department pk: n}`` from the index's counts of this type (``{facet: {value: n}}``,
        over ``Source.facet_fields``); by default its ``"department"`` facet."""
        return dict(facets.get("department", {}))

    def tag_ids(self, ids: list) -> list:
        """The tag ids on the items ``ids`` (one per tagging), for the tag facet over a window of
        hits: one query. The index path counts the ``"tag"`` facet field (slugs) instead."""
        return []

    def topic_tags(self, user):
        """A subquery (``.values("tag_id")``) of the tags on items of this type that ``user`` may
        see, for the tags the header suggests; None: the type's tags are not topics."""
        return None

    # --- the header's suggestions ------------------------------------------------------------

    def suggestion(self, obj) -> dict:
        """``{"label", "url"}`` of ``obj`` as an as-you-type suggestion (with ``autocomplete``)."""
        raise NotImplementedError

    def __repr__(self):
        return f"<SearchType {self.name}>"


class Departments:
    """The departments of the search's department filter and facet, registered by the app that
    owns them."""

    def names(self, ids) -> dict:
        """``{pk: name}`` of the departments ``ids`` (one query)."""
        raise NotImplementedError

    def choices(self):
        """Every department for the search page's select, by name (objects with ``pk``, ``name``)."""
        raise NotImplementedError

    def by_slug(self, slug: str) -> int | None:
        """The pk of the department with ``slug`` (the API's filter), or None."""
        raise NotImplementedError

    def subunits(self, pk: int) -> tuple[int, ...]:
        """The pks of the units beneath department ``pk`` (the filter "including sub-units")."""
        return ()


_types: dict[str, SearchType] = {}
_departments: list[Departments] = []


def register(search_type: SearchType) -> SearchType:
    """Adds a content type to the search (an app's ``search.py``, once). Returns it, so a test can
    :func:`unregister` it again."""
    if not search_type.name:
        raise ValueError("a search type needs a name")
    if search_type.name in _types and _types[search_type.name] is not search_type:
        raise ValueError(f"the search type {search_type.name!r} is registered already")
    _types[search_type.name] = search_type
    return search_type


def unregister(name: str) -> None:
    _types.pop(name, None)


def register_departments(departments: Departments) -> None:
    _departments[:] = [departments]


def load() -> None:
    """Imports every installed app's ``search`` module, which registers its types."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("search")


def types() -> list[SearchType]:
    """The registered types in their order (then by name)."""
    return sorted(_types.values(), key=lambda t: (t.order, t.name))


def names() -> list[str]:
    return [t.name for t in types()]


def get(name: str) -> SearchType:
    return _types[name]


def topic_tags(user):
    """The topics (taggit's tags) used on something ``user`` may see, over every type that has
    them (``SearchType.topic_tags``): a lazy queryset, one id subquery per type, no join
    multiplying the tag rows."""
    from django.db.models import Q
    from taggit.models import Tag

    condition = None
    for search_type in types():
        tag_ids = search_type.topic_tags(user)
        if tag_ids is not None:
            part = Q(pk__in=tag_ids)
            condition = part if condition is None else condition | part
    return Tag.objects.none() if condition is None else Tag.objects.filter(condition)


def departments() -> Departments:
    if not _departments:
        raise LookupError("no app registered the search's departments (search.registry.register_departments)")
    return _departments[0]
