"""Index upkeep for changes that Wagtail makes without a save signal."""

import pytest
from wagtail.models import Page

from tests.search.ui_fixtures import whoosh_engine


@pytest.mark.django_db(transaction=True)
def test_a_moved_page_and_its_children_are_found_under_their_new_parent(home_page):
    bauamt = home_page.add_child(instance=Page(title="Bauamt", slug="bauamt"))
    buergeramt = home_page.add_child(instance=Page(title="Bürgeramt", slug="buergeramt"))
    guide = bauamt.add_child(instance=Page(title="Leitfaden Sondernutzungserlaubnis", slug="leitfaden"))
    guide.add_child(instance=Page(title="Sondernutzungserlaubnis Formular", slug="formular"))

    assert {p.title for p in Page.objects.descendant_of(bauamt).search("Sondernutzungserlaubnis")} == {
        "Leitfaden Sondernutzungserlaubnis",
        "Sondernutzungserlaubnis Formular",
    }

    Page.objects.get(pk=guide.pk).move(buergeramt, pos="last-child")

    found_under_new = {p.title for p in Page.objects.descendant_of(buergeramt).search("Sondernutzungserlaubnis")}
    found_under_old = list(Page.objects.descendant_of(bauamt).search("Sondernutzungserlaubnis"))
    assert found_under_new == {"Leitfaden Sondernutzungserlaubnis", "Sondernutzungserlaubnis Formular"}
    assert found_under_old == []


# --- rebuilding (manage.py update_index) --------------------------------------------------------


