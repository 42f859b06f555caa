"""Permission facts in the engine's documents: each document's ``facts`` column holds the values of
its object's own ``FilterField``s (``{"is_hidden": false, "channel_id": 3, "created_at":
"2026-…"}``), written with the document (:meth:`search.postgres.backend.Index.add_items`) and
filled by migration ``search.0007`` for documents already there.

A source's queryset ("what this user may see": ``Post.objects.visible()``, the pages a user may
read) is translated into a condition over these facts (:func:`condition`), the way the Whoosh
engine answers it with its filter terms (:mod:`search.whoosh.filters`): the ranked search then
filters, counts and facets the matching documents without joining each type's table. Each value
is cast back to its column's type (``(e.facts ->> 'created_at')::timestamptz``), so comparisons
are the database's own. Translated: ``exact``, ``in``, ``isnull``, ``lt``/``lte``/``gt``/``gte``,
``range``, ``startswith`` on the model's own columns, ``exact`` and ``in`` on its primary key
(the document's ``object_id``), and ``exact``/``in`` one relation deep on
the related filter values the document holds (``tags__slug``, ``user__is_active``). Anything
else - subqueries, expressions, other relations, parent-link filters - raises
:class:`Untranslatable` and the ranked search joins the queryset as before. A document without
facts (``NULL``: written before they existed) matches no translated condition, so a translation
can hide a document until it is written again, never show one the queryset excludes; the page's
objects are loaded through the queryset in any case.
"""

from __future__ import annotations

import json

from django.core.exceptions import FieldDoesNotExist, FieldError
from django.core.serializers.json import DjangoJSONEncoder
from modelsearch.backends.base import BaseSearchQueryCompiler, FilterError
from modelsearch.index import FilterField, RelatedFields
from modelsearch.query import MATCH_ALL

from search.indexing import filter_column

from .documents import related_filter_fields


class Untranslatable(Exception):
    """This filter is left to the database (the ranked search joins the queryset)."""


def fact_fields(model) -> list:
    """The model's own concrete ``FilterField``s as Django fields (``attname`` is the key)."""
    found, seen = [], set()
    for field in model.get_search_fields():
        django_field = filter_column(model, field) if isinstance(field, FilterField) else None
        if django_field is None:
            continue
        if django_field.attname not in seen:
            seen.add(django_field.attname)
            found.append(django_field)
    return found


def facts_of(obj, fields) -> str:
    """The ``facts`` of one object as JSON text (datetimes in ISO form with their offset)."""
    return json.dumps({field.attname: field.value_from_object(obj) for field in fields}, cls=DjangoJSONEncoder)


def _cast(field, connection) -> str:
    db_type = field.db_type(connection)  # a foreign key's is its target's (integer, bigint)
    if not db_type:
        raise Untranslatable(f"{field.attname} has no column type")
    return db_type


class _Condition:
    """A translated filter (wrapped: the base compiler drops falsy children)."""

    __slots__ = ("params", "sql")

    def __init__(self, sql: str, params: list):
        self.sql, self.params = sql, params


