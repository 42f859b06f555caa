# ruff: noqa: F811 — the fixtures are imported from tests.search.ui_fixtures
"""search.registry: each app registers its content types, and a type registered from outside
search/ (here: in the test, as an app would in its search.py) is searched, counted, faceted, shown
and accepted by the API like the built-in ones."""

import pytest

from home.models import ProcessPage
from search import hits, query, registry
from tests.search.ui_fixtures import city, fresh_index, whoosh_only  # noqa: F401

pytestmark = pytest.mark.django_db


class ProcessType(registry.SearchType):
    """A type the way an app declares one: process pages of their own (a page is also a "page")."""

    name = "process"
    label = "Abläufe"
    hit_label = "Ablauf"
    order = 25

    def source(self, user, filters):
        processes = ProcessPage.objects.live().select_related("section_department")
        if filters.department:
            processes = processes.filter(section_department=filters.department)
        return registry.Source(self.name, processes, facet_fields={"department": "section_department_id"})

    def hit(self, obj, score, q, tags, request=None):
        return hits.Hit(
            self.name, obj.pk, obj.title, obj.get_url(request) or "", hits.highlight(obj.purpose, q),
            obj.section_department.name if obj.section_department_id else "", sorted(tags), None, score,
        )  # fmt: skip

    def department_of(self, obj):
        return obj.section_department_id


@pytest.fixture
def process_type():
    registry.register(ProcessType())
    yield
    registry.unregister("process")


def test_the_apps_register_their_types_in_order():
    assert registry.names() == ["page", "post", "person", "document", "question"]
    assert [str(t.label) for t in registry.types()] == [
        "Seiten", "Beiträge", "Mitarbeitende", "Dokumente", "Fragen zu Seiten"
    ]  # fmt: skip
    assert [t.name for t in registry.types() if t.autocomplete] == ["page", "person"]


def test_a_type_is_registered_once():
    class Impostor(ProcessType):
        name = "page"

    with pytest.raises(ValueError, match="registered already"):
        registry.register(Impostor())
    assert registry.get("page") is not None and not isinstance(registry.get("page"), Impostor)


@whoosh_only
def test_a_registered_type_is_searched_counted_and_faceted(city, process_type):
    result = query.search(user=city.user, q="Bauantrag", filters=query.Filters(types=["process"]))
    assert [(hit.type, hit.title) for hit in result.hits] == [("process", "Bauantrag einreichen")]
    assert result.hits[0].department == "Bauamt"
    # the types not ticked are counted too (what ticking them would add): the page type also
    # matches the process page
    assert result.facets["type"]["process"] == 1 and result.facets["type"]["page"] == 1
    assert [(row["name"], row["count"]) for row in result.facets["department"]] == [("Bauamt", 1)]
    # without a type filter it is one type among the others
    everything = query.search(user=city.user, q="Bauantrag")
    assert everything.facets["type"]["process"] == 1 and everything.facets["type"]["page"] == 1
    # a department filter reaches it too
    elsewhere = query.search(
        user=city.user, q="Bauantrag", filters=query.Filters(types=["process"], department=city.buergeramt.pk)
    )
    assert elsewhere.count == 0


@whoosh_only
def test_the_search_page_lists_and_labels_a_registered_type(city, user_client, process_type):
    response = user_client.get("/suche/", {"q": "Bauantrag", "type": "process"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="process" checked' in html and "Abläufe" in html
    assert '<span class="badge">Ablauf</span>' in html


@whoosh_only
def test_the_api_accepts_a_registered_type_and_refuses_it_once_gone(city, user_client, process_type):
    response = user_client.get("/api/v1/search", {"q": "Bauantrag", "type": "process"})
    assert response.status_code == 200
    assert {row["type"] for row in response.json()["results"]} == {"process"}
    registry.unregister("process")
    response = user_client.get("/api/v1/search", {"q": "Bauantrag", "type": "process"})
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert len(fields) == 1 and fields[0]["field"].endswith("type.0")
    assert "page, post, person, document" in fields[0]["reason"]


def test_the_api_schema_lists_the_registered_types(client):
    schema = client.get("/api/v1/openapi.json").json()
    (param,) = [p for p in schema["paths"]["/api/v1/search"]["get"]["parameters"] if p["name"] == "type"]
    assert param["schema"]["items"]["enum"] == ["page", "post", "person", "document", "question"]
