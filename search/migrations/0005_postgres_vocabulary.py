"""PostgreSQL only: what the PostgreSQL search engine (``search.postgres``) needs besides
modelsearch's index table - the extension ``pg_trgm`` and the table of indexed words
(:mod:`search.postgres.vocabulary`) with a trigram GiST index for typo candidates. Nothing on
SQLite. Without the extension (a managed database where the migration's user may not create
it) the migration stops and says how to add it."""

from django.db import migrations

TABLE = "search_vocabulary"

MISSING = (
    "The PostgreSQL search engine needs the PostgreSQL extension pg_trgm (part of PostgreSQL's "
    "contrib package; Debian: postgresql-contrib). {detail} Ask the database administrator to run "
    "'CREATE EXTENSION IF NOT EXISTS pg_trgm;' as a superuser in this database (on a managed "
    "database: enable pg_trgm in its extension settings), then run 'manage.py migrate' again."
)


def _extension(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT installed_version FROM pg_available_extensions WHERE name = 'pg_trgm'")
        row = cursor.fetchone()
    if row is None:
        raise RuntimeError(MISSING.format(detail="It is not installed on the database server."))
    if row[0] is None:
        try:
            with schema_editor.connection.cursor() as cursor:
                cursor.execute("SAVEPOINT wn_trgm")
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("RELEASE SAVEPOINT wn_trgm")
        except Exception as exc:
            with schema_editor.connection.cursor() as cursor:
                cursor.execute("ROLLBACK TO SAVEPOINT wn_trgm")
            raise RuntimeError(MISSING.format(detail=f"This database user may not create it ({exc}).")) from exc


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _extension(schema_editor)
    schema_editor.execute(
        f"CREATE TABLE IF NOT EXISTS {TABLE} (word text PRIMARY KEY, folded text NOT NULL, lexeme text NOT NULL)"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_lexeme ON {TABLE} (lexeme)")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_folded_trgm ON {TABLE} USING gist (folded gist_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_default_synonyms")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
