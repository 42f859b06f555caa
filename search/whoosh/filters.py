"""Queryset filters translated into Whoosh, so a filtered search (``Page.objects.live()``,
``.public()``, ``.filter(locale=...)``) is answered by the index alone: top ten and exact count
without sending every matching id through the database.

Each ``FilterField`` of a model is written as one term ``f__<attname>`` holding the value in a
form that sorts like the value: a type letter, then ``int`` as offset hexadecimal, dates and times
as ISO text (datetimes in UTC), strings and UUIDs as text. ``None`` is its own term, so
``isnull`` is a term lookup. Only plain values on the model's own columns are translated
(``exact``, ``in``, ``lt``/``lte``/``gt``/``gte``, ``range``, ``isnull``, ``startswith``);
anything else - filters across relations, subqueries, expressions, floats - raises
:class:`Untranslatable` and the backend lets the database filter instead. The database still
loads every shown object through the caller's queryset, so a translation can only make a page
shorter, never show what the queryset excludes.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from whoosh import query as wq

from search.indexing import filter_column

from .store import FILTER_PREFIX

NULL = "\x00"
_INT_OFFSET = 2**63
_TAGS = {bool: "b", int: "i", datetime.datetime: "t", datetime.date: "d", datetime.time: "h", str: "s", uuid.UUID: "u"}


class Untranslatable(Exception):
    """This filter is left to the database."""


def encode(value) -> str | None:
    """The index term for a filter value, or ``None`` if the value is not indexable."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "b1" if value else "b0"
    if isinstance(value, int):
        if not -_INT_OFFSET <= value < _INT_OFFSET:
            return None
        return f"i{value + _INT_OFFSET:016x}"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return "t" + value.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(value, datetime.date):
        return "d" + value.isoformat()
    if isinstance(value, datetime.time):
        if value.tzinfo is not None:
            return None
        return "h" + value.strftime("%H:%M:%S.%f")
    if isinstance(value, str):
        return "s" + value
    if isinstance(value, uuid.UUID):
        return "u" + value.hex
    return None


def decode(term: str):
    """The value of an index term of :func:`encode` (ints, strings, None; others as the term)."""
    if term == NULL:
        return None
    if term[:1] == "i":
        return int(term[1:], 16) - _INT_OFFSET
    if term[:1] == "s":
        return term[1:]
    if term[:1] == "b":
        return term == "b1"
    return term


def _tag(term: str) -> str:
    return term[0]


def _related_filter_terms(obj, related, terms: dict) -> None:
    """``f__<relation>__<attname>``: the values of a ``RelatedFields`` FilterField, one term per
    related object (a list; Whoosh indexes each item as a term): ``tags__slug`` on a post holds
    every tag's slug, ``user__is_active`` on a profile the account's flag."""
    from django.db.models import Manager
    from modelsearch.index import FilterField

    value = related.get_value(obj)
    if value is None:
        objects = []
    elif isinstance(value, Manager):
        objects = list(value.all())
    else:
        objects = [value]
    for field in related.fields:
        if not isinstance(field, FilterField):
            continue
        values = []
        for sub in objects:
            try:
                django_field = field.get_field(type(sub))
            except FieldDoesNotExist:
                continue
            if not getattr(django_field, "concrete", False) or django_field.many_to_many:
                continue
            term = encode(django_field.value_from_object(sub))
            if term is not None:
                values.append(term)
        name = FILTER_PREFIX + related.field_name + "__" + field.field_name
        terms[name] = sorted(set(values)) or [NULL]


def filter_terms(obj) -> dict[str, str | list[str]]:
    """``{"f__<attname>": term}`` for the object's own FilterFields, and
    ``{"f__<relation>__<name>": [terms]}`` for FilterFields inside ``RelatedFields``."""
    from modelsearch.index import FilterField, RelatedFields

    terms = {}
    model = type(obj)
    for field in obj.get_search_fields():
        if isinstance(field, RelatedFields):
            _related_filter_terms(obj, field, terms)
            continue
        django_field = filter_column(model, field) if isinstance(field, FilterField) else None
        if django_field is None:
            continue
        term = encode(django_field.value_from_object(obj))
        if term is not None:
            terms[FILTER_PREFIX + field.get_attname(model)] = term
    return terms


class _Filter:
    """A translated filter (wrapped: the base compiler drops falsy children)."""

    __slots__ = ("query",)

    def __init__(self, query):
        self.query = query


