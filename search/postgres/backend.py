"""The scaled shape's search engine: PostgreSQL full text with our German analysis
(``SEARCH_BACKEND=postgres``; ``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search.postgres"``).

It keeps modelsearch's PostgreSQL backend for what Wagtail needs of any backend (the table
``wagtailsearch_indexentry``, one row per object, indexing through signals and tasks, per-model
``search()``/``autocomplete()`` for the admin, filters and facets of a queryset), and replaces the
language:

* **Stored lexemes are ours.** Each row's ``title``/``body`` vectors hold the lexemes of
  :mod:`search.postgres.lexemes` (German analysis, compound parts) cast from literals, and
  ``autocomplete`` the folded words; queries are analysed the same way and cast to ``tsquery``.
  No text search configuration is used, so the server's ``default_text_search_config``
  (``english`` on a stock PostgreSQL) changes nothing.
* **Typos and "Meinten Sie"** come from PostgreSQL: :mod:`search.postgres.vocabulary` keeps every
  indexed word in a table with a ``pg_trgm`` index; a query word the index does not know also
  looks for the known words within :mod:`search.typos`' distance.
* **One ranked search across all types** (:meth:`PostgresSearchBackend.ranked`,
  :mod:`search.postgres.ranked`): one SQL statement over the engine's narrow table
  (:mod:`search.postgres.documents`, written next to modelsearch's entries, with each object's
  permission facts: :mod:`search.postgres.facts`), each source's permission queryset translated
  into conditions over the facts (joined where it does not translate), counts, facets and the
  requested page.

Writes go to the database in the transaction of the change, so every app server sees them at
once (no per-process index).
"""

from __future__ import annotations

import logging

from django.contrib.postgres.search import SearchVectorField
from django.db import NotSupportedError
from django.db.models import FloatField, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Cast
from django.db.models.sql.subqueries import InsertQuery
from django.utils.functional import cached_property
from modelsearch.backends.database.postgres import postgres as pg
from modelsearch.index import SearchField
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText
from modelsearch.utils import get_content_type_pk

from ..analysis import autocomplete_query_terms
from ..indexing import prefetch_tags
from . import documents, facts, lexemes, vocabulary
from .queries import EVERYTHING, NOTHING, QueryText, RawTsQuery

logger = logging.getLogger(__name__)


def tsvector(literal: str) -> Expression:
    return Cast(Value(literal), SearchVectorField())


class ObjectIndexer(pg.ObjectIndexer):
    """modelsearch's indexer with our lexemes instead of ``to_tsvector(config, text)``."""

    def as_vector(self, texts, for_autocomplete=False):
        texts = [(text.strip(), weight) for text, weight in texts]
        texts = [(text, weight) for text, weight in texts if text]
        if for_autocomplete:
            return tsvector(lexemes.autocomplete_literal(texts))
        return tsvector(lexemes.tsvector_literal(texts))

    def _texts(self, in_title: bool) -> list[tuple[str, str]]:
        texts = []
        for field in self.search_fields:
            for current, _weight, value in self.prepare_field(self.obj, field):
                if not isinstance(current, SearchField) or (current.field_name == "title") != in_title:
                    continue
                weight = "A" if in_title else ("B" if (current.boost or 1) >= 1 else "C")
                texts.append((value, weight))
        return texts

    @cached_property
    def title(self):
        """The title's lexemes, weight A."""
        return self.as_vector(self._texts(True))

    @cached_property
    def body(self):
        """The other fields' lexemes: weight B, C for fields boosted below 1."""
        return self.as_vector(self._texts(False))

    def words(self) -> set[str]:
        """Every word of the object's searchable text, for the vocabulary."""
        found: set[str] = set()
        for field in self.search_fields:
            for current, _weight, value in self.prepare_field(self.obj, field):
                if isinstance(current, SearchField) and value:
                    found.update(lexemes.words(value))
        return found


