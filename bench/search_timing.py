"""Run by bench/run.py (`manage.py shell -c`) inside the scratch environment, after the index
rebuild: for each benchmark query, how long Whoosh itself takes and how long the site's one search
function (`search.query.search`, what the page and the API call) takes, in this process, warm.

"Whoosh itself": the same index opened with Whoosh's own API, the query words parsed by Whoosh's
`MultifieldParser` over every full-text field of the index (`t__*`, with the index's German
analysis), all words required, BM25F, the first 20 hits with their count — what any Whoosh
application pays for that query, without permissions, facets, snippets or database ("whoosh": one
searcher kept open; "whoosh_open_and_search": a fresh searcher per query). Issue 8 asks
the search API to stay within 1.5x of it.

Reads BENCH_QUERIES (queries separated by "|") and BENCH_REPEAT; prints one JSON line."""

import json
import os
import statistics
import time

from django.conf import settings
from whoosh import index as whoosh_index
from whoosh.qparser import AndGroup, MultifieldParser

from people.models import User
from search import query as site_search
from search.whoosh_store import INDEX_NAME

QUERIES = [q for q in os.environ.get("BENCH_QUERIES", "Antrag|Frist Bauantrag").split("|") if q]
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def timed(function, repeat: int) -> dict:
    function()  # warm: caches, searcher, first query compilation
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    wall.sort()
    return {
        "p50_ms": round(statistics.median(wall), 2),
        "p95_ms": round(wall[min(len(wall) - 1, round(0.95 * (len(wall) - 1)))], 2),
        "cpu_p50_ms": round(statistics.median(cpu), 2),
    }


result = {"queries": {}}
user = User.objects.get(username="bench.messung")
backend_name = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
result["backend"] = backend_name
ix = None
if backend_name == "search.backend":  # our Whoosh backend (not wagtail.search.backends.*)
    ix = whoosh_index.open_dir(str(settings.SEARCH_INDEX_DIR), indexname=INDEX_NAME)
    with ix.reader() as reader:  # t__* are glob fields: the index knows which exist
        fields = sorted(name for name in reader.indexed_field_names() if name.startswith("t__"))
    result["whoosh_fields"] = fields
    parser = MultifieldParser(fields, ix.schema, group=AndGroup)
    result["whoosh_documents"] = ix.doc_count()
for q in QUERIES:
    row = {}
    if ix is not None:
        parsed = parser.parse(q)

        searcher = ix.searcher()

        def whoosh_only(parsed=parsed, searcher=searcher):
            hits = searcher.search(parsed, limit=20)
            return len(hits), [hit["x_id"] for hit in hits]

        def whoosh_with_open(parsed=parsed):
            with ix.searcher() as fresh:
                hits = fresh.search(parsed, limit=20)
                return len(hits), [hit["x_id"] for hit in hits]

        row["whoosh_hits"] = whoosh_only()[0]
        row["whoosh"] = timed(whoosh_only, REPEAT)
        row["whoosh_open_and_search"] = timed(whoosh_with_open, REPEAT)

    def site(q=q):
        return site_search.search(user=user, q=q)

    row["site_count"] = site().count
    row["search.query.search"] = timed(site, REPEAT)
    if "whoosh" in row:
        site, whoosh = row["search.query.search"], row["whoosh"]
        row["ratio_p50"] = round(site["p50_ms"] / max(whoosh["p50_ms"], 0.01), 1)
        row["ratio_cpu_p50"] = round(site["cpu_p50_ms"] / max(whoosh["cpu_p50_ms"], 0.01), 1)
    result["queries"][q] = row
print(json.dumps(result, ensure_ascii=False))
