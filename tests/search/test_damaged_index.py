# ruff: noqa: F811 — the fixtures are imported from tests.search.ui_fixtures
"""A damaged search index: the search page, the header suggestions and the API say "search
unavailable" (503 with Retry-After) instead of crashing or finding nothing, /healthz reports it,
and ``manage.py repair_search_index`` brings everything back, including what was written while
the index was broken. The Whoosh index is broken three ways; the database backend's search
table is broken once."""

import json
import logging
import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.search.ui_fixtures import city, fresh_index, post  # noqa: F401

pytestmark = pytest.mark.django_db

is_whoosh = os.environ.get("SEARCH_BACKEND", "whoosh") == "whoosh"
whoosh_only = pytest.mark.skipif(not is_whoosh, reason="breaks the Whoosh index folder; the database shape is below")
database_only = pytest.mark.skipif(is_whoosh, reason="breaks the database backend's search table")


def _index_dir(settings) -> Path:
    return Path(settings.WAGTAILSEARCH_BACKENDS["default"]["PATH"])


def _as_a_fresh_worker(index_dir):
    """A worker started after the damage (gunicorn replaces workers) opens the index anew."""
    from search.whoosh.store import get_store

    get_store(index_dir).forget()


def garbage_in_segments(index_dir):
    for path in index_dir.iterdir():
        if path.suffix in (".trm", ".pst", ".col"):
            path.write_bytes(os.urandom(max(path.stat().st_size, 64)))
    _as_a_fresh_worker(index_dir)


def folder_deleted(index_dir):
    shutil.rmtree(index_dir)  # under the running process, which had the index open


def toc_deleted(index_dir):
    for toc in index_dir.glob("_*.toc"):
        toc.unlink()


def toc_truncated(index_dir):
    for toc in index_dir.glob("_*.toc"):
        toc.write_bytes(b"")
    _as_a_fresh_worker(index_dir)


def assert_search_unavailable(client):
    page = client.get("/suche/", {"q": "Antrag"})
    assert page.status_code == 503
    html = page.content.decode()
    assert "Die Suche ist gerade nicht verfügbar" in html
    assert 'id="site-search-q"' in html, "rendered in the site's layout, with the header"
    assert int(page["Retry-After"]) > 0

    suggestions = client.get("/suche/vorschlaege/", {"q": "Antr"})
    assert suggestions.status_code == 503
    assert suggestions.json() == {"results": []}, "the header script shows nothing for a failed answer"
    assert int(suggestions["Retry-After"]) > 0

    api = client.get("/api/v1/search", {"q": "Antrag"})
    assert api.status_code == 503
    assert api.json() == {
        "error": {
            "code": "search_unavailable",
            "message": "Die Suche ist gerade nicht verfügbar. Bitte versuchen Sie es später erneut.",
            "fields": [],
        }
    }
    assert int(api["Retry-After"]) > 0


def healthz(client):
    response = client.get("/healthz")
    return response.status_code, json.loads(response.content)


def found_by_api(client, word) -> set:
    response = client.get("/api/v1/search", {"q": word})
    assert response.status_code == 200, response.content
    return {(row["type"], row["title"]) for row in response.json()["results"]}


