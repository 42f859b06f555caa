"""Index writes from several threads and processes at once: nothing lost, nothing corrupt.

The first part drives :class:`search.whoosh.store.WhooshStore` directly (threads, forked
processes, a reseeded global ``random``); the second starts a real gunicorn server with several
workers and lets several client processes post and edit wiki pages through it at once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import queue
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from whoosh.qparser import QueryParser

from search.whoosh.store import ID_FIELD, WhooshStore
from tests.conftest import sign_in
from tests.servers import shared_database

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
    from whoosh.writing import SegmentWriter

    def broken(self, segments):
        raise OSError("disk full")

    # Fails where the table of contents is written, after the segment's files.
    monkeypatch.setattr(SegmentWriter, "_commit_toc", broken)
    with pytest.raises(OSError, match="disk full"):  # not "This writer is closed"
        store.write([("add", doc("kept"))])
    monkeypatch.undo()
    assert store.write([("add", doc("next"))])  # the lock was released, the spool kept
    assert ids_in(store) == {"kept", "next"}


def test_a_searcher_survives_a_merge_that_deletes_its_segments(store):
    """A searcher opened just before another writer merges its segments away still reads them:
    their stored fields and lengths were opened with it (Whoosh alone opens them on first use,
    finds the files gone, and fails with ``'NoneType' object is not subscriptable``)."""
    store.write([("add", doc("a", "Haushalt Antrag"))])
    store.write([("add", doc("b", "Haushalt"))])
    searcher = store.searcher()
    old_segments = {reader.segment().segment_id() for reader, _ in searcher.reader().leaf_readers()}
    assert len(old_segments) == 2

    store.index().writer().commit(optimize=True)  # another writer merges both into one
    assert not [name for name in os.listdir(store.path) if name.split(".")[0] in old_segments]

    query = QueryParser(TEXT, searcher.schema).parse("haushalt")
    results = searcher.search(query, limit=None)
    assert {hit[ID_FIELD] for hit in results} == {"a", "b"}
    assert results[0][ID_FIELD] == "b"  # the shorter document ranks first: its length was read
    assert hits(store, "haushalt") == {"a", "b"}  # and the next search reads the merged segment


def test_a_search_while_a_commit_replaces_the_table_of_contents(store, monkeypatch):
    """Between listing the index's files and opening the newest table of contents, a commit may
    write a newer one and delete it: the search reads the newer one instead of failing."""
    store.write([("add", doc("a", "Haushalt"))])
    ix = store.index()
    read_toc, calls = ix._read_toc, []

    def replaced_once():
        calls.append(1)
        if len(calls) == 1:
            raise FileNotFoundError(2, "No such file or directory", "_wissensnetz_2.toc")
        return read_toc()

    monkeypatch.setattr(ix, "_read_toc", replaced_once)
    assert hits(store, "haushalt") == {"a"}
    assert len(calls) == 2


def test_a_spool_file_applied_by_another_writer_meanwhile_is_no_error(store, monkeypatch, caplog):
    """Writers delete their spool files after committing, which releases the lock: the next
    writer may list a file that is gone when it reads it. It was applied; nothing is logged."""
    listed = store._spooled_files

    def with_one_already_applied():
        return [store.spool / "00000000000000000001-1-1-1.json", *listed()]

    monkeypatch.setattr(store, "_spooled_files", with_one_already_applied)
    assert store.write([("add", doc("a"))])
    assert ids_in(store) == {"a"}
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


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


# --- a real server with several workers ---------------------------------------------------------
#
# gunicorn runs the test settings (DEBUG off, the search index on disk) with three sync workers, on
# the test's own database: on PostgreSQL pytest-django's test database (the test is transactional,
# so what it sets up is committed and the server sees it); on SQLite the in-memory test database
# is copied to a file that the test process and the server then share for the test's duration.
# Three client processes then post (half through the site's form, half through the API) and
# edit wiki pages (a draft, then a publish) at the same moment.

SERVER_WORKERS = 3
CLIENTS = 3
POSTS_PER_CLIENT = 4
PAGES_PER_CLIENT = 1
#: Every wait is bounded; these are far above what a loaded 2-core machine needs.
SERVER_START_TIMEOUT = 60
CLIENT_TIMEOUT = 120
#: After the last answer, the last lock holder may still be committing what others spooled (a
#: search meanwhile answers from the commit before): the test waits for the spool to drain.
INDEX_CATCH_UP_TIMEOUT = 30
REQUEST_TIMEOUT = 60
CSRF = "Konkurrenztest0123456789abcdefgh"  # a valid unmasked CSRF secret (32 characters)


def unique_words(count: int) -> list[str]:
    """Made-up words the German analysis leaves alone (consonants after "qu": no ending that
    stemming strips), all of one length (none is a compound part of another) and at least three
    letters apart (fuzzy matching cannot confuse them). From a fixed seed: the same in every run."""
    rng = random.Random(8)
    letters = "bcdfgkpvwxz"
    words: list[str] = []
    while len(words) < count:
        word = "qu" + "".join(rng.choice(letters) for _ in range(7))
        if all(sum(a != b for a, b in zip(word, other, strict=True)) >= 3 for other in words):
            words.append(word)
    return words


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to check, not to follow


def http(method: str, url: str, *, headers=None, data: bytes | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=REQUEST_TIMEOUT) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _client(plan: dict, start, results) -> None:
    """One client process: its posts and page edits, one after the other, each answer recorded."""
    base = plan["base"]
    form_headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": CSRF,
    }
    answers = []

    def record(label, status, headers, ok_statuses):
        location = headers.get("Location", "")
        ok = status in ok_statuses and "login" not in location and "/konto/" not in location
        answers.append((label, status, location, ok))

    def form_post(path, cookie, fields):
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": CSRF, **fields}).encode()
        headers = {**form_headers, "Cookie": f"sessionid={cookie}; csrftoken={CSRF}"}
        return http("POST", base + path, headers=headers, data=data)

    start.wait(SERVER_START_TIMEOUT)
    try:
        pages = list(plan["pages"])
        for n, word in enumerate(plan["post_words"]):
            text = f"Neuer Beitrag {word} zur Sitzung"
            if n % 2 == 0:
                fields = {"channel": plan["channel"], "text": text}
                status, headers, _ = form_post("/beitraege/schreiben/", plan["poster_session"], fields)
                record(f"form post {word}", status, headers, {302})
            else:
                body = json.dumps({"text": text}).encode()
                headers = {"Authorization": f"Bearer {plan['token']}", "Content-Type": "application/json"}
                status, headers, _ = http("POST", base + "/api/v1/posts", headers=headers, data=body)
                record(f"API post {word}", status, headers, {201})
            if pages and n % 3 == 2:
                page = pages.pop()
                for title, extra in ((page["draft_title"], {}), (page["final_title"], {"action-publish": "1"})):
                    fields = {**page["form"], "title": title, **extra}
                    status, headers, _ = form_post(f"/admin/pages/{page['id']}/edit/", plan["editor_session"], fields)
                    record(f"page {page['id']} {'publish' if extra else 'draft'} {title}", status, headers, {302})
        assert not pages, "every page edit was planned in between the posts"
    except BaseException as error:  # reported by the test, with what went before
        answers.append(("client error", 0, repr(error), False))
    results.put((plan["client"], answers))


@contextlib.contextmanager
def gunicorn(database_url: str, index_dir: Path):
    """gunicorn with several workers on a socket of its own; yields the base URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    log = tempfile.TemporaryFile()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "intranet.settings.test",
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(index_dir),
        "POSTS_RATE_LIMIT_COUNT": "1000000",
        "API_RATE_LIMIT": "1000000/m",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "intranet.wsgi", "-w", str(SERVER_WORKERS)]
        + ["-b", f"fd://{listener.fileno()}", "--timeout", "120", "--log-level", "warning"]
        # Django is imported once and the workers forked from it (the fork path of the index
        # store); on a loaded machine three workers importing it each take ten seconds more.
        + ["--preload"]
        # no control socket: its default path is shared by every gunicorn of this user
        + ["--no-control-socket"],
        cwd=settings.BASE_DIR,
        env=env,
        pass_fds=(listener.fileno(),),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    listener.close()  # gunicorn has its own copy

    def server_log() -> str:
        log.seek(0)
        return log.read().decode(errors="replace")[-5000:]

    base = f"http://127.0.0.1:{port}"
    try:
        until = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            assert server.poll() is None, f"gunicorn exited with {server.returncode}:\n{server_log()}"
            try:
                http("GET", base + "/healthz")
                break
            except OSError:
                assert time.monotonic() < until, (
                    f"gunicorn did not answer within {SERVER_START_TIMEOUT} s:\n{server_log()}"
                )
                time.sleep(0.2)
        yield base, server_log
    finally:
        server.send_signal(signal.SIGINT)  # every request has been answered: a quick stop
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
        log.close()


