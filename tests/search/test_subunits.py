# ruff: noqa: F811 — the fixtures are imported from tests.search.ui_fixtures
"""The search's department filter includes the units beneath it when asked (issue 16): the page
("mit Untereinheiten", `subunits=1`) and GET /api/v1/search (`include_subunits=true`), for
pages, people and posts alike."""

import pytest

from people.models import Department
from tests.search.ui_fixtures import city, fresh_index, whoosh_only  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def german(settings):
    settings.LANGUAGE_CODE = "de"


@pytest.fixture
def dezernat(city):
    unit = Department.objects.create(name="Dezernat III", slug="dezernat-iii", kind=Department.Kind.DIRECTORATE)
    Department.objects.filter(pk=city.bauamt.pk).update(parent=unit)
    return unit


@whoosh_only
def test_the_page_includes_sub_units_when_asked(city, dezernat, user_client):
    titles = lambda response: [hit.title for hit in response.context["result"].hits]  # noqa: E731
    assert titles(user_client.get("/suche/", {"q": "Bauantrag", "department": dezernat.pk})) == []
    response = user_client.get("/suche/", {"q": "Bauantrag", "department": dezernat.pk, "subunits": "1"})
    assert sorted(titles(response)) == ["Bauantrag einreichen", "Martina Müller"]  # a page and a person of the Bauamt
    html = response.content.decode()
    assert 'id="search-subunits" name="subunits" value="1" checked' in html
    assert '<label for="search-subunits">mit Untereinheiten</label>' in html
    people = user_client.get("/suche/", {"q": "Martina", "department": dezernat.pk, "subunits": "1"})
    assert titles(people) == ["Martina Müller"]


@whoosh_only
def test_the_api_includes_sub_units_when_asked(city, dezernat, user_client):
    url = "/api/v1/search"
    assert user_client.get(url, {"q": "Bauantrag", "department": dezernat.slug}).json()["count"] == 0
    data = user_client.get(url, {"q": "Bauantrag", "department": dezernat.slug, "include_subunits": "true"}).json()
    assert sorted(row["title"] for row in data["results"]) == ["Bauantrag einreichen", "Martina Müller"]
    response = user_client.get(url, {"q": "Bauantrag", "department": dezernat.slug, "include_subunits": "x"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "include_subunits"