@whoosh_only
@pytest.mark.parametrize("damage", [garbage_in_segments, folder_deleted, toc_deleted, toc_truncated])
def test_a_damaged_index_answers_unavailable_until_the_repair_rebuilds_it_with_everything(
    damage, city, user, user_client, client, settings, django_capture_on_commit_callbacks, caplog
):
    call_command("update_index", verbosity=0)  # as every deployment builds it
    index_dir = _index_dir(settings)
    assert found_by_api(user_client, "Akteneinsicht") == {("page", "Antrag auf Akteneinsicht")}
    assert healthz(client)[0] == 200

    damage(index_dir)
    with caplog.at_level(logging.ERROR, logger="search"):
        assert_search_unavailable(user_client)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("search")]
    assert any(str(index_dir) in message and "damaged" in message for message in errors), errors

    status, body = healthz(client)
    assert status == 503 and body["status"] == "unavailable"
    assert body["checks"]["search_index"]["ok"] is False
    assert "repair_search_index" in body["checks"]["search_index"]["detail"]

    # Writing goes on while search is down: the post is saved (the index update may fail, logged).
    written = post(
        user, "Streugutlager am Bauhof ist wieder aufgefüllt", city.channel, django_capture_on_commit_callbacks
    )
    assert written.pk
    assert_search_unavailable(user_client)  # still down: nothing repaired it

    caplog.clear()
    out = StringIO()
    with caplog.at_level(logging.INFO, logger="search.repair"):
        call_command("repair_search_index", stdout=out)
    assert "rebuilt from the database" in out.getvalue()
    logged = " ".join(r.getMessage() for r in caplog.records if r.name == "search.repair")
    assert "needs a repair" in logged and "rebuilt from the database" in logged

    assert healthz(client)[0] == 200
    assert found_by_api(user_client, "Akteneinsicht") == {("page", "Antrag auf Akteneinsicht")}
    assert ("post", "Streugutlager am Bauhof ist wieder aufgefüllt") in found_by_api(user_client, "Streugutlager")
    assert user_client.get("/suche/", {"q": "Bauantrag"}).status_code == 200
    assert user_client.get("/suche/vorschlaege/", {"q": "Bauan"}).json()["results"]


@whoosh_only
def test_the_repair_keeps_a_post_written_while_it_rebuilds(
    city, user, user_client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The rebuild holds the index lock; a post saved meanwhile waits in the new folder's spool
    and is applied when the rebuild commits."""
    from search.whoosh.backend import WhooshRebuilder

    call_command("update_index", verbosity=0)
    toc_deleted(_index_dir(settings))
    finish = WhooshRebuilder.finish

    def finish_after_a_post(self):
        post(user, "Winterdienstplan während der Reparatur", city.channel, django_capture_on_commit_callbacks)
        assert list((_index_dir(settings) / "spool").glob("*.json")), "the save waits in the spool"
        return finish(self)

    monkeypatch.setattr(WhooshRebuilder, "finish", finish_after_a_post)
    call_command("repair_search_index", stdout=StringIO())
    assert found_by_api(user_client, "Winterdienstplan") == {("post", "Winterdienstplan während der Reparatur")}


@whoosh_only
def test_the_repair_leaves_a_healthy_index_alone_with_if_needed(city, user_client, settings):
    call_command("update_index", verbosity=0)
    index_dir = _index_dir(settings)
    out = StringIO()
    call_command("repair_search_index", "--if-needed", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert not list(index_dir.parent.glob(f"{index_dir.name}.broken-*"))
    assert found_by_api(user_client, "Akteneinsicht") == {("page", "Antrag auf Akteneinsicht")}


@whoosh_only
def test_with_if_needed_the_repair_heals_a_damaged_index(city, user_client, settings):
    call_command("update_index", verbosity=0)
    index_dir = _index_dir(settings)
    folder_deleted(index_dir)
    assert_search_unavailable(user_client)
    call_command("repair_search_index", "--if-needed", stdout=StringIO())
    assert found_by_api(user_client, "Akteneinsicht") == {("page", "Antrag auf Akteneinsicht")}


@database_only
def test_a_failing_search_table_answers_unavailable_and_healthz_says_so(city, user_client, client):
    """SEARCH_BACKEND=postgres: the index is two tables in the database (modelsearch's entries,
    which the suggestions read, and the engine's documents, which the search reads). If searching
    them fails, search answers 503 too (not 500), and /healthz's search check fails."""
    from django.db import connection
    from wagtail.search.models import IndexEntry

    from search.postgres.documents import TABLE

    tables = [IndexEntry._meta.db_table, TABLE]
    assert healthz(client)[0] == 200
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    assert_search_unavailable(user_client)
    status, body = healthz(client)
    assert status == 503 and body["checks"]["search_index"]["ok"] is False
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")
    assert user_client.get("/api/v1/search", {"q": "Akteneinsicht"}).status_code == 200
    assert healthz(client)[0] == 200
