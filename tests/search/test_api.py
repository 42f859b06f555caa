# ruff: noqa: F811 — the fixtures are imported from tests.search.ui_fixtures
"""GET /api/v1/search: the same search as the page, in the house error shape."""

import pytest

from tests.search.ui_fixtures import city, fresh_index, whoosh_only  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/v1/search"


@whoosh_only
def test_search_returns_count_results_facets(city, user_client):
    response = user_client.get(URL, {"q": "Antrag"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3 and data["facets"]["type"]["page"] == 3
    first = data["results"][0]
    assert first["title"] == "Antrag auf Akteneinsicht" and first["type"] == "page"
    assert set(first) == {
        "type",
        "id",
        "title",
        "url",
        "snippet",
        "department",
        "tags",
        "updated",
        "score",
        "file_type",
    }


@whoosh_only
def test_filters_type_department_limit_offset(city, user_client):
    data = user_client.get(URL, {"q": "Antrag", "department": city.bauamt.slug}).json()
    assert [row["title"] for row in data["results"]] == ["Bauantrag einreichen"]
    data = user_client.get(URL, {"q": "Bürgeramt", "type": "post"}).json()
    assert {row["type"] for row in data["results"]} == {"post"}
    data = user_client.get(URL, {"q": "Antrag", "limit": 1, "offset": 1}).json()
    assert len(data["results"]) == 1 and data["count"] == 3


def test_never_a_leak_through_the_api(city, user_client):
    data = user_client.get(URL, {"q": "Kündigungsschutz"}).json()
    assert data["count"] == 0 and data["results"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({}, "q"),
        ({"q": "Antrag", "limit": 0}, "limit"),
        ({"q": "Antrag", "offset": -1}, "offset"),
        ({"q": "Antrag", "sort": "zufall"}, "sort"),
        ({"q": "Antrag", "type": "auto"}, "type.0"),
        ({"q": "Antrag", "department": "gibtsnicht"}, "department"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_invalid_input_is_422_with_field_names(city, user_client, params, field):
    response = user_client.get(URL, params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert any(row["field"].endswith(field) for row in error["fields"]), error["fields"]


def test_needs_authentication(client):
    response = client.get(URL, {"q": "Antrag"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