class FilterTranslationMixin:
    """For a :class:`modelsearch.backends.base.BaseSearchQueryCompiler`: ``whoosh_filter()``
    returns the queryset's filters as a Whoosh query, ``None`` if there are none, or raises
    :class:`Untranslatable`."""

    def whoosh_filter(self):
        translated = self._get_filters_from_queryset(check_only=False)
        if translated is None:
            return None
        return translated.query

    def _process_match_none(self):
        return _Filter(wq.NullQuery)

    def _connect_filters(self, filters, connector, negated):
        queries = [f.query for f in filters if f is not None]
        if not queries:
            if negated:
                raise Untranslatable("negated empty condition")
            return None
        query = queries[0] if len(queries) == 1 else (wq.And if connector == "AND" else wq.Or)(queries)
        if negated:
            query = wq.Not(query)
        return _Filter(query)

    def _coerce(self, django_field, value):
        if hasattr(value, "resolve_expression") or hasattr(value, "query"):
            raise Untranslatable("expression or subquery")
        if hasattr(value, "_meta") and hasattr(value, "pk"):
            value = value.pk
        if value is None:
            return None
        try:
            value = django_field.to_python(value)
        except Exception as exc:
            raise Untranslatable(str(exc)) from exc
        if isinstance(value, datetime.datetime) and timezone.is_naive(value) and timezone.is_aware(timezone.now()):
            raise Untranslatable("naive datetime")
        return value

    def _term(self, django_field, value) -> str:
        term = encode(self._coerce(django_field, value))
        if term is None:
            raise Untranslatable(f"value {value!r} has no index form")
        return term

    def _process_related_lookup(self, field_path, lookup, value):
        """``tags__slug="x"``, ``user__is_active=True``: one relation deep, ``exact``/``in``,
        answered by the ``f__<relation>__<name>`` terms (see :func:`_related_filter_terms`)."""
        from modelsearch.index import RelatedFields

        related, filter_field = field_path
        if not isinstance(related, RelatedFields):
            raise Untranslatable("filter across a relation")
        name = FILTER_PREFIX + related.field_name + "__" + filter_field.field_name
        if name not in self._indexed_field_names():
            raise Untranslatable("relation filter not in the index")
        try:
            relation = related.get_field(self.queryset.model)
            django_field = filter_field.get_field(relation.related_model)
        except FieldDoesNotExist as exc:
            raise Untranslatable("not a model field") from exc
        if lookup == "exact":
            if value is None:
                raise Untranslatable("isnull across a relation")
            return _Filter(wq.Term(name, self._term(django_field, value)))
        if lookup == "in":
            return self._in_filter(name, django_field, value)
        raise Untranslatable(f"lookup {lookup} across a relation")

    def _in_filter(self, name, django_field, value):
        """``field__in=[...]``: any of the values (an empty list matches nothing)."""
        if not isinstance(value, (list, tuple, set, frozenset)):
            raise Untranslatable("in with a non-list value")
        terms = sorted({self._term(django_field, v) for v in value if v is not None})
        if not terms:
            return _Filter(wq.NullQuery)
        return _Filter(wq.Or([wq.Term(name, t) for t in terms]))

    def _indexed_field_names(self):
        """Field names the index holds terms for (set by the backend before translating); an
        index built before related filter terms existed does not translate them."""
        return getattr(self, "indexed_fields", ())

    def _process_lookup(self, field_path, lookup, value):
        if len(field_path) == 2:
            return self._process_related_lookup(field_path, lookup, value)
        if len(field_path) != 1:
            raise Untranslatable("filter across a relation")
        filter_field = field_path[0]
        model = self.queryset.model
        try:
            django_field = filter_field.get_field(model)
        except FieldDoesNotExist as exc:
            raise Untranslatable("not a model field") from exc
        if django_field.many_to_many or django_field.one_to_many:
            raise Untranslatable("many-valued field")
        name = FILTER_PREFIX + filter_field.get_attname(model)

        if lookup == "exact":
            return _Filter(wq.Term(name, self._term(django_field, value)))
        if lookup == "isnull":
            is_null = wq.Term(name, NULL)
            return _Filter(is_null if value else wq.Not(is_null))
        if lookup == "in":
            return self._in_filter(name, django_field, value)
        if lookup in ("lt", "lte", "gt", "gte"):
            term = self._term(django_field, value)
            if term == NULL:
                raise Untranslatable("comparison with None")
            tag = _tag(term)
            if lookup in ("lt", "lte"):
                return _Filter(wq.TermRange(name, tag, term, endexcl=lookup == "lt"))
            return _Filter(wq.TermRange(name, term, tag + "\uffff", startexcl=lookup == "gt"))
        if lookup == "range":
            low, high = (self._term(django_field, v) for v in value)
            if NULL in (low, high):
                raise Untranslatable("range with None")
            return _Filter(wq.TermRange(name, low, high))
        if lookup == "startswith" and isinstance(value, str):
            if _case_insensitive_like(self.queryset.db) and any(c.isalpha() for c in value) and name != "f__path":
                # SQLite's LIKE ignores ASCII case, the index does not. Tree paths (treebeard,
                # Wagtail) are upper case by construction, so they translate everywhere.
                raise Untranslatable("startswith is case-insensitive on this database")
            return _Filter(wq.Prefix(name, "s" + value))
        raise Untranslatable(f"lookup {lookup}")


def _case_insensitive_like(alias: str) -> bool:
    from django.db import connections

    return connections[alias].vendor == "sqlite"
