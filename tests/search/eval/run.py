"""The German search evaluation set (issue 20, point 6): corpus, judged queries, runner, metrics.

The corpus is the demo city (``manage.py load_demo_data``) plus the municipal wiki pages in
``pages/`` imported with ``home``'s importer (``manage.py import_pages``). ``queries.tsv`` holds
the judged queries: ``kind``, ``query``, the relevant items (page titles; ``document:<title>``
for a document) and a note. Every query goes through the public ``GET /api/v1/search`` as a
signed-in member of staff; recall@10 and MRR are computed overall and per kind.

On the same items (everything the API searches for that member of staff) and in the same run,
two baselines answer the same queries:

* ``pg-german``: raw PostgreSQL full text, ``to_tsvector('german', title || ' ' || body)`` @@
  ``websearch_to_tsquery('german', q)`` ranked by ``ts_rank``, top 10 (PostgreSQL only);
* ``whoosh-plain``: plain Whoosh with its stock German analyser
  (``LanguageAnalyzer("de")``), the query's words OR-grouped, each also as a fuzzy term
  (edit distance 1), BM25F over title and body.

The Whoosh-specific baseline code lives here only, not in ``search/``. The pytest test is
``tests/search/test_quality.py``; ``make search-quality`` prints the table (docs/search-quality.md).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

EVAL_DIR = Path(__file__).resolve().parent
PAGES_DIR = EVAL_DIR / "pages"
QUERIES_FILE = EVAL_DIR / "queries.tsv"
K = 10
#: The member of staff who searches (a clerk in the Bürgeramt of the demo city, no editor rights).
SEARCHER = "anna.schmidt"
KINDS = ("exact", "inflection", "spelling", "typo", "abbreviation", "question", "compound")

#: The two shapes of the product's own search (``WAGTAILSEARCH_BACKENDS["default"]``).
WHOOSH_SHAPE = "whoosh"
POSTGRES_SHAPE = "postgres"


# --- the judged queries ------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    line: int
    kind: str
    q: str
    relevant: frozenset[str]  # item keys: "page:<title>", "document:<title>"
    note: str = ""


def item_key(spec: str) -> str:
    """``"Hundesteuer"`` -> ``"page:Hundesteuer"``; ``"document:Dienstanweisung Reisekosten"`` stays."""
    spec = spec.strip()
    kind, _, rest = spec.partition(":")
    if kind in ("page", "document", "person", "post") and rest:
        return f"{kind}:{rest.strip()}"
    return f"page:{spec}"


def load_queries(path: Path = QUERIES_FILE) -> list[Query]:
    queries = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3:
                raise ValueError(f"{path.name}:{number}: expected kind<TAB>query<TAB>relevant[<TAB>note]")
            kind, q, relevant = parts[0].strip(), parts[1].strip(), parts[2]
            if kind not in KINDS:
                raise ValueError(f"{path.name}:{number}: unknown kind {kind!r}")
            keys = frozenset(item_key(spec) for spec in relevant.split(";") if spec.strip())
            if not q or not keys:
                raise ValueError(f"{path.name}:{number}: query and relevant items are required")
            queries.append(Query(number, kind, q, keys, parts[3].strip() if len(parts) > 3 else ""))
    return queries


# --- the corpus -------------------------------------------------------------------------------


def whoosh_settings(path: str) -> dict:
    backends = {"default": {"BACKEND": "search.whoosh", "PATH": str(path), "REBUILD_PROCS": 1}}
    return {"WAGTAILSEARCH_BACKENDS": backends, "MODELSEARCH_BACKENDS": backends, "SEARCH_INDEX_DIR": str(path)}


def database_settings() -> dict:
    backends = {"default": {"BACKEND": "search.postgres"}}
    return {"WAGTAILSEARCH_BACKENDS": backends, "MODELSEARCH_BACKENDS": backends}


def build_corpus(index_path: str) -> None:
    """Demo city plus the wiki pages of ``pages/``, in the current database. Index writes made
    while building go to a Whoosh index at ``index_path`` (thrown away: each shape rebuilds)."""
    from home.importer import import_directory

    quiet = whoosh_settings(index_path)
    quiet["WAGTAILSEARCH_BACKENDS"]["default"]["AUTO_UPDATE"] = False  # rebuilt per shape anyway
    with override_settings(**quiet):
        call_command("load_demo_data", "--no-index", stdout=io.StringIO())
        result = import_directory(PAGES_DIR)
    if result.errors:
        raise RuntimeError("the evaluation pages did not import: " + "; ".join(result.errors))


def rebuild_index() -> None:
    """Rebuilds the configured search backend's index from the database (``update_index``)."""
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())


