"""Posts in the search index: text, tags, author; hidden and deleted posts disappear."""

import pytest
from wagtail.search.backends import get_search_backend

from posts import actions
from posts.models import Post
from tests.posts.conftest import post_in

pytestmark = [pytest.mark.usefixtures("immediate_on_commit"), pytest.mark.search_index]


def found(query) -> list[int]:
    return [post.pk for post in get_search_backend().search(query, Post)]


def test_posts_are_found_by_text_tag_and_author(general, user, other_user):
    post = post_in(general, user, "Neue Öffnungszeiten im #Meldewesen ab Dezember")
    other = post_in(general, other_user, "Kaffeemaschine defekt")
    assert post.pk in found("Öffnungszeiten")
    assert post.pk in found("Meldewesen")
    assert other.pk in found("Yılmaz") or other.pk in found("Mehmet")
    assert other.pk not in found("Öffnungszeiten")


def test_hidden_and_deleted_posts_leave_the_index(general, user, central_editor):
    hidden = post_in(general, user, "Parkplatzregelung Tiefgarage")
    deleted = post_in(general, user, "Parkplatzregelung Außengelände")
    assert {hidden.pk, deleted.pk} <= set(found("Parkplatzregelung"))
    actions.hide_post(post=hidden, moderator=central_editor, reason="Doppelt")
    actions.delete_post(post=deleted, user=user)
    assert found("Parkplatzregelung") == []
    actions.unhide_post(post=hidden, moderator=central_editor)
    assert found("Parkplatzregelung") == [hidden.pk]


def test_edits_are_reindexed(general, user):
    post = post_in(general, user, "Sitzung am Montag")
    actions.edit_post(post=post, user=user, text="Sitzung am Dienstag")
    assert found("Dienstag") == [post.pk]


def test_indexed_objects_exclude_hidden_and_deleted(general, user, central_editor):
    visible = post_in(general, user, "Sichtbar")
    hidden = post_in(general, user, "Versteckt")
    actions.hide_post(post=hidden, moderator=central_editor, reason="Test")
    assert list(Post.get_indexed_objects().values_list("pk", flat=True)) == [visible.pk]


def _count_index_writes(monkeypatch) -> list:
    """The documents written to the configured engine's index, in order."""
    from modelsearch.backends import get_search_backend

    index_class = get_search_backend().index_class
    written = []
    original = index_class.add_items

    def add_items(self, model, items):
        items = list(items)
        written.extend((item.pk, sorted(item.tags.names())) for item in items if isinstance(item, Post))
        return original(self, model, items)

    monkeypatch.setattr(index_class, "add_items", add_items)
    return written


@pytest.mark.django_db(transaction=True)
def test_a_new_post_is_written_to_the_index_once_after_the_commit_with_its_tags(monkeypatch, general, user):
    monkeypatch.undo()  # real on_commit: the index must not be written inside the transaction
    written = _count_index_writes(monkeypatch)
    post = actions.create_post(
        author=user, channel=general, text="Neue #Dienstanweisung Reisekosten", check_limits=False
    )
    assert written == [(post.pk, ["Dienstanweisung"])]
    actions.edit_post(post=post, user=user, text="Geänderte #Dienstanweisung Reisekosten")
    assert written[1:] == [(post.pk, ["Dienstanweisung"])]
    assert found("Geänderte") == [post.pk]


def test_posts_saved_or_deleted_outside_the_actions_are_indexed_as_before(general, user):
    post = Post.objects.create(author=user, channel=general, text="Direkt gespeichert Streusalz", html="")
    assert found("Streusalz") == [post.pk]
    Post.objects.filter(pk=post.pk).delete()
    assert found("Streusalz") == []


def test_the_database_backend_loads_the_tags_of_a_chunk_in_one_query(general, user):
    """SEARCH_BACKEND=postgres (Wagtail's database backend, here on the test database's own
    flavour): a rebuild indexes posts in chunks with one tag query per chunk, not one per post,
    and the tags are searchable afterwards."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from modelsearch.backends import get_search_backend as backend_from

    posts = [post_in(general, user, f"Baustelle {n} an der Hauptstraße #Verkehrsplanung #Tiefbau") for n in range(6)]
    backend = backend_from("search.database")
    index = backend.get_index_for_model(Post)
    chunk = list(Post.get_indexed_objects().filter(pk__in=[post.pk for post in posts]).order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        index.add_items(Post, chunk)
    tag_queries = [query["sql"] for query in queries.captured_queries if "taggit_tag" in query["sql"]]
    assert len(tag_queries) == 1, tag_queries
    found_by_tag = {post.pk for post in backend.search("Verkehrsplanung", Post.objects.all())}
    assert found_by_tag == {post.pk for post in posts}


def test_postgres_full_text_search_uses_the_title_body_index_and_a_rebuild_refreshes_statistics(general, user):
    """Wagtail's PostgreSQL search matches ``(title || body) @@ query``: the migration's GIN index
    on that expression must be the one PostgreSQL can use (checked with sequential scans off, as
    on a large table), and a rebuild ends with fresh planner statistics."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from modelsearch.backends import get_search_backend as backend_from

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the index serves the query of Wagtail's PostgreSQL backend")
    post = post_in(general, user, "Sperrung der Brücke wegen Bauarbeiten")
    backend = backend_from("search.database")
    rebuilder = backend.rebuilder_class(backend.get_index_for_model(Post))  # as update_index does
    index = rebuilder.start()
    index.add_model(Post)
    index.add_items(Post, list(Post.get_indexed_objects()))
    rebuilder.finish()
    with connection.cursor() as cursor:  # ANALYZE ran: the planner's row estimate is the table's size
        cursor.execute(
            "SELECT reltuples, (SELECT count(*) FROM wagtailsearch_indexentry) FROM pg_class"
            " WHERE relname = 'wagtailsearch_indexentry'"
        )
        estimated, actual = cursor.fetchone()
    assert actual > 0 and estimated == actual
    with CaptureQueriesContext(connection) as queries:
        assert backend.search("Brücke", Post.objects.all()).count() == 1
    count_sql = next(q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "@@" in q["sql"])
    # the backend matches on exactly the expression the index holds ...
    assert '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body") @@' in count_sql
    # ... and PostgreSQL answers that match from the index
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM wagtailsearch_indexentry WHERE (title || body) @@ to_tsquery('simple', 'brücke')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_indexentry_title_body_gin" in plan, plan
    assert post.pk in {found.pk for found in backend.search("Bauarbeiten", Post.objects.all())}
