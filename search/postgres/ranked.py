"""One ranked search across every source, in one SQL statement (the PostgreSQL engine).

It reads the engine's own narrow table ``search_document`` (:mod:`search.postgres.documents`),
not modelsearch's wide index table. Each source (``search.engine.Source``: a content type and the
queryset of what the user may see) becomes one branch of ``UNION ALL``: the documents of the
type whose text matches (``(title || body) @@ query``, GIN index of migration ``search.0006``),
ranked where they are read, **joined** with the type's permission queryset, which brings the
boost factor, the date and the facet columns of the type's own table::

    SELECT <n>, e._oid, e._rank * a._boost, a._date, a._f0 ..., e.related
    FROM (<matching documents of the type, ranked>) e JOIN (<what the user may see>) a ON a._pk = e._oid

so permissions sit inside the query, before ranking and counting: what a user may not see is
never ranked, counted, faceted or returned. The matches are found once
(``WITH m AS MATERIALIZED``) and the same statement answers the counts per type, every facet
over all matches (a column of the type's table; tags from the document's stored related values,
any other related field through its join) and the requested page (``ORDER BY`` score, date or
the number of words matched, ``LIMIT``/``OFFSET``). The score is ``ts_rank`` of title and body
over our weights, times a source's boost factors (fresh and stale pages). Then one query per
type loads the page's objects.

Every match is ranked (exact top-k with our own scoring). A RUM index ordering by its own
distance was measured at 100k (docs/performance.md): it would save part of the ranking, but
not the reading, joining and counting of every permitted match that exact counts and facets
need, and would rank by another formula.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Case, Count, DateTimeField, F, FloatField, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce
from modelsearch.backends.database.postgres.postgres import IndexEntry
from modelsearch.query import PlainText
from modelsearch.utils import get_descendants_content_types_pks

from ..engine import Ranked
from .documents import TABLE, related_filter_fields
from .queries import NOTHING, QueryText

#: ts_rank weights of D, C, B, A (compound parts, minor fields, body, title).
WEIGHTS = [0.05, 0.2, 0.4, 1.0]
#: ts_rank normalisation: divide by 1 + log(document length), so a long text does not win by
#: repeating a word.
NORMALIZATION = 1
#: A match in the title counts this many times a match in the rest of the text (whose rank is
#: normalised by its length; the title's is not).
TITLE_FACTOR = 2.0

_WEIGHTS_SQL = "'{" + ",".join(str(weight) for weight in WEIGHTS) + "}'::float4[]"


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
    coord_texts = _coord_texts(connection, coord) if sort != "date" and coord else []
    statement = _Statement(sources, text, sort, coord_texts, facets, connection)
    counts, found, rows = statement.run(offset, limit)
    result.counts = {source.type: counts.get(number, 0) for number, source in enumerate(sources)}
    if facets:
        result.facets = found
    if rows:
        result.hits = _load(sources, rows)
    return result


def _coord_texts(connection, coord) -> list[str]:
    words = QueryText(connection)
    words.prepare(PlainText(" ".join(coord), operator="or"))  # one vocabulary look-up for all
    texts = []
    for word in coord:
        text = words.text(PlainText(word))
        if text and text != NOTHING:
            texts.append(text)
    return texts


def _sql(queryset) -> tuple[str, list]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


class _Statement:
    """The one statement of a search: matches (``m``), counts, facets and the page."""

    def __init__(self, sources, text, sort, coord_texts, facets, connection):
        self.sources = sources
        self.text = text
        self.sort = sort
        self.coord_texts = coord_texts
        self.facets = facets
        self.connection = connection
        #: (facet, source number) -> (field, column of m or None for a joined field)
        self.facet_columns: dict[tuple[str, int], tuple[str, str | None]] = {}
        self.width = max(
            [sum("__" not in field for field in source.facet_fields.values()) for source in sources] or [0]
        )

    def _branch(self, number, source) -> tuple[str, list] | None:
        model = source.queryset.model
        allowed = source.queryset.order_by()
        if source.narrow is not None:
            allowed = allowed.filter(pk__in=source.narrow)
        annotations = {"_pk": F("pk")}
        boost = Value(1.0, output_field=FloatField())
        for kwargs, factor in source.boosts:
            boost = boost * Case(
                When(**kwargs, then=Value(float(factor))), default=Value(1.0), output_field=FloatField()
            )
        annotations["_boost"] = boost
        if self.sort == "date":  # one type in every branch (a type without dates: NULL, sorted last)
            fields = [F(name) for name in source.date_fields]
            value = (fields[0] if len(fields) == 1 else Coalesce(*fields)) if fields else Value(None)
            annotations["_date"] = Cast(value, DateTimeField())
        column = 0
        related = False
        for facet, field in source.facet_fields.items() if self.facets else ():
            if "__" in field:  # a related field (tags): from the document's related values, or a join
                kept = tuple(field.split("__", 1)) in related_filter_fields(model)
                self.facet_columns[facet, number] = (field, "_rel" if kept else None)
                related = related or kept
                continue
            annotations[f"_f{column}"] = Cast(F(field), TextField())
            self.facet_columns[facet, number] = (field, f"_f{column}")
            column += 1
        try:
            allowed_sql, allowed_params = _sql(allowed.annotate(**annotations).values(*annotations))
        except EmptyResultSet:  # a source whose filters admit nothing ("pk IN ()")
            return None
        content_types = list(get_descendants_content_types_pks(model))
        key = {"date": "a._date"}.get(self.sort, "e._words")
        facet_sql = "".join(f", a._f{i}" if i < column else ", NULL::text" for i in range(self.width))
        facet_sql += ", e.related AS _rel" if related else ", NULL::jsonb AS _rel"
        self.content_types.extend(content_types)
        params = [number, *allowed_params, content_types]
        sql = (
            f"SELECT %s AS _src, e._oid, e.id AS _id, e._rank * a._boost AS _score, {key} AS _k{facet_sql} "  # noqa: S608
            f"FROM d e JOIN ({allowed_sql}) a ON a._pk = e._oid WHERE e.content_type_id = ANY(%s)"
        )
        return sql, params

    def run(self, offset, limit):
        branches, params = [], []
        self.content_types: list[int] = []
        for number, source in enumerate(self.sources):
            branch = self._branch(number, source)
            if branch is not None:
                branches.append(f"({branch[0]})")
                params.extend(branch[1])
        if not branches:
            return {}, {}, []
        # Every part answers (kind, source, value, n, score): kind '' counts, a facet's name its
        # values, '#' the page's rows (value: the object's id, in page order by n).
        parts = [
            "SELECT '' AS kind, _src AS s, NULL::text AS v, count(*) AS n, NULL::float8 AS score FROM m GROUP BY _src"
        ]
        part_params: list = []
        for (facet, number), (field, column) in self.facet_columns.items():
            if column == "_rel":
                parts.append(
                    "SELECT %s, %s, x, count(*), NULL::float8 FROM m, jsonb_array_elements_text(m._rel -> %s) AS x "
                    "WHERE _src = %s GROUP BY x"
                )
                part_params.extend([facet, number, field, number])
                continue
            if column is not None:
                parts.append(
                    f'SELECT %s, %s, {column} COLLATE "C", count(*), NULL::float8 FROM m WHERE _src = %s GROUP BY 3'  # noqa: S608
                )
                part_params.extend([facet, number, number])
                continue
            model = self.sources[number].queryset.model
            grouped = (
                model._default_manager.filter(pk__in=RawSQL("SELECT _oid FROM m WHERE _src = %s", (number,)))
                .order_by()
                .annotate(_v=Cast(F(field), TextField()))
                .values("_v")
                .annotate(_n=Count("pk"))
                .values_list(Value(facet), Value(number), "_v", "_n", Value(None, output_field=FloatField()))
            )
            sql, grouped_params = _sql(grouped)
            parts.append(sql)
            part_params.extend(grouped_params)
        order = {
            "date": "_k DESC NULLS LAST, _score DESC, _id DESC",
        }.get(self.sort, "_k DESC, _score DESC, _id DESC" if self.coord_texts else "_score DESC, _id DESC")
        parts.append(
            f"SELECT '#', _src, _oid::text, row_number() OVER (ORDER BY {order}), _score FROM "  # noqa: S608
            f"(SELECT _src, _oid, _id, _score, _k FROM m ORDER BY {order} LIMIT %s OFFSET %s) AS page"
        )
        part_params.extend([limit, offset])
        # The matching documents of every type, read and ranked once (the words an "or" search
        # orders by too), so only numbers go on through the joins with the permission querysets.
        rank = (
            f"{TITLE_FACTOR} * ts_rank({_WEIGHTS_SQL}, title, %s::tsquery)"
            f" + ts_rank({_WEIGHTS_SQL}, body, %s::tsquery, {NORMALIZATION})"
        )
        found_params: list = [self.text, self.text]
        if self.coord_texts:
            words = " + ".join("((title || body) @@ %s::tsquery)::int" for _ in self.coord_texts)
            found_params.extend(self.coord_texts)
        else:
            words = "0"
        found_params.extend([self.content_types, self.text])
        matching = (
            f"SELECT entry_id AS id, content_type_id, object_id AS _oid, {rank} AS _rank, {words} AS _words, "  # noqa: S608
            f"related FROM {TABLE} WHERE content_type_id = ANY(%s) AND (title || body) @@ %s::tsquery"
        )
        params = [*found_params, *params]
        statement = (
            f"WITH d AS MATERIALIZED ({matching}), m AS MATERIALIZED ({' UNION ALL '.join(branches)}) "
            + " UNION ALL ".join(f"({part})" for part in parts)
        )
        counts: dict[int, int] = {}
        found: dict = {}
        rows: list[tuple[int, int, int, float]] = []
        with self.connection.cursor() as cursor:
            cursor.execute(statement, [*params, *part_params])
            for kind, number, value, n, score in cursor.fetchall():
                number = int(number)
                if kind == "":
                    counts[number] = n
                elif kind == "#":
                    rows.append((n, number, int(value), float(score or 0.0)))
                elif value is not None:
                    field = self.facet_columns[kind, number][0]
                    key = int(value) if field.endswith("_id") else value
                    found.setdefault(kind, {}).setdefault(self.sources[number].type, {})[key] = n
        rows.sort()
        return counts, found, [(number, pk, score) for _, number, pk, score in rows]


def _load(sources, rows):
    wanted: dict[int, list] = {}
    for number, pk, _ in rows:
        wanted.setdefault(number, []).append(pk)
    loaded = {}
    for number, pks in wanted.items():
        for obj in sources[number].queryset.filter(pk__in=pks):
            loaded[(number, obj.pk)] = obj
    hits = []
    for number, pk, score in rows:
        obj = loaded.get((number, pk))
        if obj is not None:
            hits.append((sources[number].type, obj, score))
    return hits
