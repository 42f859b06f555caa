"""The PostgreSQL engine's own narrow table of what a search reads (migration ``search.0006``).

``search_document`` holds one row per row of modelsearch's ``wagtailsearch_indexentry`` (its
``entry_id``; triggers on the index table delete the rows of deleted entries and empty the table
when it is truncated, so whatever removes an index entry - ``delete_item``, stale entries,
``reset``, Django's ``flush`` - removes the document in the same statement; a foreign key
would make ``TRUNCATE`` of the index table fail): the
content type, the object's id as a number, the ``title`` and ``body`` vectors (``ts_rank``; a GIN
index on ``title || body`` answers ``@@``: a stored concatenation doubled the table and made a
search read twice the pages) and ``related``, the values of the object's related filter fields
(``{"tags__slug": ["bauen", ...]}``), so the facets over tags need no join to the objects.

modelsearch's table stays as it is (Wagtail's admin searches per model through it); a search
of the site reads only this one. Rows are written by :meth:`search.postgres.backend.Index.add_items`
in the transaction of the change, so every app server sees them at once.
"""

from __future__ import annotations

import json

from modelsearch.index import FilterField, RelatedFields

TABLE = "search_document"


def entries_table() -> str:
    """modelsearch's index table (``wagtailsearch_indexentry`` on this site)."""
    from modelsearch.backends.database.postgres.postgres import IndexEntry

    return IndexEntry._meta.db_table


def create_statements() -> list[str]:
    entries = entries_table()
    return [
        f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        entry_id integer PRIMARY KEY,
        content_type_id integer NOT NULL,
        object_id bigint NOT NULL,
        title tsvector NOT NULL,
        body tsvector NOT NULL,
        related jsonb NOT NULL DEFAULT '{{}}'::jsonb,
        facts jsonb
    )""",
        f"CREATE INDEX IF NOT EXISTS {TABLE}_text ON {TABLE} USING gin ((title || body))",
        f"CREATE INDEX IF NOT EXISTS {TABLE}_object ON {TABLE} (content_type_id, object_id)",
        f"""CREATE OR REPLACE FUNCTION {TABLE}_forget() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            TRUNCATE {TABLE};
        ELSE
            DELETE FROM {TABLE} AS d USING gone WHERE d.entry_id = gone.id;
        END IF;
        RETURN NULL;
    END $$""",  # noqa: S608 — our table names
        f"""CREATE OR REPLACE TRIGGER {TABLE}_forget AFTER DELETE ON {entries}
        REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_forget()""",
        f"""CREATE OR REPLACE TRIGGER {TABLE}_truncate AFTER TRUNCATE ON {entries}
        FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_forget()""",
    ]


#: The RUM index that gives the best matches of a query without ranking every match (``ORDER BY
#: (title || body) <=> query LIMIT n``; :mod:`search.postgres.ranked`). From the ``rum`` extension
#: (Debian: ``postgresql-15-rum``), which managed databases may not offer: without it, every
#: match is ranked (exact, slower for frequent words).
RANK_INDEX = f"{TABLE}_rank"
#: The same on the title alone: the engine counts a title match twice and a compound part in the
#: title above the word in a text, which the order over ``title || body`` does not; the best
#: titles are taken from here too.
TITLE_RANK_INDEX = f"{TABLE}_title_rank"
RANK_EXTENSION = "rum"
#: SQL (and its parameters) that is true when both RUM indexes are there.
RANK_INDEXES_PRESENT = ("to_regclass(%s) IS NOT NULL AND to_regclass(%s) IS NOT NULL", [RANK_INDEX, TITLE_RANK_INDEX])


def rank_index_exists(connection) -> bool:
    condition, params = RANK_INDEXES_PRESENT
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {condition}", params)
        return cursor.fetchone()[0]


def create_rank_index(connection) -> str | None:
    """Creates the ``rum`` extension (where the server has it and the role may) and the RUM indexes
    on ``title || body`` and on ``title``. Returns None when the index exists, otherwise why it could not be made,
    naming the extension and how to add it (the engine then ranks every match)."""
    from django.db import DatabaseError, transaction

    if rank_index_exists(connection):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = %s", [RANK_EXTENSION])
        if cursor.fetchone() is None:
            return (
                f"The PostgreSQL extension '{RANK_EXTENSION}' is not installed on the database server "
                f"(Debian/Ubuntu: apt-get install postgresql-<major>-rum). Without it every match of a "
                f"search is ranked (exact, slower for frequent words at a million documents). After "
                f"installing it, run 'manage.py update_index' to create the index."
            )
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {RANK_EXTENSION}")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {RANK_INDEX} ON {TABLE} USING rum ((title || body) rum_tsvector_ops)"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {TITLE_RANK_INDEX} ON {TABLE} USING rum (title rum_tsvector_ops)"
            )
    except DatabaseError as error:
        return (
            f"The PostgreSQL extension '{RANK_EXTENSION}' could not be enabled ({str(error).strip()}): a "
            f"superuser runs 'CREATE EXTENSION {RANK_EXTENSION};' in the site's database, then "
            f"'manage.py update_index' creates the index. Until then every match of a search is ranked."
        )
    return None


def drop_statements() -> list[str]:
    entries = entries_table()
    return [
        f"DROP INDEX IF EXISTS {RANK_INDEX}",
        f"DROP INDEX IF EXISTS {TITLE_RANK_INDEX}",
        f"DROP TRIGGER IF EXISTS {TABLE}_forget ON {entries}",
        f"DROP TRIGGER IF EXISTS {TABLE}_truncate ON {entries}",
        f"DROP FUNCTION IF EXISTS {TABLE}_forget()",
        f"DROP TABLE IF EXISTS {TABLE}",
    ]


def related_filter_fields(model) -> list[tuple[str, str]]:
    """``[(relation, field)]`` of the model's ``RelatedFields`` filter fields (``("tags", "slug")``)."""
    found = []
    for field in model.get_search_fields():
        if isinstance(field, RelatedFields):
            for sub in field.fields:
                if isinstance(sub, FilterField):
                    found.append((field.field_name, sub.field_name))
    return found


