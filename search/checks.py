"""System checks of the search (``manage.py check --database default``; ``migrate`` runs them)."""

from django.conf import settings
from django.core import checks
from django.db import connections

from .postgres import documents


@checks.register(checks.Tags.database)
def rank_index(app_configs=None, databases=None, **kwargs):
    """search.W001: the PostgreSQL engine without its RUM index ranks every match of a search."""
    backend = settings.WAGTAILSEARCH_BACKENDS.get("default", {}).get("BACKEND")
    if not databases or "default" not in databases or backend != "search.postgres":
        return []
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [documents.TABLE])
        if not cursor.fetchone()[0]:  # not migrated yet
            return []
    if documents.rank_index_exists(connection):
        return []
    return [
        checks.Warning(
            "The PostgreSQL search engine has no RUM index: every match of a search is ranked "
            "(exact, but slow for frequent words at a million documents).",
            hint="Install the PostgreSQL extension 'rum' on the database server (Debian/Ubuntu: "
            "postgresql-<major>-rum), run 'CREATE EXTENSION rum;' as a superuser in the site's database, "
            "then 'manage.py update_index' (docs/deploy.md, 'PostgreSQL extensions').",
            id="search.W001",
        )
    ]
