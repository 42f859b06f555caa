"""The index as an operator meets it: several worker processes writing at once, a writer killed
mid-write, a missing or damaged index, and rebuilding it from the database."""

import multiprocessing
import os
import signal

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Page

from search.whoosh.backend import SearchBackend
from search.whoosh.store import ID_FIELD, TEXT_PREFIX, WhooshStore, get_store

# "fork" keeps the children cheap and needs no Django set-up in them: they only use the store.
fork = multiprocessing.get_context("fork")


def doc(doc_id, text):
    return {ID_FIELD: doc_id, TEXT_PREFIX + "title": text}


def stored_ids(store):
    searcher = store.searcher()
    return {fields[ID_FIELD] for fields in searcher.reader().all_stored_fields()}


def _writer_process(path, worker, count, start):
    start.wait()
    store = WhooshStore(path)  # a process of its own, as a gunicorn worker would have
    for i in range(count):
        store.write([("add", doc(f"test:{worker}-{i}", f"Vorgang {worker} Nummer {i}"))])
    os._exit(0)


def test_concurrent_writers_from_several_processes_lose_nothing(tmp_path):
    path = str(tmp_path / "index")
    WhooshStore(path).index()  # created before the workers start
    workers, per_worker = 4, 25
    start = fork.Event()
    procs = [fork.Process(target=_writer_process, args=(path, w, per_worker, start)) for w in range(workers)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    store = WhooshStore(path)
    store.flush(timeout=5)  # nothing should be left, but an operator would do this after a crash
    assert stored_ids(store) == {f"test:{w}-{i}" for w in range(workers) for i in range(per_worker)}
    assert not list((tmp_path / "index" / "spool").glob("*.json"))


def test_updates_of_one_document_from_several_processes_keep_one_copy(tmp_path):
    path = str(tmp_path / "index")
    WhooshStore(path).index()
    start = fork.Event()

    def update_same(worker):
        start.wait()
        store = WhooshStore(path)
        for i in range(10):
            store.write([("add", doc("test:shared", f"Fassung {worker}-{i}"))])
        os._exit(0)

    procs = [fork.Process(target=update_same, args=(w,)) for w in range(3)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    searcher = WhooshStore(path).searcher()
    assert searcher.doc_count() == 1


def _hold_lock(path, locked, release):
    store = WhooshStore(path)
    writer = store.index().writer()
    locked.set()
    release.wait(30)
    writer.cancel()
    store.flush()  # what every lock holder does after releasing: apply what others spooled
    os._exit(0)


def test_a_write_does_not_wait_for_a_busy_lock_and_still_lands(tmp_path):
    path = str(tmp_path / "index")
    store = WhooshStore(path)
    store.index()
    locked, release = fork.Event(), fork.Event()
    holder = fork.Process(target=_hold_lock, args=(path, locked, release))
    holder.start()
    assert locked.wait(30)

    applied = store.write([("add", doc("test:1", "Dienstreiseantrag"))])
    assert applied is False  # returned at once; the holder applies it
    release.set()
    holder.join(30)
    assert holder.exitcode == 0
    assert stored_ids(store) == {"test:1"}


def _hold_lock_forever(path, locked):
    writer = WhooshStore(path).index().writer()
    writer.add_document(**doc("test:lost", "nie gespeichert"))
    locked.set()
    signal.pause()


def test_a_writer_killed_with_sigkill_leaves_no_lock_behind(tmp_path):
    path = str(tmp_path / "index")
    store = WhooshStore(path)
    store.index()
    locked = fork.Event()
    victim = fork.Process(target=_hold_lock_forever, args=(path, locked))
    victim.start()
    assert locked.wait(30)
    assert store.write([("add", doc("test:1", "Spool"))]) is False  # lock held: spooled

    os.kill(victim.pid, signal.SIGKILL)
    victim.join(30)

    # The kernel dropped the flock with the process; the next search applies the spool.
    assert stored_ids(store) == {"test:1"}
    assert store.write([("add", doc("test:2", "danach"))]) is True
    assert stored_ids(store) == {"test:1", "test:2"}  # the killed writer's document never landed


# --- health and recovery -------------------------------------------------------------------------


@pytest.fixture
def configured(index_dir):
    """The project's configured backend pointed at a fresh folder, as /healthz and the
    management commands see it."""
    conf = {"default": {"BACKEND": "search.whoosh", "PATH": str(index_dir)}}
    with override_settings(WAGTAILSEARCH_BACKENDS=conf, MODELSEARCH_BACKENDS=conf):
        yield SearchBackend(conf["default"])


def test_healthcheck_of_a_missing_index(backend, index_dir):
    ok, detail = backend.healthcheck()
    assert not ok
    assert "missing" in detail and "update_index" in detail
    assert not index_dir.exists()  # the health check itself changes nothing


@pytest.mark.django_db
def test_missing_index_is_created_empty_by_a_search_and_reported_until_rebuilt(configured, index_dir, root_page):
    root_page.add_child(instance=Page(title="Vorhandene Dienstvereinbarung"))
    import shutil

    shutil.rmtree(index_dir, ignore_errors=True)
    get_store(index_dir).forget()

    assert list(configured.search("Dienstvereinbarung", Page)) == []  # no crash: an empty index
    ok, detail = configured.healthcheck()
    assert not ok and "update_index" in detail

    call_command("update_index", verbosity=0)
    ok, detail = configured.healthcheck()
    assert ok, detail
    assert [p.title for p in configured.search("Dienstvereinbarung", Page)] == ["Vorhandene Dienstvereinbarung"]


@pytest.mark.django_db
def test_corrupt_index_is_reported_and_rebuild_recovers(configured, index_dir, root_page):
    root_page.add_child(instance=Page(title="Wichtige Dienstanweisung"))
    call_command("update_index", verbosity=0)
    assert configured.healthcheck()[0]

    for toc in index_dir.glob("_*.toc"):
        toc.write_bytes(b"this is not a table of contents")
    get_store(index_dir).forget()  # as a freshly started worker
    ok, detail = configured.healthcheck()
    assert not ok and "unreadable" in detail

    call_command("wagtail_update_index", verbosity=0)
    ok, detail = configured.healthcheck()
    assert ok, detail
    assert [p.title for p in configured.search("Dienstanweisung", Page)] == ["Wichtige Dienstanweisung"]
    assert list(index_dir.parent.glob("index.broken-*")), "the damaged index is kept aside for inspection"


@pytest.mark.django_db
def test_rebuild_replaces_stale_documents(configured, root_page):
    page = root_page.add_child(instance=Page(title="Alte Regelung"))
    Page.objects.filter(pk=page.pk).update(title="Neue Regelung")  # no signal: the index is stale
    assert [p.pk for p in configured.search("Alte", Page)] == [page.pk]

    call_command("update_index", verbosity=0)
    assert list(configured.search("Alte", Page)) == []
    assert [p.title for p in configured.search("Neue", Page)] == ["Neue Regelung"]


def test_healthz_endpoint_reports_the_index(client, configured, index_dir, db):
    ok_response = client.get("/healthz")
    body = ok_response.json()
    assert body["checks"]["search_index"]["ok"] is False  # nothing there yet
    assert ok_response.status_code == 503


@pytest.mark.django_db
def test_rebuild_with_two_processes(index_dir, root_page):
    """REBUILD_PROCS=2: Whoosh's multiprocessing writer, one segment per process."""
    for i in range(30):
        root_page.add_child(instance=Page(title=f"Rundschreiben Nummer {i}"))
    conf = {"default": {"BACKEND": "search.whoosh", "PATH": str(index_dir), "REBUILD_PROCS": 2}}
    with override_settings(WAGTAILSEARCH_BACKENDS=conf, MODELSEARCH_BACKENDS=conf):
        call_command("update_index", verbosity=0, chunk_size=10)
        backend = SearchBackend(conf["default"])
        assert backend.search("Rundschreiben", Page).count() == 30
        assert backend.healthcheck()[0]
