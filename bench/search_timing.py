"""Search timing in one process, warm, for the same words: Whoosh itself, the site's search
(``search.query.search``, what the page and the API call) and ``GET /api/v1/search`` through
Django's test client. ``bench/run.py`` runs it in the scratch site's environment after the index
rebuild; by hand, against any site (its environment: ``DATABASE_URL``, ``SEARCH_INDEX_DIR`` ...):

    .venv/bin/python bench/search_timing.py [--queries "Antrag|Frist Bauantrag"] [--repeat 30]
        [--user NAME] [--profile "Antrag"]

"Whoosh itself": the same index opened with Whoosh's own API, the words parsed by Whoosh's
``MultifieldParser`` over every full-text field of the index (``t__*``, the index's German
analysis), all words required, BM25F, the first 20 hits with their count - what any Whoosh
application pays for the query, without permissions, facets, snippets or database ("whoosh": one
searcher kept open, as the site does; "whoosh_open_and_search": a fresh searcher per query).
Issue 8 asks the search API to stay within 1.5x of it. Wall and CPU time (``process_time``) per
call; compare figures taken in the same run.

``--profile Q``: pyinstrument over 20 calls of ``search.query.search`` for ``Q`` (the tree is
printed, nothing is timed). Prints one JSON line (progress on stderr)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

#: Searched once before the measured queries: a word of the generated corpus that none of them has,
#: with matches among posts and pages, so that the field lengths, permission sets and facets every
#: query shares are loaded. (With "Musterstadt", which matches almost nothing, the first measured
#: query still paid for them: "Dienstplan" 74.6 ms on its first call, 34.4 ms after "Unterlagen".)
WARM_UP = "Unterlagen"
QUERIES = ["Antrag", "Dienstplan", "Frist", "Vergabe", "Frist Bauantrag", "Dienstplan Bürgerbüro"]


def timed(function, repeat: int) -> dict:
    # The first call of a query (reported as first_ms): its words' postings are read from the index
    # (the searcher and what earlier queries cached are already there); then warm calls.
    started = time.perf_counter()
    function()
    first = (time.perf_counter() - started) * 1000
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    wall.sort()
    cpu.sort()

    def p95(values):
        return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]

    return {
        "first_ms": round(first, 2),
        "p50_ms": round(statistics.median(wall), 2),
        "p95_ms": round(p95(wall), 2),
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        "cpu_p95_ms": round(p95(cpu), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", default=os.environ.get("BENCH_QUERIES", ""), help='separated by "|"')
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "30")))
    parser.add_argument("--user", default="", help="username to search as (default: an active non-superuser)")
    parser.add_argument("--profile", default="", help="profile search.query.search for this query instead")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from whoosh import index as whoosh_index
    from whoosh.qparser import AndGroup, MultifieldParser

    from people.models import User
    from search import query as site_search
    from search.whoosh.store import INDEX_NAME

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    queries = [q for q in args.queries.split("|") if q] or QUERIES
    users = User.objects.filter(is_active=True, is_superuser=False)
    user = users.get(username=args.user) if args.user else users.order_by("pk").first()

    if args.profile:
        from pyinstrument import Profiler

        site_search.search(user=user, q=args.profile)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(20):
            site_search.search(user=user, q=args.profile)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False))
        return

    client = Client()
    client.force_login(user)
    backend_name = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    result = {"backend": backend_name, "user": user.username, "repeat": args.repeat, "queries": {}}
    ix = parser_ = None
    if backend_name == "search.whoosh":  # our Whoosh backend (not wagtail.search.backends.*)
        ix = whoosh_index.open_dir(str(settings.SEARCH_INDEX_DIR), indexname=INDEX_NAME)
        with ix.reader() as reader:  # t__* are glob fields: the index knows which exist
            fields = sorted(name for name in reader.indexed_field_names() if name.startswith("t__"))
        result["whoosh_fields"] = fields
        result["whoosh_documents"] = ix.doc_count()
        parser_ = MultifieldParser(fields, ix.schema, group=AndGroup)
    raw_german = None
    if backend_name == "search.postgres":
        raw_german = _raw_german_baseline(result)
    # Open both searchers and fill what every query shares (see WARM_UP), so that each query's
    # first_ms is the cost of its own words.
    site_search.search(user=user, q=WARM_UP)
    if ix is not None:
        ix.searcher().search(parser_.parse(WARM_UP), limit=20)
    for q in queries:
        row = {}
        if ix is not None:
            parsed = parser_.parse(q)
            searcher = ix.searcher()

            def whoosh_only(parsed=parsed, searcher=searcher):
                hits = searcher.search(parsed, limit=20)
                return len(hits), [hit["x_id"] for hit in hits]

            def whoosh_with_open(parsed=parsed):
                with ix.searcher() as fresh:
                    hits = fresh.search(parsed, limit=20)
                    return len(hits), [hit["x_id"] for hit in hits]

            row["whoosh"] = timed(whoosh_only, args.repeat)
            row["whoosh_hits"] = whoosh_only()[0]
            row["whoosh_open_and_search"] = timed(whoosh_with_open, args.repeat)

        if raw_german is not None:
            row["pg_german"] = timed(lambda q=q: raw_german(q), args.repeat)
            row["pg_german_hits"] = len(raw_german(q))

        def site(q=q):
            return site_search.search(user=user, q=q)

        def api(q=q):
            response = client.get("/api/v1/search", {"q": q})
            if response.status_code != 200:
                raise SystemExit(f"GET /api/v1/search?q={q} answered {response.status_code}")
            return response

        row["search.query.search"] = timed(site, args.repeat)
        row["site_count"] = site().count
        row["api"] = timed(api, args.repeat)
        if "pg_german" in row:
            site_time, raw = row["search.query.search"], row["pg_german"]
            row["ratio_raw_p50"] = round(site_time["p50_ms"] / max(raw["p50_ms"], 0.01), 2)
            row["ratio_raw_p95"] = round(site_time["p95_ms"] / max(raw["p95_ms"], 0.01), 2)
        if "whoosh" in row:
            site_time, whoosh = row["search.query.search"], row["whoosh"]
            row["ratio_p50"] = round(site_time["p50_ms"] / max(whoosh["p50_ms"], 0.01), 2)
            row["ratio_cpu_p50"] = round(site_time["cpu_p50_ms"] / max(whoosh["cpu_p50_ms"], 0.01), 2)
        result["queries"][q] = row
        print(
            f"{q:28} n={row['site_count']:6}  search p50/p95 {row['search.query.search']['p50_ms']}/"
            f"{row['search.query.search']['p95_ms']} ms  api {row['api']['p50_ms']}/{row['api']['p95_ms']}"
            + (f"  whoosh {row['whoosh']['p50_ms']}/{row['whoosh']['p95_ms']}" if "whoosh" in row else "")
            + (f"  pg german {row['pg_german']['p50_ms']}/{row['pg_german']['p95_ms']}" if "pg_german" in row else ""),
            file=sys.stderr,
        )
    print(json.dumps(result, ensure_ascii=False))


def _raw_german_baseline(result):
    """The raw PostgreSQL baseline of issue 14: the same texts (every indexed object's, as
    ``update_index`` reads them) in a scratch table with a stored
    ``to_tsvector('german', title || body)`` column and a GIN index, asked
    ``websearch_to_tsquery('german', q)``, top 10 by ``ts_rank`` - no permissions, counts,
    facets, typos or objects. Built once per site (its build time is reported)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_pg_german')")
        if cursor.fetchone()[0] is None:
            started = time.perf_counter()
            cursor.execute("CREATE TABLE bench_pg_german (id serial PRIMARY KEY, v tsvector NOT NULL)")
            for texts in _indexed_texts():
                cursor.executemany("INSERT INTO bench_pg_german (v) VALUES (to_tsvector('german', %s))", texts)
            cursor.execute("CREATE INDEX bench_pg_german_v ON bench_pg_german USING gin (v)")
            cursor.execute("ANALYZE bench_pg_german")
            result["pg_german_build_s"] = round(time.perf_counter() - started, 1)

    def search(q):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM bench_pg_german, websearch_to_tsquery('german', %s) AS q WHERE v @@ q "
                "ORDER BY ts_rank(v, q) DESC LIMIT 10",
                [q],
            )
            return cursor.fetchall()

    return search


def _indexed_texts(chunk=2000):
    """The plain text of every indexed object (its search fields, title first), in chunks of
    ``[(text,)]``. Read from the objects, not from the index table: the PostgreSQL engine leaves
    modelsearch's plain-text columns empty."""
    from modelsearch.backends.database.postgres.postgres import ObjectIndexer
    from modelsearch.index import get_indexed_models

    from search.indexing import prefetch_tags
    from search.query import get_search_backend

    backend = get_search_backend()
    for model in get_indexed_models():
        objects = model.get_indexed_objects().order_by("pk")
        last = None
        while True:
            batch = objects.filter(pk__gt=last) if last is not None else objects
            batch = list(batch[:chunk])
            if not batch:
                break
            last = batch[-1].pk
            prefetch_tags(model, batch)
            rows = []
            for obj in batch:
                indexer = ObjectIndexer(obj, backend)
                rows.append((f"{indexer.title_text} {indexer.body_text}",))
            yield rows


if __name__ == "__main__":
    main()
