"""Documents in the one search: found by title and by the text inside the file, on the page and
in the API, and never returned, counted, suggested or snippeted for someone a collection view
restriction keeps out (Whoosh and the database backend)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from search import query
from tests.conftest import make_user
from tests.search.ui_fixtures import whoosh_only

pytestmark = [pytest.mark.django_db, pytest.mark.search_index]


def titles(result):
    return [hit.title for hit in result.hits]


def assert_invisible(user, q):
    result = query.search(user=user, q=q)
    assert result.count == 0, titles(result)
    assert result.hits == []
    assert set(result.facets["type"].values()) <= {0}
    assert result.facets["department"] == [] and result.facets["tag"] == []
    assert query.suggestions(user=user, q=q) == []
    assert result.suggestion is None or q.lower() not in result.suggestion.lower()


# --- found ---------------------------------------------------------------------------------------


def test_a_document_is_found_by_the_text_inside_its_file(library, user):
    result = query.search(user=user, q="Kilometerpauschale")
    assert titles(result) == ["Dienstanweisung Reisekosten"]
    hit = result.hits[0]
    assert hit.type == "document" and hit.file_type == "pdf"
    assert hit.url == library.travel.url == f"/dokumente/{library.travel.pk}/{library.travel.filename}"
    assert "<mark>Kilometerpauschale</mark>" in hit.snippet
    assert hit.department == "Personalamt"
    assert hit.tags == ["Dienstreise"]
    assert result.facets["type"]["document"] == 1


def test_a_document_is_found_by_its_title(library, user):
    assert titles(query.search(user=user, q="Dienstanweisung")) == ["Dienstanweisung Reisekosten"]


@whoosh_only
def test_german_analysis_applies_to_document_text(library, user):
    # "Fahrten" in the file, "Fahrt" asked; "Erstattung" found by "Erstattungen"
    assert titles(query.search(user=user, q="Fahrt Erstattungen")) == ["Dienstanweisung Reisekosten"]


def test_the_type_filter_and_the_department_filter(library, user, department):
    assert titles(query.search(user=user, q="Reisekosten", filters=query.Filters(types=["document"]))) == [
        "Dienstanweisung Reisekosten"
    ]
    assert query.search(user=user, q="Reisekosten", filters=query.Filters(types=["page"])).count == 0
    # documents belong to no department: a department filter leaves them out
    assert query.search(user=user, q="Reisekosten", filters=query.Filters(department=department.pk)).count == 0
    assert query.search(user=user, q="Reisekosten", filters=query.Filters(tag="dienstreise")).count == 1
    assert query.search(user=user, q="Reisekosten", filters=query.Filters(tag="andere")).count == 0


def test_a_long_text_is_snippeted_around_the_match(library, user, django_capture_on_commit_callbacks):
    from documents import samples
    from tests.documents.conftest import add_document

    filler = "Allgemeine Bestimmungen zur Haushaltsführung der Stadtverwaltung. " * 200
    add_document(
        django_capture_on_commit_callbacks,
        "Haushaltsrundschreiben",
        samples.docx_bytes([filler, "Die Haushaltssperre gilt ab dem ersten Juli.", filler]),
        "rundschreiben.docx",
        collection=library.open,
    )
    hit = query.search(user=user, q="Haushaltssperre").hits[0]
    assert "<mark>Haushaltssperre</mark> gilt ab dem ersten Juli" in hit.snippet
    assert len(hit.snippet) < 400


# --- never a leak --------------------------------------------------------------------------------


def test_a_group_restricted_document_is_hidden_from_others(library, user):
    assert_invisible(user, "Abmahnung")  # in both Personalrat documents, the sub-collection too
    assert_invisible(user, "Gehaltsliste")
    assert_invisible(user, "Protokoll Sitzung")


@whoosh_only
def test_no_did_you_mean_from_a_restricted_document(library, user):
    assert_invisible(user, "Abmahnungg")


def test_the_group_and_superusers_see_restricted_documents(library, user):
    user.groups.add(library.council_group)
    member = type(user).objects.get(pk=user.pk)
    assert set(titles(query.search(user=member, q="Abmahnung"))) == {"Protokoll der Sitzung", "Altes Protokoll"}
    boss = make_user("chefin", is_superuser=True)
    assert query.search(user=boss, q="Abmahnung").count == 2


def test_a_password_restricted_document_is_never_listed(library, user):
    assert_invisible(user, "Kennwortliste")
    assert_invisible(make_user("root", is_superuser=False, is_staff=True), "Kennwortliste")


def test_a_login_restricted_document_is_for_signed_in_staff_only(library, user):
    assert titles(query.search(user=user, q="Parkplatzvergabe")) == ["Hausordnung"]
    assert_invisible(AnonymousUser(), "Parkplatzvergabe")


def test_restricting_a_collection_hides_its_documents_at_once(library, user):
    from wagtail.models import CollectionViewRestriction

    assert query.search(user=user, q="Kilometerpauschale").count == 1
    restriction = CollectionViewRestriction.objects.create(
        collection=library.open, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(library.council_group)
    assert_invisible(user, "Kilometerpauschale")


def test_hidden_documents_do_not_count_next_to_visible_ones(library, user):
    # "vertraulich" is in the Personalrat's minutes and in the house rules staff may read
    result = query.search(user=user, q="vertraulich")
    assert titles(result) == ["Hausordnung"] and result.count == 1
    assert "<mark>vertraulich</mark>" in result.hits[0].snippet
    assert result.facets["type"]["document"] == 1


# --- page and API ------------------------------------------------------------------------------


def test_the_search_page_shows_a_document_hit_with_snippet(library, user_client):
    response = user_client.get("/suche/", {"q": "Kilometerpauschale"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{library.travel.url}"' in html and library.travel.url.startswith("/dokumente/")
    assert "<mark>Kilometerpauschale</mark>" in html
    assert "Dokument (PDF)" in html
    assert 'value="document" checked' not in html and "Dokumente" in html  # the type filter


def test_the_search_page_filters_by_document_type(library, user_client):
    html = user_client.get("/suche/", {"q": "Parkplatzvergabe", "type": "document"}).content.decode()
    assert 'value="document" checked' in html and "Hausordnung" in html


def test_the_api_returns_a_document_hit(library, user_client):
    data = user_client.get("/api/v1/search", {"q": "Kilometerpauschale", "type": "document"}).json()
    assert data["count"] == 1 and data["facets"]["type"]["document"] == 1
    # the other types are counted for the same words (none here has the word)
    assert {kind for kind, n in data["facets"]["type"].items() if n} == {"document"}
    row = data["results"][0]
    assert row["type"] == "document" and row["file_type"] == "pdf"
    assert row["url"] == library.travel.url
    assert "<mark>Kilometerpauschale</mark>" in row["snippet"]


def test_the_api_never_shows_a_restricted_document(library, user_client):
    data = user_client.get("/api/v1/search", {"q": "Abmahnung"}).json()
    assert data["count"] == 0 and data["results"] == [] and set(data["facets"]["type"].values()) <= {0}
