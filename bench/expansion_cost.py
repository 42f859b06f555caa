"""What the query expansion costs (issue 20: synonyms, abbreviations and compounds split into their
parts, :func:`search.synonyms.expand`): the same queries through ``search.query.search`` (what the
page and the API call) with the expansion on and off, in one process, against one index, warm.
"Off" makes ``expand`` return the query unchanged (no synonym list read, no compound split); the
engine then answers the typed words only. ``bench/run.py`` runs it after ``search_timing.py``; by
hand, against any site (its environment: ``DATABASE_URL``, ``SEARCH_BACKEND``,
``SEARCH_INDEX_DIR`` ...):

    .venv/bin/python bench/expansion_cost.py [--repeat 30] [--user NAME] [--kind compound]

Each round times every query once on and once off (the order alternates between rounds, so drift
and caches favour neither side). Reported per query and per kind (single word, compound,
abbreviation, two words, question) and overall: mean and p95 in ms with and without, and the cost
of the expansion as a percentage of the search time without it. Prints a table on stderr and one
JSON line on stdout."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

#: Queries by kind, on the generated corpus (intranet/management/commands/generate_data.py) and the
#: default synonym list (search/synonyms_default.tsv).
QUERIES = {
    "single word": ["Antrag", "Frist", "Vergabe", "Haushalt"],
    "compound": ["Bauantrag", "Dienstplan", "Urlaubsplanung", "Vergabestelle"],
    "abbreviation": ["KiTa", "UVgO", "E-Akte", "DSGVO"],
    "two words": ["Frist Bauantrag", "Vergabe Haushalt", "Antrag Sondernutzung", "Dienstplan Bürgerbüro"],
    "question": [
        "Wer ist zuständig für den Bauantrag?",
        "Wie stelle ich einen Urlaubsantrag?",
        "Wann endet die Frist für die Vergabe?",
        "Wo hängt der Dienstplan aus?",
    ],
}
WARM_UP = "Unterlagen"


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def summary(on: list[float], off: list[float]) -> dict:
    mean_on, mean_off = statistics.fmean(on), statistics.fmean(off)
    p95_on, p95_off = p95(on), p95(off)
    return {
        "on_mean_ms": round(mean_on, 2),
        "off_mean_ms": round(mean_off, 2),
        "on_p95_ms": round(p95_on, 2),
        "off_p95_ms": round(p95_off, 2),
        "cost_mean_pct": round((mean_on / mean_off - 1) * 100, 1),
        "cost_p95_pct": round((p95_on / p95_off - 1) * 100, 1),
    }


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": model, "cpus": os.cpu_count(), "load_before": [round(x, 2) for x in os.getloadavg()]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "30")))
    parser.add_argument("--user", default="", help="username to search as (default: an active non-superuser)")
    parser.add_argument("--kind", action="append", default=[], help="only these kinds (repeatable)")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    from people.models import User
    from search import query as site_search
    from search import synonyms

    users = User.objects.filter(is_active=True, is_superuser=False)
    user = users.get(username=args.user) if args.user else users.order_by("pk").first()
    expand = synonyms.expand

    def unchanged(q, **kwargs):
        return q

    def search(q: str, on: bool) -> float:
        synonyms.expand = expand if on else unchanged
        try:
            started = time.perf_counter()
            site_search.search(user=user, q=q)
            return (time.perf_counter() - started) * 1000
        finally:
            synonyms.expand = expand

    kinds = {kind: qs for kind, qs in QUERIES.items() if not args.kind or kind in args.kind}
    result = {
        "backend": settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"],
        "machine": machine(),
        "user": user.username,
        "repeat": args.repeat,
        "queries": {},
        "kinds": {},
    }
    search(WARM_UP, True)
    search(WARM_UP, False)
    times = {q: {True: [], False: []} for qs in kinds.values() for q in qs}
    for q in times:  # first calls (words read from the index) are not measured
        search(q, True)
        search(q, False)
    for round_ in range(args.repeat):
        for q, samples in times.items():
            for on in (True, False) if round_ % 2 == 0 else (False, True):
                samples[on].append(search(q, on))
    all_on, all_off = [], []
    for kind, qs in kinds.items():
        kind_on, kind_off = [], []
        for q in qs:
            on, off = times[q][True], times[q][False]
            result["queries"][q] = {"kind": kind, **summary(on, off)}
            kind_on += on
            kind_off += off
        result["kinds"][kind] = summary(kind_on, kind_off)
        all_on += kind_on
        all_off += kind_off
    result["overall"] = summary(all_on, all_off)
    result["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]

    header = f"{'query':40} {'mean on/off ms':>18} {'cost':>7}   {'p95 on/off ms':>18} {'cost':>7}"
    print(f"{result['backend']}, {args.repeat} rounds, load {result['machine']['load_before']}", file=sys.stderr)
    print(header, file=sys.stderr)

    def line(name, row):
        print(
            f"{name:40} {row['on_mean_ms']:>8.2f} / {row['off_mean_ms']:<7.2f} {row['cost_mean_pct']:>+6.0f}%"
            f"   {row['on_p95_ms']:>8.2f} / {row['off_p95_ms']:<7.2f} {row['cost_p95_pct']:>+6.0f}%",
            file=sys.stderr,
        )

    for q, row in result["queries"].items():
        line(q, row)
    for kind, row in result["kinds"].items():
        line(f"[{kind}]", row)
    line("[overall]", result["overall"])
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
