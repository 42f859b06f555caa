# ruff: noqa: F811 — the fixtures are imported from tests.search.ui_fixtures
"""Natural questions and the partial fallback (issue 20, point 5), through the API and the page,
on both shapes: question fillers are never required, and a query of several words whose words no
item has all of falls back to the best partial matches and says so."""

import pytest
from django.urls import reverse

from search.analysis import QUESTION_FILLERS, content_query, content_words, is_optional
from tests.search.ui_fixtures import city, fresh_index  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/v1/search"


def search(client, q, **params):
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return response.json()


def titles(data):
    return [row["title"] for row in data["results"]]


# --- the analysis -------------------------------------------------------------------------------


def test_question_words_and_stop_words_are_optional():
    for word in ("wer", "Wie", "komme", "bekomme", "muss", "kann", "ich", "man", "tun", "gibt", "es", "für", "Fuer"):
        assert is_optional(word), word
    for word in ("Dienstreise", "Hundesteuer", "krank", "Rat", "Antrag"):
        assert not is_optional(word), word
    assert all(word == word.lower() for word in QUESTION_FILLERS)


def test_content_words_of_a_question():
    assert content_words("Wer bezahlt die Dienstreise?") == ["bezahlt", "Dienstreise"]
    assert content_words("Wie komme ich an einen Anwohnerparkausweis?") == ["Anwohnerparkausweis"]
    assert content_words("Was ist das?") == []
    assert content_query("Wie bekomme ich eine Genehmigung für Dienstreisen?") == "Genehmigung Dienstreisen"
    assert content_query("Antrag auf Akteneinsicht") == "Antrag Akteneinsicht"
    # nothing optional, or nothing else: the query as typed
    assert content_query("Bauantrag einreichen") == "Bauantrag einreichen"
    assert content_query("Was ist das?") == "Was ist das?"


# --- through the API ----------------------------------------------------------------------------


def test_a_question_with_fillers_finds_the_page_first(city, user_client):
    data = search(user_client, "Wie bekomme ich eine Genehmigung für Dienstreisen?")
    assert titles(data)[0] == "Genehmigung von Dienstreisen"
    assert data["partial"] is False  # the page has every content word


def test_a_missing_word_falls_back_to_partial_matches_and_says_so(city, user_client):
    data = search(user_client, "Urlaub Hängematte")
    assert data["partial"] is True
    assert titles(data) == ["Urlaubsantrag stellen"]
    assert data["count"] == 1 and data["facets"]["type"].get("page") == 1
    assert [row["name"] for row in data["facets"]["department"]] == ["Bürgeramt"]


def test_partial_matches_with_more_of_the_words_come_first(city, user_client):
    # the Dienstreisen page has two of the three words, the Bauantrag page one
    data = search(user_client, "Genehmigung Dienstreisen Bauvorhaben")
    assert data["partial"] is True
    assert titles(data)[0] == "Genehmigung von Dienstreisen"
    assert "Bauantrag einreichen" in titles(data)


def test_a_query_whose_words_all_match_is_not_partial(city, user_client):
    data = search(user_client, "Antrag Akteneinsicht")
    assert data["partial"] is False
    assert titles(data)[0] == "Antrag auf Akteneinsicht"


def test_one_content_word_is_never_partial(city, user_client):
    data = search(user_client, "Wer kennt Hängematten?")
    assert data["count"] == 0 and data["partial"] is False


@pytest.mark.parametrize(
    "q", ["Kündigungsschutz Urlaub", "Geheimprotokoll Urlaub", "Wer hat Kündigungsschutz beim Urlaub?"]
)
def test_partial_matches_never_show_restricted_content(city, user_client, q):
    # "Kündigungsschutz" and "Geheimprotokoll" are only in the restricted page, the draft, the
    # hidden and deleted posts and the inactive person
    data = search(user_client, q)
    assert data["partial"] is True
    assert titles(data) == ["Urlaubsantrag stellen"]
    assert data["count"] == 1
    assert {type_: n for type_, n in data["facets"]["type"].items() if n} == {"page": 1}
    assert data["facets"]["tag"] == []
    assert "Kündigungsschutz" not in str(data) and "Geheimprotokoll" not in str(data)


def test_partial_matches_of_a_restricted_page_for_its_group(city, user_client):
    city.user.groups.add(city.personalrat_group)
    data = search(user_client, "Geheimprotokoll Urlaub")
    assert data["partial"] is True
    assert set(titles(data)) == {"Urlaubsantrag stellen", "Geheimprotokoll Kündigungsschutz"}


# --- the page -----------------------------------------------------------------------------------


def test_search_page_says_when_results_do_not_contain_all_words(city, user_client):
    response = user_client.get(reverse("search:search"), {"q": "Urlaub Hängematte"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ergebnisse, die nicht alle Wörter enthalten" in html
    assert city.urlaub.url in html


def test_search_page_does_not_say_so_when_every_word_matches(city, user_client):
    response = user_client.get(reverse("search:search"), {"q": "Wie bekomme ich eine Genehmigung für Dienstreisen?"})
    html = response.content.decode()
    assert city.genehmigung.url in html
    assert "Ergebnisse, die nicht alle Wörter enthalten" not in html