def related_values(obj, fields: list[tuple[str, str]]) -> dict:
    """``{"tags__slug": [...]}`` of one object (its related objects' values as text)."""
    from django.db.models import Manager

    out: dict[str, list[str]] = {}
    for relation, name in fields:
        value = getattr(obj, relation, None)
        if value is None:
            items = []
        elif isinstance(value, Manager):
            items = list(value.all())
        else:
            items = [value]
        out[f"{relation}__{name}"] = [str(getattr(item, name)) for item in items if getattr(item, name) is not None]
    return out


def write(connection, content_type_id: int, documents: list[tuple[str, dict, str]]) -> None:
    """Copies the index entries of ``[(object_id, related, facts as JSON text)]`` (just written)
    into the table (facts: :mod:`search.postgres.facts`). Objects whose primary key is no integer
    are left out (every type of this site has one).

    A row whose values are unchanged is not written again: an ``UPDATE`` leaves a dead copy of
    the row behind, and a full rebuild that rewrote every row doubled the table, so a search read
    twice the pages until a ``VACUUM FULL`` (docs/performance.md)."""
    documents = [document for document in documents if str(document[0]).isdigit()]
    if not documents:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {TABLE} (entry_id, content_type_id, object_id, title, body, related, facts)
            SELECT e.id, e.content_type_id, e.object_id::bigint, e.title, e.body, d.related::jsonb, d.facts::jsonb
            FROM unnest(%s::text[], %s::text[], %s::text[]) AS d (object_id, related, facts)
            JOIN {entries_table()} e ON e.content_type_id = %s AND e.object_id = d.object_id
            ON CONFLICT (entry_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body,
                related = EXCLUDED.related, facts = EXCLUDED.facts
            WHERE ({TABLE}.title, {TABLE}.body, {TABLE}.related, {TABLE}.facts)
                IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.body, EXCLUDED.related, EXCLUDED.facts)
            """,  # noqa: S608 — our table names
            [
                [str(document[0]) for document in documents],
                [json.dumps(document[1]) for document in documents],
                [document[2] for document in documents],
                content_type_id,
            ],
        )