def searcher():
    from people.models import User

    return User.objects.get(username=SEARCHER)


def staff_client() -> Client:
    from tests.conftest import sign_in

    return sign_in(Client(), searcher())


def corpus_keys() -> set[str]:
    """Keys of every page and document in the corpus (to check the judgments refer to real items)."""
    from wagtail.documents import get_document_model

    from home.models import ContentPage

    keys = {f"page:{title}" for title in ContentPage.objects.values_list("title", flat=True)}
    keys |= {f"document:{title}" for title in get_document_model().objects.values_list("title", flat=True)}
    return keys


# --- systems: a function from a query to the top K item keys ------------------------------------


def _hit_key(hit: dict) -> str:
    if hit["type"] in ("page", "document", "person"):
        return f"{hit['type']}:{hit['title']}"
    return f"{hit['type']}:{hit['id']}"


def api_system(client: Client) -> Callable[[str], list[str]]:
    """The product: ``GET /api/v1/search?q=...&limit=10`` with the configured backend."""

    def rank(q: str) -> list[str]:
        response = client.get("/api/v1/search", {"q": q, "limit": K})
        if response.status_code != 200:
            raise AssertionError(f"/api/v1/search?q={q!r} answered {response.status_code}: {response.content[:300]!r}")
        return [_hit_key(hit) for hit in response.json()["results"]]

    return rank


