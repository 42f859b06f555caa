"""German search quality on the judged evaluation set (tests/search/eval, docs/search-quality.md).

The corpus (demo city + the wiki pages of tests/search/eval/pages) is built once for this module;
each shape rebuilds its own index and answers every judged query through ``GET /api/v1/search``
as a signed-in member of staff. The floors below sit just under the figures measured when they
were set, so a drop in quality fails the build; raise them when the search gets better.

* Whoosh shape (``search.whoosh``): runs in both CI stages (SQLite and PostgreSQL).
* PostgreSQL shape (``search.postgres`` on PostgreSQL): runs whenever the database is
  PostgreSQL, whatever ``SEARCH_BACKEND`` says (CI's PostgreSQL stage runs with
  ``SEARCH_BACKEND=postgres``), by switching the backend for the test and rebuilding its index.
* Baselines on the same items (no floors, for comparison): plain Whoosh with its stock German
  analyser, and raw PostgreSQL ``german`` full text (PostgreSQL only).

``pytest tests/search/test_quality.py -s`` (or ``make search-quality``) prints the per-kind table.
"""

import math
import os

import pytest
from django.db import connection, transaction

from tests.conftest import ensure_start_page
from tests.search.eval import run

#: Floors per shape: {kind or "overall": (recall@10, MRR)}, each the measured value rounded down
#: to the hundredth below it (194 queries, docs/search-quality.md; raised 2026-12-07 with the
#: synonym list, the question fillers, the partial fallback and compounds split at query time; the Whoosh figures were
#: the same on SQLite and PostgreSQL). One more missed query in a kind fails.
FLOORS = {
    run.WHOOSH_SHAPE: {  # raised 2026-12-07: compound parts in the index, typos by search.typos
        "exact": (0.99, 0.96),  # measured 1.000, 0.970
        "inflection": (0.99, 0.96),  # measured 1.000, 0.968
        "spelling": (0.99, 0.93),  # measured 1.000, 0.933
        "typo": (0.93, 0.82),  # measured 0.938, 0.825
        "abbreviation": (0.99, 0.99),  # measured 1.000, 1.000
        "question": (0.92, 0.86),  # measured 0.923, 0.861
        "compound": (0.95, 0.93),  # measured 0.950, 0.938
        "overall": (0.97, 0.92),  # measured 0.972, 0.930
    },
    run.POSTGRES_SHAPE: {  # the PostgreSQL engine (search.postgres), raised 2026-12-07
        "exact": (0.99, 0.96),  # measured 1.000, 0.970
        "inflection": (0.99, 0.96),  # measured 1.000, 0.968
        "spelling": (0.99, 0.97),  # measured 1.000, 0.979
        "typo": (0.93, 0.92),  # measured 0.938, 0.923
        "abbreviation": (0.96, 0.94),  # measured 0.966, 0.948 (and 1.000, 0.954 in another run: StAG)
        "question": (0.92, 0.85),  # measured 0.923, 0.859
        "compound": (0.92, 0.90),  # measured 0.925, 0.904
        "overall": (0.96, 0.93),  # measured 0.961, 0.933
    },
}

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL shape and the raw 'german' baseline need PostgreSQL"
)


