# ruff: noqa: F811 — the fixtures are imported from tests.search.ui_fixtures
"""Never a leak: unpublished, restricted, hidden, deleted content and inactive people are not
returned, counted, suggested or shown in a snippet — per content type, with a positive control."""

import pytest

from search import query
from tests.search.ui_fixtures import city, fresh_index  # noqa: F401

pytestmark = pytest.mark.django_db


def assert_invisible(user, q):
    result = query.search(user=user, q=q)
    assert result.count == 0, [hit.title for hit in result.hits]
    assert result.hits == []
    assert set(result.facets["type"].values()) <= {0}
    assert result.facets["department"] == [] and result.facets["tag"] == []
    assert query.suggestions(user=user, q=q) == []
    assert result.suggestion is None or q.lower() not in result.suggestion.lower()


def test_unpublished_page(city):
    assert_invisible(city.user, "Entwurf Leitfaden")


def test_restricted_page(city):
    assert_invisible(city.user, "Geheimprotokoll")
    assert_invisible(city.user, "Geheimprotokol")  # no "Meinten Sie" from the restricted page


def test_restricted_page_is_found_by_its_group(city):
    city.user.groups.add(city.personalrat_group)
    city.user = type(city.user).objects.get(pk=city.user.pk)
    result = query.search(user=city.user, q="Geheimprotokoll")
    assert [hit.title for hit in result.hits] == ["Geheimprotokoll Kündigungsschutz"]


def test_hidden_post(city):
    assert_invisible(city.user, "Kantine")


def test_deleted_post(city):
    assert_invisible(city.user, "Tabelle")


def test_inactive_person(city):
    assert_invisible(city.user, "Ehemalig")


def test_hidden_things_do_not_show_in_counts_or_snippets_of_visible_hits(city):
    # "Kündigungsschutz" is only in the restricted page, the draft, the hidden and deleted posts
    # and the inactive person's title
    assert_invisible(city.user, "Kündigungsschutz")


def test_unpublishing_removes_a_page(city):
    assert query.search(user=city.user, q="Sondernutzung").count == 1
    city.strasse.unpublish()
    assert query.search(user=city.user, q="Sondernutzung").count == 0


def test_deleting_a_page_removes_it(city):
    city.strasse.delete()
    assert query.search(user=city.user, q="Sondernutzung").count == 0


def test_restricting_a_page_hides_it(city):
    from wagtail.models import PageViewRestriction

    restriction = PageViewRestriction.objects.create(page=city.strasse, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(city.personalrat_group)
    assert query.search(user=city.user, q="Sondernutzung").count == 0


def test_moving_a_page_updates_its_department(city):
    from home.models import ContentPage

    city.genehmigung.move(city.section, pos="last-child")
    page = ContentPage.objects.get(pk=city.genehmigung.pk)
    result = query.search(user=city.user, q="Dienstreisen")
    assert [hit.title for hit in result.hits] == ["Genehmigung von Dienstreisen"]
    assert result.hits[0].url == page.url


def test_publishing_an_edit_is_found(city):
    from tests.home.conftest import publish

    city.strasse.title = "Sondernutzung von Gehwegen"
    publish(city.strasse)
    assert [hit.title for hit in query.search(user=city.user, q="Gehwegen").hits] == ["Sondernutzung von Gehwegen"]


def test_editing_a_post_is_found(city, django_capture_on_commit_callbacks):
    from posts.actions import edit_post

    with django_capture_on_commit_callbacks(execute=True):
        edit_post(post=city.post, user=city.author, text="Neue Sprechzeiten im Bürgeramt")
    assert query.search(user=city.user, q="Sprechzeiten").count == 1
    assert query.search(user=city.user, q="Öffnungszeiten").count == 0


def test_hiding_a_post_removes_it(city, django_capture_on_commit_callbacks, admin_user):
    from posts.actions import hide_post

    with django_capture_on_commit_callbacks(execute=True):
        hide_post(post=city.post, moderator=admin_user, reason="Doppelt")
    assert query.search(user=city.user, q="Öffnungszeiten").count == 0


def test_profile_edit_is_found(city):
    from people.actions import update_profile

    update_profile(profile=city.person.profile, changes={"job_title": "Leiterin Vergabestelle"})
    assert [hit.title for hit in query.search(user=city.user, q="Vergabestelle").hits] == ["Martina Müller"]