def _text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(_text_of(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_text_of(item) for item in value.values())
    return str(value)


def _field_texts(obj, fields) -> Iterable[tuple[str, str]]:
    """(field name, text) of every SearchField of ``obj``, related fields included (as
    modelsearch's database backend collects them)."""
    from django.db.models import Manager
    from modelsearch.index import RelatedFields, SearchField

    for search_field in fields:
        if isinstance(search_field, SearchField):
            yield search_field.field_name, _text_of(search_field.get_value(obj))
        elif isinstance(search_field, RelatedFields):
            related = search_field.get_value(obj)
            if related is None:
                continue
            if isinstance(related, Manager):
                related = list(related.all())
            elif callable(related):
                related = [related()]
            else:
                related = [related]
            for sub in related:
                yield from _field_texts(sub, search_field.fields)


@dataclass(frozen=True)
class Document:
    key: str
    title: str
    body: str


def corpus_documents() -> list[Document]:
    """Everything the API searches for the member of staff (pages, posts, people, documents),
    each as title + body: the text of the item's search fields."""
    from search.query import Filters, _sources

    documents = []
    for source in _sources(searcher(), Filters()):
        queryset = source.queryset
        if source.type == "page":
            queryset = queryset.specific()
        for obj in queryset:
            texts = [text for name, text in _field_texts(obj, obj.get_search_fields()) if name != "title" and text]
            if source.type in ("page", "document"):
                title = obj.title
            elif source.type == "person":
                title = str(obj.user)
            else:
                title = ""
            key = _hit_key({"type": source.type, "title": title, "id": obj.pk})
            documents.append(Document(key, title, " ".join(texts)))
    return documents


def whoosh_plain_system(documents: list[Document]) -> Callable[[str], list[str]]:
    """Plain Whoosh: stock German analyser, OR of the query's words, each word also fuzzy (edit
    distance 1, first letter fixed), BM25F over title and body, in a RAM index."""
    from whoosh import query as wq
    from whoosh.analysis import LanguageAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.filedb.filestore import RamStorage

    analyzer = LanguageAnalyzer("de")
    schema = Schema(key=ID(stored=True, unique=True), title=TEXT(analyzer=analyzer), body=TEXT(analyzer=analyzer))
    index = RamStorage().create_index(schema)
    writer = index.writer()
    for document in documents:
        writer.add_document(key=document.key, title=document.title, body=document.body)
    writer.commit()

    def rank(q: str) -> list[str]:
        words = [token.text for token in analyzer(q)]
        if not words:
            return []
        clauses = []
        for word in words:
            for fieldname in ("title", "body"):
                clauses.append(wq.Term(fieldname, word))
                clauses.append(wq.FuzzyTerm(fieldname, word, maxdist=1, prefixlength=1))
        with index.searcher() as searcher:
            return [hit["key"] for hit in searcher.search(wq.Or(clauses), limit=K)]

    return rank


def pg_german_system(documents: list[Document]) -> Callable[[str], list[str]]:
    """Raw PostgreSQL full text with the server's ``german`` configuration, in a temporary table
    of the same items (dropped with the test transaction or at the end of the session)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS search_eval_docs")
        cursor.execute("CREATE TEMPORARY TABLE search_eval_docs (key text, title text, body text)")
        cursor.executemany(
            "INSERT INTO search_eval_docs (key, title, body) VALUES (%s, %s, %s)",
            [(d.key, d.title, d.body) for d in documents],
        )
        cursor.execute(
            "ALTER TABLE search_eval_docs ADD COLUMN vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('german', title || ' ' || body)) STORED"
        )

    def rank(q: str) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT key FROM search_eval_docs, websearch_to_tsquery('german', %s) query "
                "WHERE vector @@ query ORDER BY ts_rank(vector, query) DESC, key LIMIT %s",
                [q, K],
            )
            return [row[0] for row in cursor.fetchall()]

    return rank


# --- metrics -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    query: Query
    ranked: list[str]

    @property
    def recall(self) -> float:
        return len(self.query.relevant & set(self.ranked[:K])) / len(self.query.relevant)

    @property
    def reciprocal_rank(self) -> float:
        for position, key in enumerate(self.ranked[:K], start=1):
            if key in self.query.relevant:
                return 1 / position
        return 0.0


@dataclass
class Scores:
    n: int
    recall: float
    mrr: float


@dataclass
class Report:
    system: str
    outcomes: list[Outcome] = field(default_factory=list)

    def scores(self, kind: str | None = None) -> Scores:
        chosen = [o for o in self.outcomes if kind is None or o.query.kind == kind]
        if not chosen:
            return Scores(0, math.nan, math.nan)
        return Scores(
            len(chosen),
            sum(o.recall for o in chosen) / len(chosen),
            sum(o.reciprocal_rank for o in chosen) / len(chosen),
        )

    def misses(self, kind: str | None = None) -> list[Outcome]:
        """Queries with no relevant item in the top K."""
        return [o for o in self.outcomes if (kind is None or o.query.kind == kind) and o.recall == 0]


def evaluate(system: str, rank: Callable[[str], list[str]], queries: list[Query]) -> Report:
    return Report(system, [Outcome(query, rank(query.q)) for query in queries])


def table(reports: list[Report]) -> str:
    """A Markdown table: one row per kind (and overall), recall@10 / MRR per system."""
    header = "| kind | n | " + " | ".join(f"{r.system} R@10 | {r.system} MRR" for r in reports) + " |"
    rule = "|---|---:|" + "---:|---:|" * len(reports)
    lines = [header, rule]
    for kind in (*KINDS, None):
        n = reports[0].scores(kind).n if reports else 0
        cells = []
        for report in reports:
            s = report.scores(kind)
            cells += [f"{s.recall:.3f}", f"{s.mrr:.3f}"]
        name = "**overall**" if kind is None else kind
        lines.append(f"| {name} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def misses_text(report: Report, per_kind: int = 4) -> str:
    lines = [f"Misses of {report.system} (no relevant item in the top {K}):"]
    for kind in KINDS:
        missed = report.misses(kind)
        if missed:
            shown = ", ".join(f"{o.query.q!r}" for o in missed[:per_kind])
            more = f" (+{len(missed) - per_kind} more)" if len(missed) > per_kind else ""
            lines.append(f"  {kind}: {len(missed)}: {shown}{more}")
    return "\n".join(lines)


def write_tsv(reports: list[Report], out) -> None:
    """Per query and system: rank of the first relevant item (0: none in the top K)."""
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(["line", "kind", "query", *[r.system for r in reports]])
    for index, outcome in enumerate(reports[0].outcomes):
        ranks = []
        for report in reports:
            rr = report.outcomes[index].reciprocal_rank
            ranks.append(round(1 / rr) if rr else 0)
        writer.writerow([outcome.query.line, outcome.query.kind, outcome.query.q, *ranks])