class Collected:
    def __init__(self, documents, keys, queries):
        self.documents, self.keys, self.queries = documents, keys, queries
        self.reports: dict[str, run.Report] = {}

    def text(self) -> str:
        order = [run.WHOOSH_SHAPE, run.POSTGRES_SHAPE, "whoosh-plain", "pg-german"]
        reports = [self.reports[name] for name in order if name in self.reports]
        return f"\n{len(self.queries)} judged queries, recall@{run.K} and MRR per kind:\n" + run.table(reports) + "\n"


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo city and the evaluation pages, built once in a transaction rolled back at the end."""
    queries = run.load_queries()
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_start_page()  # a transactional test run before (one worker) flushed the migrations' start page
        run.build_corpus(str(tmp_path_factory.mktemp("eval-build-index")))
        collected = Collected(run.corpus_documents(), run.corpus_keys(), queries)
        yield collected
        transaction.set_rollback(True)
    print(collected.text())
    out = os.environ.get("SEARCH_QUALITY_OUT")
    if out:  # make search-quality: the table and the rank of each query, for docs/search-quality.md
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(collected.text())
            for report in collected.reports.values():
                handle.write("\n" + run.misses_text(report, per_kind=50) + "\n")
        with open(out + ".tsv", "w", encoding="utf-8") as handle:
            run.write_tsv(list(collected.reports.values()), handle)


def check_floors(shape: str, report: run.Report, collected: Collected) -> None:
    failures = []
    for kind, (recall_floor, mrr_floor) in FLOORS[shape].items():
        scores = report.scores(None if kind == "overall" else kind)
        if scores.recall < recall_floor or math.isnan(scores.recall):
            failures.append(f"{kind}: recall@{run.K} {scores.recall:.3f} < floor {recall_floor:.3f}")
        if scores.mrr < mrr_floor or math.isnan(scores.mrr):
            failures.append(f"{kind}: MRR {scores.mrr:.3f} < floor {mrr_floor:.3f}")
    assert not failures, (
        f"search quality of the {shape} shape dropped:\n  "
        + "\n  ".join(failures)
        + collected.text()
        + run.misses_text(report)
    )


def test_every_judged_item_is_in_the_corpus_and_every_kind_is_covered(corpus):
    unknown = sorted({key for query in corpus.queries for key in query.relevant} - corpus.keys)
    assert unknown == [], "judged items that are not in the corpus"
    counts = {kind: sum(q.kind == kind for q in corpus.queries) for kind in run.KINDS}
    assert len(corpus.queries) >= 150 and min(counts.values()) >= 15, counts


@pytest.mark.skipif(
    connection.vendor == "postgresql" and not os.environ.get("SEARCH_QUALITY_OUT"),
    reason="the Whoosh shape is SQLite + Whoosh: its floors are checked in the SQLite stage "
    "(make search-quality DB=postgres still measures it beside the PostgreSQL shape)",
)
def test_whoosh_shape(corpus, db, settings, request, tmp_path):
    path = request.getfixturevalue("_search_index_of_its_own") or str(tmp_path / "index")
    for name, value in run.whoosh_settings(path).items():
        setattr(settings, name, value)
    run.rebuild_index()
    report = run.evaluate(run.WHOOSH_SHAPE, run.api_system(run.staff_client()), corpus.queries)
    corpus.reports[run.WHOOSH_SHAPE] = report
    print(corpus.text() + run.misses_text(report))
    check_floors(run.WHOOSH_SHAPE, report, corpus)


@on_postgres
def test_postgres_shape(corpus, db, settings):
    for name, value in run.database_settings().items():
        setattr(settings, name, value)
    run.rebuild_index()
    report = run.evaluate(run.POSTGRES_SHAPE, run.api_system(run.staff_client()), corpus.queries)
    corpus.reports[run.POSTGRES_SHAPE] = report
    print(corpus.text() + run.misses_text(report))
    check_floors(run.POSTGRES_SHAPE, report, corpus)


def test_baselines_answer_the_same_queries(corpus, db):
    """Plain Whoosh (and on PostgreSQL raw 'german' full text) on the same items: no floors,
    the figures stand next to the shapes' in the table."""
    corpus.reports["whoosh-plain"] = run.evaluate(
        "whoosh-plain", run.whoosh_plain_system(corpus.documents), corpus.queries
    )
    if connection.vendor == "postgresql":
        corpus.reports["pg-german"] = run.evaluate("pg-german", run.pg_german_system(corpus.documents), corpus.queries)
    assert all(len(report.outcomes) == len(corpus.queries) for report in corpus.reports.values())
