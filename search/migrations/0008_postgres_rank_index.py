"""PostgreSQL only: the RUM indexes on ``search_document`` (``title || body``, and ``title``), from which the
engine takes the best matches of a frequent word without ranking every match
(:mod:`search.postgres.ranked`). It needs the ``rum`` extension (Debian: ``postgresql-15-rum``);
where the server does not have it or the role may not create it (managed databases), the
migration says so and goes on: the engine then ranks every match, as before, and the system
check ``search.W001`` keeps saying how to add it (``manage.py update_index`` creates the index
once the extension is there). Nothing on SQLite."""

import sys

from django.db import migrations

from search.postgres import documents


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    problem = documents.create_rank_index(schema_editor.connection)
    if problem:
        sys.stdout.write(f"\n  search.0008: {problem}\n")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {documents.RANK_INDEX}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {documents.TITLE_RANK_INDEX}")


class Migration(migrations.Migration):
    # CREATE EXTENSION and CREATE INDEX run in a savepoint of their own (a refusal is reported)
    dependencies = [("search", "0007_postgres_document_facts")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