class Index(pg.PostgresIndex):
    def _refresh_title_norms(self, full=False):
        """Not used: our ranking weights the title through its lexemes' weight (A), and
        modelsearch's refresh reads every row of the table after each write."""

    def add_items(self, model, objs):
        search_fields = model.get_search_fields()
        objs = list(objs)
        if not search_fields or not objs:
            return
        prefetch_tags(model, objs)
        indexers = [ObjectIndexer(obj, self.backend) for obj in objs]
        content_type_pk = get_content_type_pk(model)
        compiler = InsertQuery(pg.IndexEntry).get_compiler(connection=self.write_connection)
        data_sql, data_params = [], []
        words: set[str] = set()
        for indexer in indexers:
            values = []
            value_params = []
            for name in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(pg.IndexEntry._meta.get_field(name), getattr(indexer, name))
                sql, params = value.as_sql(compiler, self.write_connection)
                values.append(sql)
                value_params.extend(params)
            data_sql.append(f"(%s, %s, {values[0]}, {values[1]}, {values[2]}, 1.0, %s, %s)")
            # title_text/body_text (modelsearch's plain text for its trigram fuzzy search) stay
            # empty: our typo search uses the vocabulary, and the rows stay narrow to scan.
            data_params.extend((content_type_pk, indexer.id, *value_params, "", ""))
            words |= indexer.words()
        table = pg.IndexEntry._meta.db_table
        # An unchanged row is not written again: an UPDATE leaves a dead copy behind, and a full
        # rebuild that rewrote every row doubled the tables (documents.write).
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {table}
                    (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
                VALUES {", ".join(data_sql)}
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title, autocomplete = EXCLUDED.autocomplete,
                              body = EXCLUDED.body, title_text = EXCLUDED.title_text,
                              body_text = EXCLUDED.body_text
                WHERE ({table}.title, {table}.autocomplete, {table}.body, {table}.title_text, {table}.body_text)
                    IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.autocomplete, EXCLUDED.body,
                                      EXCLUDED.title_text, EXCLUDED.body_text)
                """,  # noqa: S608 — the model's table name and our own placeholders
                data_params,
            )
        related = documents.related_filter_fields(model)
        fields = facts.fact_fields(model)
        documents.write(
            self.write_connection,
            content_type_pk,
            [
                (indexer.id, documents.related_values(indexer.obj, related), facts.facts_of(indexer.obj, fields))
                for indexer in indexers
            ],
        )
        vocabulary.add(self.write_connection, words)

    def reset(self):
        super().reset()
        vocabulary.reset(self.write_connection)


class Rebuilder(pg.PostgresSearchRebuilder):
    def finish(self):
        _analyze(self.index)


class AtomicRebuilder(pg.PostgresSearchAtomicRebuilder):
    def finish(self):
        _analyze(self.index)
        self.transaction.__exit__(None, None, None)
        self.transaction_opened = False


def _analyze(index):
    """Fresh planner statistics after a rebuild (with those of an empty table the planner chose
    nested loops over the whole table), and the RUM index if the ``rum`` extension has come since
    the migration (``search.W001`` says why not otherwise)."""
    problem = documents.create_rank_index(index.write_connection)
    if problem:
        logger.warning("%s", problem)
    with index.write_connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {pg.IndexEntry._meta.db_table}")
        cursor.execute(f"ANALYZE {vocabulary.TABLE}")
        cursor.execute(f"ANALYZE {documents.TABLE}")


# --- queries ------------------------------------------------------------------------------------


class GermanQueryCompiler(pg.PostgresSearchQueryCompiler):
    def _texts(self) -> QueryText:
        text = getattr(self, "_query_text", None)
        if text is None:
            text = self._query_text = QueryText(_connection(self.queryset))
            text.prepare(self.query)
        return text

    def build_tsquery(self, query, config=None):
        text = self._texts().text(query)
        return RawTsQuery("" if text in (EVERYTHING, NOTHING) else text)

    def build_tsrank(self, vector, query, config=None, boost=1.0):
        if isinstance(query, MatchAll) or (isinstance(query, Not) and isinstance(query.subquery, MatchAll)):
            return Value(0.0, output_field=FloatField())
        return super().build_tsrank(vector, query, config=config, boost=boost)

    def build_tsquery_content(self, query, config=None, invert=False):
        return self.build_tsquery(Not(query) if invert else query, config)

    def get_fields_vectors(self, search_query):
        # ``fields=[...]``: the model's own columns, analysed like the index.
        return [(_FieldVector(lookup), field.boost) for lookup, field in self.search_fields.items()]

    def search(self, config, start, stop, score_field=None, backend=None):
        if isinstance(self.query, Fuzzy):
            # A Fuzzy query is a plain one here: every word already looks for close words.
            self.query = PlainText(self.query.query_string, operator=self.query.operator)
        text = self._texts().text(self.query)
        if text is EVERYTHING:
            return self.queryset[start:stop]
        if text == NOTHING:
            return self.queryset.none()
        return super().search(config, start, stop, score_field=score_field, backend=backend)


class GermanAutocompleteCompiler(pg.PostgresAutocompleteQueryCompiler):
    def build_tsquery(self, query, config=None):
        return RawTsQuery(self._text(query) or "")

    def build_tsquery_content(self, query, config=None, invert=False):
        return self.build_tsquery(Not(query) if invert else query, config)

    def _text(self, query, invert=False):
        if isinstance(query, Boost):
            return self._text(query.subquery, invert)
        if isinstance(query, Not):
            return self._text(query.subquery, not invert)
        if isinstance(query, (PlainText, Phrase, Fuzzy)):
            terms = autocomplete_query_terms(query.query_string)
            combined = lexemes.all_of([lexemes.term(term, prefix=True) for term in terms])
            return lexemes.negate(combined) if invert else combined
        if isinstance(query, (And, Or)):
            parts = [self._text(sub, invert) for sub in query.subqueries]
            is_and = isinstance(query, And) != invert
            return lexemes.all_of(parts) if is_and else lexemes.any_of(parts)
        raise NotImplementedError(f"`{query.__class__.__name__}` is not supported by autocomplete.")

    def get_fields_vectors(self, search_query):
        return [(_FieldVector(lookup, autocomplete=True), 1.0) for lookup in self.search_fields]


class _FieldVector(Expression):
    """A model column's text as our lexemes, for searches restricted to ``fields``: computed in
    Python is impossible inside SQL, so the column is read through PostgreSQL's ``simple``
    configuration (lower case, split on non-letters) and compared with unstemmed query words as
    well as stems. Rarely used (Wagtail's admin field filters)."""

    def __init__(self, lookup, autocomplete=False):
        from django.contrib.postgres.search import SearchVector

        super().__init__(output_field=SearchVectorField())
        self.inner = SearchVector(lookup, config="simple", weight="D" if autocomplete else "B")

    def resolve_expression(self, *args, **kwargs):
        return self.inner.resolve_expression(*args, **kwargs)


def _connection(queryset):
    from django.db import connections

    return connections[queryset.db]


class PostgresSearchBackend(pg.PostgresSearchBackend):
    query_compiler_class = GermanQueryCompiler
    autocomplete_query_compiler_class = GermanAutocompleteCompiler
    index_class = Index
    rebuilder_class = Rebuilder
    atomic_rebuilder_class = AtomicRebuilder

    def __init__(self, params):
        super().__init__(params)
        # Never the server's default configuration (only reached by ``fields=[...]`` searches).
        self.config = "simple"
        self.autocomplete_config = "simple"
        self.rebuilder_class = AtomicRebuilder if params.get("ATOMIC_REBUILD", True) else Rebuilder
        #: Words the index does not know also match the known words a typo away (search.typos).
        self.fuzzy_fallback = bool(params.get("FUZZY_FALLBACK", True))

    def get_index_for_model(self, model):
        index = super().get_index_for_model(model)
        if index.read_connection.vendor != "postgresql":  # pragma: no cover - PostgresIndex raises
            raise NotSupportedError("search.postgres needs a PostgreSQL database")
        return index

    def healthcheck(self) -> tuple[bool, str]:
        """Whether the tables a search reads answer (``/healthz``): modelsearch's index table and
        the engine's documents."""
        from django.db import connection, transaction

        try:
            with transaction.atomic(), connection.cursor() as cursor:  # a failure must not break the request
                cursor.execute(f"SELECT 1 FROM {documents.entries_table()} LIMIT 1")  # noqa: S608
                cursor.execute(f"SELECT 1 FROM {documents.TABLE} LIMIT 1")  # noqa: S608
        except Exception as exc:  # any database error means "cannot be read"
            return False, exc.__class__.__name__
        return True, "ok"

    def ranked(self, q, sources, **kwargs):
        from .ranked import ranked

        return ranked(self, q, sources, **kwargs)

    def suggest(self, query: str, model_or_queryset=None, *, finds=None) -> str | None:
        """A corrected query for "Meinten Sie: …" from the vocabulary table, or ``None``. With
        ``finds`` (``text -> bool``) each replacement word and the whole corrected query must
        find something the caller may see."""
        from django.db import connection

        if finds is None and model_or_queryset is not None:

            def finds(text):
                return self.search(text, model_or_queryset, operator="and").count() > 0

        return vocabulary.suggest(connection, query, finds)


SearchBackend = PostgresSearchBackend
