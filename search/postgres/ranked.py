"""One ranked search across every source, in one SQL statement (the PostgreSQL engine).

It reads the engine's own narrow table ``search_document`` (:mod:`search.postgres.documents`),
not modelsearch's wide index table. Each source (``search.engine.Source``: a content type and the
queryset of what the user may see) is translated into conditions over the documents' permission
facts (:mod:`search.postgres.facts`: the objects' own FilterField values), so one pass over the
documents whose text matches (``(title || body) @@ query``, GIN index of migration
``search.0006``) gives each match the number of the first source that admits it, its rank
(``ts_rank`` of title and body over our weights, times the source's boost factors), its date and
its facet values - no join with the content tables::

    SELECT _src, _oid, _id, _rank * <boost of _src> AS _score, <date>, <facet columns of _src>
    FROM (SELECT CASE WHEN <type 0> AND <facts admit it> THEN 0 WHEN ... END AS _src, ...
          FROM search_document e WHERE (title || body) @@ query) e WHERE _src IS NOT NULL

so permissions sit inside the query, before ranking and counting: what a user may not see is
never ranked, counted, faceted or returned. Where two sources search the same content type, or
a source's queryset does not translate (a subquery, a filter across a relation), the statement
takes the earlier form: the matches read once (``d``), one branch per source filtering them by
facts, or joined with its permission queryset where it does not translate. The matches are kept
(``WITH m AS MATERIALIZED``) and the same statement answers the counts and every facet over a
column in one grouping-sets pass, the tags from the documents' stored related values, and the
requested page (``ORDER BY`` score, date or the number of words matched, ``LIMIT``/``OFFSET``).
Then one query per type loads the page's objects (through the source's queryset).

Every match is ranked (exact top-k with our own scoring) unless there are more than
``SEARCH_EXACT_COUNT_LIMIT`` that the user may see and the RUM index is there: then only the best
``SEARCH_RANK_CANDIDATES`` in the index's order (its ``ts_rank``) are read and ranked with our
scoring, and the counts and facets are those of the candidates (``Ranked.exact`` False). Reading
and ranking the 24k matches of a frequent word was most of the statement's time at 100k, and
counting 225k matches alone took 525 ms at 1M (docs/performance.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Case, Count, DateTimeField, F, FloatField, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce
from modelsearch.backends.database.postgres.postgres import IndexEntry
from modelsearch.query import PlainText
from modelsearch.utils import get_descendants_content_types_pks

from ..engine import Ranked
from . import facts
from .documents import RANK_INDEXES_PRESENT, TABLE, related_filter_fields
from .facts import Untranslatable
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
    counts, found, rows, result.exact = statement.run(
        offset, limit, bound=settings.SEARCH_EXACT_COUNT_LIMIT or None, candidates=settings.SEARCH_RANK_CANDIDATES
    )
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


@dataclass
class _FactsSpec:
    """A source translated into conditions and values over a document's facts (alias ``e``)."""

    condition: str
    condition_params: list
    boost: str
    boost_params: list
    date: str
    columns: list  # facet columns, in the order of m's _f0, _f1 ...
    facets: dict  # (facet, source number) -> (field, column of m)
    related: bool  # a facet counts the document's related values (tags)
    content_types: list


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
        """One branch of ``m`` over the shared matches ``d``: by facts, or joining the queryset."""
        try:
            spec = self._facts_spec(number, source, oid="e._oid")
        except Untranslatable:  # the permission queryset is joined instead
            return self._joined_branch(number, source)
        self.facet_columns.update(spec.facets)
        self.content_types.extend(spec.content_types)
        facet_sql = "".join(
            f", {spec.columns[i]} AS _f{i}" if i < len(spec.columns) else f", NULL::text AS _f{i}"
            for i in range(self.width)
        )
        facet_sql += ", e.related AS _rel" if spec.related else ", NULL::jsonb AS _rel"
        key = spec.date if self.sort == "date" else "e._words"
        sql = (
            f"SELECT {number} AS _src, e._oid, e.id AS _id, e._rank * ({spec.boost}) AS _score, {key} AS _k{facet_sql} "  # noqa: S608
            f"FROM d e WHERE e.content_type_id = ANY(%s) AND {spec.condition}"
        )
        return sql, [*spec.boost_params, spec.content_types, *spec.condition_params]

    def _facts_spec(self, number, source, *, oid: str) -> _FactsSpec:
        """The type's permission queryset, narrowing, boosts, dates and facet columns as
        conditions and values over a document's facts (:mod:`search.postgres.facts`), or
        :class:`Untranslatable`."""
        model = source.queryset.model
        condition, condition_params = facts.condition(source.queryset.order_by(), self.connection, "e", oid)
        if source.narrow is not None:
            sql, narrow_params = _sql(source.narrow)
            condition += f" AND {oid} IN ({sql})"
            condition_params = [*condition_params, *narrow_params]
        known = {field.attname for field in facts.fact_fields(model)}
        boost, boost_params = "1.0::float8", []
        for kwargs, factor in source.boosts:
            when, when_params = facts.condition(model._base_manager.filter(**kwargs), self.connection, "e", oid)
            boost += f" * CASE WHEN {when} THEN {float(factor)}::float8 ELSE 1.0 END"
            boost_params.extend(when_params)
        date = "NULL::timestamptz"
        if self.sort == "date":
            if any(name not in known for name in source.date_fields):
                raise Untranslatable("a date field is not a fact")
            dates = [f"(e.facts ->> '{name}')::timestamptz" for name in source.date_fields]
            if dates:
                date = f"COALESCE({', '.join(dates)})" if len(dates) > 1 else dates[0]
        columns, found, related = [], {}, False
        for facet, field in source.facet_fields.items() if self.facets else ():
            if "__" in field:  # a related field (tags): from the document's related values, or a join
                kept = tuple(field.split("__", 1)) in related_filter_fields(model)
                found[facet, number] = (field, "_rel" if kept else None)
                related = related or kept
                continue
            if field not in known:
                raise Untranslatable(f"facet {field} is not a fact")
            found[facet, number] = (field, f"_f{len(columns)}")
            columns.append(f"e.facts ->> '{field}'")
        return _FactsSpec(
            condition, condition_params, boost, boost_params, date, columns, found, related,
            list(get_descendants_content_types_pks(model)),
        )  # fmt: skip

    def _joined_branch(self, number, source) -> tuple[str, list] | None:
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
        facet_sql = "".join(f", a._f{i}" if i < column else f", NULL::text AS _f{i}" for i in range(self.width))
        facet_sql += ", e.related AS _rel" if related else ", NULL::jsonb AS _rel"
        self.content_types.extend(content_types)
        params = [number, *allowed_params, content_types]
        sql = (
            f"SELECT %s AS _src, e._oid, e.id AS _id, e._rank * a._boost AS _score, {key} AS _k{facet_sql} "  # noqa: S608
            f"FROM d e JOIN ({allowed_sql}) a ON a._pk = e._oid WHERE e.content_type_id = ANY(%s)"
        )
        return sql, params

    def _rank_sql(self) -> tuple[str, list]:
        """The rank of a document (columns ``title``, ``body``) and the number of the query's
        words it has (an "or" search orders by it first)."""
        rank = (
            f"{TITLE_FACTOR} * ts_rank({_WEIGHTS_SQL}, title, %s::tsquery)"
            f" + ts_rank({_WEIGHTS_SQL}, body, %s::tsquery, {NORMALIZATION})"
        )
        params: list = [self.text, self.text]
        if self.coord_texts:
            words = " + ".join("((title || body) @@ %s::tsquery)::int" for _ in self.coord_texts)
            params.extend(self.coord_texts)
        else:
            words = "0"
        return f"{rank} AS _rank, {words} AS _words", params

    def _single_pass(self):
        """``m`` in one pass over the matching documents when every source's queryset translates
        into facts and no two sources search the same content type: each document gets the
        number of the source that admits it (or none),
        then its score, sort key and facet values. No join, no second scan of the matches.

        Returns None or ``build(candidates=None) -> (sql, params)``, so the sources are translated
        once for either statement. ``candidates``: only the best that many matches by the RUM
        index's distance (``<=>``, its ``ts_rank``) over the whole text, and as many by the title
        alone, are read, then admitted, scored and counted as all matches are otherwise.
        Also sets ``self.admit`` (the condition that some source admits a document, over ``e``)."""
        specs = []
        for number, source in enumerate(self.sources):
            try:
                specs.append((number, self._facts_spec(number, source, oid="e.object_id")))
            except Untranslatable:
                return None
        seen: set[int] = set()
        for _, spec in specs:
            if seen & set(spec.content_types):
                # a document two sources may both admit (a process page is also a page) counts for
                # each: the branches below give it one row per source
                return None
            seen.update(spec.content_types)
        for _, spec in specs:
            self.facet_columns.update(spec.facets)
        when = " ".join(
            f"WHEN e.content_type_id = ANY(%s) AND {spec.condition} THEN {number}" for number, spec in specs
        )
        when_params = [p for _, spec in specs for p in (spec.content_types, *spec.condition_params)]
        content_types = sorted({pk for _, spec in specs for pk in spec.content_types})
        self.admit = (f"(CASE {when} END) IS NOT NULL", when_params, content_types)
        boost = " ".join(f"WHEN {number} THEN {spec.boost}" for number, spec in specs)
        boost_params = [p for _, spec in specs for p in spec.boost_params]
        if self.sort == "date":
            key = "CASE e._src " + " ".join(f"WHEN {number} THEN {spec.date}" for number, spec in specs) + " END"
        else:
            key = "e._words"
        columns = []
        for i in range(self.width):
            cases = " ".join(f"WHEN {number} THEN {spec.columns[i]}" for number, spec in specs if i < len(spec.columns))
            columns.append(f"CASE e._src {cases} END AS _f{i}" if cases else f"NULL::text AS _f{i}")
        related = [str(number) for number, spec in specs if spec.related]
        columns.append(
            f"CASE WHEN e._src IN ({', '.join(related)}) THEN e.related END AS _rel"
            if related
            else "NULL::jsonb AS _rel"
        )
        rank, rank_params = self._rank_sql()

        def build(candidates: int | None = None) -> tuple[str, list]:
            if candidates is None:
                matches = f"{TABLE} e WHERE content_type_id = ANY(%s) AND (title || body) @@ %s::tsquery OFFSET 0"
                match_params = [content_types, self.text]
            else:
                # the best by the whole text, and the best titles (a title counts twice here)
                matches = (
                    f"{TABLE} e WHERE entry_id IN ("  # noqa: S608
                    f"(SELECT entry_id FROM {TABLE} WHERE content_type_id = ANY(%s) AND (title || body) @@ %s::tsquery "
                    "ORDER BY (title || body) <=> %s::tsquery LIMIT %s) UNION "
                    f"(SELECT entry_id FROM {TABLE} WHERE content_type_id = ANY(%s) AND title @@ %s::tsquery "
                    "ORDER BY title <=> %s::tsquery LIMIT %s))"
                )
                match_params = [content_types, self.text, self.text, candidates] * 2
            sql = (
                f"SELECT e._src, e.object_id AS _oid, e.entry_id AS _id, e._rank * CASE e._src {boost} ELSE 1.0 END AS _score, "  # noqa: S608
                f"{key} AS _k, {', '.join(columns)} FROM ("
                f"SELECT *, {rank} FROM (SELECT CASE {when} END AS _src, entry_id, object_id, title, body, facts, related "
                f"FROM {matches}) e WHERE _src IS NOT NULL) e"
            )
            return f"WITH m AS MATERIALIZED ({sql}) ", [*boost_params, *rank_params, *when_params, *match_params]

        return build

    def _estimated_matches(self) -> float:
        """The planner's estimate of the matches (from the text index's statistics; no row is
        read): within a third of the true number on the 100k bench site."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {TABLE} WHERE content_type_id = ANY(%s) "  # noqa: S608
                "AND (title || body) @@ %s::tsquery",
                [self.admit[2], self.text],
            )
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return float(plan[0]["Plan"]["Plan Rows"])

    def _admitted_beyond(self, bound: int) -> bool:
        """Whether more than ``bound`` matches are admitted by some source (reads at most
        ``bound + 1`` of them), and the RUM index is there to take the best without ranking all."""
        condition, params, content_types = self.admit
        indexes, index_params = RANK_INDEXES_PRESENT
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {indexes} AND (SELECT count(*) FROM (SELECT 1 FROM {TABLE} e "  # noqa: S608
                f"WHERE content_type_id = ANY(%s) AND (title || body) @@ %s::tsquery AND {condition} LIMIT %s) x) > %s",
                [*index_params, content_types, self.text, *params, bound + 1, bound],
            )
            return cursor.fetchone()[0]

    def run(self, offset, limit, bound=None, candidates=0):
        """(counts, facets, rows, exact). ``bound``: when more than that many matches are
        admitted and the RUM index is there, only the best ``candidates`` (at least the page) are
        ranked, counted and faceted, and ``exact`` is False (a relevance search of translatable
        sources only; otherwise every match is)."""
        self.content_types: list[int] = []
        single = self._single_pass() if self.sources else None
        if (
            single is not None
            and bound is not None
            and self.sort != "date"
            # counting up to the bound reads that many rows: only where there may be so many
            and self._estimated_matches() > bound / 2
            and self._admitted_beyond(bound)
        ):
            wanted = max(candidates, offset + limit)
            counts, found, rows = self._execute(single(candidates=wanted), offset, limit)
            if sum(counts.values()) >= offset + limit:
                return counts, found, rows, False
            # the permissions left fewer of the best than the page needs: rank every match
        return (*self._execute(single() if single is not None else None, offset, limit), True)

    def _execute(self, single, offset, limit):
        if single is not None:
            with_sql, params = single
        else:
            self.facet_columns = {}
            branches, params = [], []
            for number, source in enumerate(self.sources):
                branch = self._branch(number, source)
                if branch is not None:
                    branches.append(f"({branch[0]})")
                    params.extend(branch[1])
            if not branches:
                return {}, {}, []
            rank, rank_params = self._rank_sql()
            matching = (
                f"SELECT entry_id AS id, content_type_id, object_id AS _oid, {rank}, related, facts "  # noqa: S608
                f"FROM {TABLE} WHERE content_type_id = ANY(%s) AND (title || body) @@ %s::tsquery"
            )
            with_sql = f"WITH d AS MATERIALIZED ({matching}), m AS MATERIALIZED ({' UNION ALL '.join(branches)}) "
            params = [*rank_params, self.content_types, self.text, *params]
        # Every part answers (kind, source, value, n, score): kind '' counts, a facet's name its
        # values, '#' the page's rows (value: the object's id, in page order by n).
        # Counts and every facet over a column of m in one pass (grouping sets; kind '' counts,
        # '_f<i>' the values of column _f<i>, whose facet depends on the source), in the C
        # collation (sorting 21k channel ids as German text was 12-17 ms).
        used = sorted({column for column in (c for _, c in self.facet_columns.values()) if column and column != "_rel"})
        if used:
            grouping = f"GROUPING({', '.join(used)})"
            kinds = " ".join(
                f"WHEN {(1 << len(used)) - 1 - (1 << (len(used) - 1 - i))} THEN '{column}'"
                for i, column in enumerate(used)
            )
            values = " ".join(
                f'WHEN {(1 << len(used)) - 1 - (1 << (len(used) - 1 - i))} THEN {column} COLLATE "C"'
                for i, column in enumerate(used)
            )
            sets = ", ".join(["(_src)", *(f"(_src, {column})" for column in used)])
            parts = [
                f"SELECT CASE {grouping} WHEN {(1 << len(used)) - 1} THEN '' {kinds} END AS kind, _src AS s, "  # noqa: S608
                f"CASE {grouping} {values} END AS v, count(*) AS n, NULL::float8 AS score FROM m "
                f"GROUP BY GROUPING SETS ({sets})"
            ]
        else:
            parts = [
                "SELECT '' AS kind, _src AS s, NULL::text AS v, count(*) AS n, NULL::float8 AS score FROM m GROUP BY _src"
            ]
        part_params: list = []
        for (facet, number), (field, column) in self.facet_columns.items():
            if column == "_rel":
                # grouped by the documents' related values first: many share the same tags, and
                # most have none (sorting the 21k empty lists of a frequent word was 8-10 ms)
                parts.append(
                    'SELECT %s, %s, x, sum(g.n)::bigint, NULL::float8 FROM (SELECT (_rel ->> %s) COLLATE "C" AS r, '
                    "count(*) AS n FROM m WHERE _src = %s AND _rel -> %s <> '[]'::jsonb GROUP BY 1) AS g, "
                    "jsonb_array_elements_text(g.r::jsonb) AS x GROUP BY x"
                )
                part_params.extend([facet, number, field, number, field])
                continue
            if column is not None:
                continue  # in the grouping sets above
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
        statement = with_sql + " UNION ALL ".join(f"({part})" for part in parts)
        counts: dict[int, int] = {}
        found: dict = {}
        rows: list[tuple[int, int, int, float]] = []
        columns = {(column, number): facet for (facet, number), (_, column) in self.facet_columns.items()}
        with self.connection.cursor() as cursor:
            cursor.execute(statement, [*params, *part_params])
            for kind, number, value, n, score in cursor.fetchall():
                number = int(number)
                if kind == "":
                    counts[number] = n
                elif kind.startswith("_f"):
                    facet = columns.get((kind, number))
                    if facet is not None and value is not None:
                        field = self.facet_columns[facet, number][0]
                        key = int(value) if field.endswith("_id") else value
                        found.setdefault(facet, {}).setdefault(self.sources[number].type, {})[key] = n
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
