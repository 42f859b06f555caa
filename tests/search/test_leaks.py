# ruff: noqa: F811 — the fixtures are imported from tests.search.ui_fixtures
"""Never a leak: unpublished, restricted, hidden, deleted content and inactive people are not
returned, counted, suggested or shown in a snippet — per content type, with a positive control."""

import pytest

from posts import actions as post_actions
from search import query
from tests.search.ui_fixtures import city, fresh_index, post, without_typo_search  # noqa: F401

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


# --- words and tags of content the user may not see: never suggested, completed or counted ------


class Secret:
    """One piece of content the user may not see: a word and a tag found nowhere else, the word as
    typed with a typo, and its other text ("Bürgeramt") shared with content the user does see."""

    def __init__(self, word, typo, tag):
        self.word, self.typo, self.tag = word, typo, tag


SECRETS = {
    "restricted page": Secret("Notabschaltung", "Notabschaltng", "Stromausfall"),
    "restricted document": Secret("Stellenabbau", "Stellenabbsu", "Umstrukturierung"),
    "hidden post": Secret("Schwarzgeldkonto", "Schwarzgeldkono", "Spesenbetrug"),
    "deleted post": Secret("Abfindungssumme", "Abfindungsumme", "Vergleichsangebot"),
}


@pytest.fixture
def secrets(city, django_capture_on_commit_callbacks):
    """City plus one item of each kind the user may not see, each with its own word and tag and
    the word "Bürgeramt" that visible content has too."""
    from wagtail.models import Collection, CollectionViewRestriction

    from home.models import WikiPage
    from tests.conftest import make_user
    from tests.documents.conftest import add_document
    from tests.home.conftest import add_page, rich

    capture = django_capture_on_commit_callbacks
    page = SECRETS["restricted page"]
    restricted = WikiPage(title="Notfallplan", slug="notfallplan", body=rich(f"{page.word} im Bürgeramt"))
    restricted.tags.add(page.tag)
    add_page(city.secret, restricted)  # below the Personalrat's restricted page
    document = SECRETS["restricted document"]
    council = Collection.get_first_root_node().add_child(name="Personalrat")
    restriction = CollectionViewRestriction.objects.create(
        collection=council, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(city.personalrat_group)
    add_document(
        capture, "Vorlage Bürgeramt", f"{document.word} im Bürgeramt".encode(), "vorlage.txt",
        collection=council, tags=[document.tag],
    )  # fmt: skip
    hidden = SECRETS["hidden post"]
    hidden_post = post(city.author, f"{hidden.word} im Bürgeramt #{hidden.tag}", city.channel, capture)
    with capture(execute=True):
        post_actions.hide_post(post=hidden_post, moderator=make_user("redaktion", is_superuser=True), reason="Gerücht")
    deleted = SECRETS["deleted post"]
    deleted_post = post(city.author, f"{deleted.word} im Bürgeramt #{deleted.tag}", city.channel, capture)
    with capture(execute=True):
        post_actions.delete_post(post=deleted_post, user=city.author)
    return city


KINDS = pytest.mark.parametrize("kind", list(SECRETS))


@KINDS
def test_meinten_sie_offers_no_word_of_content_the_user_may_not_see(secrets, user_client, kind):
    # "Bürgeramt" alone finds visible content: a suggestion approved because one of its words
    # finds something would hand out the other word.
    secret = SECRETS[kind]
    visible = user_client.get("/api/v1/search", {"q": "Bürgeramt"}).json()
    for q in (f"Bürgeramt {secret.typo}", secret.typo, f"{secret.typo} Bürgeramt"):
        data = user_client.get("/api/v1/search", {"q": q}).json()
        # no item has both words: the partial matches are exactly what "Bürgeramt" finds
        if "Bürgeramt" in q:
            assert data["partial"] is True, q
            assert data["count"] == visible["count"] and data["facets"] == visible["facets"], q
            assert {row["id"] for row in data["results"]} == {row["id"] for row in visible["results"]}, q
        else:
            assert data["count"] == 0, q
        assert secret.word.lower() not in (data["suggestion"] or "").lower(), q
        page = user_client.get("/suche/", {"q": q}).content.decode()
        assert secret.word.lower() not in page.lower(), q


def test_meinten_sie_offers_words_the_user_may_see(secrets, user_client, without_typo_search):
    """The positive control: the same kind of query with a typo in a visible word ("Pkten") is
    corrected. With the typo search off: with it on, the search itself finds "Akten" (one edit in
    five letters, search.typos), and a suggestion, by the same rule, has nothing to add."""
    if not hasattr(query.get_search_backend(), "suggest"):
        pytest.skip("the database backend has no spelling dictionary; it makes no suggestions")
    data = user_client.get("/api/v1/search", {"q": "Bürgeramt Pkten"}).json()
    assert data["partial"] is True  # no item has both words
    assert data["suggestion"] == "Bürgeramt Akten"
    corrected = user_client.get("/api/v1/search", {"q": data["suggestion"]}).json()
    assert [row["title"] for row in corrected["results"]] == ["Antrag auf Akteneinsicht"]


@KINDS
def test_header_suggestions_complete_no_word_or_tag_the_user_may_not_see(secrets, user_client, kind):
    secret = SECRETS[kind]
    for q in (secret.word[:-3], secret.word, secret.tag[:-3], secret.tag):
        rows = user_client.get("/suche/vorschlaege/", {"q": q}).json()["results"]
        assert rows == [], (q, rows)


def test_header_suggestions_complete_tags_the_user_may_see(secrets, user_client):
    rows = user_client.get("/suche/vorschlaege/", {"q": "Bürgerserv"}).json()["results"]
    assert [row["label"] for row in rows if row["type"] == "tag"] == ["Bürgerservice"]


@KINDS
def test_facets_do_not_count_content_the_user_may_not_see(secrets, user_client, kind):
    secret = SECRETS[kind]
    data = user_client.get("/api/v1/search", {"q": "Bürgeramt"}).json()
    assert data["count"] >= 1  # visible pages and the visible post
    assert [row["name"] for row in data["facets"]["tag"]] == ["Bürgerservice"]
    assert data["facets"]["type"]["document"] == 0
    page = user_client.get("/suche/", {"q": "Bürgeramt"}).content.decode()
    assert "Bürgerservice" in page and secret.tag not in page
    # filtering by the secret tag finds and counts nothing
    from taggit.models import Tag

    slug = Tag.objects.get(name=secret.tag).slug
    data = user_client.get("/api/v1/search", {"q": "Bürgeramt", "tag": slug}).json()
    assert data["count"] == 0 and data["facets"]["tag"] == []


@KINDS
def test_topic_page_of_a_tag_only_on_content_the_user_may_not_see_is_not_found(secrets, user_client, kind):
    from taggit.models import Tag

    tag = Tag.objects.get(name=SECRETS[kind].tag)
    assert user_client.get(f"/themen/{tag.slug}/").status_code == 404
    assert user_client.get(f"/themen/{tag.slug}-unbekannt/").status_code == 404
    assert user_client.get(f"/beitraege/thema/{tag.name}/").status_code == 404
    assert SECRETS[kind].tag not in user_client.get("/themen/").content.decode()


def test_topic_page_of_a_visible_tag_is_shown(secrets, user_client):
    from taggit.models import Tag

    assert user_client.get(f"/themen/{Tag.objects.get(name='Bürgerservice').slug}/").status_code == 200
    assert user_client.get("/beitraege/thema/Bürgerservice/").status_code == 200


# --- an erased person (GDPR) is not found by their name -----------------------------------------


@pytest.mark.parametrize("posts_setting", ["keep", "delete"])
def test_an_erased_person_is_not_found_by_name(
    city, admin_client, settings, posts_setting, django_capture_on_commit_callbacks
):
    """Their posts and replies (kept under "ehemalige/r Mitarbeiter/in", or deleted), the pages
    they owned and their profile no longer carry the name in the index; kept posts and the pages
    are still found by their text."""
    from tests.home.conftest import publish

    settings.ERASED_USER_POSTS = posts_setting
    capture = django_capture_on_commit_callbacks
    author = city.author  # Petra Schreiber, who wrote the visible post about the opening hours
    city.antrag.content_owner = author
    publish(city.antrag)
    with capture(execute=True):
        post_actions.create_post(
            author=author, channel=city.channel, text="Gilt auch im Standesamt", parent=city.post, check_limits=False
        )
    author.profile.job_title = "Sachbearbeiterin Personenstand"
    author.profile.save()
    before = query.search(user=city.user, q="Schreiber")
    assert {hit.type for hit in before.hits} == {"page", "post", "person"}  # all carry the name

    with capture(execute=True):
        response = admin_client.post(f"/personen/{author.username}/loeschen/", {"confirm_username": author.username})
    assert response.status_code == 302

    for q in ("Schreiber", "Petra", "Petra Schreiber", "Personenstand"):
        result = query.search(user=city.user, q=q)
        assert result.count == 0, (q, [hit.title for hit in result.hits])
        assert query.suggestions(user=city.user, q=q) == []
    kept = 1 if posts_setting == "keep" else 0
    assert query.search(user=city.user, q="Öffnungszeiten").count == kept
    assert query.search(user=city.user, q="Standesamt").count == kept
    assert [hit.title for hit in query.search(user=city.user, q="Akteneinsicht").hits] == ["Antrag auf Akteneinsicht"]
