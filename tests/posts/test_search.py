"""Posts in the search index: text, tags, author; hidden and deleted posts disappear."""

import pytest
from wagtail.search.backends import get_search_backend

from posts import actions
from posts.models import Post
from tests.posts.conftest import post_in

pytestmark = pytest.mark.usefixtures("immediate_on_commit")


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