def search_api(base: str, token: str, word: str) -> set[tuple[str, int]]:
    status, _, body = http(
        "GET", f"{base}/api/v1/search?q={word}&limit=100", headers={"Authorization": f"Bearer {token}"}
    )
    assert status == 200, f"search for {word!r}: HTTP {status} {body[:500]!r}"
    return {(hit["type"], hit["id"]) for hit in json.loads(body)["results"]}


def wait_for_spool_drained(base: str, token: str, index_dir: Path) -> None:
    """Waits until no write is left in the index's spool. Each round asks the server a search,
    which applies what it finds in the spool when the lock is free (a writer that lost the race
    for the lock leaves its batch there for the holder or the next search)."""
    spooled = WhooshStore(index_dir)._spooled_files  # lists the spool; opens nothing
    started = time.monotonic()
    while left := spooled():
        waited = time.monotonic() - started
        if waited > INDEX_CATCH_UP_TIMEOUT:
            pytest.fail(f"writes still unapplied after {waited:.0f} s: {[path.name for path in left]}")
        search_api(base, token, "Spoolprobe")
        time.sleep(0.05)


def index_ids(path: Path) -> set[str]:
    return ids_in(WhooshStore(path))  # a store of its own: as a freshly started process sees it


@pytest.mark.django_db(transaction=True)
def test_several_processes_post_and_edit_pages_through_several_server_workers(settings, tmp_path):
    from django.core.management import call_command
    from django.test import Client

    from home.models import DepartmentPage, WikiPage
    from people.models import Department
    from posts.actions import general_channel
    from posts.models import Post
    from tests.api.conftest import token_for
    from tests.conftest import activate_totp, ensure_start_page, make_user
    from tests.home.conftest import add_page, edit_data, rich

    index_dir, rebuilt_dir = tmp_path / "index", tmp_path / "rebuilt"
    words = iter(unique_words(CLIENTS * (POSTS_PER_CLIENT + 3 * PAGES_PER_CLIENT) + 1))

    def use_index(path: Path) -> None:
        backends = {name: dict(conf) for name, conf in settings.WAGTAILSEARCH_BACKENDS.items()}
        backends["default"]["PATH"] = str(path)
        settings.WAGTAILSEARCH_BACKENDS = backends
        settings.MODELSEARCH_BACKENDS = backends

    if settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] != "search.whoosh":
        pytest.skip("the index checks are for the Whoosh backend (the database backend has no files to corrupt)")
    use_index(index_dir)

    with shared_database() as database_url:
        home = ensure_start_page()
        department = Department.objects.create(name="Hauptamt", short_name="HA")
        section = add_page(home, DepartmentPage(title="Hauptamt", slug="hauptamt", department=department))
        editor = make_user("erika.redaktion", department=department, is_staff=True, is_superuser=True)
        activate_totp(editor)
        reader = make_user("rolf.leser", department=department)
        channel = general_channel()
        plans, pages = [], {}
        for c in range(CLIENTS):
            poster = make_user(f"paul.poster{c}", department=department)
            plan_pages = []
            for p in range(PAGES_PER_CLIENT):
                old, draft, final = next(words), next(words), next(words)
                page = add_page(section, WikiPage(title=f"Ablauf {old}", slug=f"ablauf-{c}-{p}", body=rich("Schritte")))
                pages[page.pk] = {"old": old, "draft": draft, "final": final}
                plan_pages.append(
                    {
                        "id": page.pk,
                        "form": edit_data(page),
                        "draft_title": f"Ablauf {draft}",
                        "final_title": f"Ablauf {final}",
                    }
                )
            sessions = []
            for user in (poster, editor):
                client = Client()
                sign_in(client, user)  # a session of its own per process, in the shared database
                sessions.append(client.cookies["sessionid"].value)
            plans.append(
                {
                    "client": c,
                    "channel": str(channel.pk),
                    "post_words": [next(words) for _ in range(POSTS_PER_CLIENT)],
                    "pages": plan_pages,
                    "poster_session": sessions[0],
                    "editor_session": sessions[1],
                    "token": token_for(poster, "write"),
                    "poster": poster.pk,
                }
            )
        read_token = token_for(reader, "read")
        call_command("update_index", verbosity=0)  # the server starts on an index that matches the database
        assert WhooshStore(index_dir).healthcheck()[0]

        with gunicorn(database_url, index_dir) as (base, server_log):
            fork = multiprocessing.get_context("fork")
            start, results = fork.Event(), fork.Queue()
            clients = [fork.Process(target=_client, args=({**plan, "base": base}, start, results)) for plan in plans]
            for process in clients:
                process.start()
            start.set()
            answers = {}
            for _ in clients:
                try:
                    c, client_answers = results.get(timeout=CLIENT_TIMEOUT)
                except queue.Empty:
                    pytest.fail(f"a client process gave no answer within {CLIENT_TIMEOUT} s:\n{server_log()}")
                answers[c] = client_answers
            for process in clients:
                process.join(timeout=30)
                if process.is_alive():
                    process.kill()
            failed = [answer for client_answers in answers.values() for answer in client_answers if not answer[3]]
            assert not failed, f"requests failed: {failed}\n{server_log()}"
            assert sum(len(a) for a in answers.values()) == CLIENTS * (POSTS_PER_CLIENT + 2 * PAGES_PER_CLIENT)

            wait_for_spool_drained(base, read_token, index_dir)
            # Every post is in the database, once, and findable by its word through the server.
            for plan in plans:
                for word in plan["post_words"]:
                    posts = list(Post.objects.filter(text__contains=word))
                    assert [p.author_id for p in posts] == [plan["poster"]], f"post {word}: {posts}"
                    assert search_api(base, read_token, word) == {("post", posts[0].pk)}, f"post {word}"
            # Every page edit is published and findable by its new title only.
            for page_id, page_words in pages.items():
                page = WikiPage.objects.get(pk=page_id)
                assert page.title == f"Ablauf {page_words['final']}" and page.live and not page.has_unpublished_changes
                assert search_api(base, read_token, page_words["final"]) == {("page", page_id)}
                assert search_api(base, read_token, page_words["old"]) == set(), "the old title is still found"
                assert search_api(base, read_token, page_words["draft"]) == set(), "a draft's title is found"
            healthz = json.loads(http("GET", base + "/healthz")[2])
            assert healthz["checks"]["search_index"]["ok"], healthz

        # The server is gone: the index on disk opens, is healthy, and holds exactly what a
        # rebuild from the database holds.
        live = index_ids(index_dir)
        ok, detail = WhooshStore(index_dir).healthcheck()
        assert (ok, detail) == (True, f"ok, {len(live)} documents")
        assert not list((index_dir / "spool").glob("*.json")), "writes left unapplied in the spool"
        use_index(rebuilt_dir)
        call_command("update_index", verbosity=0)
        assert live == index_ids(rebuilt_dir)
        assert len(live) >= Post.objects.count() + len(pages)
