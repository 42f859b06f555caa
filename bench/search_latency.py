"""Search latency in one process, warm: ``search.query.search`` (what the page and the API call),
``GET /api/v1/search`` through Django's test client, and Whoosh itself for the same words.

    DATABASE_URL=sqlite:////scratch/db.sqlite3 SEARCH_INDEX_DIR=/scratch/index \\
        .venv/bin/python bench/search_latency.py [--repeat 40] [--profile "Antrag"] [--user NAME]

"Whoosh itself": the same index through Whoosh's own API, the words parsed by Whoosh's
``MultifieldParser`` over every full-text field (``t__*``, the index's German analysis), all words
required, BM25F, top 10 ("whoosh_top10"), and the same with the exact count ("whoosh_top10_count",
what a result page with "n hits" needs) - no permissions, facets, snippets or database. One
searcher is kept open, as the site does. Wall time and CPU time (``process_time``) per call; the
machine is shared, so compare figures taken in the same run.

``--profile Q`` runs pyinstrument over 20 calls of ``search.query.search`` for ``Q`` and prints
the tree."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

QUERIES = [
    "Antrag",
    "Urlaub",
    "Bauantrag",
    "Dienstplan",
    "Frist",
    "Vergabe",
    "Personalrat Sitzung",
    "Antrag Frist",
    "Frist Bauantrag",
    "Dienstplan Bürgerbüro",
    "Vergabe Haushalt",
    "Antrag Sondernutzung",
]


def timed(function, repeat: int) -> dict:
    function()  # warm: searcher caches, query compilation
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
        "p50": round(statistics.median(wall), 1),
        "p95": round(p95(wall), 1),
        "cpu_p50": round(statistics.median(cpu), 1),
        "cpu_p95": round(p95(cpu), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--profile", default="")
    parser.add_argument("--user", default="", help="username to search as (default: an active non-superuser)")
    parser.add_argument("--queries", default="", help='queries separated by "|"')
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from whoosh.qparser import AndGroup, MultifieldParser

    from people.models import User
    from search import query as site_search
    from search.backend import WhooshSearchBackend
    from search.query import get_search_backend

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    queries = [q for q in args.queries.split("|") if q] or QUERIES
    users = User.objects.filter(is_active=True, is_superuser=False)
    user = users.get(username=args.user) if args.user else users.order_by("pk").first()
    backend = get_search_backend()
    client = Client()
    client.force_login(user)

    if args.profile:
        from pyinstrument import Profiler

        site_search.search(user=user, q=args.profile)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(int(os.environ.get("PROFILE_CALLS", "20"))):
            site_search.search(user=user, q=args.profile)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=bool(os.environ.get("PROFILE_ALL"))))
        return

    searcher = parsed_for = None
    if isinstance(backend, WhooshSearchBackend):
        searcher = backend.store.searcher()
        fields = [name for name in searcher.reader().indexed_field_names() if name.startswith("t__")]
        qparser = MultifieldParser(fields, searcher.schema, group=AndGroup)
        parsed_for = qparser.parse
    out = {
        "backend": type(backend).__module__,
        "documents": searcher.doc_count() if searcher else None,
        "user": user.username,
        "repeat": args.repeat,
        "queries": {},
    }
    for q in queries:
        row = {}
        if searcher is not None:
            parsed = parsed_for(q)

            def top10(parsed=parsed):
                return [hit["x_id"] for hit in searcher.search(parsed, limit=10)]

            def top10_count(parsed=parsed):
                results = searcher.search(parsed, limit=10)
                return len(results), [hit["x_id"] for hit in results]

            row["whoosh_hits"] = top10_count()[0]
            row["whoosh_top10"] = timed(top10, args.repeat)
            row["whoosh_top10_count"] = timed(top10_count, args.repeat)

        def site(q=q):
            return site_search.search(user=user, q=q)

        def api(q=q):
            response = client.get("/api/v1/search", {"q": q})
            assert response.status_code == 200, response.status_code
            return response

        row["count"] = site().count
        row["search"] = timed(site, args.repeat)
        row["api"] = timed(api, args.repeat)
        if "whoosh_top10" in row:
            row["ratio_p95_vs_whoosh_top10_count"] = round(
                row["search"]["p95"] / max(row["whoosh_top10_count"]["p95"], 0.01), 2
            )
        out["queries"][q] = row
        print(
            f"{q:28} n={row['count']:6}  search p50/p95 {row['search']['p50']:6}/{row['search']['p95']:6} ms"
            f"  api {row['api']['p50']:6}/{row['api']['p95']:6}"
            + (
                f"  whoosh top10 {row['whoosh_top10']['p50']}/{row['whoosh_top10']['p95']}"
                f"  +count {row['whoosh_top10_count']['p50']}/{row['whoosh_top10_count']['p95']}"
                if "whoosh_top10" in row
                else ""
            ),
            file=sys.stderr,
        )
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
