"""modelsearch's shared backend suite, run against our Whoosh backend and, unchanged, against
modelsearch's own database backend as the peer: SQLite FTS, or PostgreSQL when the run is on
PostgreSQL (each skips itself on the other database). What our backend cannot do is marked
``expectedFailure`` with its reason, one line each."""

import unittest

from django.conf import settings
from django.test import TestCase
from modelsearch.test.testapp import models
from modelsearch.tests import test_postgres_backend as postgres_peer
from modelsearch.tests import test_sqlite_backend as peer
from modelsearch.tests.test_backends import BackendTests

NO_FIXTURE = "modelsearch's fixture search.json not found in ../shared/conformance (it is not in the wheel)"
fixture_available = bool(settings.FIXTURE_DIRS) and (settings.FIXTURE_DIRS[0] / "search.json").is_file()

# Tests whose data is missing from the shared search.json: they fail for every backend alike.
NO_ANIMALS = "search.json has no MPAnimal/NSAnimal rows (treebeard data), for any backend"
NO_AGENDA = "search.json has no AgendaItem/Speaker rows, so nothing nested can match, for any backend"
FIXTURE_GAPS = {
    "test_get_ancestors_filter": NO_ANIMALS,
    "test_get_children_filter": NO_ANIMALS,
    "test_get_descendants_filter": NO_ANIMALS,
    "test_get_root_nodes_filter": NO_ANIMALS,
    "test_get_siblings_filter": NO_ANIMALS,
    "test_search_on_nested_related_fields": NO_AGENDA,
}


def mark_fixture_gaps(cls):
    """Marks the tests listed in FIXTURE_GAPS as expected failures on ``cls`` (reasons above)."""
    for name in FIXTURE_GAPS:
        setattr(cls, name, unittest.expectedFailure(getattr(BackendTests, name)))
    return cls


@unittest.skipUnless(fixture_available, NO_FIXTURE)
@mark_fixture_gaps
class TestWhooshBackend(BackendTests, TestCase):
    backend_path = "search.whoosh"

    def test_reset_indexes(self):
        """After reset_indexes(), searches find nothing (the peer's own extra test)."""
        self.backend.reset_indexes()
        self.assertEqual(self.backend.search("JavaScript", models.Book).count(), 0)

    def test_healthcheck(self):
        ok, detail = self.backend.healthcheck()
        self.assertTrue(ok, detail)


@unittest.skipUnless(fixture_available, NO_FIXTURE)
@mark_fixture_gaps
class TestSQLitePeer(peer.TestSQLiteSearchBackend):
    """modelsearch's SQLite FTS backend, with modelsearch's own skips and expected failures."""


@unittest.skipUnless(fixture_available, NO_FIXTURE)
@mark_fixture_gaps
class TestPostgresPeer(postgres_peer.TestPostgresSearchBackend):
    """On PostgreSQL (DATABASE_URL=postgres://...), modelsearch's PostgreSQL backend is the peer."""


def _postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@unittest.skipUnless(fixture_available, NO_FIXTURE)
@unittest.skipUnless(_postgres(), "the PostgreSQL engine needs PostgreSQL (DATABASE_URL=postgres://...)")
@mark_fixture_gaps
class TestPostgresEngine(BackendTests, TestCase):
    """Our PostgreSQL engine (search.postgres): German lexemes, pg_trgm typos, same suite. (Its
    vocabulary table is made in conftest.py's django_db_setup.)"""

    backend_path = "search.postgres"

    def test_reset_indexes(self):
        self.backend.reset_indexes()
        self.assertEqual(self.backend.search("JavaScript", models.Book).count(), 0)
