"""One ranked search across every source, in one SQL query (the PostgreSQL engine).

Each source (``search.unified.Source``: a content type and the queryset of what the user may
see) becomes a condition of the same query over the index table::

    (content_type_id IN (<the type's content types>)
     AND object_id::bigint IN (SELECT id FROM <the type's table> WHERE <permission filters>))
    OR ...

so permissions sit inside the query, before ranking and counting: what a user may not see is
never ranked, counted, faceted or returned. The text condition is ``(title || body) @@ query``
(the GIN index of migration ``search.0002``); the score is ``ts_rank`` over our weights, times a
source's boost factors (fresh and stale pages); sorting by date reads each type's date columns.
Counts per type come from one grouped query, facets from one grouped query per facet field of a
type with matches, and the objects of the requested page from one query per type.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DateTimeField,
    F,
    FloatField,
    OuterRef,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce
from modelsearch.backends.database.postgres.postgres import IndexEntry
from modelsearch.query import PlainText
from modelsearch.utils import get_descendants_content_types_pks

from ..engine import Ranked
from .queries import NOTHING, QueryText, RawTsQuery

#: ts_rank weights of D, C, B, A (compound parts, minor fields, body, title).
WEIGHTS = [0.05, 0.2, 0.4, 1.0]
#: ts_rank normalisation: divide by 1 + log(document length), so a long text does not win by
#: repeating a word.
NORMALIZATION = 1
#: A match in the title counts this many times a match in the rest of the text (whose rank is
#: normalised by its length; the title's is not).
TITLE_FACTOR = 2.0


def _vector():
    return F("title")._combine(F("body"), "||", False)


def ranked(backend, q, sources, *, operator=None, sort="relevance", offset=0, limit=20, facets=True, coord=None):
    result = Ranked(paged=True, facets={} if facets else None)
    connection = connections[router.db_for_read(IndexEntry)]
    query = PlainText(q, operator=(operator or "and").lower()) if isinstance(q, str) else q
    words = QueryText(connection, fuzzy=backend.fuzzy_fallback)
    words.prepare(query)
    text = words.text(query)
    if not text or text == NOTHING or not sources:
        result.counts = {source.type: 0 for source in sources}
        return result
    tsquery = RawTsQuery(text)

    base = IndexEntry._default_manager.annotate(_oid=Cast("object_id", BigIntegerField()), _vector=_vector()).filter(
        _vector=tsquery
    )
    # One branch per source, joined by UNION ALL (not one OR of conditions): each branch is a
    # plain semi-join of the matches with the type's permission queryset, which PostgreSQL can
    # answer by probing the type's primary key for a few matches instead of reading every
    # visible post into a hash.
    branches = []
    for number, source in enumerate(sources):
        content_types = get_descendants_content_types_pks(source.queryset.model)
        allowed = source.queryset.order_by()
        if source.narrow is not None:
            allowed = allowed.filter(pk__in=source.narrow)
        branches.append(
            base.filter(content_type_id__in=content_types, _oid__in=allowed.values("pk")).annotate(_src=Value(number))
        )

    counts, found = _counts_and_facets(branches, sources, facets, connection)
    result.counts = {source.type: counts.get(number, 0) for number, source in enumerate(sources)}
    if facets:
        result.facets = found
    total = sum(result.counts.values())
    if total and limit > 0 and offset < total:
        result.hits = _page(branches, sources, tsquery, sort, offset, limit, coord, connection)
    return result


def _score(source, tsquery):
    score = Value(TITLE_FACTOR) * SearchRank(F("title"), tsquery, weights=WEIGHTS) + SearchRank(
        F("body"), tsquery, weights=WEIGHTS, normalization=Value(NORMALIZATION)
    )
    for kwargs, factor in source.boosts:
        boosted = source.queryset.model._default_manager.filter(**kwargs).order_by().values("pk")
        score = score * Case(
            When(_oid__in=boosted, then=Value(float(factor))), default=Value(1.0), output_field=FloatField()
        )
    return score


def _page(branches, sources, tsquery, sort, offset, limit, coord, connection):
    key = Value(0)
    order = "_score DESC, id DESC"
    coord_texts = []
    if sort != "date" and coord:
        words = QueryText(connection)
        words.prepare(PlainText(" ".join(coord), operator="or"))  # one vocabulary look-up for all
        for word in coord:
            text = words.text(PlainText(word))
            if text and text != NOTHING:
                coord_texts.append(text)
        if coord_texts:
            order = "_k DESC, _score DESC, id DESC"
    elif sort == "date":
        order = "_k DESC NULLS LAST, _score DESC, id DESC"
    statements, params = [], []
    for branch, source in zip(branches, sources, strict=True):
        if sort == "date":
            if source.date_fields:
                fields = [F(name) for name in source.date_fields]
                value = fields[0] if len(fields) == 1 else Coalesce(*fields)
                model = source.queryset.model
                dated = model._default_manager.filter(pk=OuterRef("_oid")).annotate(_d=value).values("_d")[:1]
                key = Subquery(dated, output_field=DateTimeField())
            else:
                key = Value(None, output_field=DateTimeField())
        elif coord_texts:
            matched = [Case(When(_vector=RawTsQuery(text), then=Value(1)), default=Value(0)) for text in coord_texts]
            key = matched[0]
            for expression in matched[1:]:
                key = key + expression
        rows = branch.annotate(_score=_score(source, tsquery), _k=key).values_list("_src", "_oid", "_score", "_k", "id")
        try:
            sql, branch_params = rows.query.sql_with_params()
        except EmptyResultSet:
            continue
        statements.append(f"({sql})")
        params.extend(branch_params)
    union = " UNION ALL ".join(statements)
    statement = f"SELECT _src, _oid, _score FROM ({union}) AS u ORDER BY {order} LIMIT %s OFFSET %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, limit, offset])
        rows = cursor.fetchall()
    wanted: dict[int, list] = {}
    for number, pk, _ in rows:
        wanted.setdefault(number, []).append(pk)
    loaded = {}
    for number, pks in wanted.items():
        if number < 0:
            continue
        for obj in sources[number].queryset.filter(pk__in=pks):
            loaded[(number, obj.pk)] = obj
    hits = []
    for number, pk, score in rows:
        obj = loaded.get((number, pk))
        if obj is not None:
            hits.append((sources[number].type, obj, float(score or 0.0)))
    return hits


def _counts_and_facets(branches, sources, facets, connection):
    """Counts per type and (with ``facets``) every facet of every type, in one statement: the
    matches (type, id) are found once (``WITH m AS MATERIALIZED``) and grouped by type and by each
    facet field (a type's own column, or its tags through their join)."""
    match_sqls, match_params = [], []
    for branch in branches:
        try:
            sql, branch_params = branch.order_by().values_list("_src", "_oid").query.sql_with_params()
        except EmptyResultSet:  # a source whose filters admit nothing ("pk IN ()")
            continue
        match_sqls.append(f"({sql})")
        match_params.extend(branch_params)
    if not match_sqls:
        return {}, {}
    match_sql = " UNION ALL ".join(match_sqls)
    parts = ["SELECT '' AS f, _src AS s, '' AS v, count(*) AS n FROM m GROUP BY _src"]
    params: list = []
    kinds = {}
    if facets:
        for number, source in enumerate(sources):
            for facet, field in source.facet_fields.items():
                grouped = (
                    source.queryset.model._default_manager.filter(
                        pk__in=RawSQL("SELECT _oid FROM m WHERE _src = %s", (number,))
                    )
                    .order_by()
                    .annotate(_v=Cast(F(field), TextField()))
                    .values("_v")
                    .annotate(_n=Count("pk"))
                    .values_list(Value(facet), Value(number), "_v", "_n")
                )
                sql, grouped_params = grouped.query.sql_with_params()
                parts.append(sql)
                params.extend(grouped_params)
                kinds[facet, number] = field
    statement = f"WITH m AS MATERIALIZED ({match_sql}) " + " UNION ALL ".join(f"({part})" for part in parts)
    counts: dict[int, int] = {}
    found: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(statement, [*match_params, *params])
        for facet, number, value, n in cursor.fetchall():
            if not facet:
                counts[int(number)] = n
            elif value is not None:
                field = kinds[facet, int(number)]
                key = int(value) if field.endswith("_id") else value
                found.setdefault(facet, {}).setdefault(sources[int(number)].type, {})[key] = n
    return counts, found