class _Translator(BaseSearchQueryCompiler):
    def __init__(self, queryset, connection, alias, oid):
        super().__init__(queryset, MATCH_ALL)
        self.connection, self.alias, self.oid = connection, alias, oid
        self.known = {field.attname for field in fact_fields(queryset.model)}
        self.related = {f"{relation}__{name}" for relation, name in related_filter_fields(queryset.model)}

    def _get_filters_from_where_node(self, where_node, check_only=False):
        target = getattr(getattr(where_node, "lhs", None), "target", None)
        if target is not None and target == self.queryset.model._meta.pk:
            # the object's own primary key (a child page's parent link too): the document's id
            return self._primary_key(where_node.lookup_name, where_node.rhs)
        if target is not None and target.attname.endswith("_ptr_id"):
            # modelsearch skips filters on parent links; leaving one out could show more.
            raise Untranslatable("filter on a parent link")
        return super()._get_filters_from_where_node(where_node, check_only=check_only)

    def _primary_key(self, lookup, value):
        field = self.queryset.model._meta.pk
        if lookup == "exact":
            prepared = self._value(field, value)
            return _Condition("FALSE", []) if prepared is None else _Condition(f"{self.oid} = %s", [prepared])
        if lookup == "in" and isinstance(value, (list, tuple, set, frozenset)):
            values = [v for v in (self._value(field, item) for item in value) if v is not None]
            return _Condition(f"{self.oid} = ANY(%s)", [values]) if values else _Condition("FALSE", [])
        raise Untranslatable(f"lookup {lookup} on the primary key")

    def _process_match_none(self):
        return _Condition("FALSE", [])

    def _connect_filters(self, filters, connector, negated):
        filters = [f for f in filters if f is not None]
        if not filters:
            if negated:
                raise Untranslatable("negated empty condition")
            return None
        joined = f" {connector} ".join(f"({f.sql})" for f in filters)
        params = [p for f in filters for p in f.params]
        return _Condition(f"NOT ({joined})" if negated else joined, params)

    def _value(self, field, value):
        if hasattr(value, "resolve_expression") or hasattr(value, "query"):
            raise Untranslatable("expression or subquery")
        if hasattr(value, "_meta") and hasattr(value, "pk"):
            value = value.pk
        if value is None:
            return None
        try:
            return field.get_db_prep_value(field.to_python(value), self.connection, prepared=False)
        except Exception as error:
            raise Untranslatable(str(error)) from error

    def _process_lookup(self, field_path, lookup, value):
        if len(field_path) == 2:
            return self._related(field_path, lookup, value)
        if len(field_path) != 1:
            raise Untranslatable("filter across a relation")
        try:
            field = field_path[0].get_field(self.queryset.model)
        except FieldDoesNotExist as error:
            raise Untranslatable("not a model field") from error
        if field.attname not in self.known:
            raise Untranslatable(f"{field.attname} is not a fact")
        raw = f"({self.alias}.facts ->> '{field.attname}')"
        column = f"{raw}::{_cast(field, self.connection)}"
        # COALESCE: a leaf is true or false, never NULL, so NOT (...) means what Django's
        # exclude() means for rows whose value is NULL.
        if lookup == "isnull":
            return _Condition(f"{raw} IS NULL" if value else f"{raw} IS NOT NULL", [])
        if lookup == "exact":
            prepared = self._value(field, value)
            if prepared is None:
                return _Condition(f"{raw} IS NULL", [])
            return _Condition(f"COALESCE({column} = %s, FALSE)", [prepared])
        if lookup == "in":
            if not isinstance(value, (list, tuple, set, frozenset)):
                raise Untranslatable("in with a non-list value")
            values = [self._value(field, v) for v in value]
            values = [v for v in values if v is not None]
            if not values:
                return _Condition("FALSE", [])
            return _Condition(f"COALESCE({column} = ANY(%s), FALSE)", [values])
        operators = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
        if lookup in operators:
            prepared = self._value(field, value)
            if prepared is None:
                raise Untranslatable("comparison with None")
            return _Condition(f"COALESCE({column} {operators[lookup]} %s, FALSE)", [prepared])
        if lookup == "range":
            low, high = (self._value(field, v) for v in value)
            if low is None or high is None:
                raise Untranslatable("range with None")
            return _Condition(f"COALESCE({column} BETWEEN %s AND %s, FALSE)", [low, high])
        if lookup == "startswith" and isinstance(value, str):
            return _Condition(f"COALESCE(starts_with({raw}, %s), FALSE)", [value])
        raise Untranslatable(f"lookup {lookup}")

    def _related(self, field_path, lookup, value):
        related, filter_field = field_path
        if not isinstance(related, RelatedFields):
            raise Untranslatable("filter across a relation")
        name = f"{related.field_name}__{filter_field.field_name}"
        if name not in self.related:
            raise Untranslatable("relation filter not in the documents")
        try:
            django_field = filter_field.get_field(related.get_field(self.queryset.model).related_model)
        except FieldDoesNotExist as error:
            raise Untranslatable("not a model field") from error
        values = value if lookup == "in" else [value]
        if lookup not in ("exact", "in") or not isinstance(values, (list, tuple, set, frozenset)):
            raise Untranslatable(f"lookup {lookup} across a relation")
        texts = []
        for item in values:
            if item is None or hasattr(item, "resolve_expression") or hasattr(item, "query"):
                raise Untranslatable("None, expression or subquery across a relation")
            if hasattr(item, "_meta") and hasattr(item, "pk"):
                item = item.pk
            try:
                texts.append(str(django_field.to_python(item)))  # as documents.related_values writes them
            except Exception as error:
                raise Untranslatable(str(error)) from error
        if not texts:
            return _Condition("FALSE", [])
        return _Condition(f"COALESCE(({self.alias}.related -> %s) ?| %s::text[], FALSE)", [name, texts])


def condition(queryset, connection, alias: str = "e", oid: str = "e.object_id") -> tuple[str, list]:
    """The queryset's filters as SQL over ``<alias>.facts``, ``<alias>.related`` and the object's
    id (the column ``oid``), or :class:`Untranslatable`."""
    translator = _Translator(queryset, connection, alias, oid)
    try:
        translated = translator._get_filters_from_queryset(check_only=False)
    except (FilterError, FieldError, AttributeError, KeyError) as error:  # no FilterField, an unknown lookup or node
        raise Untranslatable(str(error)) from error
    if translated is None:
        return f"{alias}.facts IS NOT NULL", []
    return f"{alias}.facts IS NOT NULL AND ({translated.sql})", translated.params
