"""PostgreSQL only: a GIN index on ``title || body`` of Wagtail's search table.

Wagtail's PostgreSQL full-text search (``SEARCH_BACKEND=postgres``) matches
``("title" || "body") @@ query``; the table only has indexes on ``title`` and ``body`` apart, so
every search read all index entries. At 100k posts a two-word count took 220 ms (and 44 s with
the statistics of a fresh rebuild); with this index 67 ms (docs/performance.md). Nothing on SQLite
(its backend has an FTS5 table of its own)."""

from django.db import migrations

INDEX = "search_indexentry_title_body_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_search_query_stats"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