@pytest.fixture
def immediate_on_commit(monkeypatch):
    """Index updates of ``create_post`` run at once (the test's transaction never commits)."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def general(db):
    from posts import actions

    return actions.general_channel()


def _rebuild(backend, model, objects):
    """What ``manage.py update_index`` does for one model and one chunk."""
    rebuilder = backend.rebuilder_class(backend.get_index_for_model(model))
    index = rebuilder.start()
    index.add_model(model)
    index.add_items(model, objects)
    return rebuilder


def _posts(general, author, count):
    from tests.posts.conftest import post_in

    return [
        post_in(general, author, f"Dienstplan Woche {n}: #Winterdienst #Bereitschaft im #Bauhof") for n in range(count)
    ]


def _found(backend, word):
    from posts.models import Post

    return {post.pk for post in backend.search(word, Post)}


@pytest.mark.django_db
@pytest.mark.usefixtures("immediate_on_commit")
def test_a_rebuild_reads_posts_with_their_tags_and_authors_in_a_fixed_number_of_queries(backend, general, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from posts.models import Post

    def queries_to_rebuild():
        with CaptureQueriesContext(connection) as ctx:
            rebuilder = _rebuild(backend, Post, list(Post.get_indexed_objects().order_by("pk")))
        rebuilder.finish()
        return len(ctx.captured_queries)

    posts = _posts(general, user, 2)
    few = queries_to_rebuild()
    posts += _posts(general, user, 6)
    assert queries_to_rebuild() == few
    every = {post.pk for post in posts}
    assert _found(backend, "Winterdienst") == every  # tag
    assert _found(backend, "Dienstplan") == every  # text
    assert _found(backend, user.last_name) == every  # author


@pytest.mark.django_db
@pytest.mark.usefixtures("immediate_on_commit")
@pytest.mark.parametrize("procs", [1, 2])
def test_a_rebuild_with_one_or_several_processes_replaces_the_whole_index(index_dir, general, user, procs):
    from search.whoosh.backend import SearchBackend

    backend = SearchBackend({"PATH": str(index_dir), "REBUILD_PROCS": procs})
    old, *posts = _posts(general, user, 5)
    _rebuild(backend, type(old), [old]).finish()
    old_pk = old.pk
    old.delete()

    rebuilder = _rebuild(backend, type(old), posts)
    assert _found(backend, "Bauhof") == set(), "searches see the old index (the database drops the deleted post)"
    assert {int(doc["x_id"].split(":")[1]) for doc in backend.store.searcher().documents()} == {old_pk}
    rebuilder.finish()
    assert _found(backend, "Bauhof") == {post.pk for post in posts}
    assert backend.healthcheck() == (True, "ok, 4 documents")


@pytest.mark.django_db
@pytest.mark.usefixtures("immediate_on_commit")
def test_a_post_saved_during_a_rebuild_is_found_when_the_rebuild_ends(backend, general, user):
    from posts.models import Post
    from tests.posts.conftest import post_in

    rebuilder = _rebuild(backend, Post, list(Post.get_indexed_objects()))
    post = post_in(general, user, "Streugut-Bestellung für den Winterdienst")
    backend.add(post)  # what the save does: the rebuild holds the index lock, so it is spooled
    assert _found(backend, "Streugut") == set()
    rebuilder.finish()
    assert _found(backend, "Streugut") == {post.pk}


@pytest.mark.django_db
@pytest.mark.usefixtures("immediate_on_commit")
def test_a_rebuild_that_lost_documents_fails_loudly_and_health_says_so(backend, general, user, monkeypatch):
    from posts.models import Post
    from search.whoosh.store import RebuildIncomplete

    posts = _posts(general, user, 3)
    rebuilder = _rebuild(backend, Post, posts)
    rebuilder.rebuilding.added += 1  # as if an indexing process had died with one document
    with pytest.raises(RebuildIncomplete, match="3 of 4"):
        rebuilder.finish()
    ok, detail = backend.healthcheck()
    assert not ok and "update_index" in detail
    assert _found(backend, "Bauhof") == {post.pk for post in posts}, "what was indexed is searchable"


@pytest.mark.django_db
@pytest.mark.usefixtures("immediate_on_commit")
def test_an_index_written_before_the_parts_field_keeps_working_until_its_rebuild(index_dir, general, user):
    """An upgrade adds the compound parts field (x_parts): an index from before it still answers
    searches and takes new posts, and the field is added on the first write."""
    from whoosh.filedb.filestore import FileStorage

    from posts.models import Post
    from search.whoosh.backend import SearchBackend
    from search.whoosh.store import INDEX_NAME, PARTS_FIELD, build_schema
    from tests.posts.conftest import post_in

    old = build_schema()
    old.remove(PARTS_FIELD)
    index_dir.mkdir(parents=True)
    FileStorage(str(index_dir)).create_index(old, indexname=INDEX_NAME)
    backend = SearchBackend({"PATH": str(index_dir)})
    post = post_in(general, user, "Anwohnerparkausweise gibt es im Bürgeramt")
    backend.add(post)
    assert {hit.pk for hit in backend.search("Anwohnerparkausweise", Post)} == {post.pk}
    assert {hit.pk for hit in backend.search("Bürgeramt", Post)} == {post.pk}
    assert PARTS_FIELD in backend.store.index().schema


# --- pausing per-object updates for a bulk load (load_demo_data) ---------------------------------


@pytest.mark.django_db
def test_inside_a_paused_block_saves_reach_the_index_only_with_the_rebuild_after(home_page, settings):
    from django.core.management import call_command

    from search.indexing import per_object_updates_paused

    before = {name: getattr(settings, name) for name in ("WAGTAILSEARCH_BACKENDS", "MODELSEARCH_BACKENDS")}
    with per_object_updates_paused():
        home_page.add_child(instance=Page(title="Leitfaden Sondernutzungserlaubnis", slug="leitfaden"))
    assert list(Page.objects.search("Sondernutzungserlaubnis")) == []

    home_page.add_child(instance=Page(title="Sondernutzungserlaubnis Formular", slug="formular"))
    assert [p.title for p in Page.objects.search("Sondernutzungserlaubnis")] == ["Sondernutzungserlaubnis Formular"]
    call_command("update_index", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))
    assert {p.title for p in Page.objects.search("Sondernutzungserlaubnis")} == {
        "Leitfaden Sondernutzungserlaubnis",
        "Sondernutzungserlaubnis Formular",
    }
    assert {name: getattr(settings, name) for name in before} == before


@pytest.mark.django_db
def test_a_failure_inside_a_paused_block_leaves_updates_switched_on(home_page):
    from search.indexing import per_object_updates_paused

    with pytest.raises(RuntimeError), per_object_updates_paused():
        raise RuntimeError("the load failed")
    home_page.add_child(instance=Page(title="Sondernutzungserlaubnis Formular", slug="formular"))
    assert [p.title for p in Page.objects.search("Sondernutzungserlaubnis")] == ["Sondernutzungserlaubnis Formular"]


# --- batching the writes of a block (search.indexing.updates_batched) ----------------------------


def _titles(word):
    return {p.title for p in Page.objects.search(word)}


@pytest.mark.django_db
def test_pages_saved_in_a_batch_are_found_after_it_even_when_it_fails(home_page):
    from search.indexing import updates_batched

    with updates_batched():
        home_page.add_child(instance=Page(title="Leitfaden Sondernutzungserlaubnis", slug="leitfaden"))
        with updates_batched():  # nested: applied with the outer block
            home_page.add_child(instance=Page(title="Sondernutzungserlaubnis Formular", slug="formular"))
    assert _titles("Sondernutzungserlaubnis") == {
        "Leitfaden Sondernutzungserlaubnis",
        "Sondernutzungserlaubnis Formular",
    }

    with pytest.raises(RuntimeError), updates_batched():
        home_page.add_child(instance=Page(title="Sondernutzungserlaubnis Gebühren", slug="gebuehren"))
        raise RuntimeError("what the block did after the save failed")
    assert "Sondernutzungserlaubnis Gebühren" in _titles("Sondernutzungserlaubnis")


@whoosh_engine
@pytest.mark.django_db
def test_a_batch_commits_the_whoosh_index_once(home_page):
    from modelsearch.backends import get_search_backend

    from search.indexing import updates_batched

    home_page.add_child(instance=Page(title="Sondernutzung", slug="sondernutzung"))
    ix = get_search_backend().store.index()
    before = ix.latest_generation()
    with updates_batched():
        for n in range(3):
            home_page.add_child(instance=Page(title=f"Sondernutzungserlaubnis {n}", slug=f"s{n}"))
        assert ix.latest_generation() == before
    assert ix.latest_generation() == before + 1
    assert len(_titles("Sondernutzungserlaubnis")) == 3
