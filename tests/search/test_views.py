# ruff: noqa: F811 — the fixtures are imported from tests.search.ui_fixtures
"""The search page /suche/ and the header suggestions, through HTTP."""

import pytest
from django.urls import reverse

from tests.search.ui_fixtures import city, fresh_index, whoosh_only, without_typo_search  # noqa: F401

pytestmark = pytest.mark.django_db


@whoosh_only
def test_search_page_lists_highlighted_hits_with_count(city, user_client):
    response = user_client.get(reverse("search:search"), {"q": "Antrag"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 Treffer für „Antrag“" in html
    assert 'role="status"' in html
    assert "<mark>Antrag</mark>" in html
    assert city.antrag.url in html


@whoosh_only
def test_filters_work_without_javascript(city, user_client):
    response = user_client.get(reverse("search:search"), {"q": "Antrag", "department": city.bauamt.pk})
    html = response.content.decode()
    assert "Bauantrag einreichen" in html and "Urlaubsantrag stellen" not in html
    response = user_client.get(reverse("search:search"), {"q": "Bürgeramt", "type": "post"})
    assert "Neue Öffnungszeiten" in response.content.decode()
    assert "Antrag auf Akteneinsicht" not in response.content.decode()


def test_bad_filter_values_are_named_ignored_and_the_query_kept(city, user_client):
    response = user_client.get(
        reverse("search:search"), {"q": "Antrag", "department": "x", "from": "gestern", "type": "nix", "page": "-3"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Antrag"' in html
    assert "Unbekanntes Amt." in html and "Bitte geben Sie ein gültiges Datum" in html


@pytest.mark.parametrize(
    "params",
    [
        {"department": "1234567890123456789012345"},  # beyond every integer column: was 500 on SQLite
        {"department": "-1234567890123456789012345"},
        {"from": "0001-01-01"},  # before the start of UTC's calendar once in UTC: was 500
        {"to": "9999-12-31"},  # "until" adds a day: was 500
        {"from": "0001-01-01", "to": "9999-12-31"},
    ],
)
def test_out_of_range_filters_are_400_with_a_message_not_500(city, user_client, params):
    response = user_client.get(reverse("search:search"), {"q": "Antrag", **params})
    assert response.status_code == 400
    assert 'value="Antrag"' in response.content.decode()
    assert 'class="message message--error"' in response.content.decode()


@pytest.mark.parametrize("params", [{"q": "Antrag\x00"}, {"q": "Antrag", "tag": "bau\x00"}])
def test_a_nul_in_the_query_string_is_400_on_every_database(city, user_client, params):
    # PostgreSQL refuses NUL in any text parameter (was 500 there, 200 on SQLite)
    assert user_client.get(reverse("search:search"), params).status_code == 400
    assert user_client.get(reverse("search:suggestions"), params).status_code == 400


def test_meinten_sie_link(city, user_client, without_typo_search):
    from search.query import get_search_backend

    if not hasattr(get_search_backend(), "suggest"):
        pytest.skip("the database backend has no spelling dictionary")
    response = user_client.get(reverse("search:search"), {"q": "Akteneinsichd"})
    html = response.content.decode()
    if "Antrag auf Akteneinsicht</a>" in html:
        pytest.skip("the typo search already found the page, so there is nothing to suggest")
    assert "?q=Akteneinsicht" in html


@whoosh_only
def test_search_page_query_count_is_constant_in_the_number_of_results(city, user_client, django_assert_max_num_queries):
    """Session+user (2), visible-page restrictions (1-2), one search per type with its rows and
    count (3 types), page-specific loads, tag names for the hits (<=3), department names (1),
    tag facet (1), statistics (1-2), department list (1). The limit holds with 3 or 20 hits."""
    from home.models import WikiPage
    from tests.home.conftest import add_page, rich

    with django_assert_max_num_queries(30) as few:
        user_client.get(reverse("search:search"), {"q": "Antrag"})
    for n in range(17):
        add_page(city.section, WikiPage(title=f"Antrag Nummer {n}", slug=f"antrag-{n}", body=rich("Antrag")))
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        response = user_client.get(reverse("search:search"), {"q": "Antrag"})
    assert response.content.decode().count('class="card search-hit"') == 20


def test_suggestions_json(city, user_client):
    response = user_client.get(reverse("search:suggestions"), {"q": "Bürgerbef"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows[0]["label"] == "Bürgerbefragung 2026" and rows[0]["type_label"]


def test_suggestions_need_sign_in(client):
    response = client.get(reverse("search:suggestions"), {"q": "Antrag"})
    assert response.status_code == 302


def test_header_box_is_an_accessible_combobox(user_client, home_page):
    html = user_client.get("/").content.decode()
    assert 'role="combobox"' in html and 'aria-expanded="false"' in html
    assert 'aria-controls="site-search-suggestions"' in html and 'role="listbox"' in html
    assert reverse("search:suggestions") in html
