"""PostgreSQL only: the permission facts of each document of the PostgreSQL engine
(``search_document.facts``, :mod:`search.postgres.facts`: the values of the object's own
``FilterField``s), so the ranked search filters, counts and facets without joining each type's
table. Filled here for the documents already there (one ``UPDATE`` per indexed model, built by the
database from the current models' columns), so no rebuild is needed. Nothing on SQLite. Core
PostgreSQL only (no extension)."""

from django.db import migrations

from search.postgres import documents


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {documents.TABLE} ADD COLUMN IF NOT EXISTS facts jsonb")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {documents.TABLE})")  # noqa: S608
        indexed = cursor.fetchone()[0]
    if indexed:  # (a new database has no documents yet, nor perhaps the content apps' tables)
        fill_facts(schema_editor.connection)


def fill_facts(connection):
    """Every document's facts from its object's current columns (``jsonb_build_object``)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F
    from django.db.models.functions import JSONObject
    from modelsearch.index import get_indexed_models

    from search.postgres.facts import fact_fields

    for model in get_indexed_models():
        fields = fact_fields(model)
        if not fields:
            continue
        content_type = ContentType.objects.db_manager(connection.alias).get_for_model(model)
        rows = (
            model._default_manager.using(connection.alias)
            .order_by()
            .annotate(_facts=JSONObject(**{field.attname: F(field.attname) for field in fields}))
            .values_list("pk", "_facts")
        )
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {documents.TABLE} AS d SET facts = o.facts
                FROM ({sql}) AS o (pk, facts)
                WHERE d.content_type_id = %s AND d.object_id = o.pk
                """,  # noqa: S608 — our table name and Django's SQL
                [*params, content_type.pk],
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {documents.TABLE} DROP COLUMN IF EXISTS facts")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_postgres_documents")]

    operations = [migrations.RunPython(add, drop, elidable=False)]
