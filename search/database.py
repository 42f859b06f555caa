"""Wagtail's database search backend (PostgreSQL full-text search, SQLite FTS5; chosen with
``SEARCH_BACKEND=postgres``, see intranet/settings/base.py), as ``wagtail.search.backends.database``
picks it for the database in use - with one addition: when objects are indexed in chunks (a
rebuild, ``manage.py update_index``), the tags of a whole chunk are loaded in one query.
modelsearch's indexer otherwise asks the database for each post's tags on its own: 100,000
queries in a rebuild at 100k posts (docs/performance.md, "PostgreSQL at 100k")."""

from modelsearch.backends import database

from .backend import _prefetch_tags


def SearchBackend(params):  # the name Wagtail looks up in a backend module
    backend = database.SearchBackend(params)
    base = backend.index_class

    class Index(base):
        def add_items(self, model, items):
            items = list(items)
            _prefetch_tags(model, items)
            return super().add_items(model, items)

    backend.index_class = Index
    return backend
