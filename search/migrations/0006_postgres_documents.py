"""PostgreSQL only: the PostgreSQL search engine's narrow table ``search_document``
(:mod:`search.postgres.documents`: one row per index entry with the vectors a search matches and
ranks and the related filter values its facets count), filled from the index entries already
there, so a site that searches with ``search.postgres`` keeps finding everything without a
rebuild. Nothing on SQLite. Uses only core PostgreSQL (no extension)."""

from django.db import migrations

from search.postgres import documents


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in documents.create_statements():
        schema_editor.execute(statement)
    schema_editor.execute(
        f"""
        INSERT INTO {documents.TABLE} (entry_id, content_type_id, object_id, title, body)
        SELECT id, content_type_id, object_id::bigint, title, body
        FROM {documents.entries_table()} WHERE object_id ~ '^[0-9]+$'
        ON CONFLICT (entry_id) DO NOTHING
        """  # noqa: S608 — our table names
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {documents.TABLE})")  # noqa: S608
        indexed = cursor.fetchone()[0]
    if indexed:  # (a new database has no entries yet, nor perhaps the content apps' tables)
        fill_related(schema_editor.connection)


def fill_related(connection, chunk=2000):
    """The related filter values (tags) of the objects already indexed, read from the current
    models (not the migration's historical ones: the values are what ``search_fields`` says)."""
    from django.contrib.contenttypes.models import ContentType
    from modelsearch.index import get_indexed_models

    from search.indexing import prefetch_tags

    for model in get_indexed_models():
        fields = documents.related_filter_fields(model)
        if not fields:
            continue
        content_type = ContentType.objects.db_manager(connection.alias).get_for_model(model)
        objects = model.get_indexed_objects().using(connection.alias).order_by("pk")
        last = None
        while True:
            batch = list((objects.filter(pk__gt=last) if last is not None else objects)[:chunk])
            if not batch:
                break
            last = batch[-1].pk
            prefetch_tags(model, batch)
            rows = [(str(obj.pk), documents.related_values(obj, fields)) for obj in batch]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"""
                    UPDATE {documents.TABLE} AS s SET related = d.related::jsonb
                    FROM unnest(%s::text[], %s::text[]) AS d (object_id, related)
                    WHERE s.content_type_id = %s AND s.object_id = d.object_id::bigint
                    """,  # noqa: S608 — our table name
                    [[pk for pk, _ in rows], [documents.json.dumps(r) for _, r in rows], content_type.pk],
                )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in documents.drop_statements():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_postgres_vocabulary"), ("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
