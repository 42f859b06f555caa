"""Wagtail's database search backend (PostgreSQL full-text search, SQLite FTS5; chosen with
``SEARCH_BACKEND=postgres``, see intranet/settings/base.py), as ``wagtail.search.backends.database``
picks it for the database in use - with one addition: when objects are indexed in chunks (a
rebuild, ``manage.py update_index``), the tags of a whole chunk are loaded in one query
(modelsearch's indexer otherwise asks the database for each post's tags on its own: 100,000
queries in a rebuild at 100k posts), and after a rebuild PostgreSQL's statistics of the search
table are brought up to date. The index that lets PostgreSQL's searches use GIN is a migration:
search/migrations/0002_postgres_title_body_index.py (docs/performance.md, "PostgreSQL at 100k")."""

from modelsearch.backends import database

from .indexing import prefetch_tags as _prefetch_tags


def SearchBackend(params):  # the name Wagtail looks up in a backend module
    backend = database.SearchBackend(params)
    base = backend.index_class

    class Index(base):
        def add_items(self, model, items):
            items = list(items)
            _prefetch_tags(model, items)
            return super().add_items(model, items)

    backend.index_class = Index
    rebuilder = backend.rebuilder_class

    class Rebuilder(rebuilder):
        def finish(self):
            super().finish()
            _analyze(self.index)

    backend.rebuilder_class = Rebuilder
    return backend


def _analyze(index):
    """Fresh planner statistics after a rebuild (PostgreSQL): with those of the empty table the
    planner joined 100k index entries to 100k posts in a nested loop - 44 s for one count at
    100k posts, until autovacuum got round to the table."""
    connection = getattr(index, "write_connection", None)
    if connection is not None and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE wagtailsearch_indexentry")
